"""Search over annotations and document metadata, and (for `text:` queries) the documents' sentences.

`SearchIndex` keeps an in-memory inverted index (reader/postings.py) that `attach(store)` fills from the
store and keeps up to date through `store.subscribe`, so every add, update, delete, undo and redo is
searchable at once.

Ranking is BM25 per field, summed with field weights (note above quote above tags; document metadata
lowest); a word that only starts a longer term counts `PREFIX_WEIGHT` of an exact one. Ties are broken by
document order (`Annotation.sort_key`). The query language is in reader/query.py.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property, partial
from itertools import chain, compress, repeat
from operator import add, attrgetter, is_not
from typing import TYPE_CHECKING, Any

from reader.errors import CorpusError
from reader.model import Annotation
from reader.postings import (
    PREFIX_WEIGHT,
    Part,
    Postings,
    TermStats,
    above,
    add_scores,
    containing,
    slots_of,
    to_bits,
)
from reader.query import (
    ANNOTATION_FIELDS,
    DOCUMENT_FIELDS,
    FILTER_FIELDS,
    TEXT_FIELD,
    Query,
    QueryError,
    Term,
    contains,
    highlight_spans,
    parse_query,
    terms,
)

if TYPE_CHECKING:
    from reader.corpus import Corpus, Document
    from reader.store import AnnotationStore

__all__ = ["Hit", "Query", "QueryError", "SearchIndex", "parse_query"]

# field: (weight, reference length in words). Notes are the user's own words, so they count most.
ANNOTATION_WEIGHTS = {
    "note": (3.0, 20.0),
    "quote": (2.0, 25.0),
    "tag": (1.5, 2.0),
    "label": (1.0, 1.0),
    "by": (0.5, 1.0),
}
DOCUMENT_WEIGHTS = {
    "doc": (0.7, 10.0),
    "author": (0.5, 2.0),
    "party": (0.5, 1.0),
    "outlet": (0.5, 2.0),
}
TEXT_WEIGHTS = {TEXT_FIELD: (1.0, 25.0)}
DEFAULT_ANNOTATION_FIELDS = ("note", "quote", "tag", "label")
# Notes and quotes are prose: posting lists. Tags, labels and annotator names are few distinct values
# shared by many annotations: a set of annotations per value is cheaper to build and as fast to query.
PROSE_FIELDS = ("note", "quote")
KEYWORD_FIELDS = ("tag", "label", "by")
_PROSE: dict[str, Callable[[Annotation], str]] = {
    "note": attrgetter("note"),
    "quote": attrgetter("quote"),
}
_FLAGS: dict[str, Callable[[list[Annotation]], Iterable[Any]]] = {
    "origin:manual": lambda anns: map("manual".__eq__, map(attrgetter("origin"), anns)),
    "origin:suggestion": lambda anns: map("suggestion".__eq__, map(attrgetter("origin"), anns)),
    "has:note": lambda anns: map(str.strip, map(attrgetter("note"), anns)),
    "has:link": lambda anns: map(attrgetter("links"), anns),
    "has:tag": lambda anns: map(attrgetter("tags"), anns),
    "has:label": lambda anns: map(attrgetter("label"), anns),
    "has:quote": lambda anns: map(is_not, map(attrgetter("start"), anns), repeat(None)),
}


def _keyword_values(ann: Annotation) -> dict[str, tuple[str, ...]]:
    return {"tag": ann.tags, "label": (ann.label,) if ann.label else (), "by": (ann.author,)}


def _document_texts(doc: Document) -> dict[str, tuple[str, ...]]:
    return {
        "doc": (doc.id, doc.title),
        "author": (doc.author,),
        "party": (doc.party,),
        "outlet": (doc.outlet,),
    }


class Hit:
    """One result: an annotation, or (for `text:` queries) a sentence of a document."""

    def __init__(
        self,
        doc_id: str,
        start: int | None,
        end: int | None,
        score: float,
        annotation: Annotation | None = None,
        sentence: str = "",
        query_terms: tuple[Term, ...] = (),
    ) -> None:
        self.doc_id, self.start, self.end, self.score = doc_id, start, end, score
        self.annotation, self.sentence, self.terms = annotation, sentence, query_terms

    @property
    def text(self) -> str:
        """The quote of an annotation hit, or the sentence of a text hit."""
        return self.annotation.quote if self.annotation is not None else self.sentence

    def spans(self, field: str) -> list[tuple[int, int]]:
        """Matched word spans in this hit's `field` ("quote", "note", "text"), relative to it."""
        text = self.sentence if field == TEXT_FIELD else getattr(self.annotation, field, "")
        wanted = (None, TEXT_FIELD) if field == TEXT_FIELD else (None, field)
        return highlight_spans(text, [t for t in self.terms if t.field in wanted])

    @cached_property
    def highlights(self) -> dict[str, list[tuple[int, int]]]:
        """Spans per field; `doc` holds the quote or sentence spans as document offsets."""
        fields = ("quote", "note") if self.annotation is not None else (TEXT_FIELD,)
        out = {name: self.spans(name) for name in fields}
        base = self.start or 0
        out["doc"] = [(base + s, base + e) for s, e in out[fields[0]]]
        return out

    def __repr__(self) -> str:
        what = self.annotation.id if self.annotation else "sentence"
        return f"Hit({what} in {self.doc_id} {self.start}-{self.end}, score={self.score:.3f})"


