"""Moving through a document: what counts as reading, paging and jumping keys, paragraph moves, and
what `n` says when the suggestions are hidden."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.library import LibraryScreen

from .conftest import PEACE
from .test_library import read_column


def position(project: Path) -> dict[str, float]:
    with AnnotationStore.open(project / "annotations" / "store.json", read_only=True) as store:
        value = store.meta.get(f"position:{PEACE}")
    return value if isinstance(value, dict) else {}


async def open_at(app: ReaderApp, pilot: Pilot[None], offset: int | None = None) -> DocumentScreen:
    await pilot.pause()
    app.open_document(PEACE, offset)
    for _ in range(100):
        await pilot.pause(0.02)
        screen = app.screen
        if isinstance(screen, DocumentScreen) and screen.session is not None:
            await pilot.pause()
            return screen
    raise AssertionError("the document did not open")


async def test_opening_near_the_end_is_not_reading_it(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        doc = app.corpus.get(PEACE)
        assert doc is not None
        near_end = len(doc.text) - 20  # where a search hit near the end opens it
        screen = await open_at(app, pilot, near_end)
        assert screen.session is not None and screen.session.current is not None
        assert screen.session.current.end > len(doc.text) * 0.9
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert read_column(app, doc.title) == ""
        assert position(project).get("furthest", 0.0) == 0.0
        assert position(project)["offset"] == screen.session.current.start  # the place is kept
        await open_at(app, pilot, 0)
        await pilot.press("j", "j", "j")  # reading from the top does count
        await pilot.press("escape")
        await pilot.pause()
        read = read_column(app, doc.title)
        assert read.endswith("%") and 0 < int(read[:-1]) < 50, read
    assert 0 < position(project)["furthest"] < 0.5
