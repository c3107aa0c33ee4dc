"""Drive the document screen with real keys and check what reached the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.modals import ConfirmScreen, NoteEditor, TagEditor
from reader.tui.widgets.document_view import DocumentView

from .conftest import PEACE, wait_for_document

SIZE = (120, 40)


async def open_peace(
    app: ReaderApp, pilot: Pilot[None], offset: int | None = None
) -> DocumentScreen:
    """Open the PEACE document (at `offset`, when given); its screen once it has a session."""
    await pilot.pause()
    app.open_document(PEACE, offset)
    for _ in range(100):
        await pilot.pause(0.02)
        screen = app.screen
        if isinstance(screen, DocumentScreen) and screen.session is not None:
            await pilot.pause()
            return screen
    raise AssertionError("the document did not open")


def stored(project: Path) -> list:  # type: ignore[type-arg]
    with AnnotationStore.open(project / "annotations" / "store.json", read_only=True) as store:
        return store.annotations()


async def test_enter_in_library_opens_the_document(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for_document(app, pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.document.id == PEACE  # the first row, sorted by file name
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_n_then_y_accepts_the_suggestion(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None
        open_before = len(session.suggestions())
        await pilot.press("n")
        suggestion = session.suggestion_at_cursor()
        assert suggestion is not None
        await pilot.press("y")
        await pilot.pause()
        assert session.suggestion_at_cursor() is None  # accepted: no longer a suggestion
        assert len(session.suggestions()) == open_before - 1
    [annotation] = stored(project)
    assert (annotation.start, annotation.end) == (suggestion.start, suggestion.end)
    assert annotation.origin == "suggestion"
    assert annotation.label in {"claim", "evidence"}
    assert annotation.author == "tester"


async def test_number_keys_label_the_sentence_and_relabel_it(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("j", "1")
        sentence = screen.session.current  # type: ignore[union-attr]
        await pilot.press("2")
        await pilot.press("9")  # no ninth label in the scheme: nothing happens
        await pilot.pause()
    [annotation] = stored(project)
    assert annotation.label == "premise"
    assert (annotation.start, annotation.end) == (sentence.start, sentence.end)  # type: ignore[union-attr]


async def test_selection_grows_and_shrinks_then_gets_a_label(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None
        await pilot.press("j", "v")
        first = session.selection
        assert first is not None and session.current is not None
        assert (first.start, first.end) == (session.current.start, session.current.end)
        await pilot.press("right_parenthesis")
        grown = session.selection
        assert grown is not None and grown.end > first.end
        await pilot.press("left_parenthesis")
        assert session.selection == first
        await pilot.press("w", "w", "b")
        after_words = session.selection
        assert after_words is not None and after_words.end > first.end
        await pilot.press("3")
        await pilot.pause()
        assert session.selection is None
    [annotation] = stored(project)
    text = (project / "corpus" / f"{PEACE}.txt").read_text(encoding="utf-8")
    assert annotation.label == "evidence"
    assert (annotation.start, annotation.end) == (after_words.start, after_words.end)
    assert annotation.quote == text[after_words.start : after_words.end]
    assert annotation.prefix == text[max(0, after_words.start - 32) : after_words.start]


async def test_escape_cancels_a_selection_before_leaving(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("v", "escape")
        assert screen.session is not None and screen.session.selection is None
        assert app.screen is screen
        await pilot.press("w")  # growing without a selection only explains itself
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    assert stored(project) == []


async def test_note_editor_saves_with_ctrl_s(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Brexit *cost* votes?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
    [annotation] = stored(project)
    assert annotation.note == "Brexit *cost* votes?"
    assert annotation.label is None


async def test_note_editor_escape_asks_before_throwing_text_away(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("a", *"draft")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
    assert stored(project) == []


async def test_tags_are_normalised_and_saved(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("1", "t")
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"Brexit, Economy")
        await pilot.press("enter")
        await pilot.pause()
    [annotation] = stored(project)
    assert annotation.tags == ("brexit", "economy")
    assert annotation.label == "claim"


async def test_delete_undo_redo(make_app: Callable[..., ReaderApp], project: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        store = app.store
        assert store is not None
        await pilot.press("1")
        assert len(store.annotations(PEACE)) == 1
        await pilot.press("d")
        assert store.annotations(PEACE) == []
        await pilot.press("u")
        assert len(store.annotations(PEACE)) == 1
        await pilot.press("ctrl+r")
        assert store.annotations(PEACE) == []
        await pilot.press("u")
        await pilot.pause()
        assert len(screen.session.annotations) == 1  # type: ignore[union-attr]
    assert len(stored(project)) == 1


async def test_dismissed_suggestions_stay_dismissed(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("n")
        dismissed = screen.session.suggestion_at_cursor()  # type: ignore[union-attr]
        assert dismissed is not None
        await pilot.press("x")
        assert screen.session.suggestion_at_cursor() is None  # type: ignore[union-attr]
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_peace(again, pilot)
        keys = {screen.session.suggestion_key(s) for s in screen.session.suggestions()}  # type: ignore[union-attr]
        assert screen.session.suggestion_key(dismissed) not in keys  # type: ignore[union-attr]
    assert stored(project) == []  # dismissing writes no annotation


async def test_annotation_navigation_and_layers(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None
        await pilot.press("j", "1", "j", "j", "j", "2", "k")
        labelled = [a.start for a in session.annotations]
        await pilot.press("left_square_bracket")
        assert session.current is not None and session.current.start == labelled[0]
        await pilot.press("right_square_bracket")
        assert session.current.start == labelled[1]
        assert session.layer == 0
        await pilot.press("h", "h")
        assert session.layer == 2 and "claim" not in session.layers


async def test_session_resumes_at_the_last_document_and_sentence(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("j", "j", "j", "j")
        where = screen.session.current  # type: ignore[union-attr]
        await pilot.press("q")
        await pilot.pause()
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await wait_for_document(again, pilot)
        assert isinstance(again.screen, DocumentScreen)
        assert again.screen.session.current == where  # type: ignore[union-attr]


async def test_document_text_is_inert(tmp_path: Path, make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    evil = "Title\n\nA [bold red]marked[/] line \x1b]52;c;ZXZpbA==\x07 with \x1b[2J escapes.\n"
    doc_path = app.project.corpus_dir / "evil.txt"
    doc_path.write_text(evil, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_document("evil")
        await wait_for_document(app, pilot)
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        shown = "".join(view.render_line(y).text for y in range(6))
        assert "[bold red]marked[/]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "␛]52;c;ZXZpbA==␇" in shown


async def test_mouse_click_moves_the_cursor_and_drag_selects(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None
        view = screen.query_one(DocumentView)
        await pilot.pause()
        # Row 2 of the view is the first line of the second paragraph (row 1 is blank).
        await pilot.click(DocumentView, offset=(10, 2))
        await pilot.pause()
        assert session.current is not None and session.current.ordinal == 1
        start = view.offset_at(4, 2)
        await pilot.mouse_down(DocumentView, offset=(4, 2))
        await pilot.hover(DocumentView, offset=(30, 3))
        await pilot.mouse_up(DocumentView, offset=(30, 3))
        await pilot.pause()
        selection = session.selection
        assert selection is not None and selection.start <= start < selection.end
        assert selection.end > view.offset_at(29, 3) - 1


async def test_tab_focuses_the_panel_and_enter_jumps_to_an_annotation(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None
        await pilot.press("j", "1", "j", "j", "j", "j", "2")
        target = session.annotations[0]
        await pilot.press("tab")
        await pilot.pause()
        assert screen.focused is not None and screen.focused.id == "annotation-list"
        await pilot.press("home", "enter")
        await pilot.pause()
        assert session.current is not None and session.current.start == target.start
        assert isinstance(screen.focused, DocumentView)
        await pilot.press("N")  # previous suggestion from here
        await pilot.press("p")  # hide the panel
        assert not screen.query_one("#panel").display


async def test_tag_editor_completes_tags_already_used() -> None:
    from reader.tui.screens.modals import TagSuggester

    suggester = TagSuggester(["economy", "brexit", "red-wall"])
    assert await suggester.get_suggestion("bre") == "brexit"
    assert await suggester.get_suggestion("economy re") == "economy red-wall"
    assert await suggester.get_suggestion("economy,re") == "economy,red-wall"
    assert await suggester.get_suggestion("zzz") is None
