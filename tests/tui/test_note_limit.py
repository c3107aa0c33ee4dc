"""A note over the limit every import enforces is refused in the app too, and the text is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import TextArea

from reader.model.annotation import MAX_NOTE_CHARS
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.modals import NoteEditor

from .conftest import messages
from .test_document import SIZE, open_peace, stored


async def test_a_note_over_the_limit_is_refused_and_kept_in_the_editor(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    long_note = "word " * (MAX_NOTE_CHARS // 5) + "!"
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).load_text(long_note)  # a paste too big to type
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == long_note
        assert any("1,000,001 characters" in m and "1,000,000" in m for m in messages(app))
        area = app.screen.query_one(TextArea)
        area.load_text(long_note[:-1])  # shortened to the limit: saved
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
    [annotation] = stored(project)
    assert annotation.note == long_note[:-1]
