"""Opening a long document sets off no pass of the cyclic garbage collector while its text is read,
scored and put on the screen: its sentences, scores and annotations are hundreds of thousands of objects, none in a cycle,
and each pass over the whole heap they set off cost 20-160 ms of the open (benchmarks/document.py).
The collector is back on once the first screen has painted."""

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
def collections() -> Any:
    counted: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            counted.append(info["generation"])

    gc.callbacks.append(count)
    yield counted
    gc.callbacks.remove(count)


async def test_a_long_document_opens_without_a_collection_and_turns_it_back_on(
    project: Path, collections: list[int]
) -> None:
    (project / "corpus" / "big.txt").write_text(big_document(0.5), encoding="utf-8")
    annotate(project, "big", 2_000)
    assert gc.isenabled()
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        painted = asyncio.Event()
        collections.clear()
        app.open_document("big")
        while not (isinstance(app.screen, DocumentScreen) and app.screen.session is not None):
            await asyncio.sleep(0.001)
        app.screen.query_one(DocumentView).call_after_refresh(painted.set)
        await painted.wait()
        during = list(collections)
        await wait_for_document(app, pilot)
        await pilot.pause()
        assert gc.isenabled(), "the collector was left off"
    # A young collection or two may come while the screen's own widgets mount, before its text is
    # read; reading, scoring and the session set off some eighty before, a 1 MB document full ones.
    assert 2 not in during and len(during) <= 3, f"collections while opening: {during}"


async def test_a_document_closed_while_it_loads_turns_the_collector_back_on(
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
        assert gc.isenabled()


async def test_an_app_closed_while_a_document_loads_turns_the_collector_back_on(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    # A second app in the same process (tests, benchmarks) must not inherit a paused collector.
    (project / "corpus" / "big.txt").write_text(big_document(0.5), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_document("big")
        await pilot.pause(0.05)  # the text being read and scored
        assert isinstance(app.screen, DocumentScreen) and app.screen.session is None
        app.exit()
    assert gc.isenabled()
