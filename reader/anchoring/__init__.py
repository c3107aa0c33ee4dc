"""Finding an annotation's text again: quote, prefix and suffix selectors (W3C TextQuoteSelector, up to
32 characters of context either side) and re-anchoring a quote in a text whose offsets no longer fit.

`reanchor(text, sha256, annotations)` re-places a document's annotations after its text changed, the
way Hypothesis' client does: the quote at its old offsets (unchanged); else the quote elsewhere, the
prefix and suffix choosing among repeats and the nearest to where it should be breaking ties (moved);
else text that resembles the quote closely enough (approximate, to be confirmed by the user); else it
is orphaned: it keeps its quote and everything else but has no span. It only computes; callers write
the outcome through the store (the app, `reader check --fix`) or use it for one export.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from reader.anchoring.approximate import MIN_FUZZY, SIMILARITY, _agreement, _approximate
from reader.anchoring.exact import (
    NEAR,
    NEAREST,
    STATUSES,
    WINDOW,
    Anchored,
    AnchorMemo,
    Placement,
    _holds,
    _search,
    _sides,
    anchor,
)
from reader.model.annotation import CONTEXT_CHARS, Annotation, context

__all__ = [
    "MIN_FUZZY",
    "NEAREST",
    "SIMILARITY",
    "STATUSES",
    "WINDOW",
    "AnchorMemo",
    "Anchored",
    "Outcome",
    "Placement",
    "anchor",
    "changed",
    "offset_mapper",
    "place",
    "reanchor",
    "summary",
    "tally",
]


def place(
    text: str,
    start: int | None,
    end: int | None,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    shift: int = 0,
    memo: AnchorMemo | None = None,
    far_shift: int | None = None,
    sure: bool = True,
) -> Placement:
    """Place one quote in a changed text. `shift` is how far the annotations before it moved: where
    it should be is its old start plus that (one edit moves everything after it alike).
    `far_shift`: how far the one before it moved when that was far and not yet confirmed by a
    second one moving alike (a paragraph moved, or one quote sent to a copy of it). `sure`: that
    shift came from a quote found with its whole context, so the quote found just there with one
    side of its context (an edit next to it took the other) needs no search."""
    expected = None if start is None else max(0, start + shift)
    alt = None if start is None or far_shift is None else max(0, start + far_shift)
    if expected is not None and _holds(text, expected, quote, prefix, suffix, 2 - sure):
        return Placement(
            "unchanged" if expected == start else "moved", expected, expected + len(quote)
        )
    if start is not None and end is not None and _holds(text, start, quote, prefix, suffix):
        return Placement("unchanged", start, end)
    if quote:
        # Not with its whole context where it should be: every occurrence competes, the old
        # offsets included (a repeat of the quote may now stand where it stood).
        refs = tuple(ref for ref in (expected, start) if ref is not None) or (0,)
        found = _search(text, quote, prefix, suffix, refs, memo or AnchorMemo(), alt)
        if isinstance(found, tuple):
            exact = Placement("unchanged" if found == (start, end) else "moved", *found)
            reach = len(quote) + 2 * CONTEXT_CHARS
            distance = min(abs(found[0] - ref) for ref in refs)
            if expected is None or distance <= reach:
                return exact
            # A copy away from where the quote should be: the quote itself may have been edited
            # where it was (a sentence repeated in the text, one copy corrected). Text like it
            # there, with as much of its context, is the better guess; with half of it, when the
            # copy is far (a copy keeps all its context, the edited quote where it was keeps the
            # side the edit did not reach).
            near = _approximate(text, quote, prefix, suffix, refs, reach)
            if near is None or near.start is None or near.end is None:
                return exact
            if near.start < found[1] and found[0] < near.end:  # the same place, found both ways
                return exact
            mine = _agreement(text, near.start, text[near.start : near.end], prefix, suffix)
            theirs = _agreement(text, found[0], quote, prefix, suffix)
            enough = theirs if distance <= NEAR else (theirs + 1) // 2
            return near if mine >= enough else exact
        fuzzy = _approximate(text, quote, prefix, suffix, refs if expected is not None else ())
        if fuzzy is not None:
            return fuzzy
    return Placement("orphaned", None, None, 0.0)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What re-anchoring did to one annotation: its status and the fields to change."""

    annotation: Annotation
    status: str
    changes: dict[str, Any]

    def applied(self) -> Annotation:
        """The annotation with the changes, its `modified` time kept (for exports and checks)."""
        return self.annotation.with_changes(**self.changes, modified=self.annotation.modified)


