"""Build a synthetic project of N documents for scale figures.

    python -m benchmarks.make_corpus N DIR [--seed S]

Each document shuffles sentences of the shipped corpus into paragraphs, with sizes drawn from the shipped
documents' range (about 3–7 KB), a first-line headline and no corpus.toml, so listing has to sniff every
file: the slow path. DIR becomes a project folder (DIR/corpus/, DIR/annotations/).
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "corpus"


def shipped_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(SHIPPED.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if len(s) > 20]
    return sentences


def make_document(rng: random.Random, sentences: list[str], number: int) -> str:
    target = rng.randint(3000, 7000)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    headline = " ".join(rng.choice(sentences).split()[:8]).rstrip(".,;:")
    return f"{headline} ({number})\n\n" + "\n\n".join(paragraphs) + "\n"


def make_corpus(count: int, folder: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    sentences = shipped_sentences()
    corpus = folder / "corpus"
    (folder / "annotations").mkdir(parents=True, exist_ok=True)
    for number in range(count):
        # 100 documents a folder, as a real archive would be split by source or year.
        path = corpus / f"batch-{number // 100:04d}" / f"doc-{number:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make_document(rng, sentences, number), encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    make_corpus(args.count, args.folder, args.seed)
    print(f"{args.count} documents in {args.folder / 'corpus'}")


if __name__ == "__main__":
    main()
