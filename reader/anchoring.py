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
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from reader.model.annotation import CONTEXT_CHARS, Annotation, context

# Re-anchoring looks at the occurrences of a quote nearest its old offset and, within a window
# around it, at those whose prefix or suffix agrees in full; never at every occurrence. A common
# quote ("e") occurs thousands of times, and scoring each one for each of 100,000 annotations took
# hours.
NEAREST = 4  # occurrences of a pattern taken on each side of the old offset
WINDOW = 65_536  # characters either side of the old offset searched for the quote with its context
# After this many annotations of one document whose whole context is nowhere in it (a file that does
# not fit the document, or a crafted one), the rest of them look for it only within WINDOW: in a
# megabyte document each look over the whole text costs a fifth of a millisecond.
WIDE_MISSES = 256

Anchored = tuple[int, int] | str


@dataclass
class AnchorMemo:
    """What re-anchoring learned about one document's text during one import."""

    answers: dict[tuple[str, str, str, int], Anchored] = field(default_factory=dict)
    wide_misses: int = 0


def anchor(
    text: str,
    start: int | None,
    end: int | None,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    memo: AnchorMemo | None = None,
) -> Anchored:
    """Where `quote` is in `text`: at start-end if it is there, else the best other occurrence.

    Returns (start, end), or a reason when the quote is not in the text. Among several occurrences
    the one whose surrounding text agrees most with prefix/suffix wins, then the one nearest the old
    start; candidates are the quote with its whole context anywhere, else the occurrences nearest
    the old start and those near it whose whole prefix or suffix agrees. Each look is a few str.find
    calls. `memo` holds what was learned about one text (an import keeps one per document).
    """
    if (
        start is not None
        and end is not None
        and 0 <= start <= end <= len(text)
        and text[start:end] == quote
    ):
        return start, end
    if not quote:
        return "the span has no quote to look for and its offsets are outside the text"
    prefix, suffix = prefix[-CONTEXT_CHARS:], suffix[:CONTEXT_CHARS]
    old = min(max(start or 0, 0), len(text))
    if memo is None:
        return _search(text, quote, prefix, suffix, (old,), AnchorMemo())
    key = (quote, prefix, suffix, old)
    found = memo.answers.get(key)
    if found is None:
        found = memo.answers[key] = _search(text, quote, prefix, suffix, (old,), memo)
    return found


# An occurrence this close to where the quote should be is "near": among near ones the context
# decides, and any near one with a whole side of its context beats a far one with more of it. A
# quote whose neighbour was edited keeps one side of its context where it is, while a copy of the
# sentence far away may keep both (texts repeat themselves; the benchmark's document does often).
NEAR = 2048
DRIFT = 16


def _search(
    text: str,
    quote: str,
    prefix: str,
    suffix: str,
    refs: tuple[int, ...],
    memo: AnchorMemo,
    alt: int | None = None,
) -> Anchored:
    """The best occurrence of `quote` for its context, near one of `refs` (where it should be:
    its old offset, and that offset moved as the annotations before it moved) or else near `alt`
    (where the one before it went, if that was far: a moved paragraph, or a copy of it).

    Ranked: at a ref with a whole side of its context; near a ref likewise; near `alt` likewise;
    then by how much context agrees; then nearest."""
    primary = tuple(dict.fromkeys(min(max(ref, 0), len(text)) for ref in refs))
    second = () if alt is None else (min(max(alt, 0), len(text)),)
    refs = primary + second
    candidates: set[int] = set()
    for ref in refs:
        candidates.update(_nearest(text, quote, ref, 0, len(text)))
    if not candidates:
        return f"the quote {quote[:40]!r} is not in the text"
    if len(candidates) == 1:  # every occurrence on both sides was looked at: this is the only one
        at = candidates.pop()
        return at, at + len(quote)
    if prefix or suffix:
        wide = memo.wide_misses < WIDE_MISSES
        whole = prefix + quote + suffix
        found = False
        for ref in refs:
            first, last = (0, len(text)) if wide else (max(0, ref - WINDOW), ref + WINDOW)
            hits = _nearest(text, whole, ref - len(prefix), first, min(len(text), last), 1)
            candidates.update(at + len(prefix) for at in hits)
            found = found or bool(hits)
        memo.wide_misses += wide and not found
        for ref in refs:
            low, high = max(0, ref - WINDOW), min(len(text), ref + WINDOW)
            if prefix:
                hits = _nearest(text, prefix + quote, ref - len(prefix), low, high)
                candidates.update(at + len(prefix) for at in hits)
            if suffix:
                candidates.update(_nearest(text, quote + suffix, ref, low, high))

    def score(at: int) -> tuple[int, int, int, int]:
        before = text[max(0, at - len(prefix)) : at]
        after = text[at + len(quote) : at + len(quote) + len(suffix)]
        whole_sides = _sides(text, at, quote, prefix, suffix)
        agree = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        distance = min(abs(at - ref) for ref in primary)
        if whole_sides and distance == 0:  # just where it should be, an edit beside it
            return (0, -agree, 0, at)
        if whole_sides and distance <= NEAR:
            # Near, context and distance weigh together: a character of context is worth
            # DRIFT characters of distance, so a copy with all its context a few hundred
            # characters away loses to the quote with an edit beside it where it should be.
            return (1, distance - DRIFT * agree, distance, at)
        if whole_sides and second and abs(at - second[0]) <= NEAR:
            distance = abs(at - second[0])
            return (2, distance - DRIFT * agree, distance, at)
        return (3, -whole_sides * 100 - agree, distance, at)

    best = min(candidates, key=score)
    if score(best)[0] == 3 and memo.wide_misses < WIDE_MISSES and (prefix or suffix):
        # Nothing near with a whole side of its context: a moved paragraph whose neighbour
        # changed. Every occurrence with one whole side competes (one pass over the text).
        more: set[int] = set()
        if prefix:
            more.update(at + len(prefix) for at in _every(text, prefix + quote))
        if suffix:
            more.update(_every(text, quote + suffix))
        memo.wide_misses += not more
        if more - candidates:
            best = min(candidates | more, key=score)
    return best, best + len(quote)


