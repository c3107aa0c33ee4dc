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


def test_the_links_to_an_annotation_follow_every_change_and_a_reopen(path: Path) -> None:
    """`linking_to` answers from an index of the links (a move onto an annotation asks for them);
    after adds, a link taken out and another put in, a deletion, undo, redo, a document renamed and
    a reopen, it names what a walk through every annotation finds."""
    target, second = ann(start=0), ann(start=40)
    source = ann(start=10, links=(Link("supports", target.id),))
    far = ann(doc="other", start=0, links=(Link("attacks", target.id), Link("attacks", second.id)))

    def walked(store: AnnotationStore, id: str) -> list[str]:
        return sorted(a.id for a in store.annotations() if any(link.to == id for link in a.links))

    def agrees(store: AnnotationStore) -> None:
        for id in (target.id, second.id, source.id, far.id):
            assert sorted(a.id for a in store.linking_to(id)) == walked(store, id)

    with AnnotationStore.open(path) as store:
        store.add_many([target, second, source, far])
        agrees(store)
        assert {a.id for a in store.linking_to(target.id)} == {source.id, far.id}
        store.update(source.id, links=(Link("supports", second.id),))
        agrees(store)
        assert [a.id for a in store.linking_to(target.id)] == [far.id]
        store.delete_with_links(second.id)
        agrees(store)
        assert store.undo()
        agrees(store)
        assert {a.id for a in store.linking_to(second.id)} == {source.id, far.id}
        assert store.redo()
        agrees(store)
        store.delete_with_links(far.id)  # a source goes: the links it held go with it
        agrees(store)
        assert store.linking_to(target.id) == []
        assert store.undo() and store.undo()
        store.relink([(far.id, {"doc": "renamed"})])
        agrees(store)
        store.compact()
    with AnnotationStore.open(path) as store:  # from the snapshot: documents parsed on demand
        assert {a.id for a in store.linking_to(second.id)} == {source.id, far.id}
        agrees(store)
