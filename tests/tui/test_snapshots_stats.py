"""How the statistics screen looks at 80×24 and 120×40 (pytest-textual-snapshot): the table and the
charts. Annotations carry fixed dates and one document a reading position, so every chart is drawn."""

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
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.user_state import position_key

from ..test_stats import make_annotations
from .conftest import fixed_copy

FIXED = Path("/tmp/reader-snapshot-stats")
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def stats_project() -> Iterator[Path]:
    with fixed_copy(FIXED):
        corpus = Corpus.load(FIXED / "corpus")
        anns = [
            annotation_from_document(
                corpus.get(ann.doc),
                ann.start,
                ann.end,
                label=ann.label,
                tags=list(ann.tags),
                note=ann.note,
                links=list(ann.links),
                origin=ann.origin,
                author=ann.author,
                id=ann.id,
                created=f"2026-03-0{1 + n % 3}T10:00:00.000Z",
                modified="2026-03-04T10:00:00.000Z",
            )
            for n, ann in enumerate(make_annotations(corpus))
        ]
        with AnnotationStore.open(FIXED / "annotations" / "store.json") as store:
            store.add_many(anns)
            # A reading position without a last session: the app opens on the library.
            store.set_meta(position_key(anns[0].doc), {"offset": 0, "furthest": 0.6})
        yield FIXED


def before(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for key in ("i", *keys):
            await pilot.press(key)
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run


def app(project: Path) -> ReaderApp:
    return ReaderApp(Project.resolve(project), config=Config(annotator="tester"))


@pytest.mark.parametrize("size", SIZES)
def test_stats_table(
    snap_compare: Callable[..., bool], stats_project: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app(stats_project), terminal_size=size, run_before=before())


@pytest.mark.parametrize("size", SIZES)
def test_stats_labels_per_party(
    snap_compare: Callable[..., bool], stats_project: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app(stats_project), terminal_size=size, run_before=before("v"))


@pytest.mark.parametrize("size", SIZES)
def test_stats_progress_and_days(
    snap_compare: Callable[..., bool], stats_project: Path, size: tuple[int, int]
) -> None:
    keys = ("v", "v") if size == SIZES[0] else ("v", "v", "v")
    assert snap_compare(app(stats_project), terminal_size=size, run_before=before(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_stats_suggestions(
    snap_compare: Callable[..., bool], stats_project: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app(stats_project), terminal_size=size, run_before=before(*"vvvv"))
