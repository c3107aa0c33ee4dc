"""Start-up time: `reader` from launch to the first paint of the library, against a Textual hello world.

    python -m benchmarks.startup [--runs N] [--project DIR] [--scale DIR]

Every program runs on a pseudo-terminal, in turn, and exits right after its first paint
(`READER_EXIT_AFTER_PAINT=1` for reader). `--scale DIR` adds `reader` on a large project (build one
with `python -m benchmarks.scale DIR`: 10,000 documents, 100,000 annotations). Prints medians and the
ratio to the hello world.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from benchmarks._pty import time_in_pty

REPO = Path(__file__).resolve().parent.parent


def measure(project: Path, runs: int, scale: Path | None = None) -> dict[str, list[float]]:
    commands = {
        "textual hello world": [sys.executable, "-m", "benchmarks.hello"],
        f"reader {project.name}": [sys.executable, "-m", "reader", str(project)],
    }
    if scale is not None:
        commands[f"reader {scale.name} (large)"] = [sys.executable, "-m", "reader", str(scale)]
    env = {"READER_EXIT_AFTER_PAINT": "1", "PYTHONPATH": str(REPO)}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the file cache and .pyc files
        time_in_pty(argv, env)
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(time_in_pty(argv, env))
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--project", type=Path, default=REPO)
    parser.add_argument("--scale", type=Path, default=None)
    args = parser.parse_args(argv)
    times = measure(args.project, args.runs, args.scale)
    baseline = statistics.median(next(iter(times.values())))
    print(f"Start-up to first paint, {args.runs} alternating runs each (median, ms)")
    print(f"{'program':<32} {'median':>8} {'min':>8} {'max':>8} {'ratio':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:<32} {median * 1000:8.0f} {min(values) * 1000:8.0f} "
            f"{max(values) * 1000:8.0f} {median / baseline:7.2f}"
        )


if __name__ == "__main__":
    main()
