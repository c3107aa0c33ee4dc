"""Links read as an argument: which annotations link to which, and the argument map (a forest).

A link goes from the annotation that gives a reason to the one it bears on. The map's roots are the
annotations that link to nothing (usually the main claims); beneath each are the annotations that link
to it, recursively. An annotation that links to two others appears under both, but its own subtree is
spelled out only the first time (later rows are marked "shown above"), so the map has one row per link
and stays small however the links are shared; a link back into the path being drawn is marked as a
cycle and not followed. Annotations in no link at all are listed apart.

No Textual or Rich here: the app draws the map, tests and benchmarks build it directly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from reader.model.annotation import Annotation

# How a row relates to the one above it (the row is not a root and not shown for the first time).
REPEAT = "repeat"  # its subtree was spelled out earlier in the map
CYCLE = "cycle"  # it is already on the path from the root to here


@dataclass(frozen=True, slots=True)
class LinkEnd:
    """One link seen from one of its ends: the type and the annotation at the other end (None when
    that annotation is not in the store any more)."""

    type: str
    other_id: str
    other: Annotation | None
    outgoing: bool


class LinkIndex:
    """Outgoing and incoming links of a set of annotations. Built on every change to a document's
    annotations, so it looks only at those with links: the id lookup over all of them (thousands
    in a dense document) is made only when the panel shows a link's other end."""

    def __init__(self, annotations: Iterable[Annotation]) -> None:
        self._annotations = annotations if isinstance(annotations, list) else list(annotations)
        self.sources = [ann for ann in self._annotations if ann.links]
        self.incoming: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        for ann in self.sources:
            for link in ann.links:
                self.incoming[link.to].append((link.type, ann.id))

    @cached_property
    def by_id(self) -> dict[str, Annotation]:
        return {ann.id: ann for ann in self._annotations}

    def linked_ids(self) -> set[str]:
        """Annotations in any link, as source or target (targets only if they are present)."""
        ids = {a.id for a in self.sources}
        if self.incoming:
            ids.update(a.id for a in self._annotations if a.id in self.incoming)
        return ids

    def ends(
        self, annotation: Annotation, lookup: Callable[[str], Annotation | None] | None = None
    ) -> list[LinkEnd]:
        """The annotation's outgoing links, then its incoming ones; `lookup` finds a target that is
        not among the indexed annotations (in another document)."""
        found: list[LinkEnd] = []
        for link in annotation.links:
            other = self.by_id.get(link.to)
            if other is None and lookup is not None:
                other = lookup(link.to)
            found.append(LinkEnd(link.type, link.to, other, True))
        for type_, source in self.incoming.get(annotation.id, ()):
            found.append(LinkEnd(type_, source, self.by_id.get(source), False))
        return found


@dataclass(frozen=True, slots=True)
class MapNode:
    annotation: Annotation
    relation: str | None = None  # the type of its link to the row above; None for a root
    mark: str = ""  # "", REPEAT or CYCLE
    children: tuple[MapNode, ...] = ()


@dataclass(frozen=True, slots=True)
class ArgumentMap:
    roots: tuple[MapNode, ...] = ()
    isolated: tuple[Annotation, ...] = ()
    # Roots that only a cycle reaches (every annotation in it links somewhere): drawn as roots.
    cyclic_roots: frozenset[str] = field(default_factory=frozenset)

    def rows(self) -> int:
        """How many rows the whole map has (every subtree unfolded), the isolated ones included."""
        count, stack = 0, list(self.roots)
        while stack:
            node = stack.pop()
            count += 1
            stack.extend(node.children)
        return count + len(self.isolated)


