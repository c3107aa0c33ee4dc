"""Finding text like a quote when the quote itself is gone (a typo fixed, a word cut): rapidfuzz's
alignment near where it should be or where its context still is, the span's ends fitted to the text."""

from __future__ import annotations

from reader.anchoring.exact import (
    NEAR,
    WINDOW,
    Placement,
    _common_prefix,
    _common_suffix,
    _nearest,
)
from reader.model.annotation import CONTEXT_CHARS

# An approximate match must keep this share of the quote (rapidfuzz's Indel similarity, 1 - (deleted +
# inserted characters) / (both lengths)). A quote that lost or gained 10% of its characters scores
# 0.947-0.95; a typo fixed in a 20-character quote 0.95. python -m benchmarks.anchoring shows
# what lower values would let in: at 0.7 a deleted sentence is placed on a similar one nearby.
SIMILARITY = 0.8
MIN_FUZZY = 8  # shorter quotes are found exactly or not at all: one changed letter is an eighth


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
    # rapidfuzz loads when a quote must be searched for approximately, not at every start-up.
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Indel

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
    from rapidfuzz.distance import Indel

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
