"""`text:` queries: search the documents' own sentences, so users can find a passage they have not
annotated yet. Each document is split into sentences (reader/text.py) and indexed the first time a query
can find something in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from reader.errors import CorpusError
from reader.search.hits import Hit, rank
from reader.search.index import verify
from reader.search.postings import Postings, add_scores
from reader.search.query import DOCUMENT_FIELDS, TEXT_FIELD, Query, Term

if TYPE_CHECKING:
    from reader.corpus.documents import Corpus

TEXT_WEIGHTS = {TEXT_FIELD: (1.0, 25.0)}


class SentenceIndex:
    """The sentences of a corpus's documents, indexed lazily; `doc_matches(term)` says which documents a
    metadata term (author:, doc: ...) allows. Not locked: the search index calls it under its lock."""

    def __init__(self, corpus: Corpus | None, doc_matches: Callable[[Term], set[str]]) -> None:
        self.corpus = corpus
        self._doc_matches = doc_matches
        self._sentences = Postings(TEXT_WEIGHTS)
        self._sentence_at: dict[str, tuple[str, int, int]] = {}
        self._sentences_of: dict[str, set[str]] = {}

    def search(self, q: Query, limit: int | None) -> list[Hit]:
        """Sentences ranked best first (ties in document order); at most `limit` of them."""
        self._segment(self._docs_for(q))
        found: set[str] | None = None
        for group in q.groups:
            sets = [self._sentence_matches(t) for t in group]
            if any(s is None for s in sets):
                continue  # a group with an annotation-only term constrains nothing here
            matched: set[str] = set().union(*(s for s in sets if s is not None))
            found = matched if found is None else found & matched
        if found is None:
            found = set(self._sentence_at)
        for term in q.excluded:
            found = found - (self._sentence_matches(term) or set())
        scores = dict.fromkeys(found, 0.0)
        for term in q.positive_terms:
            if term.field in (None, TEXT_FIELD):
                for word in term.words:
                    add_scores(scores, self._sentences.scores(TEXT_FIELD, word, found))
        shown = tuple(q.positive_terms)
        hits = []
        for key in rank(scores, self._sentence_at, limit):
            doc, start, end = self._sentence_at[key]
            text = self._sentence_text(key)
            hits.append(Hit(doc, start, end, scores[key], sentence=text, query_terms=shown))
        return hits

    def _docs_for(self, q: Query) -> list[str]:
        """Documents a text query can find sentences in: those its metadata terms allow."""
        docs = {doc.id for doc in self.corpus or ()}
        for group in q.groups:
            if all(term.field in DOCUMENT_FIELDS for term in group):
                docs &= set().union(*(self._doc_matches(term) for term in group))
        return sorted(docs)

    def _segment(self, doc_ids: Iterable[str]) -> None:
        """Index the sentences of these documents, once each (sentencex loads on first use)."""
        from reader.text import segment_text

        for doc_id in doc_ids:
            if doc_id in self._sentences_of or self.corpus is None:
                continue
            doc = self.corpus.get(doc_id)
            keys: list[str] = []
            self._sentences_of[doc_id] = set()
            if doc is None or not doc.readable:
                continue
            try:
                text = doc.text
            except CorpusError:
                continue
            texts = []
            for sentence in segment_text(text, doc.body_start).sentences:
                key = f"{doc_id}\x00{sentence.ordinal}"
                self._sentence_at[key] = (doc_id, sentence.start, sentence.end)
                keys.append(key)
                texts.append(text[sentence.start : sentence.end])
            self._sentences.add(TEXT_FIELD, keys, texts)
            self._sentences_of[doc_id] = set(keys)
            self._sentences.size = len(self._sentence_at)

    def _sentence_text(self, key: str) -> str:
        doc_id, start, end = self._sentence_at[key]
        doc = self.corpus.get(doc_id) if self.corpus is not None else None
        return doc.text[start:end] if doc is not None else ""

    def _sentence_matches(self, term: Term) -> set[str] | None:
        if term.field in (None, TEXT_FIELD):
            keys = self._sentences.keys(TEXT_FIELD, term.words)
            if term.phrase:
                keys = verify(keys, term.words, lambda k: (self._sentence_text(k),))
            return keys
        if term.field in DOCUMENT_FIELDS:
            docs = self._doc_matches(term)
            self._segment(docs)
            return set().union(*(self._sentences_of.get(d, set()) for d in docs))
        return None