class SearchIndex:
    """An inverted index over annotations, their documents' metadata and (lazily) document sentences.

    Thread-safe: the app searches from a worker while store changes arrive on the UI thread.
    """

    def __init__(self, corpus: Corpus | None = None) -> None:
        self.corpus = corpus
        self._lock = threading.RLock()
        self._anns: dict[str, Annotation] = {}
        self._order: dict[str, tuple[Any, ...]] = {}
        self._by_doc: defaultdict[str, set[str]] = defaultdict(set)
        self._flags: dict[str, set[str]] = {flag: set() for flag in _FLAGS}
        self._index = Postings({name: ANNOTATION_WEIGHTS[name] for name in PROSE_FIELDS})
        self._values: dict[str, defaultdict[str, set[str]]] = {
            name: defaultdict(set) for name in KEYWORD_FIELDS
        }
        self._value_cache: dict[tuple[str, tuple[bytes, ...]], list[str]] = {}
        self._docs = Postings(DOCUMENT_WEIGHTS)
        self._sentences = Postings(TEXT_WEIGHTS)
        self._sentence_at: dict[str, tuple[str, int, int]] = {}
        self._sentences_of: dict[str, set[str]] = {}
        self._detach: Callable[[], None] | None = None
        # Slots number the annotations for bitsets (top-k pruning); freed slots are reused.
        self._slot: dict[str, int] = {}
        self._ids: list[str] = []  # "" for a free slot
        self._free: list[int] = []
        self._generation = 0  # bumped on every change: bitsets of tags, labels, documents expire
        self._bits: dict[tuple[Any, ...], tuple[int, int]] = {}
        self._doc_score_cache: dict[tuple[Any, ...], tuple[int, dict[str, float]]] = {}
        self._sorted_docs: tuple[int, list[str]] = (-1, [])
        docs = list(corpus or ())
        ids = [doc.id for doc in docs]
        texts = [_document_texts(doc) for doc in docs]
        for name in DOCUMENT_WEIGHTS:
            self._docs.add(name, ids, [" ".join(t[name]) for t in texts])
        self._docs.size = len(ids)

    # -- keeping up to date --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._anns)

    def add(self, ann: Annotation) -> None:
        """Index an annotation (replacing an indexed one with the same id)."""
        self.add_many([ann])

    def add_many(self, anns: Iterable[Annotation]) -> None:
        """Index many annotations at once: much faster than one by one."""
        by_id = {ann.id: ann for ann in anns}
        new = list(by_id.values())
        keys = list(by_id)
        with self._lock:
            for key in self._anns.keys() & by_id.keys():
                self.remove(key)
            self._generation += 1
            self._anns.update(by_id)
            reused = [self._free.pop() for _ in range(min(len(self._free), len(keys)))]
            fresh = range(len(self._ids), len(self._ids) + len(keys) - len(reused))
            self._ids.extend(repeat("", len(fresh)))
            self._slot.update(zip(keys, chain(reused, fresh), strict=True))
            deque(map(self._ids.__setitem__, chain(reused, fresh), keys), maxlen=0)
            self._order.update(zip(keys, map(attrgetter("sort_key"), new), strict=True))
            distinct = sum(map(len, self._values.values()))
            tags, labels, authors = (self._values[name] for name in KEYWORD_FIELDS)
            # Grouping keys by document, tag, label and annotator with map(set.add) runs in C.
            _group(self._by_doc, map(attrgetter("doc"), new), keys)
            all_tags = list(map(attrgetter("tags"), new))
            tag_owners = chain.from_iterable(map(repeat, keys, map(len, all_tags)))
            _group(tags, chain.from_iterable(all_tags), tag_owners)
            all_labels = list(map(attrgetter("label"), new))
            _group(labels, filter(None, all_labels), compress(keys, all_labels))
            _group(authors, map(attrgetter("author"), new), keys)
            if sum(map(len, self._values.values())) != distinct:
                self._value_cache.clear()
            for flag, test in _FLAGS.items():
                self._flags[flag].update(compress(keys, test(new)))
            for name, text_of in _PROSE.items():
                self._index.add(name, keys, list(map(text_of, new)))
            self._index.size = len(self._anns)

    def remove(self, ann_id: str) -> bool:
        """Forget an annotation; False if it was not indexed."""
        with self._lock:
            ann = self._anns.pop(ann_id, None)
            if ann is None:
                return False
            del self._order[ann_id]
            self._generation += 1
            slot = self._slot.pop(ann_id)
            self._ids[slot] = ""
            self._free.append(slot)
            in_doc = self._by_doc[ann.doc]
            in_doc.discard(ann_id)
            if not in_doc:
                del self._by_doc[ann.doc]
            for flag in self._flags.values():
                flag.discard(ann_id)
            for name, text_of in _PROSE.items():
                self._index.remove(name, ann_id, text_of(ann))
            for name, values in _keyword_values(ann).items():
                for value in values:
                    holders = self._values[name][value]
                    holders.discard(ann_id)
                    if not holders:
                        del self._values[name][value]
                        self._value_cache.clear()
            self._index.size = len(self._anns)
            return True

    def attach(self, store: AnnotationStore) -> Callable[[], None]:
        """Load every annotation of `store` and follow its changes; returns a function to stop."""
        with self._lock:
            self.detach()
            self.add_many(store.annotations())
            self._detach = store.subscribe(self._on_change)
        return self.detach

    def detach(self) -> None:
        if self._detach is not None:
            self._detach()
            self._detach = None

    def _on_change(self, op: str, before: Annotation | None, after: Annotation | None) -> None:
        with self._lock:
            if before is not None:
                self.remove(before.id)
            if after is not None:
                self.add(after)

    # -- searching -----------------------------------------------------------------------------

    def search(self, query: str | Query, limit: int | None = None) -> list[Hit]:
        """Hits ranked best first (ties in document order); at most `limit` of them."""
        q = parse_query(query) if isinstance(query, str) else query
        with self._lock:
            if q.empty:
                return []
            if q.searches_text:
                return self._search_sentences(q, limit)
            scores = self._top_scores(q, limit) if limit is not None and limit > 0 else None
            if scores is None:
                keys = self._candidates(q)
                scores = self._scores(q, keys)
            shown = tuple(q.positive_terms)
            hits = []
            for key in _rank(scores, self._order, limit):
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

    def _scores(self, q: Query, keys: set[str]) -> dict[str, float]:
        scores = dict.fromkeys(keys, 0.0)
        for term in q.positive_terms:
            self._score(term, keys, scores)
        return scores

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
        for name in _annotation_fields(term):
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
            by_doc = self._by_doc
            keys = chain.from_iterable(by_doc[doc] for doc in docs if doc in by_doc)
            bits |= self._cached_bits(("docs", term.field, term.words), keys)
        return bits

    def _parts(self, term: Term) -> list[Part]:
        """The parts of the score that `term` adds, each with its upper bound and records."""
        parts = []
        for name in _annotation_fields(term):
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
            make = partial(self._doc_bits, term.field, term.words, doc_scores)
            parts.append(Part(bound, make, constant=len(set(doc_scores.values())) == 1))
        return parts

    def _term_bits(self, st: TermStats) -> int:
        if st.bits is None:  # dropped with the stats whenever a record holding the term changes
            st.bits = to_bits(map(self._slot.__getitem__, st.tfs), len(self._ids))
        return st.bits

    def _cached_bits(self, key: tuple[Any, ...], keys: Iterable[str]) -> int:
        generation, bits = self._bits.get(key, (-1, 0))
        if generation != self._generation:
            bits = to_bits(map(self._slot.__getitem__, keys), len(self._ids))
            if len(self._bits) > 10_000:
                self._bits.clear()
            self._bits[key] = (self._generation, bits)
        return bits

    def _doc_bits(
        self, field: str | None, words: tuple[bytes, ...], doc_scores: dict[str, float]
    ) -> int:
        by_doc = self._by_doc
        keys = chain.from_iterable(by_doc[doc] for doc in doc_scores if doc in by_doc)
        return self._cached_bits(("doc", field, words), keys)

    def _candidates(self, q: Query, within: set[str] | None = None) -> set[str]:
        """The annotations `q` matches (of `within`, when given)."""
        found = within
        # Each group only has to look at what the previous ones left; phrases, which need their
        # texts read, go last.
        for group in sorted(q.groups, key=lambda g: any(term.phrase for term in g)):
            matched = set().union(*(self._matches(term, found) for term in group))
            found = matched if found is None else found & matched
            if not found:
                return set()
        if found is None:
            found = set(self._anns)
        for term in q.excluded:
            found = found - self._matches(term, found)
        return found

    def _matches(self, term: Term, within: set[str] | None = None) -> set[str]:
        """The annotations `term` matches (of `within`, when given)."""
        if term.field in FILTER_FIELDS:
            flagged = self._flags.get(f"{term.field}:{term.value}", set())
            return flagged if within is None else flagged & within
        found: set[str] = set()
        for name in _annotation_fields(term):
            if name in KEYWORD_FIELDS:
                values = self._values[name]
                holders = [values[v] for v in self._matching_values(name, term.words)]
                if within is not None:
                    holders = [h & within for h in holders]
                found = found.union(*holders)
                continue
            keys = self._index.keys(name, term.words, within)
            if term.phrase:
                candidates = list(keys)
                texts = list(map(_PROSE[name], map(self._anns.__getitem__, candidates)))
                keys = {candidates[i] for i in containing(texts, term.words)}
            found |= keys
        docs = self._doc_matches(term)
        if docs and within is not None:
            rest = list(within - found)
            of_doc = map(attrgetter("doc"), map(self._anns.__getitem__, rest))
            found.update(compress(rest, map(docs.__contains__, of_doc)))
        else:
            for doc in docs:
                found |= self._by_doc.get(doc, set())
        return found

    def _doc_matches(self, term: Term) -> set[str]:
        found: set[str] = set()
        for name in _doc_fields(term):
            keys = self._docs.keys(name, term.words)
            if term.phrase:
                keys = _verify(keys, term.words, partial(self._doc_texts, name=name))
            found |= keys
        return found

    def _doc_texts(self, doc_id: str, name: str) -> tuple[str, ...]:
        doc = self.corpus.get(doc_id) if self.corpus is not None else None
        return _document_texts(doc)[name] if doc is not None else ()

    def _matching_values(self, name: str, words: tuple[bytes, ...]) -> list[str]:
        """The distinct tags (labels, annotators) that the words match; cached until they change."""
        found = self._value_cache.get((name, words))
        if found is None:
            found = [v for v in self._values[name] if contains(v, words)]
            self._value_cache[(name, words)] = found
        return found

    def _score(self, term: Term, keys: set[str], scores: dict[str, float]) -> None:
        for name in _annotation_fields(term):
            if name in KEYWORD_FIELDS:
                for value in self._matching_values(name, term.words):
                    score = self._value_score(name, term.words, value)
                    hits = list(self._values[name][value] & keys)
                    scores.update(
                        zip(
                            hits,
                            map(add, map(scores.__getitem__, hits), repeat(score)),
                            strict=False,
                        )
                    )
                continue
            for word in term.words:
                add_scores(scores, self._index.scores(name, word, keys))
        doc_scores = self._doc_scores(term)
        if len(keys) < 4 * len(doc_scores):  # few keys: look up each one's document
            of_doc = map(attrgetter("doc"), map(self._anns.__getitem__, keys))
            for key, doc in zip(keys, of_doc, strict=True):
                extra = doc_scores.get(doc)
                if extra is not None:
                    scores[key] = scores[key] + extra
            return
        for doc, extra in doc_scores.items():
            hits = list(self._by_doc.get(doc, set()) & keys)
            scores.update(
                zip(hits, map(add, map(scores.__getitem__, hits), repeat(extra)), strict=False)
            )

    def _doc_scores(self, term: Term) -> dict[str, float]:
        """What the term's words in each document's metadata add to that document's annotations
        (cached until the annotations change: idf counts the documents that have some)."""
        key = (term.field, term.words)
        generation, doc_scores = self._doc_score_cache.get(key, (-1, {}))
        if generation != self._generation:
            doc_scores = {}
            docs = set(self._by_doc)
            for name in _doc_fields(term):
                for word in term.words:
                    add_scores(doc_scores, self._docs.scores(name, word, docs), union=True)
            if len(self._doc_score_cache) > 1000:
                self._doc_score_cache.clear()
            self._doc_score_cache[key] = (self._generation, doc_scores)
        return doc_scores

    def _value_score(self, name: str, words: tuple[bytes, ...], value: str) -> float:
        """What holding the tag (label, annotator) `value` adds for the query words."""
        df = len(self._values[name][value])
        idf = math.log(1 + (len(self._anns) - df + 0.5) / (df + 0.5))
        exact = set(words) <= set(terms(value))
        return ANNOTATION_WEIGHTS[name][0] * idf * (1.0 if exact else PREFIX_WEIGHT)

    # -- sentences (text:) ---------------------------------------------------------------------

    def _search_sentences(self, q: Query, limit: int | None) -> list[Hit]:
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
        for key in _rank(scores, self._sentence_at, limit):
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
                keys = _verify(keys, term.words, lambda k: (self._sentence_text(k),))
            return keys
        if term.field in DOCUMENT_FIELDS:
            docs = self._doc_matches(term)
            self._segment(docs)
            return set().union(*(self._sentences_of.get(d, set()) for d in docs))
        return None


