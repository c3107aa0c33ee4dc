"""Opening a document: where it lands, what it shows first, and what it does with a file it cannot read."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from reader.claims.scores import clear_cache
from reader.corpus import documents as corpus
from reader.model.annotation import annotation_from_document
from reader.session import PROGRESSIVE_CHARS
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.document_view import DocumentView

from .conftest import messages, wait_for_document

SIZE = (100, 30)


def screen_lines(app: ReaderApp) -> list[str]:
    """The text of what is painted on the terminal, row by row (as the user sees it)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def write_long_document(project: Path, length: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((project / "corpus").glob("*.txt"))]
    body = "\n\n".join(texts)
    parts = ["A long document"]
    while sum(map(len, parts)) < length:
        parts.append(body)
    text = "\n\n".join(parts) + "\n"
    (project / "corpus" / "long.txt").write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize("length", [60_000, PROGRESSIVE_CHARS + 50_000])
async def test_reopening_lands_on_the_saved_sentence_and_marks_it(
    make_app: Callable[..., ReaderApp], project: Path, length: int
) -> None:
    text = write_long_document(project, length)
    offset = int(len(text) * 0.7)
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.meta["position:long"] = {"offset": offset, "progress": 0.7}
        store.meta["last_session"] = {"doc": "long"}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_document(app, pilot)  # the app resumes the last session
        session = screen.session
        assert session is not None and session.current is not None
        current = session.current
        assert current.start <= offset < current.end + 2
        view = screen.query_one(DocumentView)
        top = view.region.y
        painted = screen_lines(app)[top : top + view.region.height]
        marked = [line for line in painted if line.startswith("▌")]
        assert marked, "no row of the view carries the cursor bar"
        first_words = " ".join(text[current.start : current.end].split()[:3])
        assert first_words in " ".join(" ".join(marked).replace("▌", " ").split())


async def test_opening_an_annotation_from_far_down_shows_it_selected(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    text = write_long_document(project, 60_000)
    start = text.rindex("The Tory MP")
    assert start > len(text) // 2
    end = start + len("The Tory MP, Lee Rowley")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.store is not None
        doc = app.corpus.get("long")
        assert doc is not None
        added = app.store.add(annotation_from_document(doc, start, end, label="claim"))
        app.open_annotation(added.id)
        screen = await wait_for_document(app, pilot)
        assert screen.session is not None and screen.session.selection is not None
        assert (screen.session.selection.start, screen.session.selection.end) == (start, end)
        view = screen.query_one(DocumentView)
        painted = screen_lines(app)[view.region.y : view.region.bottom]
        assert any(line.startswith("▌") and "The Tory MP" in line for line in painted)


async def test_the_document_file_is_read_off_the_ui_thread(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No metadata in corpus.toml: the title and front matter come from the file too.
    text = "---\ntitle: Off the loop\nauthor: A. Writer\n---\nOff the loop\n\nOne sentence. Two.\n"
    (project / "corpus" / "fresh.txt").write_text(text, encoding="utf-8")
    readers: list[str] = []

    def spy(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            readers.append(threading.current_thread().name)
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(corpus, "read_text", spy(corpus.read_text))
    monkeypatch.setattr(corpus, "_read_head", spy(corpus._read_head))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # As listed, before anything has read it (the library reads the rows it shows).
        doc = corpus.Corpus.load(project / "corpus").get("fresh")
        assert doc is not None
        readers.clear()
        app.push_screen(DocumentScreen(doc, 0))
        screen = await wait_for_document(app, pilot)
        header = str(screen.query_one("#doc-header", Static).render())
        assert "Off the loop" in header and "A. Writer" in header
    assert readers and threading.main_thread().name not in readers


async def test_a_documents_annotations_are_parsed_off_the_ui_thread(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store parses a document's annotations when first asked (70 ms for 10,000): the header's
    # notes on the whole document asked first, on the UI thread, when start-up reopened a document.
    from reader.store import state
    from reader.user_state import UserState

    doc = corpus.Corpus.load(project / "corpus").get("rowley-2019-12-holding-north-east-derbyshire")
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many([annotation_from_document(doc, n, n + 40, label="claim") for n in range(9)])
        store.compact()  # into the snapshot, whose documents are parsed when first asked
        UserState(store.meta).save_position(doc.id, 0, 0.0)  # reopened at start-up
    parsers: list[str] = []
    parse = state.parse_chunk

    def spy(*args: Any) -> Any:
        parsers.append(threading.current_thread().name)
        return parse(*args)

    monkeypatch.setattr(state, "parse_chunk", spy)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_document(app, pilot)
    assert parsers and threading.main_thread().name not in parsers


async def test_a_document_that_cannot_be_read_says_why_and_goes_back(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    path = project / "corpus" / "vanishing.txt"
    path.write_text("Here now\n\nGone soon.\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        doc = corpus.Corpus.load(project / "corpus").get("vanishing")
        assert doc is not None
        path.unlink()  # deleted after the library listed it
        app.push_screen(DocumentScreen(doc, 0))
        for _ in range(50):
            await pilot.pause(0.01)
            if isinstance(app.screen, LibraryScreen):
                break
        assert isinstance(app.screen, LibraryScreen)
        said = messages(app)
        assert any(str(path) in m for m in said), said


async def test_escape_while_a_document_opens_goes_back_to_the_library(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Escape pressed right after enter, before the view is there: it asked for the view, and the
    # app stopped on the error.
    import time

    read = DocumentScreen._read

    def slow_read(screen: DocumentScreen) -> Any:
        time.sleep(0.2)
        return read(screen)

    monkeypatch.setattr(DocumentScreen, "_read", slow_read)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_document("rowley-2019-12-holding-north-east-derbyshire")
        await pilot.pause(0.05)
        await pilot.press("escape")
        await pilot.pause(0.4)
        assert isinstance(app.screen, LibraryScreen) and app.is_running


async def test_a_long_document_scored_before_is_shown_whole_at_once(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its first open scores near the cursor first, then the whole text; once the whole text's
    # scores are kept, an open shows them at once, without scoring part of it again.
    write_long_document(project, PROGRESSIVE_CHARS + 50_000)
    from reader.tui.screens import document as screen_module

    parts: list[int] = []
    score = screen_module.score_document
    monkeypatch.setattr(
        screen_module, "score_document", lambda text, *a: parts.append(len(text)) or score(text, *a)
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the library's counts score every document
        clear_cache()
        for visit in (1, 2):
            app.open_document("long")
            screen = await wait_for_document(app, pilot)
            await app.workers.wait_for_complete()
            assert screen.session is not None
            assert len(screen.session.scores.sentences) > 1000  # the whole text's, in the end
            assert len(parts) == 1, f"visit {visit}: parts scored {parts}"
            await pilot.press("escape")
            await pilot.pause()


async def test_a_screen_taken_apart_while_its_document_loads_stops_quietly(
    make_app: Callable[..., ReaderApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual removes a closing screen's widgets before the screen: the load, back from its
    # thread, found itself attached and asked for a widget gone ("No nodes match '#doc-body'"),
    # and the worker's error stopped the app (CI met it; the review saw it on quitting).
    release = threading.Event()
    new_session = DocumentScreen._new_session

    def held(self: DocumentScreen, scores: Any) -> Any:
        release.wait(5)
        return new_session(self, scores)

    monkeypatch.setattr(DocumentScreen, "_new_session", held)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_document("peace-2019-09-winning-back-labours-heartlands")
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, DocumentScreen) and app.screen.query("#doc-body"):
                break
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        await screen.query_one("#doc-body").remove()  # as closing does, before the screen
        release.set()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert screen.session is None and app.is_running
