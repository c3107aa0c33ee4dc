"""rel:TYPE (an outgoing link of that type) and linked: (in any link, either end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.corpus.documents import Corpus
from reader.model.annotation import Link
from reader.search.engine import SearchIndex
from reader.search.query import parse_query
from reader.store.annotation_store import AnnotationStore
from tests.search.test_search import PEACE, ROWLEY, ids, make


@pytest.fixture
def corpus(project: Path) -> Corpus:
    return Corpus.load(project / "corpus")


def test_rel_and_linked_follow_the_store_as_links_come_and_go(
    corpus: Corpus, tmp_path: Path
) -> None:
    claim = make(corpus, PEACE, "Leave", label="claim")
    evidence = make(corpus, PEACE, "Labour", label="evidence")
    counter = make(corpus, ROWLEY, "red wall", label="counterclaim")
    alone = make(corpus, ROWLEY, "get things done")
    with AnnotationStore.open(tmp_path / "store.json") as store:
        store.add_many([claim, evidence, counter, alone])
        index = SearchIndex(corpus)
        index.attach(store)
        assert index.search("linked:") == [] and index.search("rel:supports") == []
        store.update(evidence.id, links=[Link("supports", claim.id)])
        store.update(counter.id, links=[Link("attacks", claim.id)])
        assert ids(index.search("rel:supports")) == [evidence.id]
        assert ids(index.search("rel:attacks")) == [counter.id]
        assert set(ids(index.search("linked:"))) == {claim.id, evidence.id, counter.id}
        assert set(ids(index.search("-linked:"))) == {alone.id}
        assert ids(index.search("linked: label:claim")) == [claim.id]
        assert index.search("rel:rebuts") == []
        # The claim stays linked while one link to it is left, and is not once none is.
        store.update(evidence.id, links=[])
        assert set(ids(index.search("linked:"))) == {claim.id, counter.id}
        store.delete_with_links(counter.id)
        assert index.search("linked:") == []
        store.undo()
        assert set(ids(index.search("linked:"))) == {claim.id, counter.id}


def test_a_link_target_indexed_after_its_source_is_linked(corpus: Corpus) -> None:
    claim = make(corpus, PEACE, "Leave")
    evidence = make(corpus, PEACE, "Labour", links=[Link("supports", claim.id)])
    index = SearchIndex(corpus)
    index.add(evidence)
    assert ids(index.search("linked:")) == [evidence.id]
    index.add(claim)
    assert set(ids(index.search("linked:"))) == {claim.id, evidence.id}


def test_the_query_language_reads_rel_and_linked() -> None:
    query = parse_query("rel:Supports linked: -rel:attacks")
    assert str(query) == "rel:supports linked: -rel:attacks"
    assert query.warnings == []
    bad = parse_query("rel: linked:yes")
    assert str(bad) == "linked:"
    assert bad.warnings == [
        'position 1: "rel:" needs a relation type after rel:, like rel:supports; ignored',
        'position 6: linked: takes no value; "linked:yes" read as linked:',
    ]
