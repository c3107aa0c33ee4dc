"""How the agreement screen looks at 80×24 (pytest-textual-snapshot): three annotators over three
documents of a generated team project (fixed seed, so fixed figures)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from benchmarks.agreement import make_team_project
from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp

FIXED = Path("/tmp/reader-snapshot-agreement")


@pytest.fixture
def team_project() -> Iterator[Path]:
    shutil.rmtree(FIXED, ignore_errors=True)
    make_team_project(FIXED, 3, docs=3, spans=8, seed=2)
    yield FIXED
    shutil.rmtree(FIXED, ignore_errors=True)


async def before(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for key in ("i", "a"):
        await pilot.press(key)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_agreement_screen(snap_compare: Callable[..., bool], team_project: Path) -> None:
    app = ReaderApp(Project.resolve(team_project), config=Config(annotator="tester"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=before)
