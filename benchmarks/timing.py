"""Timing shared by the benchmarks that compare named cases: medians and a ratio to the first case,
which is the baseline measured in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def time_cases(cases: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Seconds each case took, `runs` times, the cases taken in turn within each run."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, case in cases.items():
            start = time.perf_counter()
            case()
            times[name].append(time.perf_counter() - start)
    return times


def report(times: dict[str, list[float]], width: int = 30, decimals: int = 0) -> list[str]:
    """A table of medians in milliseconds and their ratio to the first (the baseline)."""
    base = statistics.median(next(iter(times.values())))
    lines = [f"{'measure':<{width}} {'median':>10} {'ratio':>7}"]
    for name, values in times.items():
        median = statistics.median(values)
        lines.append(f"{name:<{width}} {median * 1000:>7.{decimals}f} ms {median / base:>6.2f}x")
    return lines
