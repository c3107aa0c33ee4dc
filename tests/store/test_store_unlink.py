"""Deleting an annotation takes the links to it out of their sources, in the same undo step."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.model.annotation import Link
from reader.store.annotation_store import AnnotationStore
from tests.store.test_store import ann


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations" / "store.json"


def test_delete_with_links_removes_the_links_to_it_in_one_undo_step(path: Path) -> None:
    claim = ann(start=0)
    other_claim = ann(start=20)
    evidence = ann(start=10, links=(Link("supports", claim.id), Link("supports", other_claim.id)))
    elsewhere = ann(doc="other", start=0, links=(Link("attacks", claim.id),))
    with AnnotationStore.open(path) as store:
        store.add_many([claim, other_claim, evidence, elsewhere])
        changed = store.delete_with_links(claim.id)
        assert sorted(a.id for a in changed) == sorted([evidence.id, elsewhere.id])
        assert store.get(claim.id) is None
        assert store.get(evidence.id).links == (Link("supports", other_claim.id),)  # type: ignore[union-attr]
        assert store.get(elsewhere.id).links == ()  # type: ignore[union-attr]
    with AnnotationStore.open(path) as store:  # durable, and one step across a restart
        assert store.get(claim.id) is None
        assert store.undo()
        assert store.get(claim.id) == claim
        assert store.get(evidence.id) == evidence and store.get(elsewhere.id) == elsewhere
        assert store.redo() and store.get(claim.id) is None


def test_delete_with_links_finds_sources_in_documents_not_read_yet(path: Path) -> None:
    claim = ann(start=0)
    sources = [ann(doc=f"doc{n}", start=0, links=(Link("supports", claim.id),)) for n in range(3)]
    bystander = ann(doc="quiet", start=0)
    with AnnotationStore.open(path) as store:
        store.add_many([claim, *sources, bystander])
        store.compact()
    with AnnotationStore.open(path) as store:  # from the snapshot: documents parsed on demand
        changed = store.delete_with_links(claim.id)
        assert sorted(a.id for a in changed) == sorted(a.id for a in sources)
        assert "quiet" not in store._by_doc  # never parsed: its records do not hold the id


def test_delete_with_links_of_an_annotation_nobody_links_to_is_a_plain_delete(path: Path) -> None:
    lone = ann(start=0, links=())
    with AnnotationStore.open(path) as store:
        store.add(lone)
        assert store.delete_with_links(lone.id) == []
        assert len(store) == 0
        assert store.undo_step() == [(lone, None)]
