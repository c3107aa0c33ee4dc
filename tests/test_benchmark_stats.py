"""The statistics benchmark, checked at a tiny size for what it counts, never for speed."""

from __future__ import annotations

from pathlib import Path

from benchmarks.scale import make_scale_project
from benchmarks.stats import measure, report, whole


def test_stats_benchmark_counts_the_whole_project_and_times_every_case(tmp_path: Path) -> None:
    folder = make_scale_project(tmp_path / "scale", docs=5, annotations=30)
    stats = whole(folder, "doc")
    assert stats.total.documents == 5 and stats.total.annotations == 30
    assert sum(stats.total.by_label.values()) == 30
    times = measure(folder, runs=2)
    assert all(len(values) == 2 for values in times.values())
    lines = report(times)
    assert lines[1].startswith("baseline") and lines[1].endswith("1.00x")
