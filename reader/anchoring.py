"""Finding an annotation's text again: quote, prefix and suffix selectors (W3C TextQuoteSelector, up to
32 characters of context either side) and re-anchoring a quote in a text whose offsets no longer fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.model.annotation import CONTEXT_CHARS


def context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Quote, prefix and suffix of text[start:end], as the model stores them."""
    return (
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
    )


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
        return _search(text, quote, prefix, suffix, old, AnchorMemo())
    key = (quote, prefix, suffix, old)
    found = memo.answers.get(key)
    if found is None:
        found = memo.answers[key] = _search(text, quote, prefix, suffix, old, memo)
    return found


def _search(
    text: str, quote: str, prefix: str, suffix: str, old: int, memo: AnchorMemo
) -> Anchored:
    hits = _nearest(text, quote, old, 0, len(text))
    if not hits:
        return f"the quote {quote[:40]!r} is not in the text"
    if len(hits) == 1:  # every occurrence on both sides was looked at: this is the only one
        return hits[0], hits[0] + len(quote)
    low, high = max(0, old - WINDOW), min(len(text), old + WINDOW)
    if prefix or suffix:
        wide = memo.wide_misses < WIDE_MISSES
        first, last = (0, len(text)) if wide else (low, high)
        whole = _nearest(text, prefix + quote + suffix, old - len(prefix), first, last, 1)
        if whole:  # the whole context agrees: nothing can score higher
            best = min(whole, key=lambda at: (abs(at + len(prefix) - old), at))
            return best + len(prefix), best + len(prefix) + len(quote)
        memo.wide_misses += wide
    candidates = set(hits)
    if prefix:
        found = _nearest(text, prefix + quote, old - len(prefix), low, high)
        candidates.update(at + len(prefix) for at in found)
    if suffix:
        candidates.update(_nearest(text, quote + suffix, old, low, high))

    def score(at: int) -> tuple[int, int]:
        before = text[max(0, at - len(prefix)) : at]
        after = text[at + len(quote) : at + len(quote) + len(suffix)]
        agree = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        return (-agree, abs(at - old))

    best = min(sorted(candidates), key=score)
    return best, best + len(quote)


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
