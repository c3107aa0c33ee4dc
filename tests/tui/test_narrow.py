"""At 80×24 every screen keeps what matters on screen: the key bar's help, search, back and quit, and
titles in the library wide enough to read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.tui.app import ReaderApp
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.keybar import KeyBar

from .test_document import open_peace
from .test_search_screen import open_search


def bar_text(app: ReaderApp) -> str:
    bar = app.screen.query_one(KeyBar)
    return str(bar.render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_key_bar_fits_and_keeps_help_search_back_and_quit(
    make_app: Callable[..., ReaderApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        library = bar_text(app)
        assert "? Help" in library and "q Quit" in library
        await open_peace(app, pilot)
        await pilot.pause()
        document = bar_text(app)
        width = app.screen.query_one(KeyBar).content_size.width
        for wanted in ("? Help", "/ Search", "esc Back", "q Quit"):
            assert wanted in document, document
        assert cell_len(document) <= width and "…" not in document
        await open_search(pilot)
        await pilot.pause()
        search = bar_text(app)
        assert "esc Back" in search and cell_len(search) <= width


async def test_library_titles_get_room_at_80_columns(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        shown = dict((c.name, w) for c, w in screen.table.shown_columns())
        assert shown["Title"] >= 24 and "Read" in shown and "Annot." in shown
        assert "Party" not in shown  # left out first
        header = screen.table.header()
        assert "Read" in header and cell_len(header) <= screen.table.content_size.width
