"""A note being typed survives a closed terminal or a crash: the editor keeps its text in the store
every few seconds until it is saved or thrown away, and the next edit of that note restores it and
says so. Saving or throwing it away leaves nothing to restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import TextArea

from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens import modals
from reader.tui.screens.modals import ConfirmScreen, NoteEditor
from reader.user_state import NOTE_DRAFT
from tests.tui.pty_app import PtyApp

from .test_document import open_peace

DRAFT = "Draft typed before the terminal closed"


def drafts(store_path: Path) -> dict[str, object]:
    """The drafts the store holds, by key."""
    if not store_path.exists():
        return {}
    with AnnotationStore.open(store_path, read_only=True) as store:
        return {k: v for k, v in store.meta.items() if k.startswith(NOTE_DRAFT)}


def test_a_note_typed_when_the_app_is_killed_comes_back_in_the_editor(
    project: Path, tmp_path: Path
) -> None:
    store_path = project / "annotations" / "store.json"
    env = {"READER_CONFIG": str(tmp_path / "none.toml")}
    app = PtyApp([str(project)], env)
    try:
        app.open_first_document(moves=1)
        app.send("a")
        app.wait_for("ctrl+s")
        app.send(DRAFT)
        app.kill_once(lambda: bool(drafts(store_path)))  # a closed terminal: no chance to save
    finally:
        app.close()
    assert [d["text"] for d in drafts(store_path).values()] == [DRAFT]  # type: ignore[index]
    again = PtyApp([str(project)], env)
    try:
        again.wait_for("sentence 2/")  # the last document reopens where the reader was
        again.wait_for("note you")  # "1 note you had not saved waits in this document"
        again.send("a")
        again.wait_for("Restored, unsaved")
        assert DRAFT.encode() in again.output
        again.send("\x13")  # ctrl+s
        again.wait_for("Note saved")
        again.send("q")
    finally:
        again.close()
    with AnnotationStore.open(store_path, read_only=True) as store:
        assert [a.note for a in store.annotations()] == [DRAFT]
    assert drafts(store_path) == {}  # saved: nothing left to restore


@pytest.fixture
def quick_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modals, "DRAFT_SAVE_SECONDS", 0.05)


async def type_a_draft(app: ReaderApp, pilot: object) -> NoteEditor:
    await open_peace(app, pilot)  # type: ignore[arg-type]
    await pilot.press("a")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    editor = app.screen
    assert isinstance(editor, NoteEditor)
    editor.query_one(TextArea).insert("Half a thought")
    await pilot.pause(0.2)  # type: ignore[attr-defined]
    return editor


@pytest.mark.usefixtures("quick_drafts")
async def test_a_draft_thrown_away_is_not_restored(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    store_path = project / "annotations" / "store.json"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_a_draft(app, pilot)
        assert [d["text"] for d in drafts_of(app).values()] == ["Half a thought"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert drafts_of(app) == {}
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and app.screen.restored is None
        assert app.screen.query_one(TextArea).text == ""
    assert drafts(store_path) == {}


@pytest.mark.usefixtures("quick_drafts")
async def test_a_draft_thrown_away_is_not_kept_again_before_the_editor_has_gone(
    make_app: Callable[..., ReaderApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The keeping timer ticked between the throwing away and the editor's going (CI met it).
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_a_draft(app, pilot)
        monkeypatch.setattr(NoteEditor, "dismiss", lambda self, result=None: None)  # stays
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause(0.3)  # six ticks of the timer, as set here
        assert isinstance(app.screen, NoteEditor) and drafts_of(app) == {}


@pytest.mark.usefixtures("quick_drafts")
async def test_a_saved_note_leaves_no_draft(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_a_draft(app, pilot)
        assert drafts_of(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor) and drafts_of(app) == {}
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and app.screen.restored is None
        assert app.screen.query_one(TextArea).text == "Half a thought"


def drafts_of(app: ReaderApp) -> dict[str, object]:
    assert app.store is not None
    return {k: v for k, v in app.store.meta.items() if k.startswith(NOTE_DRAFT)}