def _group(groups: defaultdict[str, set[str]], values: Iterable[str], keys: Iterable[str]) -> None:
    """Add each key to the set of its value (values and keys in step)."""
    deque(map(set.add, map(groups.__getitem__, values), keys), maxlen=0)


def _annotation_fields(term: Term) -> tuple[str, ...]:
    if term.field is None:
        return DEFAULT_ANNOTATION_FIELDS
    return (term.field,) if term.field in ANNOTATION_FIELDS else ()


def _doc_fields(term: Term) -> tuple[str, ...]:
    if term.field is None:
        return DOCUMENT_FIELDS
    return (term.field,) if term.field in DOCUMENT_FIELDS else ()


def _verify(
    keys: set[str], words: Sequence[bytes], texts_of: Callable[[str], tuple[str, ...]]
) -> set[str]:
    """The keys with a text in which the words are consecutive (one regex pass over all of them)."""
    owners: list[str] = []
    texts: list[str] = []
    for key in keys:
        for text in texts_of(key):
            owners.append(key)
            texts.append(text)
    return {owners[i] for i in containing(texts, words)}


def _rank(scores: dict[str, float], order: Mapping[str, Any], limit: int | None) -> list[str]:
    """Keys best first, ties in `order`; only the first `limit` are fully sorted."""

    def best_first(key: str) -> tuple[float, Any]:
        return (-scores[key], order[key])

    if limit is None or len(scores) <= limit:
        return sorted(scores, key=best_first)
    if limit <= 0:
        return []
    cutoff = heapq.nlargest(limit, scores.values())[-1]
    keys, values = list(scores), list(scores.values())
    above = list(compress(keys, map(cutoff.__lt__, values)))
    tied = compress(keys, map(cutoff.__eq__, values))
    # Among equal scores document order decides; only the first few of them are needed.
    chosen = above + heapq.nsmallest(limit - len(above), tied, key=order.__getitem__)
    return sorted(chosen, key=best_first)
