"""The disagreement walk and the decisions that build the gold layer (reader/adjudication.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.adjudication import Adjudication, find_disagreements, gold_id, walk_document
from reader.model.annotation import Annotation, Link, annotation_for
from reader.store.annotation_store import AnnotationStore

TEXT = "".join(f"Sentence {n} says something arguable. " for n in range(40))
SHA = "0" * 64


def ann(
    author: str, start: int, end: int, label: str | None = "claim", **fields: Any
) -> Annotation:
    doc = fields.pop("doc", "essay")
    return annotation_for(doc, TEXT, SHA, start, end, label=label, author=author, **fields)


def open_store(tmp_path: Path, anns: list[Annotation]) -> AnnotationStore:
    store = AnnotationStore.open(tmp_path / "store.json")
    if anns:
        store.add_many(anns)
    return store


def test_each_kind_of_disagreement_and_agreements_left_out() -> None:
    anns = [
        ann("ann", 0, 10),  # only ann
        ann("ann", 20, 30),
        ann("bob", 22, 35),  # overlapping spans
        ann("ann", 40, 50, "claim"),
        ann("bob", 40, 50, "premise"),  # same span, other label
        ann("ann", 60, 70),
        ann("bob", 60, 70),  # agreement
    ]
    found = find_disagreements("essay", anns, ["ann", "bob"])
    assert [(d.kind, d.start, d.end) for d in found] == [
        ("only", 0, 10),
        ("span", 20, 35),
        ("label", 40, 50),
    ]
    only = found[0]
    assert [(v.annotator, len(v.annotations)) for v in only.versions] == [("ann", 1), ("bob", 0)]


def test_different_links_between_equal_spans() -> None:
    a1, a2 = ann("ann", 0, 10), ann("ann", 20, 30)
    b1, b2 = ann("bob", 0, 10), ann("bob", 20, 30)
    a2 = a2.with_changes(links=(Link("supports", a1.id),))
    b2 = b2.with_changes(links=(Link("attacks", b1.id),))
    found = find_disagreements("essay", [a1, a2, b1, b2], ["ann", "bob"])
    assert [(d.kind, d.start) for d in found] == [("links", 20)]
    same = b2.with_changes(links=(Link("supports", b1.id),))
    assert find_disagreements("essay", [a1, a2, b1, same], ["ann", "bob"]) == []


def test_a_document_only_one_annotator_read_has_no_disagreements() -> None:
    assert find_disagreements("essay", [ann("ann", 0, 10), ann("gold", 0, 5)], ["ann", "bob"]) == []


def test_a_chain_of_overlaps_is_one_disagreement() -> None:
    anns = [ann("ann", 0, 10), ann("bob", 8, 20), ann("ann", 18, 30), ann("bob", 30, 40)]
    found = find_disagreements("essay", anns, ["ann", "bob"])
    assert [(d.kind, d.start, d.end) for d in found] == [("span", 0, 30), ("only", 30, 40)]


def test_taking_a_version_copies_it_into_gold_and_leaves_the_original(tmp_path: Path) -> None:
    a = ann("ann", 40, 50, "claim", tags=["stance:for"], note="A's note")
    b = ann("bob", 40, 50, "premise")
    with open_store(tmp_path, [a, b]) as store:
        adj = Adjudication(store)
        assert adj.annotators == ["ann", "bob"]
        assert adj.done() == (0, 1)
        copies = adj.take(0, ["ann"])
        assert [c.id for c in copies] == [gold_id(a.id)]
        gold = store.get(gold_id(a.id))
        assert gold is not None
        assert (gold.author, gold.label, gold.tags, gold.note) == (
            "gold",
            "claim",
            a.tags,
            "A's note",
        )
        assert (gold.start, gold.end, gold.quote) == (a.start, a.end, a.quote)
        assert store.get(a.id) == a and store.get(b.id) == b
        assert adj.done() == (1, 1) and adj.done("essay") == (1, 1)
        assert adj.decision(0) == "took ann"
        assert adj.undo() == {"essay"}
        assert store.get(gold_id(a.id)) is None
        assert adj.done() == (0, 1)


def test_both_takes_each_distinct_version_once(tmp_path: Path) -> None:
    anns = [ann("ann", 20, 30), ann("bob", 22, 35), ann("cat", 20, 30)]
    with open_store(tmp_path, anns) as store:
        adj = Adjudication(store)
        copies = adj.take(0, adj.annotators)
        assert sorted((c.start, c.end) for c in copies) == [(20, 30), (22, 35)]
        assert len(store) == 5
        assert store.undo_step() is not None and len(store.undo_step() or []) == 2


def test_neither_is_recorded_survives_a_restart_and_undoes(tmp_path: Path) -> None:
    anns = [ann("ann", 0, 10), ann("bob", 20, 30)]
    with open_store(tmp_path, anns) as store:
        adj = Adjudication(store)
        assert adj.done() == (0, 2)
        adj.reject(1)
        assert adj.done() == (1, 2) and adj.decision(1) == "neither"
        assert len(store) == 2  # nothing added
    with AnnotationStore.open(tmp_path / "store.json") as store:
        adj = Adjudication(store)
        assert adj.decided == [False, True]
        assert adj.next_open(0) == 0 and adj.next_open(1) == 0
        adj.undo()
        assert adj.decided == [False, False]


def test_taking_an_empty_version_is_neither(tmp_path: Path) -> None:
    with open_store(tmp_path, [ann("ann", 0, 10), ann("bob", 20, 30)]) as store:
        adj = Adjudication(store)
        assert adj.take(0, ["bob"]) == []
        assert adj.decision(0) == "neither"


def test_links_go_to_gold_copies_in_either_order(tmp_path: Path) -> None:
    claim = ann("ann", 0, 10)
    premise = ann("ann", 20, 30).with_changes(links=(Link("supports", claim.id),))
    with open_store(tmp_path, [claim, premise, ann("bob", 50, 60)]) as store:
        adj = Adjudication(store)
        assert [(d.kind, d.start) for d in adj.items] == [("only", 0), ("only", 20), ("only", 50)]
        adj.take(1, ["ann"])  # the premise first: its target is not in gold yet
        assert store.get(gold_id(premise.id)).links == ()  # type: ignore[union-attr]
        adj.take(0, ["ann"])
        assert store.get(gold_id(premise.id)).links == (  # type: ignore[union-attr]
            Link("supports", gold_id(claim.id)),
        )
        assert store.get(premise.id) == premise
        adj.undo()  # one step: the claim's copy and the new link
        assert store.get(gold_id(premise.id)).links == ()  # type: ignore[union-attr]


def test_a_gold_layer_from_elsewhere_counts_as_decided(tmp_path: Path) -> None:
    anns = [ann("ann", 0, 10), ann("bob", 2, 12), ann("bob", 20, 30), ann("gold", 5, 6)]
    with open_store(tmp_path, anns) as store:
        adj = Adjudication(store)
        assert adj.annotators == ["ann", "bob"]
        assert adj.decided == [True, False]
        assert adj.decision(0) == "gold already has an annotation here"


def test_only_the_annotators_asked_for(tmp_path: Path) -> None:
    anns = [ann("ann", 0, 10), ann("bob", 0, 10), ann("cat", 20, 30)]
    with open_store(tmp_path, anns) as store:
        assert [(d.kind, d.start) for d in Adjudication(store).items] == [("only", 0), ("only", 20)]
        assert Adjudication(store, ["ann", "bob"]).items == []


def test_someone_who_never_read_a_document_is_left_out_there() -> None:
    anns = [ann("ann", 0, 10), ann("bob", 0, 10), ann("cat", 0, 10, doc="other")]
    assert find_disagreements("essay", anns, ["ann", "bob", "cat"]) == []


spans = st.lists(
    st.tuples(
        st.sampled_from(["ann", "bob", "cat"]),
        st.integers(0, 60),
        st.integers(0, 12),
        st.sampled_from(["claim", "premise"]),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(spans)
def test_clusters_match_a_naive_pairwise_grouping(raw: list[tuple[str, int, int, str]]) -> None:
    anns = [ann(who, start, start + width, label) for who, start, width, label in raw]
    found, agreed = walk_document("essay", anns, ["ann", "bob", "cat"])
    names = sorted({a.author for a in anns})
    if len({a.author for a in anns}) < 2:
        assert found == [] and agreed == []
        return
    # Naive: union every pair that overlaps (an empty span counts as one character).
    group = {a.id: a.id for a in anns}

    def root(x: str) -> str:
        while group[x] != x:
            x = group[x]
        return x

    def reach(a: Annotation) -> int:
        return max(a.end or 0, (a.start or 0) + 1)

    for a in anns:
        for b in anns:
            if (a.start or 0) < reach(b) and (b.start or 0) < reach(a):
                group[root(a.id)] = root(b.id)
    clusters: dict[str, set[str]] = {}
    for a in anns:
        clusters.setdefault(root(a.id), set()).add(a.id)
    found_sets = [{x.id for x in d.annotations} for d in found]
    for ids in found_sets:
        assert ids in clusters.values()
    by_id = {a.id: a for a in anns}
    for ids in clusters.values():
        members = [by_id[i] for i in ids]
        agree = all(
            sorted((m.start, m.end, m.label) for m in members if m.author == name)
            == sorted((m.start, m.end, m.label) for m in members if m.author == names[0])
            for name in names
        )
        assert (ids not in found_sets) == agree
    # An agreement offers the first annotator's version of its cluster.
    agreed_sets = [{a.id for a in x.annotations} for x in agreed]
    assert len(agreed) == sum(ids not in found_sets for ids in clusters.values())
    assert all(all(by_id[i].author == names[0] for i in ids) for ids in agreed_sets)
    assert [d.start for d in found] == sorted(d.start for d in found)


def test_agreements_go_into_gold_in_one_step(tmp_path: Path) -> None:
    claim_a, claim_b = ann("ann", 0, 10), ann("bob", 0, 10)
    premise_a = ann("ann", 20, 30, "premise").with_changes(links=(Link("supports", claim_a.id),))
    premise_b = ann("bob", 20, 30, "premise").with_changes(links=(Link("supports", claim_b.id),))
    anns = [claim_a, claim_b, premise_a, premise_b, ann("ann", 40, 50), ann("bob", 60, 70)]
    with open_store(tmp_path, anns) as store:
        adj = Adjudication(store)
        assert adj.open_agreements() == 2 and adj.done() == (0, 2)
        copies = adj.take_agreements()
        assert sorted(c.id for c in copies) == [gold_id(claim_a.id), gold_id(premise_a.id)]
        assert store.get(gold_id(premise_a.id)).links == (  # type: ignore[union-attr]
            Link("supports", gold_id(claim_a.id)),
        )
        assert adj.open_agreements() == 0 and adj.done() == (0, 2)  # disagreements stay open
        assert adj.take_agreements() == []
        assert adj.last_is_decision()
        adj.undo()
        assert adj.open_agreements() == 2 and len(store) == len(anns)


def test_reopening_takes_a_decision_back_in_one_undo_step(tmp_path: Path) -> None:
    claim = ann("ann", 0, 10)
    premise = ann("ann", 20, 30).with_changes(links=(Link("supports", claim.id),))
    other = ann("bob", 22, 28)
    with open_store(tmp_path, [claim, premise, other, ann("bob", 40, 50)]) as store:
        adj = Adjudication(store)
        assert [d.kind for d in adj.items] == ["only", "span", "only"]
        adj.take(0, ["ann"])
        adj.take(1, adj.annotators)
        adj.reject(2)
        assert adj.done() == (3, 3)
        assert adj.reopen(0)  # the claim's copy goes, and the gold link to it
        assert gold_id(claim.id) not in store
        assert store.get(gold_id(premise.id)).links == ()  # type: ignore[union-attr]
        assert store.get(premise.id) == premise
        assert adj.reopen(2) and adj.decision(2) is None
        assert adj.reopen(1) and adj.done() == (0, 3)
        assert not adj.reopen(1)  # open: nothing to take back
        assert adj.last_is_decision()
        adj.undo()
        assert adj.done() == (1, 3)
        assert gold_id(premise.id) in store and gold_id(other.id) in store


def test_gold_from_elsewhere_is_not_reopened_here(tmp_path: Path) -> None:
    anns = [ann("ann", 0, 10), ann("bob", 2, 12), ann("gold", 5, 6)]
    with open_store(tmp_path, anns) as store:
        adj = Adjudication(store)
        assert adj.decided == [True]
        assert not adj.reopen(0) and len(store) == 3
