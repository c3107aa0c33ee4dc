"""Adjudication: the disagreements between annotators, document by document, and the decisions that
build the `gold` layer from them.

A *disagreement* is a cluster of one document's spans: the annotations of the chosen annotators that
overlap each other, directly or through a chain (brat's and INCEpTION's "position"). A cluster where every
annotator has the same spans with the same labels and links is an agreement and is left out; any other is
one of four kinds, checked in this order:
- "only": some annotators have nothing there;
- "span": they marked overlapping but different spans;
- "label": the same spans with different labels;
- "links": the same spans and labels, different links (type and the span linked to).

Deciding copies versions into the gold layer, and never touches an annotator's annotation:
- taking annotator A's version adds a copy of each of A's annotations in the cluster with author `gold`
  and the id `<A's id>.gold` (so a copy knows where it came from, across restarts, exports and
  merges); links go to the gold copies of their targets where those exist, and gold copies already
  linking to the taken annotation's source get the link to the new copy (one store write, one undo step);
- "neither" is kept in the store's meta area, under the document's adjudication key (one undoable
  change), as the cluster's key: the sorted ids of its annotations.

A disagreement is decided when a gold annotation overlaps it (a copy taken here, or a gold layer
imported from elsewhere) or its key was rejected. The list depends only on the annotators' layers, which
deciding never changes, so it is built once; deciding refreshes one document's flags.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.model.annotation import Annotation, Link, now_iso
from reader.store.annotation_store import AnnotationStore
from reader.user_state import UserState, adjudication_key, rejected_value

__all__ = [
    "GOLD",
    "KINDS",
    "Adjudication",
    "Disagreement",
    "Version",
    "annotators_of",
    "find_disagreements",
    "gold_id",
]

GOLD = "gold"
GOLD_SUFFIX = ".gold"
KINDS = {
    "only": "only some annotators marked this",
    "span": "overlapping spans",
    "label": "same span, different labels",
    "links": "same spans and labels, different links",
}


def gold_id(source_id: str) -> str:
    """The id of the gold copy of annotation `source_id`."""
    return source_id + GOLD_SUFFIX


@dataclass(frozen=True, slots=True)
class Version:
    """One annotator's annotations in a disagreement (none when they marked nothing there)."""

    annotator: str
    annotations: tuple[Annotation, ...]


@dataclass(frozen=True, slots=True)
class Disagreement:
    doc: str
    start: int
    end: int  # the cluster's extent: from its first start to its last end
    kind: str
    versions: tuple[Version, ...]  # one per annotator, in the adjudication's order

    @property
    def key(self) -> str:
        """What a "neither" decision records: the ids of every annotation in the cluster."""
        return " ".join(sorted(a.id for v in self.versions for a in v.annotations))

    @property
    def annotations(self) -> list[Annotation]:
        return [a for v in self.versions for a in v.annotations]


def _span(ann: Annotation) -> tuple[int, int]:
    assert ann.start is not None and ann.end is not None
    return ann.start, ann.end


def annotators_of(annotations: Iterable[Annotation]) -> list[str]:
    """Everyone with an annotation on a span, gold left out, sorted."""
    return sorted({a.author for a in annotations if a.start is not None and a.author != GOLD})


def _clusters(anns: list[Annotation]) -> list[tuple[int, int, list[Annotation]]]:
    """Spans grouped into runs that overlap one another, with each run's extent (one sort, one
    sweep). An empty span still takes its place: it joins a span around its position."""
    anns = sorted(anns, key=lambda a: (a.start, a.end, a.id))
    out: list[tuple[int, int, list[Annotation]]] = []
    reach = end = -1
    members: list[Annotation] = []
    first = 0
    for ann in anns:
        start, stop = ann.start, ann.end
        assert start is not None and stop is not None
        if members and start < reach:
            members.append(ann)
            reach = max(reach, stop, start + 1)
            end = max(end, stop)
            continue
        if members:
            out.append((first, end, members))
        members, first, end, reach = [ann], start, stop, max(stop, start + 1)
    if members:
        out.append((first, end, members))
    return out


def _kind(versions: Sequence[Version], by_id: dict[str, Annotation]) -> str | None:
    """Which disagreement the versions make, or None when they agree."""
    if any(not v.annotations for v in versions):
        return "only"
    # Each version's annotations are in text order already (the clusters are sorted).
    spans = [[(a.start, a.end) for a in v.annotations] for v in versions]
    if any(s != spans[0] for s in spans):
        return "span"
    labelled = [sorted((a.start, a.end, a.label or "") for a in v.annotations) for v in versions]
    if any(s != labelled[0] for s in labelled):
        return "label"

    def links(version: Version) -> list[tuple[Any, ...]]:
        out = []
        for ann in version.annotations:
            for link in ann.links:
                target = by_id.get(link.to)
                # A target elsewhere (another document) is compared by its id.
                where = (target.start, target.end, target.label) if target else (link.to,)
                out.append((*_span(ann), link.type, *where))
        return sorted(out, key=repr)

    linked = [links(v) for v in versions]
    if any(s != linked[0] for s in linked):
        return "links"
    return None


