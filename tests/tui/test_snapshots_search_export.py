"""Snapshots of the search screen with results and of the export dialog, at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

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
