"""The annotation side of search: an in-memory inverted index over annotations and their documents'
metadata, kept up to date with the store, and what a query term matches and scores in it.

Prose fields (note, quote) and document metadata live in `Postings` (reader/search/postings.py); tags, labels and
annotator names, few distinct values shared by many annotations, as a set of annotations per value; the
has:/origin: filters as a set per flag. Annotations are also numbered by slot, so that the top-k ranking
(reader/search/engine.py) can intersect bitsets. Scores are BM25 per field, summed with field weights (note above
quote above tags; document metadata lowest).
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import chain, compress, repeat
from operator import add, attrgetter, is_not
from typing import TYPE_CHECKING, Any

from reader.model.annotation import Annotation
from reader.search.postings import (
    PREFIX_WEIGHT,
    Postings,
    TermStats,
    add_scores,
    containing,
    to_bits,
)
from reader.search.query import (
    ANNOTATION_FIELDS,
    DOCUMENT_FIELDS,
    FILTER_FIELDS,
    Query,
    Term,
    contains,
    terms,
)

if TYPE_CHECKING:
    from reader.corpus.documents import Corpus, Document
    from reader.store import AnnotationStore

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
DEFAULT_ANNOTATION_FIELDS = ("note", "quote", "tag", "label")
# Notes and quotes are prose: posting lists. Tags, labels and annotator names are few distinct values
# shared by many annotations: a set of annotations per value is cheaper to build and as fast to query.
PROSE_FIELDS = ("note", "quote")
KEYWORD_FIELDS = ("tag", "label", "by")
_PROSE: dict[str, Callable[[Annotation], str]] = {
    "note": attrgetter("note"),
    "quote": attrgetter("quote"),
}


class _Columns:
    """The fields of a batch of annotations, one list per field, each read on first use."""

    def __init__(self, anns: list[Annotation]) -> None:
        self._anns = anns

    def __getattr__(self, name: str) -> list[Any]:
        values = list(map(attrgetter(name), self._anns))
        setattr(self, name, values)  # later reads find the list without coming here
        return values


# has: and origin: filters: which annotations of a batch pass (a truth value per annotation).
_FLAGS: dict[str, Callable[[_Columns], Iterable[Any]]] = {
    "origin:manual": lambda c: map("manual".__eq__, c.origin),
    "origin:suggestion": lambda c: map("suggestion".__eq__, c.origin),
    "has:note": lambda c: map(str.strip, c.note),
    "has:link": lambda c: c.links,
    "has:tag": lambda c: c.tags,
    "has:label": lambda c: c.label,
    "has:quote": lambda c: map(is_not, c.start, repeat(None)),
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


class AnnotationIndex:
    """Annotations indexed for matching and scoring; `SearchIndex` (reader/search/engine.py) answers queries.

    Every change and every query holds `_lock`: the app searches from a worker while store changes
    arrive on the UI thread.
    """

    def __init__(self, corpus: Corpus | None = None) -> None:
        self.corpus = corpus
        self._lock = threading.RLock()
        self._anns: dict[str, Annotation] = {}
        self._order: dict[str, tuple[Any, ...]] = {}
        self._by_doc: defaultdict[str, set[str]] = defaultdict(set)
        self._flags: dict[str, set[str]] = {flag: set() for flag in (*_FLAGS, "linked:")}
        # rel:TYPE flags are made as types turn up; `_incoming` counts the links to each id, so
        # linked: holds the targets of links as well as their sources.
        self._incoming: dict[str, int] = {}
        self._index = Postings({name: ANNOTATION_WEIGHTS[name] for name in PROSE_FIELDS})
        self._values: dict[str, defaultdict[str, set[str]]] = {
            name: defaultdict(set) for name in KEYWORD_FIELDS
        }
        self._value_cache: dict[tuple[str, tuple[bytes, ...]], list[str]] = {}
        self._docs = Postings(DOCUMENT_WEIGHTS)
        self._detach: Callable[[], None] | None = None
        # Slots number the annotations for bitsets (top-k pruning); freed slots are reused.
        self._slot: dict[str, int] = {}
        self._ids: list[str] = []  # "" for a free slot
        self._free: list[int] = []
        self._generation = 0  # bumped on every change: bitsets of tags, labels, documents expire
        self._bits: dict[tuple[Any, ...], tuple[int, int]] = {}
        self._doc_score_cache: dict[tuple[Any, ...], tuple[int, dict[str, float]]] = {}
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

    def labels(self) -> list[str]:
        """The labels of the annotations indexed, and the corpus scheme's."""
        with self._lock:
            found = list(self._values["label"])
        scheme = self.corpus.scheme.names if self.corpus is not None else []
        return sorted({*found, *scheme})

    def add_many(self, anns: Iterable[Annotation], prose: bool = True) -> None:
        """Index many annotations at once: much faster than one by one. `prose` off: their note and
        quote are indexed already (see _on_change)."""
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
            # Each field read once for the whole batch, by map in C rather than a Python loop.
            column = _Columns(new)
            self._order.update(zip(keys, map(attrgetter("sort_key"), new), strict=True))
            distinct = sum(map(len, self._values.values()))
            tags, labels, authors = (self._values[name] for name in KEYWORD_FIELDS)
            # Grouping keys by document, tag, label and annotator with map(set.add) runs in C.
            _group(self._by_doc, map(attrgetter("doc"), new), keys)
            tag_owners = chain.from_iterable(map(repeat, keys, map(len, column.tags)))
            _group(tags, chain.from_iterable(column.tags), tag_owners)
            _group(labels, filter(None, column.label), compress(keys, column.label))
            _group(authors, map(attrgetter("author"), new), keys)
            if sum(map(len, self._values.values())) != distinct:
                self._value_cache.clear()
            for flag, test in _FLAGS.items():
                self._flags[flag].update(compress(keys, test(column)))
            self._add_links(compress(new, column.links))
            linked = self._flags["linked:"]
            linked.update(k for k in keys if self._incoming.get(k))
            for name in PROSE_FIELDS if prose else ():
                self._index.add(name, keys, getattr(column, name))
            self._index.size = len(self._anns)

    def remove(self, ann_id: str, prose: bool = True) -> bool:
        """Forget an annotation; False if it was not indexed. `prose` off: keep its note and quote's
        words (it comes back at once with the same ones)."""
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
            self._remove_links(ann)
            for name, text_of in _PROSE.items() if prose else ():
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

    def _add_links(self, sources: Iterable[Annotation]) -> None:
        linked = self._flags["linked:"]
        for ann in sources:
            linked.add(ann.id)
            for kind in {link.type for link in ann.links}:
                self._flags.setdefault(f"rel:{kind}", set()).add(ann.id)
            for target in {link.to for link in ann.links}:
                self._incoming[target] = self._incoming.get(target, 0) + 1
                if target in self._anns:
                    linked.add(target)

    def _remove_links(self, ann: Annotation) -> None:
        linked = self._flags["linked:"]
        for target in {link.to for link in ann.links}:
            left = self._incoming.get(target, 0) - 1
            if left > 0:
                self._incoming[target] = left
                continue
            self._incoming.pop(target, None)
            held = self._anns.get(target)
            if held is None or not held.links:
                linked.discard(target)

    def attach(
        self,
        store: AnnotationStore,
        prepare: Callable[[list[Annotation]], list[Annotation]] | None = None,
    ) -> Callable[[], None]:
        """Load every annotation of `store` (through `prepare`, which may re-anchor those whose
        document changed) and follow its changes; returns a function to stop."""
        with self._lock:
            self.detach()
            annotations = store.annotations()
            self.add_many(prepare(annotations) if prepare is not None else annotations)
            self._detach = store.subscribe(self._on_change)
        return self.detach

    def detach(self) -> None:
        if self._detach is not None:
            self._detach()
            self._detach = None

    def _on_change(self, op: str, before: Annotation | None, after: Annotation | None) -> None:
        with self._lock:
            # A label or tag change leaves the note and quote as they were: their words (millions,
            # for a note of megabytes) stay indexed rather than being taken out and put back.
            prose = before is None or after is None or before.id != after.id
            prose = prose or any(text(before) != text(after) for text in _PROSE.values())  # type: ignore[arg-type]
            if before is not None:
                self.remove(before.id, prose=prose)
            if after is not None:
                self.add_many([after], prose=prose)

    # -- matching and scoring ------------------------------------------------------------------

    def _scores(self, q: Query, keys: set[str]) -> dict[str, float]:
        scores = dict.fromkeys(keys, 0.0)
        for term in q.positive_terms:
            self._score(term, keys, scores)
        return scores

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
        for name in annotation_fields(term):
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
        for name in doc_fields(term):
            keys = self._docs.keys(name, term.words)
            if term.phrase:
                keys = verify(keys, term.words, partial(self._doc_texts, name=name))
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
        for name in annotation_fields(term):
            if name in KEYWORD_FIELDS:
                for value in self._matching_values(name, term.words):
                    score = self._value_score(name, term.words, value)
                    _add_to(scores, self._values[name][value] & keys, score)
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
            _add_to(scores, self._by_doc.get(doc, set()) & keys, extra)

    def _doc_scores(self, term: Term) -> dict[str, float]:
        """What the term's words in each document's metadata add to that document's annotations
        (cached until the annotations change: idf counts the documents that have some)."""
        key = (term.field, term.words)
        generation, doc_scores = self._doc_score_cache.get(key, (-1, {}))
        if generation != self._generation:
            doc_scores = {}
            docs = set(self._by_doc)
            for name in doc_fields(term):
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

    # -- bitsets ------------------------------------------------------------------------------

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

    def _doc_bits(self, key: tuple[Any, ...], docs: Iterable[str]) -> int:
        """The annotations of these documents as a bitset, cached under `key`."""
        by_doc = self._by_doc
        return self._cached_bits(key, chain.from_iterable(by_doc[d] for d in docs if d in by_doc))


def _add_to(scores: dict[str, float], keys: set[str], amount: float) -> None:
    """Add `amount` to the score of each of `keys` (a map in C rather than a Python loop)."""
    hits = list(keys)
    scores.update(zip(hits, map(add, map(scores.__getitem__, hits), repeat(amount)), strict=True))


def _group(groups: defaultdict[str, set[str]], values: Iterable[str], keys: Iterable[str]) -> None:
    """Add each key to the set of its value (values and keys in step)."""
    deque(map(set.add, map(groups.__getitem__, values), keys), maxlen=0)


def annotation_fields(term: Term) -> tuple[str, ...]:
    if term.field is None:
        return DEFAULT_ANNOTATION_FIELDS
    return (term.field,) if term.field in ANNOTATION_FIELDS else ()


def doc_fields(term: Term) -> tuple[str, ...]:
    if term.field is None:
        return DOCUMENT_FIELDS
    return (term.field,) if term.field in DOCUMENT_FIELDS else ()


def verify(
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
