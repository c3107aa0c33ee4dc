"""The entries of the store's undo history and their JSON shape in the snapshot's `history` table.

An undo step is a list of changes made by one write: `(before, after)` pairs of annotations (None before
an add, None after a delete) and `MetaChange`s, the meta keys a user's action changes (the dismissed
suggestions of a document). Undo applies a step's changes reversed, in reverse order; redo applies them
again. In the snapshot a pair is `[before, after]` and a meta change `{"meta": key, "before": value,
"after": value}`, a side left out where the key was absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from reader.model.annotation import Annotation, trusted_annotation

Pair = tuple[Annotation | None, Annotation | None]


@dataclass(frozen=True, slots=True)
class MetaChange:
    """A meta key changed as part of an undo step: its JSON before and after, None where absent."""

    key: str
    before: bytes | None
    after: bytes | None

    @property
    def old(self) -> Any:
        return None if self.before is None else orjson.loads(self.before)

    @property
    def new(self) -> Any:
        return None if self.after is None else orjson.loads(self.after)

    def reversed(self) -> MetaChange:
        return MetaChange(self.key, self.after, self.before)

    def to_json(self) -> dict[str, Any]:
        # An absent side is left out, so a stored JSON null stays distinct from "no such key".
        out: dict[str, Any] = {"meta": self.key}
        if self.before is not None:
            out["before"] = orjson.Fragment(self.before)
        if self.after is not None:
            out["after"] = orjson.Fragment(self.after)
        return out

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> MetaChange:
        key = entry.get("meta")
        if not isinstance(key, str):
            raise TypeError(f"a meta change in the undo history has no key: {entry!r}")
        before = orjson.dumps(entry["before"]) if "before" in entry else None
        after = orjson.dumps(entry["after"]) if "after" in entry else None
        return cls(key, before, after)


# One entry of an undo step.
Change = Pair | MetaChange


def reverse_change(change: Change) -> Change:
    if isinstance(change, MetaChange):
        return change.reversed()
    return change[1], change[0]


def step_json(step: list[Change]) -> list[Any]:
    """A step as the snapshot holds it (annotations are serialised by orjson as they are)."""
    return [c.to_json() if isinstance(c, MetaChange) else c for c in step]


def trusted_step(step: list[Any]) -> list[Change]:
    """A step from a snapshot whose checksum matched: built without validating again."""
    return [
        MetaChange.from_json(entry)
        if isinstance(entry, dict)
        else (
            None if entry[0] is None else trusted_annotation(entry[0]),
            None if entry[1] is None else trusted_annotation(entry[1]),
        )
        for entry in step
    ]


def parse_step(step: Any, where: str) -> list[Change]:
    """A step from any other snapshot, every annotation validated; errors (AnnotationError,
    TypeError or ValueError) name `where` (the table, record and step) and the change."""
    if not isinstance(step, list):
        raise TypeError(f"{where}: a step must be a list of changes, found {type(step).__name__}")
    changes: list[Change] = []
    for number, entry in enumerate(step, start=1):
        at = f"{where} change {number}"
        if isinstance(entry, dict):
            try:
                changes.append(MetaChange.from_json(entry))
            except (TypeError, ValueError) as exc:
                raise TypeError(f"{at}: {exc}") from None
            continue
        if not isinstance(entry, list) or len(entry) != 2:
            raise TypeError(f"{at}: expected [before, after] or a meta change, found {entry!r:.60}")
        b, a = entry
        changes.append(
            (
                None if b is None else Annotation.from_json(b, where=f"{at} (before)"),
                None if a is None else Annotation.from_json(a, where=f"{at} (after)"),
            )
        )
    return changes
