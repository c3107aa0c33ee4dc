"""How links look: the panel's list of ▶'s links with the margin marks, and the argument map of a
document and of the whole corpus (pytest-textual-snapshot; `--snapshot-update` to accept)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.corpus.documents import Corpus
from reader.model.annotation import Link, annotation_from_document
from reader.store.annotation_store import AnnotationStore

from .conftest import PEACE, fixed_copy
from .test_snapshots import SIZES, make_app, open_document, settle

FIXED = Path("/tmp/reader-snapshot-links")
ROWLEY = "rowley-2019-12-holding-north-east-derbyshire"


@pytest.fixture
def linked_project() -> Iterator[Path]:
    with fixed_copy(FIXED):
        corpus = Corpus.load(FIXED / "corpus")
        doc, other = corpus.get(PEACE), corpus.get(ROWLEY)
        assert doc is not None and other is not None

        def on(document: Any, phrase: str, label: str, note: str = "", **fields: Any) -> Any:
            start = document.text.index(phrase)
            return annotation_from_document(
                document,
                start,
                start + len(phrase),
                label=label,
                note=note,
                author="tester",
                **fields,
            )

        claim = on(
            doc, "We have to win here in order to return a Labour government", "claim", "Thesis."
        )
        evidence = on(
            doc,
            "The Tory MP, Lee Rowley, won with a narrow majority of 2,681 votes",
            "evidence",
            links=[Link("supports", claim.id)],
        )
        premise = on(
            doc,
            "North East Derbyshire is now a key marginal",
            "premise",
            links=[Link("supports", claim.id)],
        )
        counter = on(
            other,
            "the red wall",
            "counterclaim",
            "Seen from the other side.",
            links=[Link("attacks", claim.id)],
        )
        alone = on(doc, "Labour", "note")
        with AnnotationStore.open(FIXED / "annotations" / "store.json") as store:
            store.add_many([claim, evidence, premise, counter, alone.with_changes(label=None)])
        yield FIXED


def run(snap_compare: Callable[..., bool], size: tuple[int, int], before: Any) -> bool:
    return snap_compare(make_app(FIXED), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_panel_lists_the_links_and_the_margin_marks_them(
    snap_compare: Callable[..., bool], linked_project: Path, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        await pilot.press("right_square_bracket")  # onto the claim
        await settle(pilot)

    assert run(snap_compare, size, before)


@pytest.mark.parametrize("size", SIZES)
def test_argument_map_of_a_document(
    snap_compare: Callable[..., bool], linked_project: Path, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        await pilot.press("m")
        await settle(pilot)

    assert run(snap_compare, size, before)


def test_argument_map_of_the_whole_corpus(
    snap_compare: Callable[..., bool], linked_project: Path
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_document(pilot)
        await pilot.press("m", "c")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert run(snap_compare, (120, 35), before)
