"""Search over annotations and document metadata, and (for `text:` queries) the documents' sentences.

`SearchIndex` keeps an in-memory inverted index that `attach(store)` fills from the store and keeps up to
date through `store.subscribe`, so every add, update, delete, undo and redo is searchable at once.

The pieces:
- reader/search/query.py: the query language (`parse_query`, `Query`, `QueryError`);
- reader/search/index.py: the index over annotations and document metadata, matching and BM25 scoring;
- this module: `SearchIndex`, which answers queries, ranking only as much as `limit` needs (top-k);
- reader/search/sentences.py: `text:` queries over the documents' own sentences;
- reader/search/hits.py: `Hit` and the order of results;
- reader/search/postings.py: the posting lists underneath.

Ranking is BM25 per field, summed with field weights (note above quote above tags; document metadata
lowest); a word that only starts a longer term counts `PREFIX_WEIGHT` of an exact one. Ties are broken by
document order (`Annotation.sort_key`).
"""

from __future__ import annotations

import heapq
from functools import partial
from typing import TYPE_CHECKING

from reader.errors import QueryError
from reader.search.hits import Hit, rank
from reader.search.index import KEYWORD_FIELDS, AnnotationIndex, annotation_fields
from reader.search.postings import Part, above, slots_of
from reader.search.query import FILTER_FIELDS, Query, Term, parse_query
from reader.search.sentences import SentenceIndex

if TYPE_CHECKING:
    from reader.corpus.documents import Corpus
    from reader.model.annotation import Annotation

__all__ = ["Hit", "Query", "QueryError", "SearchIndex", "parse_query"]


