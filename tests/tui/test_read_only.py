"""Opening the store read-only: from the error screen of a read-only disk, and with --read-only."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label

from reader.config import Config
from reader.model.annotation import annotation_from_document
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.modals import ErrorScreen

from .conftest import PEACE
from .test_document import SIZE

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT


def add_one(project: Path) -> None:
    from reader.corpus.documents import Corpus

    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, 0, 20, label="claim"))


@pytest.fixture
def read_only_disk(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The annotations folder as on a read-only disk: the system refuses every open for writing."""
    folder = str(project / "annotations")
    real_open = os.open

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & WRITING and os.fspath(path).startswith(folder):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    add_one(project)
    monkeypatch.setattr(os, "open", open_)


async def test_a_read_only_disk_offers_to_open_the_store_read_only(
    project: Path, read_only_disk: None
) -> None:
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ErrorScreen)
        offered = {
            key: active.binding.description
            for key, active in screen.active_bindings.items()
            if active.binding.show and active.enabled
        }
        assert offered == {"r": "Read-only", "q": "Quit"}
        shown = " ".join(str(w.render()) for w in screen.query(Label))
        assert "Press r to open the store read-only, or q to quit" in shown
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.store is not None and app.store.read_only and len(app.store) == 1
        assert app.store_error is None
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_corrupt_store_offers_no_read_only(project: Path) -> None:
    (project / "annotations" / "store.json").write_text('{"annotations": ', encoding="utf-8")
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ErrorScreen)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen  # reading would fail the same way: only quitting is offered


async def test_read_only_opens_a_store_another_reader_holds_without_asking(project: Path) -> None:
    add_one(project)
    with AnnotationStore.open(project / "annotations" / "store.json") as holder:
        app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"), read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
            assert app.store is not None and app.store.read_only and len(app.store) == 1
        assert len(holder) == 1
