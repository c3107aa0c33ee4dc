"""The store benchmark runs end to end at a tiny size (correctness only, no timing asserts)."""

from __future__ import annotations

import pytest

from benchmarks.store import main


def test_store_benchmark_runs_at_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    results = main(["--size", "300", "--docs", "10", "--samples", "20", "--stock-samples", "2",
                    "--trials", "2"])  # fmt: skip
    out = capsys.readouterr().out
    assert "ratio" in out and "kill -9 trials: 2" in out and "lost 0" in out
    figures = results["300"]
    assert isinstance(figures, dict) and figures["stock_insert_ms"] > 0
    assert "checked" in out and figures["open_s"] > 0 and figures["checked_open_s"] > 0
