"""Where the document scan found each marker, and those places as text offsets (the reasons).

The scan string (reader/claims/scan.py) is built in four steps: the sentences joined by " \\x01 "
(`joined`, as long as the text's sentences with three characters between each two), encoded as
UTF-8 and lower-cased (`raw`), each run of blanks squeezed into one (`single`), then every blank
doubled with one in front (the scan). A scan offset goes back to a text offset by undoing them:

- scan to single: a match starts at the blank before its first word, so its words start at
  that offset less half the blanks before it (each doubled, with one in front), plus one where
  `single` had a blank stripped from its front;
- single to raw: plus the blanks removed by the runs before it (`Scanned.run_at`, `run_removed`);
- raw to joined: less the bytes beyond the first of each non-ASCII character before it;
- joined to text: plus where the sentence starts in the text, less where it starts in `joined`.

The markers come in scan order, so each count is carried on from the marker before rather than
counted again: a document's reasons cost a little arithmetic per marker, with no second walk.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING, NamedTuple

from reader.claims.lexicon import trim

if TYPE_CHECKING:
    from reader.claims.lexicon import Lexicon

# One marker as a reason: (kind, category, start, end, weight), offsets into the text.
Found = tuple[str, str, int, int, float]
_KINDS = ("factual", "claim")  # by "is a claim cue"
_FAR = 1 << 62  # past any offset
_WIDE_TABLE = bytes(b"a"[0] if i < 128 else 128 for i in range(256))


class Scanned(NamedTuple):
    """The scan string of a document and what it takes to find its words in `raw` again."""

    scan: bytes
    raw: bytes  # the sentences joined by b" \x01 ", as long as the text in UTF-8, blanks kept
    lead: bool  # a blank run started `raw` (it is stripped from the scan)
    run_at: list[int]  # where each run of blanks was, once runs are single blanks
    run_removed: list[int]  # blanks removed by that run and the runs before it


class Marks:
    """Where the document scan found each marker, so that reasons need no second walk.

    Per sentence: the terms that fired as (scan offset of the match, how long its words are once
    runs of blanks are single, category, is a claim cue, weight), the opening marker's match and
    the sentence's shape, or -1 for a sentence the reference walk scored (its reasons come from
    that walk too). Scan offsets become text offsets only when reasons are asked for, for the
    whole text at once (`place`).
    """

    def __init__(self, lexicon: Lexicon, scanned: Scanned, spans: list[tuple[int, int]]) -> None:
        self._lexicon = lexicon
        self._scanned = scanned
        self._spans = spans  # the sentences the scan was given, as (start, end) in the text
        self.found: list[tuple[int, int, str, bool, float]] = []  # in scan order
        self.bounds: list[int] = [0]  # sentence i's terms are found[bounds[i] : bounds[i + 1]]
        self.shapes: list[int] = []
        self.openings: dict[int, re.Match[str]] = {}
        self.placed: list[list[Found]] | None = None  # every sentence's reasons, once worked out
        # Where each run of non-ASCII characters starts in `raw`, and the bytes beyond one per
        # character in the runs before the next (from `place` on).
        self._wide_at: list[int] = []
        self._wide_extra: list[int] = [0]

    def _find_wide(self) -> None:
        """Find the runs of non-ASCII characters in `raw` (none in most English texts)."""
        raw, at, extra = self._scanned.raw, self._wide_at, self._wide_extra
        if at or raw.isascii():
            return
        marked = raw.translate(_WIDE_TABLE)  # \x80 for a non-ASCII byte: `find` finds it fast
        begin = marked.find(b"\x80")
        while begin != -1:
            end = marked.find(b"a", begin)
            end = len(raw) if end == -1 else end
            at.append(begin)
            extra.append(extra[-1] + end - begin - len(raw[begin:end].decode()))
            begin = marked.find(b"\x80", end)

    def _linear(self, single: int) -> tuple[int, int, int]:
        """(low, high, move): offsets once runs are single blanks in (low, high], `single` among
        them, are `move` away from where they are in `joined` (no run of blanks nor non-ASCII
        character between them)."""
        scanned = self._scanned
        run_at, wide_at = scanned.run_at, self._wide_at
        runs = bisect_left(run_at, single)
        removed = scanned.run_removed[runs - 1] if runs else 0
        wide = bisect_left(wide_at, single + removed)
        low = max(run_at[runs - 1] if runs else -1, wide_at[wide - 1] - removed if wide else -1)
        high = min(
            run_at[runs] if runs < len(run_at) else _FAR,
            wide_at[wide] - removed if wide < len(wide_at) else _FAR,
        )
        return low, high, removed - self._wide_extra[wide]

    def place(self, text: str, spans: list[tuple[int, int]]) -> list[list[Found] | None]:
        """(kind, category, start, end, weight) of every marker of every sentence, `spans` in
        order (the sentences of `text`, which the scan was given), as the reference matcher's hits
        become reasons (not yet in reading order). None for a sentence the walk scored, and for one
        with a marker that falls outside it (never so unless the marks are another text's)."""
        scanned, own = self._scanned, self._spans
        self._find_wide()
        records, bounds, shapes, openings = self.found, self.bounds, self.shapes, self.openings
        cues, count, linear, kinds = self._lexicon.cues, scanned.scan.count, self._linear, _KINDS
        lead = int(scanned.lead)
        counted = blanks = 0  # the blanks in scan[:counted]
        low = high = -1  # offsets (once runs are single) in (low, high] are `move` from the text
        joined = shift = move = 0
        placed: list[list[Found] | None] = []
        for index, (start, end) in enumerate(spans):
            own_start, own_end = own[index]
            move += own_start - joined - shift  # where the sentence starts: text less `joined`
            shift = own_start - joined
            joined += own_end - own_start + 3
            shape = shapes[index]
            if shape < 0:
                placed.append(None)
                continue
            found: list[Found] = []
            for begin, length, name, claim, weight in records[bounds[index] : bounds[index + 1]]:
                blanks += count(b" ", counted, begin)  # matches come in order, never overlapping
                counted = begin
                left = begin + lead - (blanks >> 1)  # each blank doubled, one in front
                if not low < left <= high:
                    low, high, move = linear(left)
                    move += shift
                right = left + length
                right += move if right <= high else linear(right)[2] + shift
                left += move
                # Outside the sentence: never so unless the marks are not this text's.
                if not start <= left < right <= end:
                    break
                if text[right - 1] in ".,'’" or text[left] in "'‘’":
                    left, right = trim(text, left, right)
                found.append((kinds[claim], name, left, right, weight))
            else:
                if shape or index in openings:  # a long sentence ending in a full stop has none
                    found.extend(cues(openings.get(index), shape, start, end))
                placed.append(found)
                continue
            placed.append(None)
        return placed
