"""A document edited since it was annotated: opening it re-anchors its annotations as one undoable
step with one notification; approximate placements are confirmed with `c`; orphans are never drawn,
are listed by `o`, and are re-attached (`r` there, a selection, then `R`) or deleted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Static

from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, annotation_from_document
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.orphans import OrphansScreen

from .conftest import PEACE, messages
from .test_document import SIZE, open_peace


def annotate_then_edit(project: Path) -> tuple[str, list[Annotation]]:
    """Three annotations on the op-ed, then the file edited: a line added at the top, one quote's
    sentence cut, another's word misspelt. Returns the new text and the annotations."""
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    text = doc.text
    sentences = [s for s in text.split(". ") if len(s) > 60][3:6]
    anns = []
    for sentence in sentences:
        start = text.index(sentence)
        anns.append(annotation_from_document(doc, start, start + len(sentence), label="claim"))
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(anns)
    _moved, gone, typo = sentences
    word = max(typo.split(), key=len)
    edited = "Updated: a line added.\n" + text.replace(gone + ". ", "").replace(
        typo, typo.replace(word, word[:-1] + "x" + word[-1], 1)
    )
    doc.path.write_text(edited, encoding="utf-8")
    return edited, anns


async def test_opening_a_changed_document_re_anchors_as_one_undoable_step(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    edited, (moved, gone, typo) = annotate_then_edit(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None and app.store is not None
        told = messages(app)
        assert any(
            m.startswith("file changed since you annotated it: 1 moved, 1 approximate, 1 orphaned")
            and "u to undo" in m
            for m in told
        ), told
        drawn = {ann.id: ann for ann in session.annotations}
        assert gone.id not in drawn  # never drawn
        for ann in drawn.values():
            assert ann.start is not None and edited[ann.start : ann.end] == ann.quote
        assert drawn[typo.id].needs_review and drawn[typo.id].old_quote == typo.quote
        # The approximate one is marked in the panel until `c` confirms it.
        session.move_to_offset(drawn[typo.id].start or 0)
        screen.refresh_all()
        await pilot.pause()
        panel = str(screen.query_one("#under-cursor", Static).render())
        assert "placed approximately" in panel and "C confirms it" in panel
        await pilot.press("C")
        await pilot.pause()
        assert not app.store.get(typo.id).needs_review  # type: ignore[union-attr]
        # One undo for the confirmation, one for the whole re-anchoring.
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert {a.id: a for a in app.store.annotations(PEACE)} == {
            a.id: a for a in (moved, gone, typo)
        }
        assert "re-anchoring 3 annotations to the changed text" in messages(app)[-1]
        # Back at offsets made on the old text: none of them is drawn where its quote is not.
        for ann in session.annotations:
            assert ann.start is not None and edited[ann.start : ann.end] == ann.quote, ann.quote


async def test_orphans_view_re_attaches_to_a_selection_and_deletes(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    edited, (_moved, gone, _typo) = annotate_then_edit(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None and app.store is not None
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OrphansScreen)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("r")
        await pilot.pause()
        assert any("Select the new span for" in m for m in messages(app))
        await pilot.press("v", "R")
        await pilot.pause()
        back = app.store.get(gone.id)
        assert back is not None and not back.orphaned and back.start is not None
        assert edited[back.start : back.end] == back.quote
        assert (back.label, back.note) == (gone.label, gone.note)
        assert gone.id in {a.id for a in session.annotations}
        # Undo makes it an orphan again; the view deletes it.
        await pilot.press("u")
        await pilot.pause()
        assert app.store.get(gone.id).orphaned  # type: ignore[union-attr]
        # Named by the text it had, not by the sentence it was put on.
        said = messages(app)[-1]
        assert said.startswith("Undone: re-attached") and gone.quote[:20] in said, said
        assert gone.id not in {a.id for a in session.annotations}
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert app.store.get(gone.id) is None
        assert not isinstance(app.screen, OrphansScreen)  # the last one: the view closed


async def test_an_unchanged_document_is_not_re_anchored(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    ann = annotation_from_document(doc, 0, 10, label="claim")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(ann)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        assert not any("file changed" in m for m in messages(app))
        assert app.store is not None and app.store.get(ann.id) == ann


async def test_the_library_counts_orphans_per_document(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    from reader.tui.screens.library import LibraryScreen

    annotate_then_edit(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        peace = next(doc for doc in screen.table.rows if doc.id == PEACE)
        assert screen._notes_text(peace) == "3⊘1"
        rows = [screen.table.render_line(y).text for y in range(len(screen.table.rows))]
        assert any("3⊘1" in row for row in rows)


async def test_dismissed_suggestions_follow_the_text_when_it_changed(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    from reader.user_state import dismissed_key, dismissed_value

    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    text = doc.text
    start = text.index("We have to win here")
    ann = annotation_from_document(doc, start, start + 19, label="claim")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(ann)
        store.set_meta(dismissed_key(PEACE), dismissed_value(doc.sha256, {f"{start}-{start + 30}"}))
    doc.path.write_text("A standfirst.\n" + text, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        assert screen.session is not None
        moved = start + len("A standfirst.\n")
        assert screen.session.dismissed == {f"{moved}-{moved + 30}"}


async def test_a_read_only_store_shows_the_re_anchored_spans_and_writes_nothing(
    project: Path,
) -> None:
    from reader.config import Config
    from reader.project import Project

    edited, anns = annotate_then_edit(project)
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"), read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        assert screen.session is not None and app.store is not None
        assert any("shown only: the store is read-only" in m for m in messages(app))
        drawn = screen.session.annotations
        assert len(drawn) == 2  # the orphan is not drawn
        for ann in drawn:
            assert ann.start is not None and edited[ann.start : ann.end] == ann.quote
        assert app.store.annotations(PEACE) == sorted(anns, key=lambda a: a.sort_key)


async def test_an_annotation_opened_at_its_old_span_is_selected_where_it_is_now(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    edited, (moved, _gone, _typo) = annotate_then_edit(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_annotation(moved.id)  # as the palette or the argument map does
        for _ in range(100):
            await pilot.pause(0.02)
            screen = app.screen
            if getattr(screen, "session", None) is not None:
                break
        session = app.screen.session  # type: ignore[attr-defined]
        assert session is not None and session.selection is not None
        start = edited.index(moved.quote)
        assert (session.selection.start, session.selection.end) == (start, start + len(moved.quote))
