"""Start-up with the garbage collector resting: `reader PROJECT` sets off no collection from its
entry until the library has painted (Textual's and reader's start-up objects live as long as the app;
the passes over them cost about 20 ms), and the app turns it back on once the library has painted,
or after START_COLLECTOR_SECONDS whatever the first screen is."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from benchmarks._pty import time_in_pty
from reader.cli.entry import run_app
from reader.collector import pause_collector
from reader.config import Config
from reader.errors import ReaderError
from reader.project import Project
from reader.tui.app import START_COLLECTOR_SECONDS, ReaderApp
from reader.tui.screens import document as document_screen
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.modals import ErrorScreen

REPO = Path(__file__).resolve().parents[2]

# The entry point as installed, counting the collections from the moment it runs; the app exits
# right after its first paint (READER_EXIT_AFTER_PAINT).
COUNTING = """
import gc, sys
from reader.cli import main
counted = []
gc.callbacks.append(lambda phase, info: phase == "start" and counted.append(info["generation"]))
sys.argv = ["reader", sys.argv[1]]
try:
    main()
finally:
    gc.disable()  # what follows is this script's, not reader's
    with open(sys.argv[1] + "/collections.txt", "w") as out:
        out.write(repr(counted))
"""


def test_the_app_starts_without_a_collection(project: Path) -> None:
    script = project / "count.py"
    script.write_text(COUNTING, encoding="utf-8")
    env = {"PYTHONPATH": str(REPO), "READER_EXIT_AFTER_PAINT": "1"}
    time_in_pty([sys.executable, str(script), str(project)], env)
    counted = (project / "collections.txt").read_text(encoding="utf-8")
    assert counted == "[]", f"collections during start-up, by generation: {counted}"


async def test_the_collector_is_back_once_the_library_has_painted(project: Path) -> None:
    resume = pause_collector()
    try:
        app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
        app.resume_collector_after_start(resume)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(100):
                await pilot.pause(0.02)
                if isinstance(app.screen, LibraryScreen) and app.screen._painted:
                    break
            # The counting the library starts then pauses the collector for a while of its own.
            await app.workers.wait_for_complete()
            assert gc.isenabled()
    finally:
        resume()


async def test_the_collector_is_back_when_the_first_screen_is_an_error(project: Path) -> None:
    (project / "annotations" / "store.json").write_text("{ not a store", encoding="utf-8")
    resume = pause_collector()
    try:
        app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
        app.resume_collector_after_start(resume)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ErrorScreen) and not gc.isenabled()
            await pilot.pause(START_COLLECTOR_SECONDS + 0.2)
            assert gc.isenabled()
    finally:
        resume()


def test_a_start_that_fails_before_the_app_runs_turns_the_collector_back_on(
    project: Path,
) -> None:
    (project / "corpus" / "corpus.toml").write_text("[[labels]\nbroken", encoding="utf-8")
    with pytest.raises(ReaderError):
        run_app(Project.resolve(project))
    assert gc.isenabled()


async def test_the_collector_rests_while_a_document_opens_and_passes_over_it_after(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full pass over a long document's objects (and over a closed one's garbage) cost 65 ms
    in mid-open with 10,000 annotations, and fell on the reader's first key when it came later:
    the collector rests until a moment after the paint, then the app makes that pass itself."""
    # A longer rest than the app's 0.3 s, so that a slow machine's pauses cannot outlast it.
    rest = 1.0
    monkeypatch.setattr(document_screen, "COLLECT_AFTER_OPEN_SECONDS", rest)
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    # Each collection's generation, and whether the document screen had mounted by then (before
    # that, Textual's own work building the screen may set off any collection).
    collections: list[tuple[int, bool]] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            screen = app.screen
            mounted = isinstance(screen, DocumentScreen) and screen.is_mounted
            collections.append((info["generation"], mounted))

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert gc.isenabled()
        gc.callbacks.append(seen)
        try:
            app.open_document("rowley-2019-12-holding-north-east-derbyshire")
            for _ in range(100):
                await pilot.pause(0.02)
                if isinstance(app.screen, DocumentScreen) and app.screen.session is not None:
                    break
            assert not gc.isenabled()
            assert [generation for generation, mounted in collections if mounted] == []
            await app.workers.wait_for_complete()  # the rest is counted from the load's end
            for _ in range(100):
                await pilot.pause(0.05)
                if (2, True) in collections:
                    break
            assert gc.isenabled() and (2, True) in collections
        finally:
            gc.callbacks.remove(seen)


async def test_a_document_closed_while_it_opens_leaves_the_collector_on(project: Path) -> None:
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.open_document("rowley-2019-12-holding-north-east-derbyshire")
        await pilot.pause(0)
        assert isinstance(app.screen, DocumentScreen) and not gc.isenabled()
        app.pop_screen()
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen) and gc.isenabled()


async def test_a_document_that_cannot_be_read_leaves_the_collector_on(project: Path) -> None:
    # Its screen may not be the one on top by the time the error comes (a dialog opened at once).
    from reader.corpus.documents import Corpus
    from reader.tui.screens.modals import ConfirmScreen

    doc = Corpus.load(project / "corpus").get("rowley-2019-12-holding-north-east-derbyshire")
    assert doc is not None  # listed, not read yet
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        doc.path.unlink()
        app.push_screen(DocumentScreen(doc, 0))
        app.push_screen(ConfirmScreen("Still there?"))
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen) and gc.isenabled()  # the dialog stays
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)  # and then the empty document goes
