from __future__ import annotations

from pathlib import Path

import pytest

from reader.corpus.documents import Corpus
from reader.errors import ProjectError
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.stats import GROUPINGS, Stats, compute, highlighter_shown, per_day
from reader.store.annotation_store import AnnotationStore
from reader.text import bar
from reader.user_state import dismissed_key, dismissed_value

ROWLEY = "rowley-2019-05-killamarsh-conservatism"
PEACE = "peace-2019-09-winning-back-labours-heartlands"


def make_annotations(corpus: Corpus) -> list[Annotation]:
    """Claims, support and attack between them, notes, tags, two annotators, an accepted suggestion."""
    rowley, peace = corpus.get(ROWLEY), corpus.get(PEACE)
    assert rowley is not None and peace is not None
    claim = annotation_from_document(rowley, 0, 20, label="claim", author="ann", tags=["a", "b"])
    lonely = annotation_from_document(rowley, 30, 50, label="claim", author="bob")
    attacked = annotation_from_document(peace, 0, 10, label="claim", author="ann", note="  ")
    evidence = annotation_from_document(
        rowley,
        60,
        80,
        label="evidence",
        author="ann",
        note="why",
        links=[Link("supports", claim.id)],
        origin="suggestion",
    )
    rebuttal = annotation_from_document(
        peace,
        20,
        40,
        label="rebuttal",
        author="bob",
        tags=["a"],
        links=[Link("attacks", attacked.id), Link("rebuts", lonely.id)],
    )
    whole = annotation_from_document(peace, None, None, note="a note on the whole", author="bob")
    return [claim, lonely, attacked, evidence, rebuttal, whole]


@pytest.fixture
def corpus(project: Path) -> Corpus:
    return Corpus.load(project / "corpus")


def test_by_document_counts_every_figure(corpus: Corpus) -> None:
    anns = make_annotations(corpus)
    meta = {dismissed_key(PEACE): dismissed_value(corpus.get(PEACE).sha256, {"1-2", "3-4"})}  # type: ignore[union-attr]
    stats = compute(corpus, anns, by="doc", meta=meta, shown=lambda doc: 10)
    groups = {g.key: g for g in stats.groups}
    assert len(stats.groups) == 4  # documents without annotations are groups too
    rowley, peace = groups[ROWLEY], groups[PEACE]
    assert (rowley.annotations, peace.annotations) == (3, 3)
    assert rowley.by_label == {"claim": 2, "evidence": 1}
    assert peace.by_label == {"claim": 1, "rebuttal": 1}
    assert (rowley.notes, peace.notes) == (1, 1)  # a blank note is no note
    assert (rowley.tags, peace.tags) == (1, 1)
    assert rowley.links == {"supports": 1} and peace.links == {"attacks": 1, "rebuts": 1}
    # The claim with a supporting link is supported; attacks do not support.
    assert (rowley.unsupported_claims, peace.unsupported_claims) == (1, 1)
    assert (rowley.shown, rowley.accepted, rowley.dismissed) == (10, 1, 0)
    assert (peace.shown, peace.accepted, peace.dismissed) == (10, 0, 2)
    assert rowley.words == corpus.get(ROWLEY).words > 0  # type: ignore[union-attr]
    total = stats.total
    assert total.documents == 4 and total.annotations == 6 and total.shown == 40
    assert total.words == sum(doc.words for doc in corpus)
    assert (total.unsupported_claims, total.accepted, total.dismissed) == (2, 1, 2)
    assert total.acceptance == pytest.approx(1 / 3)


def test_dismissals_kept_for_another_text_do_not_count(corpus: Corpus) -> None:
    meta = {dismissed_key(PEACE): dismissed_value("0" * 64, {"1-2"})}
    assert compute(corpus, [], meta=meta).total.dismissed == 0


def test_by_party_folds_documents_and_by_tag_counts_an_annotation_in_each_tag(
    corpus: Corpus,
) -> None:
    anns = make_annotations(corpus)
    party = {g.key: g for g in compute(corpus, anns, by="party").groups}
    assert set(party) == {"Conservative", "Labour"}
    assert party["Conservative"].documents == 2 and party["Conservative"].annotations == 3
    tags = {g.key: g for g in compute(corpus, anns, by="tag").groups}
    assert tags["a"].annotations == 2 and tags["b"].annotations == 1 and tags[""].annotations == 4
    assert tags["a"].documents == 2 and tags["b"].documents == 1
    assert tags["a"].shown is None and tags["a"].dismissed is None  # not an annotation's figure
    labels = {g.key: g for g in compute(corpus, anns, by="label").groups}
    assert labels["claim"].annotations == 3 and labels["claim"].unsupported_claims == 2
    assert labels[""].annotations == 1
    annotators = {g.key: g for g in compute(corpus, anns, by="annotator").groups}
    assert annotators["ann"].annotations == 3 and annotators["bob"].annotations == 3


def test_every_grouping_sums_to_the_same_total(corpus: Corpus) -> None:
    anns = make_annotations(corpus)
    totals = {by: compute(corpus, anns, by=by).total.to_json() for by in GROUPINGS}
    assert len({str(t) for t in totals.values()}) == 1
    for by in ("doc", "party", "label", "annotator"):  # one group per annotation
        stats = compute(corpus, anns, by=by)
        assert sum(g.annotations for g in stats.groups) == stats.total.annotations