def find_disagreements(
    doc: str, annotations: Iterable[Annotation], annotators: Sequence[str]
) -> list[Disagreement]:
    """The disagreements among `annotators` in one document's annotations, in text order.

    Only the annotators with a span in the document take part, and only a document at least two of
    them annotated has any: in a document one annotator never read, everything would be "only",
    which says nothing about agreement.
    """
    chosen = set(annotators)
    anns = [a for a in annotations if a.author in chosen and a.start is not None]
    present = {a.author for a in anns}
    if len(present) < 2:
        return []
    # Someone who marked nothing in the whole document did not annotate it: they are left out here.
    names = [name for name in annotators if name in present]
    by_id = {a.id: a for a in anns}
    out = []
    for start, end, cluster in _clusters(anns):
        mine: dict[str, list[Annotation]] = {name: [] for name in names}
        for ann in cluster:
            mine[ann.author].append(ann)
        versions = tuple(Version(name, tuple(mine[name])) for name in names)
        kind = _kind(versions, by_id)
        if kind is not None:
            out.append(Disagreement(doc, start, end, kind, versions))
    return out


@dataclass
class _Gold:
    """A document's gold spans, for "does gold overlap this extent" in O(log n)."""

    starts: list[int] = field(default_factory=list)
    reach: list[int] = field(default_factory=list)  # the furthest end among the first i+1

    @classmethod
    def of(cls, anns: Iterable[Annotation]) -> _Gold:
        spans = sorted(_span(a) for a in anns if a.author == GOLD and a.start is not None)
        gold = cls()
        furthest = -1
        for start, end in spans:
            furthest = max(furthest, end, start + 1)
            gold.starts.append(start)
            gold.reach.append(furthest)
        return gold

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self.starts, max(end, start + 1))
        return before > 0 and self.reach[before - 1] > start