def build_map(annotations: Iterable[Annotation]) -> ArgumentMap:
    """The argument map of these annotations. Links to annotations outside the set are ignored, so
    an annotation whose only links point outside is a root (or isolated)."""
    anns = sorted(annotations, key=lambda a: a.sort_key)
    by_id = {a.id: a for a in anns}
    # children[target] = [(type, source)], in text order of the source
    children: dict[str, list[tuple[str, Annotation]]] = defaultdict(list)
    links_out: dict[str, str] = {}  # source -> the target of its first link within the set
    for ann in anns:
        seen_targets: set[tuple[str, str]] = set()
        for link in ann.links:
            if link.to in by_id and link.to != ann.id and (link.type, link.to) not in seen_targets:
                seen_targets.add((link.type, link.to))
                children[link.to].append((link.type, ann))
                links_out.setdefault(ann.id, link.to)
    expanded: set[str] = set()

    # Iterative depth-first walk: a chain of thousands of links must not hit the recursion limit.
    def walk(root: Annotation) -> MapNode:
        expanded.add(root.id)
        # Each frame: the annotation, its relation, its mark, its pending children, built children.
        stack: list[tuple[Annotation, str | None, list[tuple[str, Annotation]], list[MapNode]]] = [
            (root, None, list(reversed(children.get(root.id, ()))), [])
        ]
        path = {root.id}
        while True:
            ann, relation, pending, built = stack[-1]
            if pending:
                type_, child = pending.pop()
                if child.id in path:
                    built.append(MapNode(child, type_, CYCLE))
                elif child.id in expanded:
                    has_more = bool(children.get(child.id))
                    built.append(MapNode(child, type_, REPEAT if has_more else ""))
                else:
                    expanded.add(child.id)
                    path.add(child.id)
                    stack.append((child, type_, list(reversed(children.get(child.id, ()))), []))
                continue
            stack.pop()
            path.discard(ann.id)
            node = MapNode(ann, relation, "", tuple(built))
            if not stack:
                return node
            stack[-1][3].append(node)

    roots: list[MapNode] = []
    isolated: list[Annotation] = []
    for ann in anns:
        if ann.id in links_out:
            continue
        if ann.id in children:
            roots.append(walk(ann))
        else:
            isolated.append(ann)
    # What only cycles reach: every annotation there links somewhere, so none is a root. Following
    # first links from the first such annotation in text order must come round to one on a cycle
    # (their targets are not drawn yet either); that one stands in as the root.
    cyclic: set[str] = set()
    for ann in anns:
        if ann.id in links_out and ann.id not in expanded:
            on_path: set[str] = set()
            at = ann.id
            while at not in on_path:
                on_path.add(at)
                at = links_out[at]
            cyclic.add(at)
            roots.append(walk(by_id[at]))
    return ArgumentMap(tuple(roots), tuple(isolated), frozenset(cyclic))


def corpus_maps(annotations: Iterable[Annotation]) -> dict[str, ArgumentMap]:
    """One map per document for the whole corpus: the forest is built over every annotation (so
    links across documents are followed), then each tree goes under its root's document."""
    whole = build_map(annotations)
    roots: dict[str, list[MapNode]] = defaultdict(list)
    isolated: dict[str, list[Annotation]] = defaultdict(list)
    for node in whole.roots:
        roots[node.annotation.doc].append(node)
    for ann in whole.isolated:
        isolated[ann.doc].append(ann)
    return {
        doc: ArgumentMap(tuple(roots[doc]), tuple(isolated[doc]), whole.cyclic_roots)
        for doc in sorted(roots.keys() | isolated.keys())
    }


class LinkCache:
    """The LinkIndex of a document's annotation list, rebuilt only when handed a different list
    (the reading session makes a new list on every change), with the sorted starts of the linked
    ones for the text margin: a row asks with a bisection, not a scan of thousands."""

    def __init__(self) -> None:
        self._of: list[Annotation] | None = None
        self._index = LinkIndex(())
        self._starts: list[int] = []

    def index(self, annotations: list[Annotation]) -> LinkIndex:
        if annotations is not self._of:
            self._of = annotations
            self._index = LinkIndex(annotations)
            linked = self._index.linked_ids()
            self._starts = (
                sorted(a.start for a in annotations if a.id in linked and a.start is not None)
                if linked
                else []
            )
        return self._index

    def starts_between(self, annotations: list[Annotation], start: int, end: int) -> bool:
        """Whether a linked annotation starts in [start, end)."""
        self.index(annotations)
        i = bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < end
