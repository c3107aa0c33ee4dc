"""A document's argument as rows of a tree, for the reports: its main claims (the annotations that link
to nothing but are linked to) at the top, beneath each the annotations that support or attack it, and so
on down. Only links within the document count.

An annotation reached a second time (a cycle, or a reason given for two claims) is a row marked
`repeat` with nothing beneath it, so every annotation is expanded once and the rows stay as many as the
links. Annotations caught in a cycle with no main claim above them start a tree of their own, the
first in text order at its top. The walk keeps its own stack: a chain of thousands of links is fine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.model.annotation import Annotation


@dataclass(frozen=True, slots=True)
class Row:
    depth: int  # 0 for a main claim
    ann: Annotation
    relation: str | None  # the type of its link to the row above; None at the top
    repeat: bool = False  # shown (with what is beneath it) in an earlier row


def argument_rows(anns: Sequence[Annotation]) -> list[Row]:
    """The rows of the argument among `anns` (one document's, in text order); [] when no link joins
    two of them."""
    by_id = {ann.id: ann for ann in anns}
    reasons: dict[str, list[tuple[str, Annotation]]] = {}  # target id -> (type, source)
    seen: set[tuple[str, str, str]] = set()
    linking: set[str] = set()
    for ann in anns:
        for link in ann.links:
            if link.to in by_id and (link.to, link.type, ann.id) not in seen:
                seen.add((link.to, link.type, ann.id))
                reasons.setdefault(link.to, []).append((link.type, ann))
                linking.add(ann.id)
    if not reasons:
        return []
    rows: list[Row] = []
    expanded: set[str] = set()
    tops = [ann for ann in anns if ann.id in reasons and ann.id not in linking]
    for top in tops:
        _walk(top, reasons, expanded, rows)
    for ann in anns:
        if (ann.id in reasons or ann.id in linking) and ann.id not in expanded:
            _walk(ann, reasons, expanded, rows)
    return rows


def _walk(
    top: Annotation,
    reasons: dict[str, list[tuple[str, Annotation]]],
    expanded: set[str],
    rows: list[Row],
) -> None:
    stack: list[tuple[int, Annotation, str | None]] = [(0, top, None)]
    while stack:
        depth, ann, relation = stack.pop()
        if ann.id in expanded:
            rows.append(Row(depth, ann, relation, repeat=True))
            continue
        expanded.add(ann.id)
        rows.append(Row(depth, ann, relation))
        for kind, source in reversed(reasons.get(ann.id, ())):
            stack.append((depth + 1, source, kind))