class Adjudication:
    """The disagreements of a store's annotators over its documents, and the decisions on them."""

    def __init__(self, store: AnnotationStore, annotators: Sequence[str] | None = None) -> None:
        self.store = store
        counts = store.counts()
        by_doc = {doc: store.annotations(doc) for doc in counts}
        self.everyone = annotators_of(a for anns in by_doc.values() for a in anns)
        self.annotators = list(annotators) if annotators else self.everyone
        # Names asked for that made no annotations: a typo, most likely, to be said as such.
        self.unknown = [name for name in self.annotators if name not in self.everyone]
        self.items: list[Disagreement] = []
        self._docs: dict[str, tuple[int, int]] = {}  # doc -> its items' index range
        for doc in sorted(by_doc) if not self.unknown else ():
            found = find_disagreements(doc, by_doc[doc], self.annotators)
            if found:
                self._docs[doc] = (len(self.items), len(self.items) + len(found))
                self.items.extend(found)
        self.decided = [False] * len(self.items)
        for doc in self._docs:
            self.refresh(doc, by_doc[doc])

    # -- reading -------------------------------------------------------------------------------

    @property
    def documents(self) -> list[str]:
        return list(self._docs)

    def in_document(self, doc: str) -> range:
        """The indexes of a document's disagreements."""
        first, end = self._docs.get(doc, (0, 0))
        return range(first, end)

    def done(self, doc: str | None = None) -> tuple[int, int]:
        """(decided, all) overall or in one document."""
        indexes = self.in_document(doc) if doc is not None else range(len(self.items))
        return sum(self.decided[i] for i in indexes), len(indexes)

    def next_open(self, index: int, direction: int = 1) -> int | None:
        """The nearest undecided disagreement after (or before) `index`, wrapping; None when all
        are decided."""
        count = len(self.items)
        for step in range(1, count + 1):
            candidate = (index + direction * step) % count
            if not self.decided[candidate]:
                return candidate
        return None

    def refresh(self, doc: str, annotations: Iterable[Annotation] | None = None) -> None:
        """Recompute which of a document's disagreements are decided (after a decision or undo)."""
        if doc not in self._docs:
            return
        anns = self.store.annotations(doc) if annotations is None else annotations
        gold = _Gold.of(anns)
        rejected = self._state.rejected(doc)
        for i in self.in_document(doc):
            item = self.items[i]
            # The key is built only when the document has "neither" decisions at all.
            self.decided[i] = gold.overlaps(item.start, item.end) or (
                bool(rejected) and item.key in rejected
            )

    def decision(self, index: int) -> str | None:
        """How disagreement `index` was decided, in words, or None when it is open."""
        if not self.decided[index]:
            return None
        item = self.items[index]
        if item.key in self._state.rejected(item.doc):
            return "neither"
        taken = self.taken(index)
        return "took " + " and ".join(taken) if taken else "gold already has an annotation here"

    def taken(self, index: int) -> list[str]:
        """The annotators whose version of disagreement `index` is in gold (as copies made here)."""
        item = self.items[index]
        in_doc = self.store.annotations(item.doc)
        gold_ids = {a.id for a in in_doc if a.author == GOLD}
        return [
            v.annotator
            for v in item.versions
            if v.annotations and all(gold_id(a.id) in gold_ids for a in v.annotations)
        ]

    @property
    def _state(self) -> UserState:
        return UserState(self.store.meta)

    # -- deciding ------------------------------------------------------------------------------

    def take(self, index: int, annotators: Sequence[str]) -> list[Annotation]:
        """Copy these annotators' versions of disagreement `index` into gold as one undo step; an
        annotation equal to one already taken (same span and label) is taken once. Returns the
        copies; taking only empty versions records "neither"."""
        item = self.items[index]
        sources: list[Annotation] = []
        seen: set[tuple[int, int, str]] = set()
        for version in item.versions:
            if version.annotator not in annotators:
                continue
            for ann in version.annotations:
                same = (*_span(ann), ann.label or "")
                if same not in seen:
                    seen.add(same)
                    sources.append(ann)
        if not sources:
            self.reject(index)
            return []
        in_doc = {a.id: a for a in self.store.annotations(item.doc)}
        taking = {gold_id(a.id) for a in sources if gold_id(a.id) not in in_doc}
        stamp = now_iso()
        copies = [
            _copy(a, stamp, lambda i: i in in_doc or i in taking)
            for a in sources
            if gold_id(a.id) in taking
        ]
        updates = []
        taken_from = {a.id for a in sources}
        for ann in in_doc.values():
            # A gold copy whose source links to a source taken now gets the same link in gold.
            if ann.author != GOLD or not ann.id.endswith(GOLD_SUFFIX):
                continue
            source = in_doc.get(ann.id.removesuffix(GOLD_SUFFIX))
            if source is None:
                continue
            extra = [
                Link(link.type, gold_id(link.to))
                for link in source.links
                if link.to in taken_from and Link(link.type, gold_id(link.to)) not in ann.links
            ]
            if extra:
                updates.append((ann.id, {"links": (*ann.links, *extra)}))
        self.store.write_many(add=copies, update=updates)
        self.refresh(item.doc)
        return copies

    def reject(self, index: int) -> None:
        """Decide "neither" for disagreement `index`: one undoable change."""
        item = self.items[index]
        keys = self._state.rejected(item.doc) | {item.key}
        self.store.set_meta(adjudication_key(item.doc), rejected_value(keys), undoable=True)
        self.refresh(item.doc)

    def last_is_decision(self) -> bool:
        """Whether the store's last undo step is a decision made here (gold copies or "neither"),
        so that undoing on the adjudication screen never takes back an edit made elsewhere."""
        step = self.store.undo_step()
        if not step:
            return False
        for change in step:
            if isinstance(change, tuple):
                if any(a is not None and a.author != GOLD for a in change):
                    return False
            elif adjudication_doc(change.key) is None:
                return False
        return True

    def undo(self) -> set[str]:
        """Undo the store's last step; the documents whose decisions it changed (refreshed)."""
        step = self.store.undo_step()
        if step is None or not self.store.undo():
            return set()
        docs = set()
        for change in step:
            if isinstance(change, tuple):
                ann = change[1] or change[0]
                if ann is not None:
                    docs.add(ann.doc)
            else:
                doc = adjudication_doc(change.key)
                if doc is not None:
                    docs.add(doc)
        for doc in docs:
            self.refresh(doc)
        return docs


def adjudication_doc(key: str) -> str | None:
    """The document of an adjudication meta key, None for any other key."""
    prefix = adjudication_key("")
    return key[len(prefix) :] if key.startswith(prefix) else None


def _copy(source: Annotation, stamp: str, in_gold: Any) -> Annotation:
    links = tuple(
        Link(link.type, gold_id(link.to)) for link in source.links if in_gold(gold_id(link.to))
    )
    return dataclasses.replace(
        source,
        id=gold_id(source.id),
        author=GOLD,
        links=links,
        created=stamp,
        modified=stamp,
    )
