"""Export speed: N annotations (default 100,000) over a synthetic corpus, in every format.

    python -m benchmarks.export [--annotations N] [--links L] [--documents D] [--runs R]
                                [--formats argdown,aif]

Annotations are random spans (1-300 characters) with labels, tags and notes over D synthetic documents
(benchmarks.make_corpus); L of them (default half) link to the previous annotation of the same document,
two in three as supports and one as an attack, so each document holds chains of argument. Each format
writes to a temporary folder; the baseline, measured in the same run, is a bare `orjson.dumps` of the
same annotations to a file: the least any export has to do. Prints medians over R runs and the ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import orjson

from benchmarks.make_corpus import make_corpus
from reader.corpus.documents import Corpus
from reader.formats import EXPORT_FORMATS
from reader.model.annotation import Annotation, Link, annotation_for
from reader.transfer import export

LABELS = [None, "claim", "premise", "evidence", "counterclaim", "rebuttal"]
TAGS = ["economy", "housing", "brexit", "nhs", "jobs", "trust", "check"]


def make_annotations(
    corpus: Corpus, count: int, seed: int = 7, links: int | None = None
) -> list[Annotation]:
    """`count` annotations, `links` of them (default half) linked to the one before in their document."""
    rng = random.Random(seed)
    docs = corpus.documents
    # Annotations go round the documents, so every one after the first round has one before it.
    after_first = range(len(docs), count)
    wanted = count // 2 if links is None else links
    linked = set(random.Random(seed + 1).sample(after_first, min(wanted, len(after_first))))
    previous: dict[str, str] = {}
    out: list[Annotation] = []
    for number in range(count):
        doc = docs[number % len(docs)]
        text = doc.text
        start = rng.randrange(0, len(text) - 1)
        end = min(len(text), start + rng.randint(1, 300))
        kind = "attacks" if number % 3 == 0 else "supports"
        links_ = [Link(kind, previous[doc.id])] if number in linked else []
        ann = annotation_for(
            doc.id,
            text,
            doc.sha256,
            start,
            end,
            label=rng.choice(LABELS),
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            note=rng.choice(["", "Check this figure.", "Weak: *no source* given.\nAsk them."]),
            links=links_,
        )
        previous[doc.id] = ann.id
        out.append(ann)
    return out


def baseline(anns: list[Annotation], folder: Path) -> None:
    (folder / "baseline.json").write_bytes(orjson.dumps(anns))


def measure(
    anns: list[Annotation],
    corpus: Corpus,
    runs: int,
    folder: Path,
    formats: Sequence[str] = EXPORT_FORMATS,
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"baseline": [], **{fmt: [] for fmt in formats}}
    for run in range(runs):
        started = time.perf_counter()
        baseline(anns, folder)
        times["baseline"].append(time.perf_counter() - started)
        for fmt in formats:
            target = folder / f"run{run}-{fmt}"
            started = time.perf_counter()
            export(fmt, anns, corpus, target)
            times[fmt].append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--links", type=int, default=None, help="default: half the annotations")
    parser.add_argument(
        "--formats", default=",".join(EXPORT_FORMATS), help="comma-separated; default all"
    )
    args = parser.parse_args(argv)
    formats = [name for name in args.formats.split(",") if name]
    unknown = sorted(set(formats) - set(EXPORT_FORMATS))
    if unknown:
        parser.error(f"unknown formats {unknown}; use some of {', '.join(EXPORT_FORMATS)}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = Corpus.load(make_corpus(args.documents, folder / "project") / "corpus")
        for doc in corpus.documents:
            doc.text  # noqa: B018 - read once, as the app has them cached
        anns = make_annotations(corpus, args.annotations, links=args.links)
        times = measure(anns, corpus, args.runs, folder, formats)
    base = statistics.median(times["baseline"])
    links = sum(len(ann.links) for ann in anns)
    print(
        f"{args.annotations:,} annotations with {links:,} links over {args.documents:,} documents, "
        f"{args.runs} runs"
    )
    print(f"{'format':<10} {'median':>10} {'ratio':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<10} {median * 1000:>8.0f} ms {median / base:>7.1f}x")


if __name__ == "__main__":
    main()
