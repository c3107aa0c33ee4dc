"""Agreement on sentence labels: each annotator gives each sentence one label (or none), and the
labels are compared as categories with Cohen's κ for a pair and Krippendorff's α over everyone.

A sentence's label is the label of the annotator's spans that cover most of its characters; a sentence
no span touches gets NONE, which is a category like the others (saying nothing about a sentence is a
decision an annotator can disagree on). Ties go to the label first in alphabetical order, so the result
does not depend on the order annotations were made in.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence

NONE = ""  # the category of a sentence without a label (labels are never empty)


def sentence_labels(
    sentences: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str]]
) -> list[str]:
    """One label per sentence (NONE where no span touches it); `sentences` sorted and disjoint."""
    ends = [end for _, end in sentences]
    cover: list[Counter[str] | None] = [None] * len(sentences)
    for start, end, label in spans:
        index = bisect_left(ends, start + 1)  # the first sentence ending after start
        while index < len(sentences) and sentences[index][0] < end:
            s_start, s_end = sentences[index]
            shared = min(end, s_end) - max(start, s_start)
            if shared > 0:
                counter = cover[index]
                if counter is None:
                    counter = cover[index] = Counter()
                counter[label] += shared
            index += 1
    return [
        NONE if counter is None else min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for counter in cover
    ]


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """κ = (p_o − p_e) / (1 − p_e) over paired labels; None when p_e = 1 (both gave one category
    throughout, so chance explains everything and κ is undefined)."""
    n = len(a)
    if n == 0 or n != len(b):
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Iterable[Sequence[str | None]]) -> float | None:
    """Krippendorff's α for nominal data. Each unit holds one value per annotator (None: missing);
    units with fewer than two values are not pairable and left out. None when the values show no
    variation at all (expected disagreement 0), where α is undefined."""
    totals: Counter[str] = Counter()
    observed = 0.0
    for unit in units:
        values: dict[str, int] = {}
        for value in unit:
            if value is not None:
                values[value] = values.get(value, 0) + 1
        m = sum(values.values())
        if m < 2:
            continue
        totals.update(values)
        if len(values) > 1:  # ordered pairs of different values, each weighted 1 / (m − 1)
            observed += (m * m - sum(c * c for c in values.values())) / (m - 1)
    n = sum(totals.values())
    expected = n * n - sum(c * c for c in totals.values())
    if n < 2 or expected == 0:
        return None
    return 1 - (n - 1) * observed / expected