def test_named_documents_only_and_unknown_ids_refused(corpus: Corpus) -> None:
    anns = make_annotations(corpus)
    stats = compute(corpus, anns, docs=[PEACE])
    assert [g.key for g in stats.groups] == [PEACE] and stats.total.annotations == 3
    with pytest.raises(ProjectError, match="no document with id 'nope'"):
        compute(corpus, anns, docs=["nope"])
    with pytest.raises(ProjectError, match="cannot group by"):
        compute(corpus, anns, by="colour")


def test_annotations_of_documents_gone_from_the_corpus_still_count(corpus: Corpus) -> None:
    ann = annotation_from_document(corpus.get(PEACE), 0, 5, label="claim")
    gone = Annotation(**{**_fields(ann), "id": "GONE1", "doc": "gone/doc"})
    stats = compute(corpus, [ann, gone], by="doc")
    assert {g.key: g.annotations for g in stats.groups}["gone/doc"] == 1
    assert stats.total.annotations == 2


def _fields(ann: Annotation) -> dict[str, object]:
    return {name: getattr(ann, name) for name in ann.__dataclass_fields__}


def test_json_shape_and_flat_rows(corpus: Corpus) -> None:
    stats: Stats = compute(corpus, make_annotations(corpus), by="annotator")
    data = stats.to_json()
    assert data["by"] == "annotator" and set(data) == {"by", "groups", "total"}
    group = data["groups"][0]
    assert set(group) >= {
        "key",
        "documents",
        "words",
        "annotations",
        "by_label",
        "notes",
        "links",
        "unsupported_claims",
        "suggestions",
    }
    assert set(group["suggestions"]) == {"shown", "accepted", "dismissed"}
    assert data["total"]["suggestions"]["shown"] is None  # not asked for
    columns = stats.columns()
    assert all(len(row) == len(columns) for row in stats.rows())
    assert stats.rows()[-1][0] == "total"
    assert columns[5:9] == ["label:claim", "label:evidence", "label:rebuttal", "notes"]


def test_shown_counts_the_highlighters_suggestions(corpus: Corpus) -> None:
    doc = corpus.get(ROWLEY)
    assert doc is not None
    shown = highlighter_shown(doc)
    assert shown > 0
    assert compute(corpus, [], docs=[ROWLEY], shown=highlighter_shown).total.shown == shown


def test_store_meta_is_read_for_dismissals(project: Path, corpus: Corpus) -> None:
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        doc = corpus.get(ROWLEY)
        assert doc is not None
        store.set_meta(dismissed_key(ROWLEY), dismissed_value(doc.sha256, {"0-5"}))
        stats = compute(corpus, store.annotations(), meta=store.meta)
    assert stats.total.dismissed == 1


def test_per_day_and_bars() -> None:
    anns = [
        Annotation("A1", "d", "0" * 64, None, None, created=f"2026-01-0{day}T00:00:00.000Z")
        for day in (2, 1, 2)
    ]
    assert per_day(anns) == [("2026-01-01", 1), ("2026-01-02", 2)]
    assert bar(4, 4, 5) == "█████" and bar(1, 8, 4) == "▌" and bar(0, 8, 4) == ""


def test_document_summary_counts_labels_open_suggestions_and_the_last_note(corpus: Corpus) -> None:
    from reader.claims.scores import highlight
    from reader.stats import document_summary

    doc = corpus.get(ROWLEY)
    assert doc is not None
    anns = [a for a in make_annotations(corpus) if a.doc == ROWLEY]
    labelled = highlight(doc.text, doc.sha256, doc.body_start).labelled()
    first, second = labelled[0], labelled[1]
    exact = annotation_from_document(doc, first.start, first.end, label="claim", note="later")
    exact = Annotation(**{**_fields(exact), "modified": "2999-01-01T00:00:00.000Z"})
    summary = document_summary(doc, [*anns, exact], {f"{second.start}-{second.end}"})
    assert summary.labels == {"claim": 3, "evidence": 1} and summary.annotations == 4
    assert summary.suggestions_left == len(labelled) - 2  # one annotated exactly, one dismissed
    assert summary.last_note == "later"
    assert document_summary(doc, [], set()).suggestions_left == len(labelled)


def test_the_preview_counts_open_suggestions_as_the_document_view_does(corpus: Corpus) -> None:
    """Only a labelled annotation answers a suggestion: a bare note on the sentence leaves it open."""
    from reader.claims.scores import highlight
    from reader.session import ReadingSession
    from reader.stats import document_summary

    doc = corpus.get(ROWLEY)
    assert doc is not None
    first = highlight(doc.text, doc.sha256, doc.body_start).labelled()[0]
    noted = annotation_from_document(doc, first.start, first.end, label=None, note="check this")
    scores = highlight(doc.text, doc.sha256, doc.body_start)
    session = ReadingSession(doc.text, scores, [noted])
    summary = document_summary(doc, [noted], set())
    assert summary.suggestions_left == session.open_suggestion_count()


def test_orphans_recorded_by_re_anchoring_are_counted(corpus: Corpus) -> None:
    anns = make_annotations(corpus)
    lost = Annotation.from_json(
        {**anns[0].to_json(), "start": None, "end": None, "anchor_status": "orphaned"}
    )
    stats = compute(corpus, [lost, *anns[1:]], by="doc")
    assert stats.total.orphans == 1
    assert {g.key: g.orphans for g in stats.groups}[lost.doc] == 1
