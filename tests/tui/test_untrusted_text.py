"""What each widget draws from untrusted text: control characters as placeholders, notes of any length
as a bounded preview; the note itself is kept exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from reader.config import Config
from reader.model.annotation import annotation_from_document
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.safe_editor import SafeTextArea
from reader.tui.screens.modals import LONG_NOTE, NoteEditor, TagEditor

from .conftest import PEACE, wait_for_document
from .test_document import SIZE, stored
from .test_terminal_injection import DOC_ID, hostile, hostile_project, shown

ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def drawn(widget: Widget) -> str:
    """The text `widget` draws, line by line."""
    width, height = widget.outer_size
    strips = widget.render_lines(Region(0, 0, width, height))
    return "\n".join(strip.text for strip in strips)


def screen_text(screen: Screen[object]) -> str:
    """Everything the screen's visible widgets draw."""
    return "\n".join(drawn(w) for w in screen.query("*") if w.display and w.size.area)


async def open_hostile(app: ReaderApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    app.open_document(DOC_ID)
    await wait_for_document(app, pilot)
    await pilot.press("]")  # onto the annotation
    await pilot.pause()


def make(root: Path) -> ReaderApp:
    return ReaderApp(Project.resolve(root), config=Config(annotator="tester"))


async def test_panel_tag_dialog_and_note_editor_draw_placeholders(tmp_path: Path) -> None:
    root = hostile_project(tmp_path / "project")
    app = make(root)
    async with app.run_test(size=SIZE) as pilot:
        await open_hostile(app, pilot)
        panel = screen_text(app.screen)
        assert not ACTIVE.search(panel), ACTIVE.findall(panel)
        for field in ("label", "tag", "note", "annotator", "title"):
            assert shown(field) in panel, field
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        dialog = screen_text(app.screen)
        assert not ACTIVE.search(dialog), ACTIVE.findall(dialog)
        assert f"Used so far: {shown('tag')}" in dialog
        # The box too (Rich drops a bell from an input's text before it can be shown).
        assert "␛]0;pwned-tag␛]52;c;sgvsbg8=" in drawn(app.screen.query_one(Input))
        assert (
            app.screen.query_one(Input).value == hostile("tag").lower() + " "
        )  # kept; a space to type after
        await pilot.press("escape")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        editor = screen_text(app.screen)
        assert not ACTIVE.search(editor), ACTIVE.findall(editor)
        assert shown("note") in editor
        # Typed text and the note's own characters are saved as they are.
        await pilot.press("end", *" seen", "ctrl+s")
        await pilot.pause()
    [annotation] = stored(root)
    assert annotation.note == hostile("note") + "\nsecond line of the note seen"


async def test_a_pasted_escape_sequence_shows_as_placeholders_and_is_kept(tmp_path: Path) -> None:
    root = hostile_project(tmp_path / "project")
    app = make(root)
    async with app.run_test(size=SIZE) as pilot:
        await open_hostile(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        area = app.screen.query_one(SafeTextArea)
        area.insert("\x1b]0;pasted\x07")
        await pilot.pause()
        assert "␛]0;pasted␇" in drawn(area)
        assert "\x1b]0;pasted\x07" in area.text


def long_note_project(project: Path, note: str) -> None:
    from reader.corpus.documents import Corpus

    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    annotation = annotation_from_document(doc, 0, 20, label="claim", note=note, author="t")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation)


LONG = "A line of a note imported by mistake, many times over.\n" * 10_000  # 550,000 characters


async def test_a_long_note_shows_its_start_in_the_panel(project: Path) -> None:
    long_note_project(project, LONG)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_document(PEACE, 0)
        await wait_for_document(app, pilot)
        await pilot.press("]")
        await pilot.pause()
        # Its start, as much as the box has room for, and the key that opens the rest.
        under = str(app.screen.query_one("#under-cursor", Static).render())
        assert "A line of a note imported" in under
        assert f"{len(LONG):,} characters in all: a opens it" in under
        assert under.count("A line of a note") <= 12
        listed = app.screen.query_one(OptionList).get_option_at_index(0).prompt
        assert len(str(listed)) < 200


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_a_long_note_opens_as_a_preview_then_in_the_editor_on_request(
    project: Path, size: tuple[int, int]
) -> None:
    long_note_project(project, LONG)
    assert len(LONG) > LONG_NOTE
    app = make(project)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_document(PEACE, 0)
        await wait_for_document(app, pilot)
        await pilot.press("]", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert not editor.query(SafeTextArea)
        text = screen_text(editor)
        assert "A line of a note imported" in text and "550,000 characters" in text
        # Whole at 80 columns too (a Label cut it at the dialog's edge).
        hint = editor.query_one(".hint").region
        rows = app.screen._compositor.render_strips()[hint.y : hint.bottom]
        shown = " ".join(" ".join(row.text[hint.x : hint.right].split()) for row in rows)
        assert "without holding up the screen." in shown and "ctrl+e edit anyway" in shown
        await pilot.press("x", "ctrl+s")  # nothing to type into; saving changes nothing
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        await pilot.press("a", "ctrl+e")
        await pilot.pause()
        area = app.screen.query_one(SafeTextArea)
        assert area.text == LONG and area.has_focus
        await pilot.press("!", "ctrl+s")
        await pilot.pause()
    [annotation] = stored(project)
    assert annotation.note == LONG + "!"


async def test_the_long_note_benchmark_moves_onto_the_note_and_opens_it(tmp_path: Path) -> None:
    from benchmarks.long_note import long_note, make_project, onto_and_open

    note = long_note(0.06)
    assert len(note) > LONG_NOTE
    onto, opened = await onto_and_open(make_project(tmp_path / "bench", note))
    assert onto > 0 and opened > 0
