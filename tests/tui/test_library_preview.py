"""The library's preview follows the cursor: title, summary, label bars, suggestions left, progress
and the last note of the document under it; text from documents and notes stays plain."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, annotation_from_document
from reader.project import Project
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.widgets.doc_preview import DocPreview
from reader.user_state import position_key

from ..test_stats import PEACE, ROWLEY, make_annotations
from .conftest import fixed_copy

FIXED = Path("/tmp/reader-snapshot-preview")
HOSTILE_NOTE = "[bold]loud[/] \x1b[31mred"


def annotate(root: Path) -> None:
    corpus = Corpus.load(root / "corpus")
    anns: list[Annotation] = [
        annotation_from_document(
            corpus.get(a.doc),
            a.start,
            a.end,
            label=a.label,
            note=a.note,
            links=list(a.links),
            modified="2026-03-01T10:00:00.000Z",
            created="2026-03-01T10:00:00.000Z",
        )
        for a in make_annotations(corpus)
    ]
    doc = corpus.get(PEACE)
    anns.append(
        annotation_from_document(
            doc,
            50,
            60,
            note=HOSTILE_NOTE,
            created="2026-03-02T10:00:00.000Z",
            modified="2026-03-02T10:00:00.000Z",
        )
    )
    with AnnotationStore.open(root / "annotations" / "store.json") as store:
        store.add_many(anns)
        store.set_meta(position_key(ROWLEY), {"offset": 0, "furthest": 0.4})


def make(root: Path) -> ReaderApp:
    return ReaderApp(Project.resolve(root), config=Config(annotator="tester"))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause(0.15)  # the preview looks at the cursor ten times a second
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown(app: ReaderApp) -> str:
    return str(app.screen.query_one(DocPreview).render())


async def test_preview_follows_the_cursor(project: Path) -> None:
    annotate(project)
    app = make(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = shown(app)
        assert "Labour's candidate" in text  # the summary
        assert "claim" in text and "rebuttal" in text and "claims and facts left to review" in text
        assert "not read yet" in text
        assert HOSTILE_NOTE.replace("\x1b", "␛") in text  # the last note, inert
        await pilot.press("j")
        await settle(pilot)
        text = shown(app)
        assert "Killamarsh" in text and "evidence" in text and "read 40%" in text  # summary
        assert "Last note: why" in text


async def test_preview_of_a_document_without_annotations(project: Path) -> None:
    app = make(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = shown(app)
        assert "No labels yet" in text and "Last note" not in text


@pytest.fixture
def preview_project() -> Iterator[Path]:
    with fixed_copy(FIXED):
        annotate(FIXED)
        yield FIXED


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_library_preview_snapshot(
    snap_compare: Callable[..., bool], preview_project: Path, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)

    assert snap_compare(make(preview_project), terminal_size=size, run_before=before)
