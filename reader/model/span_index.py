"""A document's annotations in text order, with overlap look-ups that cost what they return.

The document view asks "which annotations overlap this row?" for every row it draws, and the screen asks
it on every key; a document can hold tens of thousands of annotations. Sorting by start bounds the
candidates on one side only (everything starting before the row), so the list is cut into blocks of
BLOCK annotations, each knowing the furthest end among its members: a block that ends before the row is
skipped whole. Changes are applied one by one (a label key adds one annotation) rather than by rebuilding.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from reader.model.annotation import Annotation

BLOCK = 32


def span_key(annotation: Annotation) -> tuple[int, int, str]:
    """Text order: by start, the longer of two starting together first, then by id."""
    return (annotation.start or 0, -(annotation.end or 0), annotation.id)


def has_span(annotation: Annotation) -> bool:
    """Whether an annotation is drawn in the text (a whole-document note is not)."""
    return annotation.start is not None and annotation.end is not None


class SpanIndex:
    """Annotations with a span, sorted by `span_key`.

    `annotations` is a new list after a change, never changed in place, so a list handed out stays
    what it was (the panel compares lists by identity to know whether to rebuild); it is copied once
    when asked for, not at each of the thousands of changes an undo of an import may bring.
    """

    def __init__(self, annotations: Iterable[Annotation] = ()) -> None:
        self.items: list[Annotation] = sorted(filter(has_span, annotations), key=span_key)
        self.starts: list[int] = [a.start or 0 for a in self.items]
        self._ends: list[int] = [a.end or 0 for a in self.items]
        self._block_ends: list[int] | None = None
        self._copy: list[Annotation] | None = None

    @property
    def annotations(self) -> list[Annotation]:
        if self._copy is None:
            self._copy = list(self.items)
        return self._copy

    def _changed(self) -> None:
        self._block_ends = None
        self._copy = None

    def __len__(self) -> int:
        return len(self.items)

    def add(self, annotation: Annotation) -> None:
        if not has_span(annotation):
            return
        i = bisect_right(self.items, span_key(annotation), key=span_key)
        self.items.insert(i, annotation)
        self.starts.insert(i, annotation.start or 0)
        self._ends.insert(i, annotation.end or 0)
        self._changed()

    def remove(self, annotation: Annotation) -> bool:
        """Remove the annotation stored with `annotation`'s id and span; False if there is none."""
        if not has_span(annotation):
            return False
        i = bisect_left(self.items, span_key(annotation), key=span_key)
        if i == len(self.items) or self.items[i].id != annotation.id:
            return False
        del self.items[i]
        del self.starts[i]
        del self._ends[i]
        self._changed()
        return True

    def overlapping(self, start: int, end: int) -> list[Annotation]:
        """Annotations overlapping [start, end) (start < end and end > start), in text order."""
        limit = bisect_left(self.starts, end)  # only these start before `end`
        if limit == 0:
            return []
        blocks = self._blocks()
        ends, items = self._ends, self.items
        hits: list[Annotation] = []
        for b in range((limit - 1) // BLOCK + 1):
            if blocks[b] > start:
                first = b * BLOCK
                hits.extend(
                    items[i] for i in range(first, min(limit, first + BLOCK)) if ends[i] > start
                )
        return hits

    def exactly(self, start: int, end: int) -> Annotation | None:
        """The first annotation (in text order) spanning exactly [start, end)."""
        i = bisect_left(self.items, (start, -end, ""), key=span_key)
        if i < len(self.items) and self.starts[i] == start and self._ends[i] == end:
            return self.items[i]
        return None

    def _blocks(self) -> list[int]:
        if self._block_ends is None:
            ends = self._ends
            self._block_ends = [max(ends[i : i + BLOCK]) for i in range(0, len(ends), BLOCK)]
        return self._block_ends
