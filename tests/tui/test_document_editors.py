"""The note and tag editors never lose typed text: not on quit, not when the store refuses a save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, TextArea

from reader.errors import StoreError
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.modals import ConfirmScreen, NoteEditor, TagEditor

from .conftest import messages
from .test_document import SIZE, open_peace, stored


async def test_ctrl_q_in_the_note_editor_asks_before_throwing_the_note_away(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("a", *"draft")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.return_code is None  # still running
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "draft"
        await pilot.press(*" kept", "ctrl+s")  # and save after all
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("a", *" more", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # quit without the second edit
        await pilot.pause()
    assert app.return_code == 0
    [annotation] = stored(project)
    assert annotation.note == "draft kept"


async def test_ctrl_q_in_an_unchanged_note_editor_just_quits(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert stored(project) == []


def refuse_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: AnnotationStore, *args: Any, **kwargs: Any) -> Any:
        raise StoreError(f"{self.path}: no space left on device; free some space and save again")

    monkeypatch.setattr(AnnotationStore, "add", fail)
    monkeypatch.setattr(AnnotationStore, "update", fail)


async def test_a_failed_note_save_keeps_the_editor_open_with_the_text(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("a", *"an important thought")
        with monkeypatch.context() as patch:
            refuse_writes(patch)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, NoteEditor)
            assert app.screen.query_one(TextArea).text == "an important thought"
            assert any("no space left" in m for m in messages(app))
        await pilot.press("ctrl+s")  # the disk has room again
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
    [annotation] = stored(project)
    assert annotation.note == "an important thought"


async def test_a_failed_tag_save_keeps_the_editor_open_with_the_tags(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("t", *"economy brexit")
        with monkeypatch.context() as patch:
            refuse_writes(patch)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TagEditor)
            assert app.screen.query_one(Input).value == "economy brexit"
            assert any("no space left" in m for m in messages(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
    [annotation] = stored(project)
    assert annotation.tags == ("economy", "brexit")  # as typed


async def test_a_note_typed_in_one_burst_before_ctrl_s_is_saved_whole(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    # A terminal delivers a fast typist's keys (or a paste) and ctrl+s in one read: all of them are
    # queued before any is handled, and the text must be saved before the editor closes.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "1", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        for char in "burst":
            app.post_message(events.Key(char, char))
        app.post_message(events.Key("ctrl+s", None))
        await pilot.pause(0.2)
        assert not isinstance(app.screen, NoteEditor)
    [annotation] = stored(project)
    assert annotation.note == "burst"


async def test_a_note_on_a_suggestion_keeps_it_offered_and_accepting_labels_the_noted_one(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None
        await pilot.press("n")
        suggestion = session.suggestion_at_cursor()
        assert suggestion is not None
        await pilot.press("a", *"check this", "ctrl+s")
        await pilot.pause()
        assert session.suggestion_at_cursor() == suggestion  # still offered
        await pilot.press("y")
        await pilot.pause()
        assert session.suggestion_at_cursor() is None
    [made] = stored(project)
    assert made.note == "check this" and made.origin == "suggestion"
    assert made.label in {"claim", "evidence"}
    assert (made.start, made.end) == (suggestion.start, suggestion.end)
