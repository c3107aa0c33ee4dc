"""Where a query's words are in a text: the spans search results highlight.

Kept apart from the query language (reader/search/query.py) because a text may be megabytes long (a note)
and highlighting has to stay cheap there too.
"""

from __future__ import annotations

from collections.abc import Iterator

from reader.search.query import PUNCTUATION, Term, fold, word_spans


def fold_keeping_length(text: str) -> str:
    """`fold`, with common punctuation first blanked one for one, so ASCII prose keeps its offsets."""
    if not text.isascii():
        for mark in PUNCTUATION:
            if mark in text:
                text = text.replace(mark, " ")
    return fold(text)


# Highlighting walks a text word by word in Python. A long text (a note may hold megabytes) is walked
# only in windows around where a term's first word occurs, found by a C-level search of the folded text:
# at most MAX_WINDOWS of them, each reaching PHRASE_REACH characters per phrase word. A window starts
# and ends at a blank, which no word holds, so the words in it are the words of the whole text there.
LONG_TEXT = 20_000
MAX_WINDOWS = 1_000
PHRASE_REACH = 64


def highlight_spans(text: str, query_terms: Iterator[Term] | list[Term]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of `text` that the terms match, whole words included."""
    positive = [t for t in query_terms if t.words and not t.negated]
    found: list[tuple[int, int]] = []
    for start, end in _windows(text, positive):
        spans = list(word_spans(text[start:end]))
        for term in positive:
            n = len(term.words)
            for i in range(len(spans) - n + 1):
                if all(spans[i + j][2].startswith(term.words[j]) for j in range(n)):
                    found.append((start + spans[i][0], start + spans[i + n - 1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _windows(text: str, positive: list[Term]) -> list[tuple[int, int]]:
    """The parts of `text` worth walking for `positive` terms, merged, in order."""
    if not positive:
        return []
    if len(text) <= LONG_TEXT:
        return [(0, len(text))]
    folded = fold_keeping_length(text)
    if len(folded) != len(text):  # offsets would not line up: walk the start only
        return [(0, _blank_after(text, LONG_TEXT))]
    windows: list[tuple[int, int]] = []
    for term in positive:
        first = term.words[0].decode("utf-8", "surrogatepass")
        reach = PHRASE_REACH * len(term.words)
        at = folded.find(first)
        while at != -1 and len(windows) < MAX_WINDOWS:
            start = max(folded.rfind(" ", 0, at), folded.rfind("\n", 0, at)) + 1
            end = _blank_after(folded, at + reach)
            windows.append((start, end))
            at = folded.find(first, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _blank_after(text: str, at: int) -> int:
    """The first space or line end at or after `at`, else the end of `text`."""
    ends = [i for i in (text.find(" ", at), text.find("\n", at)) if i != -1]
    return min(ends, default=len(text))
