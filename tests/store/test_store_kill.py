"""Crash safety: SIGKILL a writing process at random moments; no acknowledged write may be lost."""

from __future__ import annotations

from pathlib import Path

from reader.store import AnnotationStore
from tests.store.store_child import run_trials


def test_kill_9_never_loses_an_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "annotations" / "store.json"
    report = run_trials(path, trials=30, seed=4)
    assert report.errors == []
    assert (report.lost, report.failed_opens, report.trials) == (0, 0, 30)
    assert report.acknowledged > 30  # the children really wrote between kills
    with AnnotationStore.open(path) as store:
        assert len(store) > 0
