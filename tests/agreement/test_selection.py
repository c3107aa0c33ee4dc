"""Who is compared over which documents, and the errors a user can cause."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.agreement import compute, select
from reader.corpus.documents import sha256_text
from reader.errors import ProjectError
from reader.model.annotation import Annotation, Link, annotation_for

TEXT = "One claim here. A premise there. Another claim follows. The end.\n"
SHA = sha256_text(TEXT)
LABELS = ("MajorClaim", "Claim", "Premise")


def span(
    doc: str, start: int, end: int, label: str | None, author: str, **kw: object
) -> Annotation:
    return annotation_for(doc, TEXT, SHA, start, end, label=label, author=author, **kw)


def texts(doc: str) -> tuple[str, int] | None:
    return (TEXT, 0) if doc in {"d1", "d2", "d3"} else None


def test_default_is_everyone_but_gold_over_the_documents_all_annotated() -> None:
    anns = [
        span("d1", 0, 15, "Claim", "ann"),
        span("d1", 0, 15, "Claim", "bob"),
        span("d2", 0, 15, "Claim", "ann"),  # bob has nothing in d2
        span("d1", 0, 15, "Claim", "gold"),
        span("d2", 0, 15, "Claim", "gold"),
        span("d1", None, None, None, "cid"),  # a document note: not an annotator of spans
        span("d1", 16, 32, None, "dee"),  # unlabelled: neither
    ]
    annotators, documents, chosen = select(anns)
    assert annotators == ["ann", "bob"] and documents == ["d1"]
    assert {a.author for a in chosen} == {"ann", "bob"}
    annotators, documents, _ = select(anns, by=["gold", "ann"])
    assert annotators == ["ann", "gold"] and documents == ["d1", "d2"]
    # --doc names documents: bob counts as having marked nothing in d2
    agreement = compute(anns, texts, docs=["d1", "d2"])
    assert agreement.documents == ["d1", "d2"]
    assert agreement.by_document["d1"][0].mean == 1.0 and agreement.by_document["d2"][0].mean == 0.0


@pytest.mark.parametrize(
    ("anns", "by", "docs", "message"),
    [
        ([span("d1", 0, 15, "Claim", "ann")], (), (), "needs two annotators"),
        (
            [span("d1", 0, 15, "Claim", "ann"), span("d1", 0, 15, "Claim", "gold")],
            (),
            (),
            r"found 1 \(ann\).*count the gold layer as one \(reader agree --by NAME,gold\)",
        ),
        (
            [span("d1", 0, 15, "Claim", "ann"), span("d1", 0, 15, "Claim", "bob")],
            ("zed",),
            (),
            "--by zed",
        ),
        (
            [span("d1", 0, 15, "Claim", "ann"), span("d2", 0, 15, "Claim", "bob")],
            (),
            (),
            "no document has labelled spans by all of ann, bob",
        ),
    ],
)
def test_errors_say_what_to_do(
    anns: list[Annotation], by: tuple[str, ...], docs: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ProjectError, match=message):
        select(anns, by, docs)


def test_identical_layers_agree_perfectly_and_links_count() -> None:
    def layer(author: str, moved: int = 0) -> list[Annotation]:
        claim = span("d1", 0, 15, "Claim", author)
        premise = span("d1", 16 + moved, 32, "Premise", author, links=[Link("supports", claim.id)])
        return [claim, premise, span("d1", 33, 55, "Claim", author)]

    same = compute(layer("ann") + layer("bob"), texts)
    assert same.overall[0].mean == same.overall[1].mean == 1.0
    assert same.relations[0].mean == 1.0 and same.pairs[0].kappa == 1.0 and same.alpha == 1.0
    moved = compute(layer("ann") + layer("bob", moved=2), texts)
    assert moved.relations[0].mean == 0.0 and moved.relations[1].mean == 1.0
    assert moved.by_label["Premise"][0].mean == 0.0
    # token overlap: "A premise there." vs "premise there." share 2 of 3 + 2 tokens
    assert moved.by_label["Premise"][1].mean == pytest.approx(4 / 5)
    assert moved.to_json()["relations"]["by_type"]["supports"]["overlap"]["mean"] == 1.0


def test_a_document_without_text_is_left_out_and_named() -> None:
    anns = [span(d, 0, 15, "Claim", who) for d in ("d1", "d9") for who in ("ann", "bob")]
    agreement = compute(anns, texts)
    assert agreement.documents == ["d1"] and agreement.skipped == ["d9"]


SPANS = st.lists(
    st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 20), st.sampled_from(LABELS)),
    min_size=1,
    max_size=12,
)


@given(SPANS, st.data())
def test_identical_layers_always_agree_fully(
    spans: list[tuple[int, int, str]], data: st.DataObject
) -> None:
    """Whatever two annotators marked, if they marked the same, every defined figure is 1."""
    people = data.draw(
        st.lists(st.sampled_from(["ann", "bob", "cid", "dee"]), min_size=2, max_size=4, unique=True)
    )
    anns = [
        span("d1", start, min(len(TEXT), start + width), label, who)
        for who in people
        for start, width, label in spans
    ]
    agreement = compute(anns, texts)
    exact, overlap = agreement.overall
    assert exact.mean == 1.0 and exact.sd == 0.0
    assert overlap.mean in (None, 1.0)  # None: every span on whitespace only
    assert all(e.mean == 1.0 for e, _ in agreement.by_label.values())
    assert all(p.kappa in (None, 1.0) for p in agreement.pairs)
    assert agreement.alpha in (None, 1.0)
