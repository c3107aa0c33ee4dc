"""Search: matching semantics, ranking, highlights, following the store, and the brute-force check."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.search.engine import SearchIndex
from reader.search.query import Query, Term, parse_query, terms
from reader.store import AnnotationStore

PEACE = "peace-2019-09-winning-back-labours-heartlands"
ROWLEY = "rowley-2019-12-holding-north-east-derbyshire"


@pytest.fixture
def corpus(project: Path) -> Corpus:
    return Corpus.load(project / "corpus")


def make(corpus: Corpus, doc_id: str, phrase: str, **fields: object) -> Annotation:
    doc = corpus.get(doc_id)
    assert doc is not None
    start = doc.text.index(phrase)
    return annotation_from_document(doc, start, start + len(phrase), **fields)


def ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [hit.annotation.id for hit in hits]


@pytest.fixture
def sample(corpus: Corpus) -> tuple[SearchIndex, dict[str, Annotation]]:
    anns = {
        "brexit": make(
            corpus,
            PEACE,
            "Leave",
            note="Labour’s Brexit position cost votes",
            tags=["red-wall"],
            label="claim",
        ),
        "cafe": make(
            corpus, ROWLEY, "red wall", note="Met at the café in Killamarsh", label="evidence"
        ),
        "quote": make(corpus, ROWLEY, "get things done", tags=["slogan"], origin="suggestion"),
        "linked": make(corpus, PEACE, "Labour", note="party name", author="sam"),
    }
    anns["linked"] = anns["linked"].with_changes(links=[Link("supports", anns["brexit"].id)])
    index = SearchIndex(corpus)
    index.add_many(anns.values())
    return index, anns


def test_bare_words_must_all_match_as_word_prefixes(sample: tuple) -> None:  # type: ignore[type-arg]
    index, anns = sample
    assert ids(index.search("brex")) == [anns["brexit"].id]
    assert ids(index.search("brexit votes")) == [anns["brexit"].id]
    assert index.search("brexit killamarsh") == []
    assert index.search("rexit") == []  # prefixes of words, not substrings


def test_case_and_accents_are_ignored(sample: tuple) -> None:  # type: ignore[type-arg]
    index, anns = sample
    assert ids(index.search("CAFE")) == [anns["cafe"].id]
    assert ids(index.search("Café")) == [anns["cafe"].id]
    assert ids(index.search("note:LABOUR’S")) == [anns["brexit"].id]


def test_phrases_need_the_words_together_and_in_order(sample: tuple) -> None:  # type: ignore[type-arg]
    index, anns = sample
    assert ids(index.search('"brexit position"')) == [anns["brexit"].id]
    assert index.search('"position brexit"') == []
    assert index.search('"brexit votes"') == []


def test_negation_or_and_fields(sample: tuple) -> None:  # type: ignore[type-arg]
    index, anns = sample
    assert set(ids(index.search("-brexit"))) == {anns[k].id for k in ("cafe", "quote", "linked")}
    assert set(ids(index.search("brexit OR café"))) == {anns["brexit"].id, anns["cafe"].id}
    assert ids(index.search("label:claim")) == [anns["brexit"].id]
    assert ids(index.search("label:ev")) == [anns["cafe"].id]
    assert ids(index.search("tag:red-wall")) == [anns["brexit"].id]
    assert ids(index.search("tag:wall")) == [anns["brexit"].id]
    assert set(ids(index.search("party:labour"))) == {anns["brexit"].id, anns["linked"].id}
    assert set(ids(index.search("author:rowley"))) == {anns["cafe"].id, anns["quote"].id}
    assert set(ids(index.search(f"doc:{PEACE}"))) == {anns["brexit"].id, anns["linked"].id}
    assert set(ids(index.search("doc:heartlands"))) == {anns["brexit"].id, anns["linked"].id}
    assert ids(index.search("by:sam")) == [anns["linked"].id]
    assert ids(index.search("origin:suggestion")) == [anns["quote"].id]
    assert ids(index.search("has:link")) == [anns["linked"].id]
    assert set(ids(index.search("has:tag"))) == {anns["brexit"].id, anns["quote"].id}
    assert ids(index.search("note:killamarsh")) == [anns["cafe"].id]
    assert index.search("quote:killamarsh") == []
    assert ids(index.search("quote:things -tag:red")) == [anns["quote"].id]
    assert set(ids(index.search("-has:note"))) == {anns["quote"].id}


def test_ranking_weighs_notes_above_quotes_above_tags(corpus: Corpus) -> None:
    in_note = make(corpus, PEACE, "Labour", note="trust")
    in_quote = make(corpus, ROWLEY, "trust", note="")
    in_tag = make(corpus, PEACE, "Leave", tags=["trust"])
    index = SearchIndex(corpus)
    index.add_many([in_tag, in_quote, in_note])
    hits = index.search("trust")
    assert ids(hits) == [in_note.id, in_quote.id, in_tag.id]
    assert hits[0].score > hits[1].score > hits[2].score > 0


def test_exact_words_rank_above_prefix_matches_and_ties_go_in_document_order(
    corpus: Corpus,
) -> None:
    longer = make(corpus, PEACE, "Leave", note="voters")
    exact = make(corpus, ROWLEY, "red wall", note="voter")
    tie_late = make(corpus, ROWLEY, "get things done", note="same")
    tie_early = make(corpus, PEACE, "Labour", note="same")
    index = SearchIndex(corpus)
    index.add_many([longer, exact, tie_late, tie_early])
    assert ids(index.search("voter")) == [exact.id, longer.id]
    assert ids(index.search("same")) == [tie_early.id, tie_late.id]
    assert ids(index.search("same", limit=1)) == [tie_early.id]


def test_highlights_point_at_the_matched_words(sample: tuple) -> None:  # type: ignore[type-arg]
    index, anns = sample
    hit = index.search("brex cost")[0]
    note = anns["brexit"].note
    assert [note[s:e] for s, e in hit.highlights["note"]] == ["Brexit", "cost"]
    hit = index.search("doorstep OR leave")[0]
    doc_text = Corpus.get(index.corpus, PEACE).text  # type: ignore[arg-type, union-attr]
    assert [doc_text[s:e] for s, e in hit.highlights["doc"]] == ["Leave"]


def test_text_queries_find_sentences_in_the_documents(corpus: Corpus) -> None:
    index = SearchIndex(corpus)
    hits = index.search('text:"red wall" author:rowley')
    assert hits and all(hit.annotation is None for hit in hits)
    for hit in hits:
        doc = corpus.get(hit.doc_id)
        assert doc is not None and doc.author == "Lee Rowley"
        assert doc.text[hit.start : hit.end] == hit.text
        assert "red wall" in hit.text.lower()
        assert next(hit.text[s:e].lower() for s, e in hit.highlights["text"]) == "red wall"
    assert index.search("text:zzzzqq") == []
    assert index.matching("text:wall") == []


def test_every_matching_sentence_is_its_own_hit_at_its_own_place(corpus: Corpus) -> None:
    """text: hits point at the sentence that holds the word: one hit per sentence, in reading order
    when scores tie, and each location is exactly that sentence of the document."""
    from reader.text import segment_text

    index = SearchIndex(corpus)
    doc = corpus.get(ROWLEY)
    assert doc is not None
    sentences = segment_text(doc.text, doc.body_start).sentences
    expected = [
        (s.start, s.end) for s in sentences if b"labour" in terms(doc.text[s.start : s.end])
    ]
    hits = index.search(f"text:labour doc:{ROWLEY}")
    assert len(expected) > 3
    assert sorted((hit.start, hit.end) for hit in hits) == expected
    for hit in hits:
        assert doc.text[hit.start : hit.end] == hit.text
    by_score: dict[float, list[int]] = {}
    for hit in hits:
        by_score.setdefault(hit.score, []).append(hit.start or 0)
    assert all(starts == sorted(starts) for starts in by_score.values())


def test_matching_returns_every_match_in_document_order(sample: tuple) -> None:  # type: ignore[type-arg]
    index, anns = sample
    found = index.matching("-zzz")
    assert [a.id for a in found] == [a.id for a in sorted(anns.values(), key=lambda a: a.sort_key)]
    assert index.matching("") == [] and index.search("") == []


def test_whole_document_notes_come_first_in_their_document(corpus: Corpus) -> None:
    """Document order: by document, a note on the whole document before its spans, then by span."""
    doc = corpus.get(ROWLEY)
    assert doc is not None
    anns = [
        make(corpus, ROWLEY, "red wall", note="shared words"),
        annotation_from_document(doc, None, None, note="shared words about it all"),
        make(corpus, PEACE, "Leave", note="shared words"),
        make(corpus, ROWLEY, "get things done", note="shared words"),
    ]
    index = SearchIndex(corpus)
    index.add_many(anns)
    in_order = [a.id for a in sorted(anns, key=lambda a: a.sort_key)]
    assert [a.id for a in index.matching("shared")] == in_order
    assert index.matching("shared")[1].start is None  # PEACE first, then the ROWLEY note


def test_the_index_follows_the_store_through_undo_and_redo(tmp_path: Path, corpus: Corpus) -> None:
    with AnnotationStore.open(tmp_path / "store.json") as store:
        first = store.add(make(corpus, PEACE, "Leave", note="original thought"))
        index = SearchIndex(corpus)
        index.attach(store)
        assert ids(index.search("original")) == [first.id]
        second = store.add(make(corpus, ROWLEY, "red wall", note="fresh idea"))
        assert ids(index.search("fresh")) == [second.id]
        store.update(first.id, note="revised thought")
        assert index.search("original") == [] and ids(index.search("revised")) == [first.id]
        store.undo()
        assert ids(index.search("original")) == [first.id] and index.search("revised") == []
        store.redo()
        assert ids(index.search("revised")) == [first.id]
        store.delete(second.id)
        assert index.search("fresh") == []
        store.undo()
        assert ids(index.search("fresh")) == [second.id]
        index.detach()
        store.delete(second.id)
        assert ids(index.search("fresh")) == [second.id]  # detached: no longer follows


# -- the brute-force reference ---------------------------------------------------------------------

ANN_FIELDS = {
    "note": lambda a: [a.note],
    "quote": lambda a: [a.quote],
    "tag": lambda a: list(a.tags),
    "label": lambda a: [a.label or ""],
    "by": lambda a: [a.author],
}
DOC_FIELDS = {
    "doc": lambda d: [d.id, d.title],
    "author": lambda d: [d.author],
    "party": lambda d: [d.party],
    "outlet": lambda d: [d.outlet],
}


def _holds(text: str, words: tuple[bytes, ...]) -> bool:
    toks = terms(text)
    n = len(words)
    return any(
        all(toks[i + j].startswith(words[j]) for j in range(n)) for i in range(len(toks) - n + 1)
    )


def _term_matches(term: Term, ann: Annotation, corpus: Corpus) -> bool:
    if term.field == "origin":
        return ann.origin == term.value
    if term.field == "has":
        return bool(
            {
                "note": ann.note.strip(),
                "link": ann.links,
                "tag": ann.tags,
                "label": ann.label,
                "quote": ann.start is not None,
            }[term.value]
        )
    # Bare words search note, quote, tags and label (not the annotator) and the document metadata.
    names = ["note", "quote", "tag", "label"] if term.field is None else [term.field]
    texts = [t for n in names if n in ANN_FIELDS for t in ANN_FIELDS[n](ann)]
    doc = corpus.get(ann.doc)
    if doc is not None:
        doc_names = list(DOC_FIELDS) if term.field is None else [term.field]
        texts += [t for n in doc_names if n in DOC_FIELDS for t in DOC_FIELDS[n](doc)]
    return any(_holds(text, term.words) for text in texts)


def brute_force(query: Query, anns: list[Annotation], corpus: Corpus) -> list[str]:
    if query.empty:
        return []
    return [
        ann.id
        for ann in sorted(anns, key=lambda a: a.sort_key)
        if all(any(_term_matches(t, ann, corpus) for t in g) for g in query.groups)
        and not any(_term_matches(t, ann, corpus) for t in query.excluded)
    ]


WORDS = ["brexit", "brex", "labour", "vote", "votes", "café", "cafe", "red", "wall", "leave", "x"]
QUERY_PARTS = [*WORDS, "-brexit", '"red wall"', "tag:red", "label:claim", "-label:claim", "OR"]
QUERY_PARTS += ["has:note", "has:tag", "-has:link", "origin:suggestion", "by:sam", "party:labour"]
QUERY_PARTS += ["note:vote", "quote:leave", "doc:heartlands", "author:rowley", '"brexit vote"']

notes = st.lists(st.sampled_from([*WORDS, "Brexit", "CAFÉ", "red-wall", "and"]), max_size=6).map(
    " ".join
)
operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "update", "delete"]),
        st.integers(0, 7),
        notes,
        st.lists(st.sampled_from(["red-wall", "brexit", "votes"]), max_size=2),
        st.sampled_from([None, "claim", "premise"]),
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=operations,
    queries=st.lists(
        st.lists(st.sampled_from(QUERY_PARTS), min_size=1, max_size=4), min_size=3, max_size=3
    ),
)
def test_index_matches_a_brute_force_scan_after_random_changes(
    corpus: Corpus,
    ops: list,
    queries: list,  # type: ignore[type-arg]
) -> None:
    docs = [PEACE, ROWLEY]
    phrases = {PEACE: ["Leave", "Labour", "Brexit"], ROWLEY: ["red wall", "get things done"]}
    index = SearchIndex(corpus)
    live: dict[int, Annotation] = {}
    for op, slot, note, tags, label in ops:
        if op == "add" and slot not in live:
            doc = docs[slot % 2]
            ann = make(
                corpus,
                doc,
                phrases[doc][slot % len(phrases[doc])],
                note=note,
                tags=tags,
                label=label,
                origin="suggestion" if slot % 3 == 0 else "manual",
                author="sam" if slot % 2 else "kim",
            )
            live[slot] = ann
            index.add(ann)
        elif op == "update" and slot in live:
            live[slot] = live[slot].with_changes(note=note, tags=tags, label=label)
            index.add(live[slot])
        elif op == "delete" and slot in live:
            assert index.remove(live.pop(slot).id)
    for parts in queries:
        query = parse_query(" ".join(parts))
        expected = brute_force(query, list(live.values()), corpus)
        assert [a.id for a in index.matching(query)] == expected, str(query)
        assert sorted(ids(index.search(query))) == sorted(expected)