class SearchIndex(AnnotationIndex):
    """An inverted index over annotations, their documents' metadata and (lazily) document sentences.

    Thread-safe: the app searches from a worker while store changes arrive on the UI thread.
    """

    def __init__(self, corpus: Corpus | None = None) -> None:
        super().__init__(corpus)
        self._text = SentenceIndex(corpus, self._doc_matches)
        self._sorted_docs: tuple[int, list[str]] = (-1, [])

    # -- searching -----------------------------------------------------------------------------

    def search(self, query: str | Query, limit: int | None = None) -> list[Hit]:
        """Hits ranked best first (ties in document order); at most `limit` of them."""
        q = parse_query(query) if isinstance(query, str) else query
        with self._lock:
            if q.empty:
                return []
            if q.searches_text:
                return self._text.search(q, limit)
            scores = self._top_scores(q, limit) if limit is not None and limit > 0 else None
            if scores is None:
                keys = self._candidates(q)
                scores = self._scores(q, keys)
            shown = tuple(q.positive_terms)
            hits = []
            for key in rank(scores, self._order, limit):
                ann = self._anns[key]
                hits.append(Hit(ann.doc, ann.start, ann.end, scores[key], ann, query_terms=shown))
            return hits

    def matching(self, query: str | Query) -> list[Annotation]:
        """Every annotation the query matches, in document order ([] for `text:` queries)."""
        q = parse_query(query) if isinstance(query, str) else query
        with self._lock:
            if q.empty or q.searches_text:
                return []
            return [self._anns[k] for k in sorted(self._candidates(q), key=self._order.__getitem__)]

    # -- top-k ranking -------------------------------------------------------------------------

    def _top_scores(self, q: Query, limit: int) -> dict[str, float] | None:
        """Scores of a set of matches sure to hold the best `limit`, or None to score them all.

        Bitsets first narrow the records to those that hold every group's words (`_match_bits`).
        Among them, every match scoring at least a threshold is among the records whose parts'
        upper bounds reach it (`above`); those few are matched and scored exactly. Once `limit` of
        them score at least the threshold, nothing outside can beat them. The threshold starts high
        and comes down (or, with too many records, back up) until that holds. The scores are the
        very numbers scoring every match would give, so the ranking is the same.
        """
        required = self._required_bits(q)
        if required == 0:
            return {}
        parts = [part for term in q.positive_terms for part in self._parts(term)]
        if required is not None and self._all_tie(q, parts, required):
            return self._scores(q, self._first_in_order(required, limit))
        cap = max(3000, 50 * limit)
        if parts:
            threshold = 0.9 * sum(part.bound for part in parts)
            too_high: float | None = None  # fewer than `limit` reach it
            too_low = 0.0  # too many records reach it
            reached = 0.0  # `limit` matches are known to score at least this
            for _ in range(20):
                bits = above(parts, threshold, required)
                if bits is None or bits.bit_count() > cap:
                    too_low = threshold
                else:
                    keys = set(map(self._ids.__getitem__, slots_of(bits))) if bits else set()
                    scores = self._scores(q, self._candidates(q, within=keys))
                    if sum(map(threshold.__le__, scores.values())) >= limit:
                        return scores
                    too_high = threshold
                    if len(scores) >= limit:
                        reached = max(reached, heapq.nlargest(limit, scores.values())[-1])
                if reached > too_low:
                    threshold = reached
                elif too_high is None or too_high - too_low < 0.01 * too_high:
                    break
                elif too_low > 0:
                    threshold = (too_low + too_high) / 2
                else:
                    threshold = too_high * (0.8 if bits else 0.6)
        if required is not None and required.bit_count() <= 2 * cap:
            keys = set(map(self._ids.__getitem__, slots_of(required)))
            return self._scores(q, self._candidates(q, within=keys))
        return None

    def _all_tie(self, q: Query, parts: list[Part], required: int) -> bool:
        """True when `required` is exactly the matches and every one of them has the same parts,
        each adding the same amount (tags, labels, annotators, metadata, filters): all tie."""
        if any(term.phrase for term in [*q.positive_terms, *q.excluded]):
            return False
        return all(
            (part.constant and not required & ~part.bits) or not required & part.bits
            for part in parts
        )

    def _first_in_order(self, bits: int, limit: int) -> set[str]:
        """The first `limit` records of a bitset in document order (and maybe a few more)."""
        slot = self._slot
        if bits.bit_count() <= 20 * limit + 1000:
            keys = map(self._ids.__getitem__, slots_of(bits))
            return set(heapq.nsmallest(limit, keys, key=self._order.__getitem__))
        flags = bits.to_bytes((len(self._ids) + 7) // 8, "little")
        chosen: set[str] = set()
        for doc in self._documents_in_order():  # document order starts with the document id
            held = self._by_doc[doc]
            chosen.update(k for k in held if flags[slot[k] >> 3] >> (slot[k] & 7) & 1)
            if len(chosen) >= limit:
                break
        return chosen

    def _documents_in_order(self) -> list[str]:
        generation, docs = self._sorted_docs
        if generation != self._generation:
            docs = sorted(self._by_doc)
            self._sorted_docs = (self._generation, docs)
        return docs

    def _required_bits(self, q: Query) -> int | None:
        """A bitset of records holding at least what `q` matches; None when no group narrows it."""
        found: int | None = None
        for group in q.groups:
            bits = 0
            for term in group:
                bits |= self._match_bits(term)
            found = bits if found is None else found & bits
        for term in q.excluded:
            if not term.phrase:  # a single word's bitset is exactly its matches
                if found is None:
                    found = self._cached_bits(("all",), self._anns)
                found &= ~self._match_bits(term)
        return found

    def _match_bits(self, term: Term) -> int:
        """The records `term` matches as a bitset: exactly for one word, a superset for a phrase
        (its words are all there, in one field, but maybe not together)."""
        if term.field in FILTER_FIELDS:
            flag = f"{term.field}:{term.value}"
            return self._cached_bits(("flag", flag), self._flags.get(flag, set()))
        bits = 0
        for name in annotation_fields(term):
            if name in KEYWORD_FIELDS:
                for value in self._matching_values(name, term.words):
                    bits |= self._cached_bits((name, value), self._values[name][value])
                continue
            in_field: int | None = None
            for word in term.words:
                holders = 0
                for _, st in self._index.bounds(name, word):
                    holders |= self._term_bits(st)
                in_field = holders if in_field is None else in_field & holders
            bits |= in_field or 0
        docs = self._doc_matches(term)
        if docs:
            bits |= self._doc_bits(("docs", term.field, term.words), docs)
        return bits

    def _parts(self, term: Term) -> list[Part]:
        """The parts of the score that `term` adds, each with its upper bound and records."""
        parts = []
        for name in annotation_fields(term):
            if name in KEYWORD_FIELDS:
                for value in self._matching_values(name, term.words):
                    bound = self._value_score(name, term.words, value) * (1 + 1e-9) + 1e-12
                    make = partial(self._cached_bits, (name, value), self._values[name][value])
                    parts.append(Part(bound, make, constant=True))
                continue
            for word in term.words:
                for bound, st in self._index.bounds(name, word):
                    parts.append(Part(bound, partial(self._term_bits, st)))
        doc_scores = self._doc_scores(term)
        if doc_scores:
            bound = max(doc_scores.values()) * (1 + 1e-9) + 1e-12
            make = partial(self._doc_bits, ("doc", term.field, term.words), doc_scores)
            parts.append(Part(bound, make, constant=len(set(doc_scores.values())) == 1))
        return parts
