"""Highlighting in a long note walks only the windows around where the query's words occur; it finds
what a walk of the whole note finds, and a note of megabytes is searched and shown without stalling."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, annotation_from_document
from reader.search.engine import SearchIndex
from reader.search.highlight import LONG_TEXT, highlight_spans
from reader.search.query import parse_query, word_spans
from reader.store import AnnotationStore

PEACE = "peace-2019-09-winning-back-labours-heartlands"
WORDS = ["red", "wall", "Brexit", "brexiteer", "vote", "Labour’s", "café", "x-ray", "—", "the"]


def legacy_note(ann: Annotation, note: str) -> Annotation:
    """`ann` with a note over today's limit, as a store written before the limit can hold."""
    return Annotation.from_json({**ann.to_json(), "note": note})


def walk_everything(text: str, query: str) -> list[tuple[int, int]]:
    """The definition: every word of the text, every positive term, matched word by word."""
    spans = list(word_spans(text))
    found = []
    for term in parse_query(query).positive_terms:
        n = len(term.words)
        for i in range(len(spans) - n + 1):
            if all(spans[i + j][2].startswith(term.words[j]) for j in range(n)):
                found.append((spans[i][0], spans[i + n - 1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
    st.sampled_from(["\n", " ", "  ", "\n\n", "-", ", "]),
    st.sampled_from(["brexit", "red wall", '"red wall"', "vote -the", "cafe", "x ray", "labour s"]),
)
def test_long_text_highlights_equal_a_walk_of_every_word(
    words: list[str], separator: str, query: str
) -> None:
    filler = "lorem ipsum dolor " * (LONG_TEXT // 18 + 1)
    text = filler + separator.join(words) + " " + filler + separator.join(reversed(words))
    assert len(text) > LONG_TEXT
    terms = [t for t in parse_query(query).positive_terms]
    assert highlight_spans(text, terms) == walk_everything(text, query)


def test_a_word_at_the_end_of_a_huge_note_is_found_and_highlighted(project: Path) -> None:
    corpus = Corpus.load(project / "corpus")
    doc = corpus.get(PEACE)
    assert doc is not None
    huge = (doc.text + "\n\n") * (5_000_000 // len(doc.text)) + "zyzzyva at the end"
    ann = legacy_note(annotation_from_document(doc, 0, 20), huge)
    index = SearchIndex(corpus)
    index.add_many([ann])
    [hit] = index.search("zyzzyva")
    start = huge.index("zyzzyva")
    assert hit.highlights["note"] == [(start, start + len("zyzzyva"))]
    assert len(index.search("brexit")[0].highlights["note"]) > 0


def test_search_command_shows_a_hit_in_a_huge_note(project: Path) -> None:
    corpus = Corpus.load(project / "corpus")
    doc = corpus.get(PEACE)
    assert doc is not None
    huge = (doc.text + "\n\n") * (10_000_000 // len(doc.text)) + "zyzzyva at the end"
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(legacy_note(annotation_from_document(doc, 0, 20, label="claim"), huge))
    result = subprocess.run(
        [sys.executable, "-m", "reader", "search", "zyzzyva"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "zyzzyva" in result.stdout and "1." in result.stdout


def test_changes_followed_from_the_store_leave_what_a_fresh_index_finds(project: Path) -> None:
    corpus = Corpus.load(project / "corpus")
    doc = corpus.get(PEACE)
    assert doc is not None
    repeated = "brexit vote brexit red wall brexit " * 200
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        anns = [
            annotation_from_document(doc, n * 40, n * 40 + 30, note=f"{repeated} note {n}")
            for n in range(8)
        ]
        store.add_many(anns)
        index = SearchIndex(corpus)
        index.attach(store)
        store.update(anns[0].id, label="claim", tags=("brexit",))  # the note stays as it was
        store.update(anns[1].id, note="only wall here")
        store.delete(anns[2].id)
        store.update(anns[3].id, label="premise")
        fresh = SearchIndex(corpus)
        fresh.add_many(store.annotations())
        for query in [
            "brexit",
            "wall",
            "label:claim",
            "tag:brexit",
            '"red wall"',
            "note 3",
            "vote",
        ]:
            got = [(h.annotation.id, round(h.score, 9)) for h in index.search(query)]  # type: ignore[union-attr]
            want = [(h.annotation.id, round(h.score, 9)) for h in fresh.search(query)]  # type: ignore[union-attr]
            assert got == want, query
