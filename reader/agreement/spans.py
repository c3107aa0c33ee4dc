"""Span and relation agreement between two annotators on one document, counted as bratiaa counts.

Counts, not scores: F1 over several documents or labels is computed from summed counts (`Counts`), so
a pair's F1 on a label pools every document, as bratiaa's `mean_sd_per_label` does.

- exact: an annotator's spans are the set of (start, end, label) (a span given twice counts once); true
  positives are the spans both have; F1 = 2·tp / (|A| + |B|).
- overlap: bratiaa's token mode (`bratiaa -t`): each span is cut into the whitespace-separated tokens it
  touches (a span that starts or ends inside a token takes the whole token), and F1 is counted over those
  token pieces as multisets: two spans of the same label that share a token agree on that token. Partial
  overlaps earn partial credit, in proportion to the tokens shared.
- relations: a link (type, from-span, to-span) agrees when the other annotator has a link of the same
  type between matching spans (exact: same start, end and label at both ends; overlap: same label and
  overlapping at both ends). F1 = (links of A matched + links of B matched) / (|A| + |B|), which is
  2·tp / (|A| + |B|) when matching is one to one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Span = tuple[int, int, str]  # start, end, label
Relation = tuple[str, Span, Span]  # type, from, to


@dataclass(slots=True)
class Counts:
    """True positives and the total 2·tp + fp + fn (= |A| + |B|) of one comparison."""

    tp: float = 0
    total: float = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.total += other.total

    @property
    def f1(self) -> float | None:
        """None when neither annotator has anything here: agreement is undefined, not perfect."""
        return 2 * self.tp / self.total if self.total else None


class Tokens:
    """Which whitespace-separated tokens a span touches, for spans whose ends are known up front.

    Rather than list every token of the text (a regex pass, the slowest part on large projects), it
    counts the tokens that start before each span end with `str.split` on the stretches between
    consecutive ends: the same tokens as bratiaa's `\\S+`, since both split on `str.isspace`.
    """

    def __init__(self, text: str, positions: Iterable[int]) -> None:
        self.text = text
        starting_before: dict[int, int] = {}  # position -> tokens starting before it
        count = previous = 0
        for at in sorted(set(positions)):
            # A token cut by the previous position was counted there: its tail is not a new token.
            count += len(text[previous:at].split()) - self._inside(previous)
            starting_before[at] = count
            previous = at
        self._starting_before = starting_before

    def _inside(self, at: int) -> int:
        """1 when `at` falls inside a token (not at its start), else 0."""
        text = self.text
        return int(0 < at < len(text) and not text[at - 1].isspace() and not text[at].isspace())

    def touched(self, start: int, end: int) -> tuple[int, int]:
        """Indices [first, last) of the tokens that share a character with text[start:end]."""
        if start >= end:
            return 0, 0
        # Tokens ending at or before start are those starting before it, less one cut by it.
        first = self._starting_before[start] - self._inside(start)
        last = self._starting_before[end]
        return (first, last) if first < last else (0, 0)


def exact_counts(a: set[Span], b: set[Span]) -> dict[str, Counts]:
    """Exact-match counts per label."""
    out: dict[str, Counts] = {}
    for span in a:
        counts = out.setdefault(span[2], Counts())
        counts.total += 1
        if span in b:
            counts.tp += 1
    for span in b:
        out.setdefault(span[2], Counts()).total += 1
    return out


def token_runs(spans: Iterable[Span], tokens: Tokens) -> dict[str, list[tuple[int, int]]]:
    """Per label, the token ranges [first, last) of the spans (empty ones dropped)."""
    out: dict[str, list[tuple[int, int]]] = {}
    for start, end, label in spans:
        first, last = tokens.touched(start, end)
        if first < last:
            out.setdefault(label, []).append((first, last))
    return out


def _shared_tokens(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Σ over tokens of min(spans of A on it, spans of B on it): a sweep over the range edges, so
    the cost follows the number of spans, not of tokens."""
    events: list[tuple[int, int, int]] = []
    for first, last in a:
        events.append((first, 1, 0))
        events.append((last, -1, 0))
    for first, last in b:
        events.append((first, 0, 1))
        events.append((last, 0, -1))
    events.sort()
    shared = on_a = on_b = 0
    previous = 0
    for at, step_a, step_b in events:
        if at != previous:
            shared += min(on_a, on_b) * (at - previous)
            previous = at
        on_a += step_a
        on_b += step_b
    return shared


def _width(runs: Sequence[tuple[int, int]]) -> int:
    return sum(last - first for first, last in runs)


def overlap_counts(
    a: dict[str, list[tuple[int, int]]], b: dict[str, list[tuple[int, int]]]
) -> dict[str, Counts]:
    """Token-overlap counts per label, from `token_runs` of each annotator."""
    out: dict[str, Counts] = {}
    for label in a.keys() | b.keys():
        runs_a, runs_b = a.get(label, ()), b.get(label, ())
        tp = _shared_tokens(runs_a, runs_b) if runs_a and runs_b else 0
        out[label] = Counts(tp, _width(runs_a) + _width(runs_b))
    return out


def _matched(mine: set[Relation], theirs: set[Relation]) -> int:
    """How many of `mine` have a link of the same type between overlapping spans in `theirs`."""
    # Candidates share the type and both labels: grouping by them keeps the scan short.
    groups: dict[tuple[str, str, str], list[Relation]] = {}
    for relation in theirs:
        groups.setdefault((relation[0], relation[1][2], relation[2][2]), []).append(relation)
    found = 0
    for relation in mine:
        if relation in theirs:  # exact is the common case: no scan
            found += 1
            continue
        kind, source, target = relation
        for _, other_source, other_target in groups.get((kind, source[2], target[2]), ()):
            if (
                source[0] < other_source[1]
                and other_source[0] < source[1]
                and target[0] < other_target[1]
                and other_target[0] < target[1]
            ):
                found += 1
                break
    return found


def relation_counts(
    a: set[Relation], b: set[Relation]
) -> tuple[dict[str, Counts], dict[str, Counts]]:
    """(exact, overlap) counts per relation type."""
    exact: dict[str, Counts] = {}
    overlap: dict[str, Counts] = {}
    for kind in {r[0] for r in a} | {r[0] for r in b}:
        mine = {r for r in a if r[0] == kind}
        theirs = {r for r in b if r[0] == kind}
        total = len(mine) + len(theirs)
        exact[kind] = Counts(len(mine & theirs), total)
        overlap[kind] = Counts((_matched(mine, theirs) + _matched(theirs, mine)) / 2, total)
    return exact, overlap
