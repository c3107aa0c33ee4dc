"""Moving through a document: what counts as reading, paging and jumping keys, paragraph moves, and
what `n` says when the suggestions are hidden."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.document_view import DocumentView

from .conftest import PEACE
from .test_document import SIZE, open_peace, stored
from .test_document_undo import said
from .test_library import read_column


def position(project: Path) -> dict[str, float]:
    with AnnotationStore.open(project / "annotations" / "store.json", read_only=True) as store:
        value = store.meta.get(f"position:{PEACE}")
    return value if isinstance(value, dict) else {}


async def test_opening_near_the_end_is_not_reading_it(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        doc = app.corpus.get(PEACE)
        assert doc is not None
        near_end = len(doc.text) - 20  # where a search hit near the end opens it
        screen = await open_peace(app, pilot, near_end)
        assert screen.session is not None and screen.session.current is not None
        assert screen.session.current.end > len(doc.text) * 0.9
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert read_column(app, doc.title) == ""
        assert position(project).get("furthest", 0.0) == 0.0
        assert position(project)["offset"] == screen.session.current.start  # the place is kept
        await open_peace(app, pilot, 0)
        await pilot.press("j", "j", "j")  # reading from the top does count
        await pilot.press("escape")
        await pilot.pause()
        read = read_column(app, doc.title)
        assert read.endswith("%") and 0 < int(read[:-1]) < 50, read
    assert 0 < position(project)["furthest"] < 0.5


async def test_page_keys_move_the_cursor_a_screenful(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_peace(app, pilot, 0)
        session = screen.session
        assert session is not None
        view = screen.query_one(DocumentView)
        await pilot.press("down")  # arrows move the cursor too, not only the view
        assert session.cursor == 1
        top, height = round(view.scroll_offset.y), view.scrollable_content_region.height
        next_screen = view._rows[top + height][0]  # the first row not on screen yet
        await pilot.press("pagedown")
        await pilot.pause()
        sentence = session.current
        # The sentence at the top of the next screenful (the first after it if that row is blank).
        assert sentence is not None and sentence.end > next_screen
        assert session.sentences[session.cursor - 1].end <= next_screen
        new_top = round(view.scroll_offset.y)
        assert new_top < view.row_of(sentence.start) < new_top + height  # in view, near the top
        paged = session.cursor
        await pilot.press("j")  # goes on from there, no jump back
        assert session.cursor == paged + 1
        await pilot.press("pageup", "pageup")
        assert session.cursor == 0 and round(view.scroll_offset.y) == 0
        await pilot.press("end")
        assert session.cursor == len(session.sentences) - 1
        await pilot.press("home")
        assert session.cursor == 0
        await pilot.press("G")
        last = session.current
        assert session.cursor == len(session.sentences) - 1
        await pilot.press("g", "G")
        await pilot.press("escape")
        await pilot.pause()
    assert last is not None and position(project)["offset"] == last.start
    assert position(project)["furthest"] < 0.5  # jumping to the end is not reading it


async def test_braces_move_by_paragraph_unless_selecting(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot, 0)
        session = screen.session
        assert session is not None
        paragraphs = session.segmentation.paragraphs
        said(app)
        await pilot.press("right_curly_bracket")
        assert session.cursor == paragraphs[1].first_sentence
        await pilot.press("right_curly_bracket")
        assert session.cursor == paragraphs[2].first_sentence
        await pilot.press("j", "left_curly_bracket")  # back to the start of this paragraph
        assert session.cursor == paragraphs[2].first_sentence
        await pilot.press("left_curly_bracket")
        assert session.cursor == paragraphs[1].first_sentence
        assert not any("selection first" in m for m in said(app))
        await pilot.press("v")
        status = str(screen.query_one("#doc-status", Static).render())
        assert "}/{ paragraph" in status, status  # the hint names the keys, not their ids
        await pilot.press("right_curly_bracket")  # while selecting: grow by a paragraph
        selection = session.selection
        assert (
            selection is not None
            and selection.start == session.sentences[paragraphs[1].first_sentence].start
        )
        assert selection.end == paragraphs[1].end  # to the end of its paragraph
        await pilot.press("3")
        await pilot.pause()
    [annotation] = stored(project)
    assert (annotation.start, annotation.end) == (selection.start, selection.end)


async def test_help_lists_the_paging_and_paragraph_keys(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await open_peace(app, pilot, 0)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        entries = dict(
            (description, keys)
            for group in app.screen.groups.values()
            for keys, description in group
        )
    assert entries["Next screenful"] == "pgdn"
    assert entries["Previous screenful"] == "pgup"
    assert entries["First sentence"] == "g home"
    assert entries["Last sentence"] == "G end"
    assert entries["Next paragraph; grows a selection"] == "}"
    assert entries["Previous paragraph; shrinks a selection"] == "{"


async def test_n_says_when_the_suggestions_are_hidden(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"document.layers": "L"})
        screen = await open_peace(app, pilot, 0)
        session = screen.session
        assert session is not None and session.suggestions()
        await pilot.press("L", "L", "L")  # annotations only
        said(app)
        await pilot.press("n")
        [message] = said(app)
        assert session.cursor == 0
        assert "hidden" in message and "annotations only" in message and "L cycles" in message
        assert "No open suggestion" not in message
        await pilot.press("L", "L", "n")  # all highlights again: n moves
        assert session.cursor > 0 and session.suggestion_at_cursor() is not None
        await pilot.press("a", *"seen", "ctrl+s")
        await pilot.pause()
    [annotation] = stored(project)
    assert annotation.start == session.current.start  # type: ignore[union-attr]


async def test_n_names_the_hidden_kind_when_only_one_layer_is_shown(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot, 0)
        session = screen.session
        assert session is not None
        last_fact = [s for s in session.suggestions() if "factual" in s.labels][-1]
        assert any(s.start > last_fact.start and "claim" in s.labels for s in session.suggestions())
        session.move_to_offset(last_fact.start)
        await pilot.press("h", "h")  # facts only
        said(app)
        await pilot.press("n")
        assert session.current is not None and session.current.start == last_fact.start
        assert said(app) == [
            "No suggested fact after the cursor; the suggested claims are hidden "
            "(showing facts); h cycles the highlights."
        ]
