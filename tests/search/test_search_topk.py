"""Top-k ranking: `search(q, limit=k)` prunes, so it must give exactly the first k of the full ranking
(same annotations, same order, same scores), whatever the index went through."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.search import QUERIES, make_annotations
from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, annotation_from_document
from reader.search.engine import Hit, SearchIndex

PEACE = "peace-2019-09-winning-back-labours-heartlands"
ROWLEY = "rowley-2019-12-holding-north-east-derbyshire"


@pytest.fixture
def corpus(project: Path) -> Corpus:
    return Corpus.load(project / "corpus")


def ranked(hits: list[Hit]) -> list[tuple[str, float]]:
    return [(hit.annotation.id if hit.annotation else "", hit.score) for hit in hits]


def assert_prefixes(index: SearchIndex, query: str, limits: tuple[int, ...]) -> None:
    full = ranked(index.search(query))
    for limit in limits:
        assert ranked(index.search(query, limit=limit)) == full[:limit], (query, limit)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[SearchIndex, list[Annotation]]:
    """3,000 benchmark-style annotations on the shipped documents: enough for pruning to matter."""
    from tests.conftest import SHIPPED_CORPUS

    corpus = Corpus.load(SHIPPED_CORPUS)
    anns = make_annotations(corpus, 3000, seed=7)
    index = SearchIndex(corpus)
    index.add_many(anns)
    return index, anns


EXTRA = ["brex", "vot", "labour OR council", "brexit -tag:brexit", '"red wall" -note:wall']
EXTRA += ["council has:link", "party:lab trust", "the", "t", "tag:re", "label:claim brexit"]
EXTRA += ['"cost labour votes"', "zzz", "brexit OR zzz", "-brexit", "has:note", "by:sam"]
EXTRA += ['-"red wall"', "has:note -has:tag"]


@pytest.mark.parametrize("query", [q for qs in QUERIES.values() for q in qs] + EXTRA)
def test_limited_search_is_the_start_of_the_full_ranking(big: tuple, query: str) -> None:  # type: ignore[type-arg]
    index, _ = big
    assert_prefixes(index, query, (1, 7, 20, 150))


def test_the_ranking_stays_exact_after_changes(big: tuple) -> None:  # type: ignore[type-arg]
    index, anns = big
    rng = random.Random(5)
    changed = rng.sample(anns, 120)
    try:
        for ann in changed[:60]:
            index.remove(ann.id)
        for ann in changed[60:]:
            index.add(ann.with_changes(note=ann.note + " brexit trust council", tags=("brexit",)))
        for query in ["brexit", "trust council", '"red wall"', "tag:brexit", "-label:claim brexit"]:
            assert_prefixes(index, query, (1, 20))
    finally:
        index.add_many(changed)


def test_many_equal_scores_come_in_document_order(big: tuple) -> None:  # type: ignore[type-arg]
    index, anns = big
    hits = index.search("by:sam", limit=25)
    expected = sorted((a for a in anns if a.author == "sam"), key=lambda a: a.sort_key)[:25]
    assert [h.annotation.id for h in hits] == [a.id for a in expected]
    assert len({h.score for h in hits}) == 1


NOTES = st.lists(
    st.sampled_from(["brexit", "brex", "vote", "votes", "red", "wall", "café", "leave", "and"]),
    max_size=6,
).map(" ".join)
PARTS = ["brexit", "vote", "red", "wall", '"red wall"', "leave", "-brexit", "tag:red", "OR"]
PARTS += ["label:claim", "has:note", "by:sam", "party:labour", "author:rowley", "-label:claim"]


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(["add", "add", "delete"]),
            st.integers(0, 30),
            NOTES,
            st.lists(st.sampled_from(["red-wall", "brexit", "votes"]), max_size=2),
            st.sampled_from([None, "claim", "premise"]),
        ),
        max_size=60,
    ),
    queries=st.lists(
        st.lists(st.sampled_from(PARTS), min_size=1, max_size=3), min_size=3, max_size=3
    ),
)
def test_top_k_matches_the_full_ranking_after_random_changes(
    corpus: Corpus,
    ops: list,  # type: ignore[type-arg]
    queries: list,  # type: ignore[type-arg]
) -> None:
    docs = [PEACE, ROWLEY]
    quotes = {PEACE: ["Leave", "Labour", "Brexit"], ROWLEY: ["red wall", "get things done"]}
    index = SearchIndex(corpus)
    live: dict[int, Annotation] = {}
    for op, slot, note, tags, label in ops:
        if op == "add":
            doc_id = docs[slot % 2]
            doc = corpus.get(doc_id)
            assert doc is not None
            quote = quotes[doc_id][slot % len(quotes[doc_id])]
            start = doc.text.index(quote)
            ann = live.get(slot) or annotation_from_document(doc, start, start + len(quote))
            live[slot] = ann.with_changes(
                note=note, tags=tags, label=label, author="sam" if slot % 3 else "kim"
            )
            index.add(live[slot])
        elif slot in live:
            assert index.remove(live.pop(slot).id)
    for parts in queries:
        assert_prefixes(index, " ".join(parts), (1, 2, 5))


def test_a_word_prefix_of_thousands_of_terms_in_one_note(corpus: Corpus) -> None:
    """A note holding 1,500 distinct words that one query prefix expands to: the pruning walk goes as
    deep as there are terms, and must neither overflow the stack nor change the ranking."""
    doc = corpus.get(ROWLEY)
    assert doc is not None
    words = " ".join(f"w{n:04d}" for n in range(1500))
    anns = [annotation_from_document(doc, 0, 10, note=words)]
    anns += [
        annotation_from_document(doc, 10 + i, 20 + i, note=f"w{i:04d} other") for i in range(40)
    ]
    index = SearchIndex(corpus)
    index.add_many(anns)
    assert len(index.search("w")) == 41
    assert_prefixes(index, "w", (1, 5, 40))
    assert index.search("w", limit=1)[0].annotation == anns[0]


def test_bound_walk_over_many_parts_finds_what_brute_force_finds() -> None:
    from functools import partial

    from reader.search.postings import Part, above

    rng = random.Random(3)
    parts = [Part(1.0, lambda: 0b1111)] * 3000  # every record holds every part: the deepest walk
    assert above(parts, 2999.5, budget=10**6) == 0b1111
    assert above(parts, 2999.5) is None  # over the budget: the caller scores every match instead
    small = [Part(rng.random(), partial(int, rng.getrandbits(12))) for _ in range(9)]
    for threshold in (0.5, 1.5, 2.5, 3.5):
        expected = 0
        for record in range(12):
            held = sum(p.bound for p in small if p.bits >> record & 1)
            expected |= (held >= threshold) << record
        assert above(small, threshold, budget=10**6) == expected
