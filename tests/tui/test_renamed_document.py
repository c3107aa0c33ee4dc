"""A document file moved into a folder since it was annotated: the app moves its annotations and
reading position to the new id when it starts, as one undoable step, and says which id became which."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, annotation_from_document
from reader.store.annotation_store import AnnotationStore
from reader.transfer import checking
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.user_state import UserState, position_key
from tests.tui.pty_app import PtyApp

from .conftest import PEACE, messages
from .test_document import SIZE

MOVED = f"2019/{PEACE}"


async def test_a_moved_file_takes_its_annotations_and_position_and_undo_brings_them_back(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    start = doc.text.index("Labour")
    ann = annotation_from_document(doc, start, start + 6, label="claim")
    path = project / "annotations" / "store.json"
    with AnnotationStore.open(path) as store:
        store.add(ann)
        store.meta[position_key(PEACE)] = {"offset": start, "furthest": 0.2}
    (project / "corpus" / "2019").mkdir()
    doc.path.rename(project / "corpus" / "2019" / doc.path.name)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        told = messages(app)
        assert any(
            m.startswith(f"{PEACE} became {MOVED} (the same text): 1 annotation moved to it")
            for m in told
        ), told
        # Its title, author and date were in corpus.toml under the old id: the notice says so.
        assert any(f'rename [documents."{PEACE}"] to [documents."{MOVED}"]' in m for m in told)
        assert app.store is not None
        moved = app.store.get(ann.id)
        assert moved is not None and (moved.doc, moved.start) == (MOVED, start)
        assert app.user_state.position(MOVED) == {"offset": start, "furthest": 0.2}
        assert app.user_state.position(PEACE) == {}
        # Open the document under its new id; u takes the move back.
        app.open_document(MOVED)
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, DocumentScreen) and app.screen.session is not None:
                break
        await pilot.press("u")
        await pilot.pause()
        back = app.store.get(ann.id)
        assert back is not None and back.doc == PEACE
        assert app.user_state.position(PEACE)["offset"] == start
        told = messages(app)
        assert any(f"from {PEACE} to {MOVED}; they stay there" in m for m in told), told
        assert not any(m.startswith("No document") for m in told), told
    # The undo lasts: the next start does not move them again.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.store is not None and app.store.counts().get(PEACE) == 1
        assert not any("became" in m for m in messages(app))


async def test_a_read_only_store_is_told_of_the_rename_and_left_as_it_is(project: Path) -> None:
    from reader.config import Config
    from reader.project import Project

    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    start = doc.text.index("Labour")
    ann = annotation_from_document(doc, start, start + 6)
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(ann)
    (project / "corpus" / "2019").mkdir()
    doc.path.rename(project / "corpus" / "2019" / doc.path.name)
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"), read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        told = messages(app)
        assert any(
            m.startswith(f"{PEACE} became {MOVED} (the same text): 1 annotation not moved")
            for m in told
        ), told
        assert app.store is not None and app.store.get(ann.id).doc == PEACE  # type: ignore[union-attr]


async def test_a_deleted_document_is_looked_for_once_not_on_every_start(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An annotated document deleted, not renamed: finding where it went reads every unannotated
    # text. Once that found nothing, later starts must not read them all again for nothing;
    # a document added since (a new id) is looked at again.
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    start = doc.text.index("Labour")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, start, start + 6, label="claim"))
    text = doc.text
    doc.path.unlink()
    searches: list[str] = []
    real = checking.renamed

    def counted(missing: dict[str, list[Annotation]], *args: Any) -> dict[str, tuple[str, str]]:
        searches.extend(missing)
        return real(missing, *args)

    monkeypatch.setattr(checking, "renamed", counted)
    told = []
    for _ in range(2):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            told.append([m for m in messages(app) if "no longer in the corpus" in m])
    assert searches == [PEACE]
    # Said the first time, with what to do; not again on every start.
    assert len(told[0]) == 1 and told[0][0].startswith("1 annotation on 1 document no longer")
    assert PEACE in told[0][0] and "put the files back" in told[0][0] and told[1] == []
    (project / "corpus" / "back.txt").write_text(text, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert searches == [PEACE, PEACE]
        assert app.store is not None and app.store.counts().get("back") == 1


def test_the_last_document_reopens_without_the_library_drawn_first(
    project: Path, tmp_path: Path
) -> None:
    # Reopening the last document: it is the first screen on the terminal, not the library for a
    # moment (a key typed then went to the library), its annotations relinked before it reads.
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        UserState(store.meta).save_position(PEACE, 0, 0.0)
    app = PtyApp([str(project)], {"READER_CONFIG": str(tmp_path / "none.toml")})
    try:
        app.wait_for("Under the cursor")
        first = app.output
        app.send("\x1b")
        app.wait_for("sorted by")  # the library's line, drawn once the document is left
        app.send("q")
    finally:
        app.close()
    assert b"sorted by" not in first


def test_the_last_document_reopens_at_its_place_without_showing_its_top_first(
    project: Path, tmp_path: Path
) -> None:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    first = "Since being selected as the PPC"
    assert first in doc.text
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        UserState(store.meta).save_position(PEACE, len(doc.text) - 200, 0.9)
    app = PtyApp([str(project)], {"READER_CONFIG": str(tmp_path / "none.toml")})
    try:
        app.wait_for("Under the cursor")
        app.send("q")
    finally:
        app.close()
    assert first.encode() not in app.output  # the text was drawn at its place, never at its top


async def test_a_document_opened_before_start_up_finishes_is_not_replaced(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a terminal, relinking and reopening the last document wait a moment after the first
    # frame (LibraryScreen's FIRST_PAINT_GRACE). A document the user opens meanwhile stays open.
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, 0, 10, label="claim"))
        UserState(store.meta).save_position(PEACE, 0, 0.0)
    (project / "corpus" / "2019").mkdir()
    doc.path.rename(project / "corpus" / "2019" / doc.path.name)  # the last document, renamed
    other = next(d.id for d in Corpus.load(project / "corpus") if d.id != MOVED)
    monkeypatch.setattr(ReaderApp, "is_headless", property(lambda self: False))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_document(other)  # within the grace
        await pilot.pause(0.5)
        assert isinstance(app.screen, DocumentScreen) and app.screen.document.id == other
        assert app.store is not None and app.store.counts().get(MOVED) == 1  # relinked all the same
