"""Statistics speed: `reader stats` on a large project, against loading the store's annotations.

    python -m benchmarks.scale DIR          # once: 10,000 documents, 100,000 annotations
    python -m benchmarks.stats DIR [--runs 5]
    python -m benchmarks.stats --docs 200 --annotations 2000   # builds a project in a temporary folder

Each run starts from nothing, as the command does (the operating system's file cache is warm):
- baseline: open the store read only and build every annotation (`store.annotations()`);
- stats, whole: load the corpus, open the store, read every annotation and every document's text
  (words, dismissed suggestions) and count, by document, then by party and by tag;
- stats, counting only: the counting on annotations and word counts already in memory (what the app's
  statistics screen does once the library has counted words).
Suggestions shown are left out (the highlighter's cost, about 0.1 s per MB of text, is its own).
The table gives medians and the ratio to the baseline's median, from runs that alternate.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.timing import report, time_cases
from reader.corpus.documents import Corpus
from reader.stats import Stats, compute
from reader.store.annotation_store import AnnotationStore


def _store(folder: Path) -> Path:
    return folder / "annotations" / "store.json"


def baseline(folder: Path) -> int:
    with AnnotationStore.open(_store(folder), read_only=True) as store:
        return len(store.annotations())


def whole(folder: Path, by: str) -> Stats:
    corpus = Corpus.load(folder / "corpus")
    with AnnotationStore.open(_store(folder), read_only=True) as store:
        return compute(corpus, store.annotations(), by=by, meta=store.meta)


def measure(folder: Path, runs: int) -> dict[str, list[float]]:
    corpus = Corpus.load(folder / "corpus")
    with AnnotationStore.open(_store(folder), read_only=True) as store:
        anns = store.annotations()
    words = {doc.id: doc.words for doc in corpus}
    cases: dict[str, Callable[[], object]] = {
        "baseline: load annotations": lambda: baseline(folder),
        "stats by doc, whole": lambda: whole(folder, "doc"),
        "stats by party, whole": lambda: whole(folder, "party"),
        "stats by tag, whole": lambda: whole(folder, "tag"),
        "stats by doc, counting only": lambda: compute(corpus, anns, by="doc", words=words),
        "stats by tag, counting only": lambda: compute(corpus, anns, by="tag", words=words),
    }
    return time_cases(cases, runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, nargs="?", help="a project made by benchmarks.scale")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            from benchmarks.scale import make_scale_project

            folder = make_scale_project(Path(tmp) / "project", args.docs, args.annotations)
        total = whole(folder, "doc").total
        times = measure(folder, args.runs)
    print(f"{total.documents:,} documents, {total.annotations:,} annotations, {args.runs} runs")
    print("\n".join(report(times)))


if __name__ == "__main__":
    main()
