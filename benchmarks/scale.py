"""A synthetic project at scale: N documents and M annotations in the store.

    python -m benchmarks.scale DIR [--docs 10000] [--annotations 100000]

Documents come from benchmarks.make_corpus; annotations are sentence-sized spans spread evenly over the
documents, with labels, tags and notes from the shipped vocabulary, added through the store's API.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from benchmarks.make_corpus import make_corpus
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore

LABELS = ("claim", "premise", "evidence", "counterclaim", "rebuttal")
TAGS = ("brexit", "economy", "red-wall", "turnout", "leadership", "manifesto", "local")
BATCH = 5000


def make_scale_project(folder: Path, docs: int, annotations: int, seed: int = 3) -> Path:
    make_corpus(docs, folder, seed)
    corpus = Corpus.load(folder / "corpus")
    rng = random.Random(seed)
    documents = list(corpus)
    batch = []
    with AnnotationStore.open(folder / "annotations" / "store.json") as store:
        for number in range(annotations):
            doc = documents[number % len(documents)]
            text = doc.text
            start = rng.randrange(0, max(1, len(text) - 200))
            end = min(len(text), start + rng.randint(20, 180))
            batch.append(
                annotation_from_document(
                    doc,
                    start,
                    end,
                    label=rng.choice(LABELS),
                    tags=rng.sample(TAGS, rng.randint(0, 2)),
                    note=" ".join(text[start:end].split()[:8]) if rng.random() < 0.5 else "",
                    author="bench",
                )
            )
            if len(batch) == BATCH:
                store.add_many(batch)
                batch = []
        if batch:
            store.add_many(batch)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=100_000)
    args = parser.parse_args(argv)
    make_scale_project(args.folder, args.docs, args.annotations)
    print(f"{args.docs} documents and {args.annotations} annotations in {args.folder}")


if __name__ == "__main__":
    main()
