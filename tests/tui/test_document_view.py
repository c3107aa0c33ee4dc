"""The document view widget on its own: scrolling, drawing, and the columns text lands in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult

from reader.claims.scores import score_document
from reader.corpus.documents import Corpus
from reader.model.labels import LabelScheme
from reader.session import ReadingSession
from reader.tui.app import ReaderApp
from reader.tui.widgets.document_view import DocumentView

from ..conftest import SHIPPED_CORPUS
from .conftest import wait_for_document
from .test_document import stored

SCHEME = LabelScheme.from_config([{"name": "claim", "key": "1", "color": "#e9a23b"}])


def long_session() -> ReadingSession:
    text = "\n\n".join(doc.text for doc in Corpus.load(SHIPPED_CORPUS)) * 3
    session = ReadingSession(text, score_document(text), [])
    session.move_to_offset(int(len(text) * 0.7))
    return session


class ViewApp(App[None]):
    def __init__(self, session: ReadingSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield DocumentView(self.session, SCHEME)

    def on_mount(self) -> None:
        # Asked before the view has a size or Textual knows its rows overflow.
        self.query_one(DocumentView).scroll_to_cursor()


def marked_rows(view: DocumentView) -> list[str]:
    height = view.scrollable_content_region.height
    return [line for y in range(height) if (line := view.render_line(y).text).startswith("▌")]


async def test_a_scroll_asked_for_before_layout_still_brings_the_cursor_into_view() -> None:
    session = long_session()
    app = ViewApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(DocumentView)
        assert view.scroll_offset.y > 0
        current = session.current
        assert current is not None
        first_words = " ".join(session.text[current.start : current.end].split()[:3])
        assert first_words in " ".join(" ".join(marked_rows(view)).replace("▌", " ").split())


async def test_tabs_keep_the_columns_where_the_text_is(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    text = "Tabs\n\nName:\tBravo charlie.\tDelta\techo foxtrot golf.\n"
    (project / "corpus" / "tabs.txt").write_text(text, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_document("tabs", 0)
        screen = await wait_for_document(app, pilot)
        view = screen.query_one(DocumentView)
        region = view.scrollable_content_region
        # What a terminal shows: a tab character sent to it moves to the next multiple of 8 columns.
        rows = [strip.text.expandtabs(8) for strip in app.screen._compositor.render_strips()]
        # Where the user sees "Delta" and "echo" on the screen, drag across them.
        y = next(i for i, row in enumerate(rows) if "Delta" in row)
        x = rows[y].index("Delta") - region.x
        end = rows[y].index("echo") - region.x + len("echo") - 1
        await pilot.mouse_down(DocumentView, offset=(x, y - region.y))
        await pilot.hover(DocumentView, offset=(end, y - region.y))
        await pilot.mouse_up(DocumentView, offset=(end, y - region.y))
        await pilot.press("1")
        await pilot.pause()
    [annotation] = stored(project)
    assert annotation.quote == "Delta\techo"
    assert text[annotation.start : annotation.end] == "Delta\techo"
