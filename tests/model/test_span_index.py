"""The span index answers as the naive definitions do: overlap is `start < end and end > start`, text
order is (start, longer first, id), and changes applied one by one equal a rebuild."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model.annotation import Annotation
from reader.model.span_index import BLOCK, SpanIndex, span_key

STAMP = "2024-01-01T00:00:00.000Z"


def ann(number: int, start: int | None, end: int | None) -> Annotation:
    return Annotation(
        id=f"a{number:05d}",
        doc="d",
        doc_sha256="0" * 64,
        start=start,
        end=end,
        quote="x" * ((end or 0) - (start or 0)),
        created=STAMP,
        modified=STAMP,
    )


# Mostly short spans, some long ones reaching over many blocks, some empty, some whole-document notes.
spans = st.one_of(
    st.tuples(st.integers(0, 400), st.integers(0, 30)).map(lambda p: (p[0], p[0] + p[1])),
    st.tuples(st.integers(0, 400), st.integers(100, 500)).map(lambda p: (p[0], p[0] + p[1])),
    st.just((None, None)),
)
annotation_lists = st.lists(spans, max_size=3 * BLOCK).map(
    lambda pairs: [ann(n, s, e) for n, (s, e) in enumerate(pairs)]
)


def naive_overlapping(anns: list[Annotation], start: int, end: int) -> list[Annotation]:
    drawn = [a for a in anns if a.start is not None and a.end is not None]
    return sorted((a for a in drawn if a.start < end and a.end > start), key=span_key)  # type: ignore[operator]


@settings(max_examples=200)
@given(annotation_lists, st.integers(0, 900), st.integers(1, 100))
def test_overlapping_is_the_naive_overlap(anns: list[Annotation], start: int, length: int) -> None:
    index = SpanIndex(anns)
    assert index.overlapping(start, start + length) == naive_overlapping(
        anns, start, start + length
    )
    assert index.annotations == sorted((a for a in anns if a.start is not None), key=span_key)


@settings(max_examples=200)
@given(annotation_lists, st.lists(st.tuples(st.booleans(), st.integers(0, 10**6)), max_size=60))
def test_changes_one_by_one_equal_a_rebuild(
    anns: list[Annotation], steps: list[tuple[bool, int]]
) -> None:
    index = SpanIndex(anns[: len(anns) // 2])
    present = list(anns[: len(anns) // 2])
    waiting = list(anns[len(anns) // 2 :])
    seen = index.annotations
    seen_then = list(seen)
    for adding, pick in steps:
        if adding and waiting:
            new = waiting.pop(pick % len(waiting))
            index.add(new)
            present.append(new)
        elif present:
            gone = present.pop(pick % len(present))
            assert index.remove(gone) == (gone.start is not None)
            assert not index.remove(gone)  # already gone
    rebuilt = SpanIndex(present)
    assert index.annotations == rebuilt.annotations
    assert index.starts == rebuilt.starts
    for start in range(0, 950, 37):
        assert index.overlapping(start, start + 20) == naive_overlapping(present, start, start + 20)
    assert seen == seen_then  # a list handed out is never changed under its holder


@given(annotation_lists, st.integers(0, 420), st.integers(0, 40))
def test_exactly_finds_the_first_on_a_span(anns: list[Annotation], start: int, length: int) -> None:
    expected = next(
        (a for a in sorted(anns, key=span_key) if (a.start, a.end) == (start, start + length)),
        None,
    )
    assert SpanIndex(anns).exactly(start, start + length) == expected
