"""Accent- and case-insensitive search: `etre` finds être, `umit` finds Ümit, and a word written with
precomposed characters (NFC) matches the same word written with combining marks (NFD), both ways, in
annotations, document metadata and document sentences; the highlights cover the accented words."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.search.engine import SearchIndex

SENTENCE = "Ümit veut être là, dit-il."
FORMS = ("NFC", "NFD")


def form(text: str, name: str) -> str:
    return unicodedata.normalize(name, text)  # type: ignore[arg-type]


@pytest.fixture(params=FORMS)
def stored(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[SearchIndex, str]:
    """A corpus and an annotation whose text is in one normal form (the param)."""
    name = request.param
    (tmp_path / "fr.txt").write_text(f"Titre\n\n{form(SENTENCE, name)} Une autre phrase.\n")
    author = form("Ümit Özdemir", name)
    (tmp_path / "corpus.toml").write_text(f'[documents.fr]\nauthor = "{author}"\n')
    corpus = Corpus.load(tmp_path)
    doc = corpus.documents[0]
    start = doc.text.index(form("Ümit", name))
    end = start + len(form(SENTENCE, name))
    ann = annotation_from_document(
        doc, start, end, note=form("Il faut être là", name), tags=[form("être", name)]
    )
    index = SearchIndex(corpus)
    index.add(ann)
    return index, name


def marked(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [unicodedata.normalize("NFC", text[s:e]) for s, e in spans]


@pytest.mark.parametrize("query_form", FORMS)
@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("etre", ["être"]),
        ("ETRE", ["être"]),
        ("être", ["être"]),
        ("umit", ["Ümit"]),
        ("Ümit", ["Ümit"]),
        ("UMIT", ["Ümit"]),
        ('"etre la"', ["être là"]),
        ('"être là"', ["être là"]),
    ],
)
def test_annotation_words_match_without_accents_in_either_form(
    stored: tuple[SearchIndex, str], query_form: str, query: str, words: list[str]
) -> None:
    index, _ = stored
    hits = index.search(form(query, query_form))
    assert len(hits) == 1
    hit = hits[0]
    assert marked(hit.text, hit.highlights["quote"]) == words


@pytest.mark.parametrize("query_form", FORMS)
@pytest.mark.parametrize(
    "query", ["note:etre", "tag:etre", "tag:être", "author:umit", "author:ozdemir", "author:Özd"]
)
def test_fields_match_without_accents(
    stored: tuple[SearchIndex, str], query_form: str, query: str
) -> None:
    index, _ = stored
    assert len(index.search(form(query, query_form))) == 1


@pytest.mark.parametrize("query_form", FORMS)
@pytest.mark.parametrize(
    ("query", "words"),
    [("text:etre", ["être"]), ("text:umit", ["Ümit"]), ('text:"être la"', ["être là"])],
)
def test_document_sentences_match_without_accents(
    stored: tuple[SearchIndex, str], query_form: str, query: str, words: list[str]
) -> None:
    index, text_form = stored
    hits = index.search(form(query, query_form))
    assert len(hits) == 1
    assert hits[0].text == form(SENTENCE, text_form)
    assert marked(hits[0].text, hits[0].highlights["text"]) == words
