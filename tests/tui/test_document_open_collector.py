"""Opening a long document: while its text is read, scored and put on the screen, the garbage
collector leaves the app's own objects alone (gc.freeze), so the full passes the document's hundreds
of thousands of new objects set off go over those only, not over the whole app again (they cost
20-160 ms of opening a 1 MB document with 10,000 annotations; benchmarks/document.py). Afterwards
nothing stays frozen, also when the screen or the app closes first."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.document import annotate, big_document
from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView

from .conftest import wait_for_document


@pytest.fixture
def frozen_at_collections() -> Any:
    """How many objects were frozen at the start of each collection."""
    seen: list[int] = []

    def look(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(gc.get_freeze_count())

    gc.callbacks.append(look)
    yield seen
    gc.callbacks.remove(look)


async def test_a_long_document_opens_without_passing_over_the_app_again(
    project: Path, frozen_at_collections: list[int]
) -> None:
    (project / "corpus" / "big.txt").write_text(big_document(1.0), encoding="utf-8")
    annotate(project, "big", 10_000)
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        painted = asyncio.Event()
        before = len(gc.get_objects())
        frozen_at_collections.clear()
        app.open_document("big")
        while not (isinstance(app.screen, DocumentScreen) and app.screen.session is not None):
            await asyncio.sleep(0.001)
        app.screen.query_one(DocumentView).call_after_refresh(painted.set)
        await painted.wait()
        during = list(frozen_at_collections)
        await wait_for_document(app, pilot)
        await pilot.pause()
        assert gc.get_freeze_count() == 0, "objects were left frozen"
        assert gc.isenabled()
    # Young objects are collected as ever (nothing piles up for one long collection later),
    # and those collections found the app's objects, all that existed before, frozen.
    assert during, "no collection while opening: the young objects pile up"
    assert max(during) >= before * 0.9, (before, during)


async def test_a_document_closed_while_it_loads_leaves_nothing_frozen(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    (project / "corpus" / "big.txt").write_text(big_document(0.5), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_document("big")
        await pilot.pause()
        await pilot.press("escape")  # back to the library before the text is scored
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert gc.get_freeze_count() == 0


async def test_an_app_closed_while_a_document_loads_leaves_nothing_frozen(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    # A second app in the same process (tests, benchmarks) must not inherit a frozen heap.
    (project / "corpus" / "big.txt").write_text(big_document(0.5), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_document("big")
        await pilot.pause(0.05)  # the text being read and scored
        assert isinstance(app.screen, DocumentScreen) and app.screen.session is None
        assert gc.get_freeze_count() > 0
        app.exit()
    assert gc.get_freeze_count() == 0
