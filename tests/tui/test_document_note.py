"""A note on the whole document: `A` writes it, the document's header and the library's preview show
it, and search finds it with `note:`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from reader.tui.app import ReaderApp
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.modals import NoteEditor

from .test_document import SIZE, open_peace, stored
from .test_search_screen import open_search, results_for

NOTE = "Thesis: Labour must back Leave to hold the seat"


def shown(app: ReaderApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_capital_a_writes_a_note_on_the_whole_document_shown_and_searchable(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert "whole document" in shown(app)
        await pilot.press(*NOTE, "ctrl+s")
        await pilot.pause()
        assert f"✎ {NOTE}" in shown(app)  # at the top of the document
        # Counted in the status line as the library's Annot. column counts it.
        status = str(app.screen.query_one("#doc-status", Static).render())
        assert "0 annotations · 1 document note" in status, status
        await pilot.press("A")  # the same note opens again to edit
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.original == NOTE
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # to the library, on this document: its note is previewed
        await pilot.pause()
        await app.workers.wait_for_complete()  # the preview reads the annotations in a worker
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        preview = app.screen.query_one("#doc-note", Static)
        assert preview.display and NOTE in shown(app)
        await pilot.press("j")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not preview.display  # the next document has none
        screen = await open_search(pilot)
        results = await results_for(pilot, screen, "note:thesis")
        assert results.option_count == 1
        assert "whole document" in str(results.get_option_at_index(0).prompt)
    [note] = stored(project)
    assert note.start is None and note.end is None and note.note == NOTE
