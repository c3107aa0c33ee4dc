"""Editors keep what they edit in sight: the tag box and the note editor dock at the bottom, name the
annotation (label and quote), and the document scrolls the annotated text above them, the last
sentence of a document too. Notifications sit over the side panel, never over the text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Static
from textual.widgets._toast import Toast

from reader.tui.app import ReaderApp
from reader.tui.screens.modals import NoteEditor, TagEditor
from reader.tui.widgets.document_view import DocumentView

from .test_document import open_peace

LAST = "SUBSCRIBE TO OUR DAILY EMAIL"
MIDDLE = "Many Leave voters are also Labour supporters"


def screen_lines(app: ReaderApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def row_of(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines) if text in line)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize(("key", "editor"), [("t", TagEditor), ("a", NoteEditor)])
@pytest.mark.parametrize("where", [LAST, MIDDLE])
async def test_the_annotated_text_stays_above_the_editor(
    make_app: Callable[..., ReaderApp],
    size: tuple[int, int],
    key: str,
    editor: type,
    where: str,
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_peace(app, pilot)
        assert screen.session is not None
        offset = screen.session.text.index(where)
        await pilot.press("G" if where == LAST else "g")
        while screen.session.current is not None and screen.session.current.end <= offset:
            await pilot.press("j")
        await pilot.press("1", key)
        await pilot.pause()
        assert isinstance(app.screen, editor)
        title = str(app.screen.query_one(".title", Static).render())
        assert " claim " in title and f"“{where[:12]}" in title, title
        lines = screen_lines(app)
        dialog_top = row_of(lines, "╭")
        first_words = " ".join(where.split()[:2])
        assert row_of(lines, first_words) < dialog_top, "\n".join(lines)
        await pilot.press("escape")
        await pilot.pause()
        view = screen.query_one(DocumentView)
        assert view.virtual_size.height == len(view._rows)  # no blank rows left past the end


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_notifications_sit_over_the_panel_not_the_text(
    make_app: Callable[..., ReaderApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("G", "1")
        await pilot.pause(0.2)
        toasts = list(app.screen.query(Toast))
        assert toasts
        text_right = screen.query_one(DocumentView).region.right
        for toast in toasts:
            assert toast.region.x >= text_right - 1, (toast.region, text_right)