def _every(text: str, pattern: str, cap: int = 256) -> list[int]:
    """Where `pattern` occurs in `text`, up to `cap` times."""
    out: list[int] = []
    at = text.find(pattern)
    while at != -1 and len(out) < cap:
        out.append(at)
        at = text.find(pattern, at + 1)
    return out


def _sides(text: str, at: int, quote: str, prefix: str, suffix: str) -> int:
    """How many sides of its context (0-2) agree in full around `quote` at `at` (cut short by the
    text's ends). An empty side says nothing (an import without context), so it does not count."""
    before = text[max(0, at - len(prefix)) : at]
    after = text[at + len(quote) : at + len(quote) + len(suffix)]
    return (bool(prefix) and prefix.endswith(before)) + (bool(suffix) and suffix.startswith(after))


def _nearest(
    text: str, pattern: str, around: int, low: int, high: int, count: int = NEAREST
) -> list[int]:
    """Up to `count` occurrences of `pattern` within text[low:high] on each side of `around`."""
    around = min(max(around, low), high)
    out: list[int] = []
    at = text.find(pattern, around, high)
    while at != -1 and len(out) < count:
        out.append(at)
        at = text.find(pattern, at + 1, high)
    # Before `around`: occurrences that start there, even if they run past it.
    before = 0
    at = text.rfind(pattern, low, min(high, around + len(pattern) - 1))
    while at != -1 and before < count:
        out.append(at)
        before += 1
        at = text.rfind(pattern, low, at + len(pattern) - 1)
    return out


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix, by halving: a few slice comparisons in C."""
    low, high = 0, min(len(a), len(b))  # a[:low] == b[:low] holds
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))  # the last `low` characters agree
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


# An approximate match must keep this share of the quote (rapidfuzz's Indel similarity, 1 - (deleted +
# inserted characters) / (both lengths)). A quote that lost or gained 10% of its characters scores
# 0.947-0.95; a typo fixed in a 20-character quote 0.95. python -m benchmarks.anchoring shows
# what lower values would let in: at 0.7 a deleted sentence is placed on a similar one nearby.
SIMILARITY = 0.8
MIN_FUZZY = 8  # shorter quotes are found exactly or not at all: one changed letter is an eighth
STATUSES = ("unchanged", "moved", "approximate", "orphaned")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one quote landed: a status and the new span (None for an orphan)."""

    status: str
    start: int | None
    end: int | None
    similarity: float = 1.0


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


def _holds(text: str, at: int, quote: str, prefix: str, suffix: str, sides: int = 2) -> bool:
    """Whether the quote is at `at` with `sides` sides of its context whole (cut short by the
    text's ends). With one side only, a copy of the sentence nearby may be the better place."""
    end = at + len(quote)
    if at < 0 or end > len(text) or text[at:end] != quote:
        return False
    return _sides(text, at, quote, prefix, suffix) >= sides


