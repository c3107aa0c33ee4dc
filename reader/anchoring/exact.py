"""Finding a quote exactly: where it is in a text, its prefix and suffix choosing between repeats and
the nearest to where it should be breaking ties (reader/anchoring/__init__.py uses it to re-anchor)."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.model.annotation import CONTEXT_CHARS

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

    Ranked: at a ref with a whole side of its context; near a ref with all of it; near a ref
    with a whole side; near `alt` likewise; then by how much context agrees; then nearest."""
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
        if whole_sides == 2 and distance <= NEAR:
            # Near with all its context: the text between moved by an edit elsewhere. A copy
            # with an edit inside its context just there is a likelier accident of a text that
            # repeats itself than an edit that stopped exactly beside the quote.
            return (1, distance, 0, at)
        if whole_sides and distance <= NEAR:
            # Near with one side, context and distance weigh together: a character of context
            # is worth DRIFT characters of distance.
            return (2, distance - DRIFT * agree, distance, at)
        if whole_sides and second and abs(at - second[0]) <= NEAR:
            distance = abs(at - second[0])
            return (3, distance - DRIFT * agree, distance, at)
        return (4, -whole_sides * 100 - agree, distance, at)

    best = min(candidates, key=score)
    if score(best)[0] == 4 and memo.wide_misses < WIDE_MISSES and (prefix or suffix):
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


STATUSES = ("unchanged", "moved", "approximate", "orphaned")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one quote landed: a status and the new span (None for an orphan)."""

    status: str
    start: int | None
    end: int | None
    similarity: float = 1.0


def _holds(text: str, at: int, quote: str, prefix: str, suffix: str, sides: int = 2) -> bool:
    """Whether the quote is at `at` with `sides` sides of its context whole (cut short by the
    text's ends). With one side only, a copy of the sentence nearby may be the better place."""
    end = at + len(quote)
    if at < 0 or end > len(text) or text[at:end] != quote:
        return False
    return _sides(text, at, quote, prefix, suffix) >= sides
