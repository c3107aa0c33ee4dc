"""How the adjudication screen looks at 80×24 and 120×40 (pytest-textual-snapshot): a disagreement with
tags and a note, one just decided, and the message when there is nothing to adjudicate."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.project import Project
from reader.tui.adjudicate_app import AdjudicationApp

from ..conftest import SHIPPED_CORPUS
from .adjudication_data import write_team_store

SIZES = [(80, 24), (120, 40)]


def fresh(root: Path, team: bool) -> Path:
    # The screen shows no path, so each test has its own folder: no fixed one to share.
    shutil.copytree(SHIPPED_CORPUS, root / "corpus")
    (root / "annotations").mkdir()
    if team:
        write_team_store(root)
    return root


def before(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()

    return run


def app(project: Path) -> AdjudicationApp:
    return AdjudicationApp(Project.resolve(project), config=Config(annotator="tester"))


@pytest.mark.parametrize("size", SIZES)
def test_adjudication_labels_differ(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app(fresh(tmp_path, True)), terminal_size=size, run_before=before())


@pytest.mark.parametrize("size", SIZES)
def test_adjudication_just_decided(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app(fresh(tmp_path, True)), terminal_size=size, run_before=before("1", "k"))


def test_adjudication_nothing_to_do(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    assert snap_compare(app(fresh(tmp_path, False)), terminal_size=SIZES[0], run_before=before())