def _agreement(text: str, at: int, quote: str, prefix: str, suffix: str) -> int:
    """How many characters of context agree around `quote` placed at `at`."""
    before = text[max(0, at - len(prefix)) : at]
    after = text[at + len(quote) : at + len(quote) + len(suffix)]
    return _common_suffix(before, prefix) + _common_prefix(after, suffix)


def _approximate(
    text: str, quote: str, prefix: str, suffix: str, refs: tuple[int, ...], reach: int = WINDOW
) -> Placement | None:
    """The best span resembling `quote` near one of `refs` (none: anywhere its context is)."""
    best: Placement | None = None
    for ref in dict.fromkeys(refs) or (None,):
        found = _approximate_near(text, quote, prefix, suffix, ref, reach)
        if found is not None and (best is None or _better(found, best, ref or 0)):
            best = found
    return best


def _approximate_near(
    text: str, quote: str, prefix: str, suffix: str, expected: int | None, reach: int
) -> Placement | None:
    """The best span resembling `quote` near where it should be or where its context still is."""
    if len(quote) < MIN_FUZZY:
        return None
    size = len(quote)
    centres: list[int] = [] if expected is None else [min(expected, len(text))]
    around = centres[0] if centres else 0
    low, high = max(0, around - reach), min(len(text), around + reach)
    # Part of the context is enough: an edit next to the quote changes the context's near end.
    head, tail = prefix[-CONTEXT_CHARS // 2 :], suffix[: CONTEXT_CHARS // 2]
    wide = expected is None
    for part, offset in ((head, len(head)), (tail, -size)):
        if len(part) >= MIN_FUZZY:
            first, last = (0, len(text)) if wide else (low, high)
            centres += [at + offset for at in _nearest(text, part, around, first, last, 2)]
    best: Placement | None = None
    fitted: set[tuple[int, int]] = set()  # several centres often align on the same span
    for centre in dict.fromkeys(centres):
        margin = size // 2 + CONTEXT_CHARS
        lo = max(0, centre - margin)
        window = text[lo : centre + size + margin]
        if len(window) < size // 2 or not low - size <= centre <= high + size:
            continue
        # A window as long as the quote scores lower than the whole span once the text gained or
        # lost characters, so the cut-off here is looser; the fitted span must reach SIMILARITY.
        aligned = fuzz.partial_ratio_alignment(quote, window, score_cutoff=SIMILARITY * 80)
        if aligned is None:
            continue
        rough = lo + aligned.dest_start, lo + aligned.dest_end
        if rough in fitted:
            continue
        fitted.add(rough)
        # A window shorter than the quote was aligned inside the quote: take it all.
        span = (lo, lo + len(window)) if len(window) < size else _refine(text, quote, *rough)
        similarity = Indel.normalized_similarity(quote, text[span[0] : span[1]])
        if similarity < SIMILARITY:
            continue
        candidate = Placement("approximate", span[0], span[1], similarity)
        if best is None or _better(candidate, best, around):
            best = candidate
    return best


def _better(a: Placement, b: Placement, around: int) -> bool:
    """Near where it should be first, then the more similar: a sentence cut next to a quote
    leaves it less like itself than a whole copy of it elsewhere."""
    assert a.start is not None and b.start is not None
    far_a, far_b = abs(a.start - around), abs(b.start - around)
    return (far_a > NEAR, -a.similarity, far_a) < (far_b > NEAR, -b.similarity, far_b)


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Fit the span's ends: rapidfuzz's partial alignment is as long as the quote, but the text may
    have lost or gained characters. Each end moves within a margin to where the span is most like
    the quote (the start first, then the end), the nearer of equals winning. A global
    alignment with the margin as free insertions was tried first: it matched the quote's first
    letters against the margin as often as not, which cut a correct placement short."""
    margin = len(quote) // 8 + 2

    def distance(a: int, b: int) -> int:
        return Indel.distance(quote, text[a:b])

    lo, hi = max(0, start - margin), min(end, start + margin)
    start = min(range(lo, hi + 1), key=lambda a: (distance(a, end), abs(a - start)))
    lo, hi = max(start, end - margin), min(len(text), end + margin)
    end = min(range(lo, hi + 1), key=lambda b: (distance(start, b), abs(b - end)))
    # Whitespace the quote does not have at its ends is not part of it.
    while start < end and text[start].isspace() and not quote[:1].isspace():
        start += 1
    while end > start and text[end - 1].isspace() and not quote[-1:].isspace():
        end -= 1
    return start, end


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
