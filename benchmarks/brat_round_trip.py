"""brat folder → reader → brat on a project in the shape of the persuasive-essays corpus: every
annotator's folder (and gold) imported into one store with its annotator's name, each layer exported
back to a brat folder, and the `.ann` lines counted per type (T, R, A, N, #) in and out.

    PYTHONPATH=. python -m benchmarks.brat_round_trip [--essays 40] [--annotators 3] [--runs 3]

Prints the counts per folder and line type, the import warnings, and the median time of the whole
round trip against brat's own parser (bratsubset, from bratiaa) reading the exported folders.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.brat_essays import count_lines, make_essays
from reader.corpus.documents import Corpus
from reader.store import AnnotationStore
from reader.transfer import export, import_file

TYPES = ("T", "R", "A", "N", "#")


@dataclass
class Trip:
    counts: dict[str, tuple[dict[str, int], dict[str, int]]]  # folder -> (in, out)
    warnings: list[str]
    seconds: float
    out: dict[str, Path]


def round_trip(root: Path, essays: int, annotators: int) -> Trip:
    project = make_essays(root, essays=essays, annotators=annotators)
    corpus = Corpus.load(project.corpus)
    started = time.perf_counter()
    warnings: list[str] = []
    with AnnotationStore.open(root / "annotations" / "store.json") as store:
        for name, folder in project.folders.items():
            report = import_file(folder, "brat", corpus, store, annotator=name)
            warnings += report.warning_lines()
        anns = store.annotations()
    out: dict[str, Path] = {}
    for name in project.folders:
        out[name] = root / "out" / name
        export("brat", [a for a in anns if a.author == name], corpus, out[name])
    seconds = time.perf_counter() - started
    counts = {
        name: (count_lines(folder), count_lines(out[name]))
        for name, folder in project.folders.items()
    }
    return Trip(counts, warnings, seconds, out)


def brat_parse(folders: dict[str, Path]) -> float:
    """Seconds brat's own parser takes to read the folders (the baseline)."""
    from bratsubset import annotation as brat_annotation

    started = time.perf_counter()
    for folder in folders.values():
        for path in sorted(folder.glob("*.ann")):
            brat_annotation.TextAnnotations(str(path.with_suffix("")), read_only=True)
    return time.perf_counter() - started


def table(trip: Trip) -> list[str]:
    head = "| folder | " + " | ".join(f"{t} in → out" for t in TYPES) + " | lost |"
    lines = [head, "|" + "---|" * (len(TYPES) + 2)]
    total_in = dict.fromkeys(TYPES, 0)
    total_out = dict.fromkeys(TYPES, 0)
    for name, (before, after) in trip.counts.items():
        cells = []
        for kind in TYPES:
            total_in[kind] += before.get(kind, 0)
            total_out[kind] += after.get(kind, 0)
            cells.append(f"{before.get(kind, 0):,} → {after.get(kind, 0):,}")
        lost = sum(max(0, before.get(k, 0) - after.get(k, 0)) for k in TYPES)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {lost} |")
    cells = [f"{total_in[k]:,} → {total_out[k]:,}" for k in TYPES]
    lost = sum(max(0, total_in[k] - total_out[k]) for k in TYPES)
    lines.append("| all | " + " | ".join(cells) + f" | {lost} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--essays", type=int, default=40)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times, baseline = [], []
    trip = None
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            trip = round_trip(Path(tmp), args.essays, args.annotators)
            times.append(trip.seconds)
            baseline.append(brat_parse(trip.out))
    assert trip is not None
    print(f"{args.essays} essays × {args.annotators} annotators + gold\n")
    print("\n".join(table(trip)))
    print(f"\nimport warnings ({len(trip.warnings)}):")
    for line in trip.warnings:
        print(f"  {line}")
    ours, theirs = statistics.median(times), statistics.median(baseline)
    print(f"\n| step | median of {args.runs} | ratio |\n|---|---|---|")
    print(
        f"| brat's parser reads the exported folders (baseline) | {theirs * 1000:,.0f} ms | 1.0× |"
    )
    print(
        f"| import every folder + export every layer | {ours * 1000:,.0f} ms | {ours / theirs:.1f}× |"
    )


if __name__ == "__main__":
    main()
