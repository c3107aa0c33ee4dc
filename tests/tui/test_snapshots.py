"""How the app looks, at 100×30 and 160×45 (pytest-textual-snapshot; `pytest --snapshot-update` to accept).

The project is copied to a fixed path because the library shows where the corpus lives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen

from .conftest import PEACE, fixed_copy

FIXED = Path("/tmp/reader-snapshot-project")
SIZES = [(100, 30), (160, 45), (80, 24)]


@pytest.fixture
def fixed_project() -> Iterator[Path]:
    with fixed_copy(FIXED):
        corpus = Corpus.load(FIXED / "corpus")
        doc = corpus.get(PEACE)
        assert doc is not None
        text = doc.text
        with AnnotationStore.open(FIXED / "annotations" / "store.json") as store:
            for phrase, label, tags, note in [
                (
                    "The Tory MP, Lee Rowley, won with a narrow majority of 2,681 votes",
                    "evidence",
                    ["result"],
                    "",
                ),
                (
                    "We have to win here in order to return a Labour government",
                    "claim",
                    [],
                    "The thesis.",
                ),
                (
                    "a narrow majority of 2,681 votes, and North East Derbyshire is now a key marginal",
                    "premise",
                    ["marginal"],
                    "Overlaps the evidence.",
                ),
            ]:
                start = text.index(phrase)
                store.add(
                    annotation_from_document(
                        doc,
                        start,
                        start + len(phrase),
                        label=label,
                        tags=tags,
                        note=note,
                        author="tester",
                    )
                )
        yield FIXED


def make_app(project: Path) -> ReaderApp:
    return ReaderApp(Project.resolve(project), config=Config(annotator="tester"))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_document(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, ReaderApp)
    app.open_document(PEACE, 0)
    for _ in range(100):
        await pilot.pause(0.02)
        if isinstance(app.screen, DocumentScreen) and app.screen.session is not None:
            break
    await settle(pilot)
    await pilot.press("j", "j", "j")  # onto the annotated sentence
    await settle(pilot)


def run(
    snap_compare: Callable[..., bool], size: tuple[int, int], before: Any, project: Path
) -> bool:
    return snap_compare(make_app(project), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_library(
    snap_compare: Callable[..., bool], fixed_project: Path, size: tuple[int, int]
) -> None:
    assert run(snap_compare, size, settle, fixed_project)


@pytest.mark.parametrize("size", SIZES)
def test_document_with_all_layers_and_panel(
    snap_compare: Callable[..., bool], fixed_project: Path, size: tuple[int, int]
) -> None:
    assert run(snap_compare, size, open_document, fixed_project)


@pytest.mark.parametrize("size", SIZES)
def test_document_selection(
    snap_compare: Callable[..., bool], fixed_project: Path, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        await pilot.press("n", "v", "right_parenthesis", "b", "b")
        await settle(pilot)

    assert run(snap_compare, size, before, fixed_project)


@pytest.mark.parametrize("size", SIZES)
def test_help(
    snap_compare: Callable[..., bool], fixed_project: Path, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert run(snap_compare, size, before, fixed_project)


@pytest.mark.parametrize("size", SIZES)
def test_note_editor(
    snap_compare: Callable[..., bool], fixed_project: Path, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        await pilot.press("a", *" Check the 2017 figure.")
        await settle(pilot)

    assert run(snap_compare, size, before, fixed_project)
