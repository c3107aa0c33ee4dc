"""How a changed document looks: the orphans view, and the panel marking an approximate placement
(pytest-textual-snapshot; `pytest --snapshot-update` to accept)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store.annotation_store import AnnotationStore

from .conftest import PEACE, fixed_copy
from .test_snapshots import make_app, open_document, settle

FIXED = Path("/tmp/reader-snapshot-reanchor")
CLAIM = "We have to win here in order to return a Labour government"
MARGINAL = "a narrow majority of 2,681 votes, and North East Derbyshire is now a key marginal"


@pytest.fixture
def changed_project() -> Iterator[Path]:
    with fixed_copy(FIXED):
        doc = Corpus.load(FIXED / "corpus").get(PEACE)
        assert doc is not None
        text = doc.text
        with AnnotationStore.open(FIXED / "annotations" / "store.json") as store:
            for phrase, label, note in [(CLAIM, "claim", "The thesis."), (MARGINAL, "premise", "")]:
                start = text.index(phrase)
                store.add(
                    annotation_from_document(
                        doc, start, start + len(phrase), label=label, note=note, author="tester"
                    )
                )
        edited = text.replace(CLAIM, "").replace("2,681 votes, and", "2,681 votes and")
        doc.path.write_text(edited, encoding="utf-8")
        yield FIXED


def test_orphans_view(snap_compare: Callable[..., bool], changed_project: Path) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        await pilot.press("o")
        await settle(pilot)

    app = make_app(changed_project)
    assert snap_compare(app, terminal_size=(100, 30), run_before=before)


def test_approximate_placement_in_the_panel(
    snap_compare: Callable[..., bool], changed_project: Path
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        app = pilot.app
        app.clear_notifications()
        await settle(pilot)

    app = make_app(changed_project)
    assert snap_compare(app, terminal_size=(100, 30), run_before=before)
