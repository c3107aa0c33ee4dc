"""The disagreements between annotators in one document: clusters of overlapping spans, each either an
agreement or one of four kinds of disagreement (see reader/adjudication/__init__.py)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.model.annotation import Annotation
from reader.model.layers import GOLD

KINDS = {
    "only": "only some annotators marked this",
    "span": "overlapping spans",
    "label": "same span, different labels",
    "links": "same spans and labels, different links",
}


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


@dataclass(frozen=True, slots=True)
class Agreement:
    """A cluster where every annotator of the document marked the same: one version of it (the
    first annotator's) is what gold would take."""

    doc: str
    start: int
    end: int
    annotations: tuple[Annotation, ...]


def walk_document(
    doc: str, annotations: Iterable[Annotation], annotators: Sequence[str]
) -> tuple[list[Disagreement], list[Agreement]]:
    """The disagreements and agreements among `annotators` in one document, in text order.

    Only the annotators with a span in the document take part, and only a document at least two of
    them annotated has any: in a document one annotator never read, everything would be "only",
    which says nothing about agreement.
    """
    chosen = set(annotators)
    anns = [a for a in annotations if a.author in chosen and a.start is not None]
    present = {a.author for a in anns}
    if len(present) < 2:
        return [], []
    # Someone who marked nothing in the whole document did not annotate it: they are left out here.
    names = [name for name in annotators if name in present]
    by_id = {a.id: a for a in anns}
    disagreements: list[Disagreement] = []
    agreements: list[Agreement] = []
    for start, end, cluster in _clusters(anns):
        mine: dict[str, list[Annotation]] = {name: [] for name in names}
        for ann in cluster:
            mine[ann.author].append(ann)
        versions = tuple(Version(name, tuple(mine[name])) for name in names)
        kind = _kind(versions, by_id)
        if kind is not None:
            disagreements.append(Disagreement(doc, start, end, kind, versions))
        else:
            agreements.append(Agreement(doc, start, end, versions[0].annotations))
    return disagreements, agreements


def find_disagreements(
    doc: str, annotations: Iterable[Annotation], annotators: Sequence[str]
) -> list[Disagreement]:
    """The disagreements of `walk_document`."""
    return walk_document(doc, annotations, annotators)[0]


@dataclass
class GoldSpans:
    """A document's gold spans, for "does gold overlap this extent" in O(log n)."""

    starts: list[int] = field(default_factory=list)
    reach: list[int] = field(default_factory=list)  # the furthest end among the first i+1

    @classmethod
    def of(cls, anns: Iterable[Annotation]) -> GoldSpans:
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
