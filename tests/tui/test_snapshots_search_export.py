"""Snapshots of the search screen with results and of the export dialog, at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp

from .test_snapshots import fixed_project, open_document, run, settle  # noqa: F401

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
def test_search_results(
    snap_compare: Callable[..., bool],
    fixed_project: Path,  # noqa: F811 (the fixture, imported above)
    size: tuple[int, int],
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"labour")
        await pilot.pause(0.5)  # the query box searches after a short pause in typing
        await settle(pilot)
        await pilot.press("down", "down")  # into the results (no blinking cursor), onto the second
        await settle(pilot)

    assert run(snap_compare, size, before, fixed_project)


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(
    snap_compare: Callable[..., bool],
    fixed_project: Path,  # noqa: F811 (the fixture, imported above)
    size: tuple[int, int],
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        app = pilot.app
        assert isinstance(app, ReaderApp)
        app.action_export()
        await settle(pilot)

    assert run(snap_compare, size, before, fixed_project)


async def test_hits_are_apart_at_80_columns(fixed_project: Path) -> None:  # noqa: F811
    # The list measured its entries without the scrollbar and drew them with it: an entry that
    # wrapped one more line there lost its blank line to the next.
    app = ReaderApp(Project.resolve(fixed_project), config=Config(annotator="tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"labour")
        await pilot.pause(0.5)
        await settle(pilot)
        lines = [strip.text.strip(" ▊▎│") for strip in app.screen._compositor.render_strips()]
        starts = [i for i, line in enumerate(lines) if line.startswith("Winning back")]
        assert len(starts) >= 3, "\n".join(lines)
        for start in starts[1:]:
            assert lines[start - 1] == "", "\n".join(lines)