def changed(annotations: Iterable[Annotation], sha256: str) -> bool:
    """Whether any annotation was made on another text than the one hashed `sha256`. All of a
    document's annotations hold the same hash once it is re-anchored, so for an unchanged document
    this stops at the first one."""
    return any(ann.doc_sha256 != sha256 for ann in annotations)


def reanchor(text: str, sha256: str, annotations: Iterable[Annotation]) -> list[Outcome]:
    """Re-place the annotations made on another text than `text` (hash `sha256`); others are left
    out. Annotations are placed in document order, each expected where the one before it moved."""
    todo = [ann for ann in annotations if ann.doc_sha256 != sha256]
    todo.sort(key=lambda ann: (ann.start is None, ann.start or 0, ann.id))
    memo = AnchorMemo()
    shift, far_shift, sure = 0, None, True
    out: list[Outcome] = []
    for ann in todo:
        if ann.start is None and not ann.quote:  # a note on the whole document
            out.append(Outcome(ann, "unchanged", {"doc_sha256": sha256}))
            continue
        where = place(
            text,
            ann.start,
            ann.end,
            ann.quote,
            ann.prefix,
            ann.suffix,
            shift,
            memo,
            far_shift,
            sure,
        )
        out.append(_outcome(text, sha256, ann, where))
        if ann.start is None or where.start is None:
            continue
        # The next ones are expected to move as this one did when it landed near where it was
        # expected, or where the one before it went far (two alike: a paragraph moved). A single
        # far one may be a copy of its quote elsewhere: following it would send its neighbours
        # there too, so it is only remembered.
        moved = where.start - ann.start
        if abs(moved - shift) <= NEAR or (far_shift is not None and abs(moved - far_shift) <= NEAR):
            sure = moved == shift or (
                where.status != "approximate"
                and _sides(text, where.start, ann.quote, ann.prefix, ann.suffix) == 2
            )
            shift, far_shift = moved, None
        else:
            far_shift = moved
    return out


def _outcome(text: str, sha256: str, ann: Annotation, where: Placement) -> Outcome:
    status = where.status
    if where.start is None or where.end is None:
        changes: dict[str, Any] = {"doc_sha256": sha256, "start": None, "end": None}
        changes["anchor_status"] = "orphaned"
        return Outcome(ann, "orphaned", changes)
    quote, prefix, suffix = context(text, where.start, where.end)
    old_quote = ""
    if status == "approximate":
        old_quote = ann.old_quote or ann.quote
    elif ann.needs_review:  # still the text it was placed on, still not confirmed
        status, old_quote = "approximate", ann.old_quote
    changes = {
        "doc_sha256": sha256,
        "start": where.start,
        "end": where.end,
        "quote": quote,
        "prefix": prefix,
        "suffix": suffix,
        "anchor_status": status,
        "old_quote": old_quote,
    }
    return Outcome(ann, status, changes)


def tally(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many of each status, in STATUSES order, zeros left out."""
    counts = Counter(outcome.status for outcome in outcomes)
    return {status: counts[status] for status in STATUSES if counts[status]}


def summary(outcomes: Iterable[Outcome]) -> str:
    """'12 moved, 1 approximate, 2 orphaned' (unchanged ones are not news)."""
    counts = tally(outcomes)
    parts = [f"{n} {status}" for status, n in counts.items() if status != "unchanged"]
    return ", ".join(parts) or "nothing moved"


def offset_mapper(outcomes: Iterable[Outcome]) -> Callable[[int], int] | None:
    """Where an offset of the old text is in the new one, judged by the annotations found exactly:
    the shift of the nearest one starting at or before it (else the first). For what holds no
    quote of its own: dismissed suggestions and the reading position. None when nothing was found
    exactly, so nothing can be judged."""
    pairs: list[tuple[int, int]] = sorted(
        (o.annotation.start, int(o.changes["start"]) - o.annotation.start)
        for o in outcomes
        if o.status in ("unchanged", "moved")
        and o.annotation.start is not None
        and o.changes.get("start") is not None
    )
    if not pairs:
        return None
    starts = [start for start, _shift in pairs]

    def new_offset(offset: int) -> int:
        at = max(0, bisect.bisect_right(starts, offset) - 1)
        return max(0, offset + pairs[at][1])

    return new_offset
