"""Where a selection's ends can go in a text: word starts and clause boundaries.

Pure functions on the text and offsets, so the reading session (reader/session.py) only keeps the state.
Clauses are split at the marks an argument's clauses usually are ("…, but we must now deliver";
"…; the rest…"; "(…)", dashes).
"""

from __future__ import annotations

import re

# A figure is one word and no clause mark splits it: "10,000", "62.8", "2:30".
LETTERS = re.compile(r"\w(?:[\w'’-]|(?<=\d)[.,:](?=\d))*")
CLAUSE_MARK = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;()\u2013\u2014]|\s-\s")
LOOK = 4096  # how far past an offset the next word or clause is looked for
LOOKBACK = 256  # how far before an offset the previous word is looked for


def next_word_start(text: str, start: int) -> int:
    """The start of the word after the one `start` is in (or on); `start` when there is none."""
    # The first match from `start` is the rest of the word the start is in (matching is greedy), so
    # the next one begins a word.
    limit = min(len(text), start + LOOK)
    after = (m.start() for m in LETTERS.finditer(text, start, limit) if m.start() > start)
    return next(after, start)


def previous_word_start(text: str, start: int) -> int:
    """The start of the word before `start`; `start` when there is none."""
    starts = [m.start() for m in LETTERS.finditer(text, max(0, start - LOOKBACK), start)]
    return starts[-1] if starts else start


def word_end(text: str, start: int) -> int:
    """The end of the word at `start`, or the next character when no word starts there."""
    word = LETTERS.match(text, start)
    return word.end() if word else min(len(text), start + 1)


def first_word(text: str, start: int, end: int) -> tuple[int, int] | None:
    word = LETTERS.search(text, start, end)
    return (word.start(), word.end()) if word else None


def next_clause_start(text: str, start: int, sentence_end: int) -> int:
    """The first word after the next clause mark in the sentence, else the next sentence's first word."""
    mark = CLAUSE_MARK.search(text, start, sentence_end)
    word = LETTERS.search(text, mark.end(), sentence_end) if mark else None
    if word is None:
        word = LETTERS.search(text, sentence_end, min(len(text), sentence_end + LOOK))
    return word.start() if word else start


def clause_start_before(text: str, start: int, sentence_start: int, sentence_end: int) -> int:
    """The start of the clause `start` is in, or of the one before when already there."""
    first = LETTERS.search(text, sentence_start, sentence_end)
    begins = [first.start() if first and first.start() < start else sentence_start]
    for mark in CLAUSE_MARK.finditer(text, sentence_start, start):
        word = LETTERS.search(text, mark.end(), sentence_end)
        if word is not None and word.start() < start:
            begins.append(word.start())
    earlier = [b for b in begins if b < start]
    return earlier[-1] if earlier else start


def end_before_last_clause(text: str, start: int, end: int) -> int:
    """The end of the clause before the last one in [start, end) (before the mark that starts the last
    one, without the blanks before it); `end` when the span holds one clause."""
    tail = text[start:end].rstrip(" \n.!?\"'”’")
    for mark in reversed([m.start() for m in CLAUSE_MARK.finditer(tail)]):
        cut = len(tail[:mark].rstrip())
        if cut > 0 and LETTERS.search(tail, 0, cut):
            return start + cut
    return end
