"""The side panel on narrow terminals: it shrinks with the width and steps aside before the text gets
too narrow to read, words whole; and the status line under the text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView
from reader.tui.widgets.panel import AnnotationPanel

from .test_document import open_peace, stored


def words_cut(view: DocumentView) -> list[str]:
    """Rows that end inside a word short enough to fit on a row."""
    text = view.display_text
    cut = []
    for start, end in view._rows:
        if 0 < end < len(text) and re.match(r"\w\w", text[end - 1 : end + 1]):
            word = (
                re.search(r"\w+$", text[start:end]).group() + re.match(r"\w+", text[end:]).group()
            )  # type: ignore[union-attr]
            if len(word) <= view.text_width:
                cut.append(word)
    return cut


async def test_narrow_terminal_hides_the_panel_and_keeps_words_whole(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(60, 30)) as pilot:
        screen = await open_peace(app, pilot)
        panel = screen.query_one(AnnotationPanel)
        view = screen.query_one(DocumentView)
        assert not panel.display
        assert view.text_width >= 50 and words_cut(view) == []
        await pilot.press("p")  # the toggle still shows it
        await pilot.pause()
        assert panel.display
        await pilot.press("p", "j", "1")
        await pilot.pause()
        assert not panel.display
    [annotation] = stored(project)
    assert annotation.label == "claim"


async def test_panel_takes_a_share_of_the_width_and_comes_back_when_wide(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_peace(app, pilot)
        panel = screen.query_one(AnnotationPanel)
        view = screen.query_one(DocumentView)
        assert panel.display and panel.outer_size.width < 40  # not a fixed 44 columns
        assert view.text_width >= 40 and words_cut(view) == []
        await pilot.resize_terminal(60, 30)
        await pilot.pause()
        assert not panel.display and words_cut(view) == []
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert panel.display and panel.outer_size.width == 44
        assert view.text_width >= 40 and words_cut(view) == []


async def test_status_counts_one_in_the_singular(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    text = (
        "A short note\n\nLabour must win back these seats, because the party cannot govern "
        "without them.\n\nIt rained on Tuesday.\n"
    )
    (project / "corpus" / "short.txt").write_text(text, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.open_document("short", 0)
        for _ in range(100):
            await pilot.pause(0.02)
            screen = app.screen
            if isinstance(screen, DocumentScreen) and screen.session is not None:
                break
        await pilot.pause()
        assert isinstance(screen, DocumentScreen) and screen.session is not None
        assert len(screen.session.suggestions()) == 1
        await pilot.press("G", "1")  # label the last sentence (not the suggestion)
        await pilot.pause()
        status = str(screen.query_one("#doc-status", Static).render())
        assert "· 1 claim or fact to review ·" in status and "· 1 annotation" in status, status
        assert "annotations" not in status, status
    [annotation] = stored(project)
    assert annotation.quote == "It rained on Tuesday."
