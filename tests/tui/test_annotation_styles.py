"""The one-sweep annotation styles of a row equal painting every covering annotation, outer first, and
underlining where two overlap (the definition the view had, at pieces × annotations cost)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style

from reader.model.annotation import Annotation
from reader.model.labels import LabelScheme
from reader.model.span_index import span_key
from reader.tui.widgets.document_view import annotation_styles
from reader.tui.widgets.palette import Palette

SCHEME = LabelScheme.from_config(
    [
        {"name": "claim", "key": "1", "color": "#e9a23b"},
        {"name": "premise", "key": "2", "color": "#3b8be9"},
    ]
)
PALETTE = Palette.build(SCHEME)
STAMP = "2024-01-01T00:00:00.000Z"
ROW = (100, 188)


def ann(number: int, start: int, end: int, label: str | None) -> Annotation:
    return Annotation(
        id=f"a{number:04d}",
        doc="d",
        doc_sha256="0" * 64,
        start=start,
        end=end,
        quote="x" * (end - start),
        label=label,
        created=STAMP,
        modified=STAMP,
    )


def painted(hits: list[Annotation], a: int, b: int) -> Style:
    """Every annotation covering [a, b), outer first, then an underline per overlapping pair."""
    innermost_first = sorted(
        sorted(hits, key=span_key), key=lambda x: ((x.end or 0) - (x.start or 0), x.start)
    )
    style = Style()
    for x in reversed(innermost_first):
        if (x.start or 0) <= a and (x.end or 0) >= b:
            style += PALETTE.label(x.label)
    for x, y in itertools.combinations(hits, 2):
        lo, hi = max(x.start or 0, y.start or 0), min(x.end or 0, y.end or 0)
        if lo < hi and lo <= a and hi >= b:
            style += PALETTE.overlap
    return style


spans = st.tuples(
    st.integers(40, 200), st.integers(0, 90), st.sampled_from(["claim", "premise", "other", None])
)


@settings(max_examples=300)
@given(st.lists(spans, max_size=25))
def test_one_sweep_paints_as_every_annotation_would(
    drawn: list[tuple[int, int, str | None]],
) -> None:
    row_start, row_end = ROW
    anns = [ann(n, s, s + length, label) for n, (s, length, label) in enumerate(drawn)]
    hits = [a for a in anns if (a.start or 0) < row_end and (a.end or 0) > row_start]
    bounds = {row_start, row_end, *(p for a in hits for p in (a.start or 0, a.end or 0))}
    cuts = sorted({max(row_start, min(row_end, p)) for p in bounds})
    marks = annotation_styles(hits, cuts, PALETTE)
    assert len(marks) == len(cuts) - 1
    for (a, b), mark in zip(itertools.pairwise(cuts), marks, strict=True):
        assert Style() + (mark or Style()) == painted(hits, a, b), (a, b)
