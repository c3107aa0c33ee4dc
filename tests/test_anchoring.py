"""Re-anchoring on import: which occurrence of a quote an annotation lands on when its offsets no
longer fit the text, however many times the quote occurs."""

from __future__ import annotations

from pathlib import Path

import orjson

from reader.anchoring import anchor
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import import_file
from tests.formats.formats_helpers import make_project


def test_the_whole_context_wins_past_thousands_of_occurrences() -> None:
    # 20,000 occurrences of "e" before the one whose prefix and suffix agree.
    text = "e " * 20_000 + "the red wall fell in 2019\n"
    at = text.index("fell") + 1  # the "e" of "fell"
    found = anchor(text, 10**12, 10**12 + 1, "e", text[at - 32 : at], text[at + 1 : at + 33])
    assert found == (at, at + 1)


def test_the_whole_context_is_found_far_from_the_old_offset() -> None:
    from reader.anchoring import WINDOW

    text = "the red wall fell. " + "e " * (2 * WINDOW)
    at = text.index("fell") + 1
    found = anchor(text, len(text) - 3, len(text) - 2, "e", text[at - 32 : at], text[at + 1 :][:32])
    assert found == (at, at + 1)


def test_without_context_the_occurrence_nearest_the_old_offset_wins() -> None:
    text = "x" * 100 + "e" * 50 + "x" * 100
    assert anchor(text, 130, 131, "f") == "the quote 'f' is not in the text"
    assert anchor(text, 500, 501, "ee") == (148, 150)  # past the end: the last one
    assert anchor(text, 0, 1, "ee") == (100, 102)
    assert anchor(text, -7, -6, "ee") == (100, 102)


def test_a_partly_agreeing_prefix_picks_among_repeats_near_the_old_offset() -> None:
    text = "alpha: claim. beta: claim. gamma: claim."
    # The document gained a headline: offsets point 5 characters too early; the prefix was edited.
    found = anchor(text, 15, 21, "claim.", prefix="XXta: ", suffix=" gamma")
    assert found == (20, 26)


def test_ties_go_to_the_earlier_occurrence() -> None:
    text = "ab ab"
    assert anchor(text, 10**6, 10**6 + 2, "ab", prefix="", suffix="") == (3, 5)
    assert anchor("abxxab", 2, 4, "ab", prefix="", suffix="") == (0, 2)


def test_many_annotations_on_a_common_quote_land_where_their_context_says(tmp_path: Path) -> None:
    fx = make_project(tmp_path / "p", {"doc": "".join(f"e{n:05d} " for n in range(3000))})
    doc = fx.corpus.get("doc")
    assert doc is not None
    wanted = [annotation_from_document(doc, 7 * n, 7 * n + 1) for n in range(0, 3000, 7)]
    records = []
    for ann in wanted:
        shifted = ann.to_json()
        shifted.update(start=10**12 + ann.start, end=10**12 + ann.end)  # offsets past the end
        records.append(shifted)
    payload = {"schema": "reader-annotations/1", "annotations": records}
    (tmp_path / "a.json").write_bytes(orjson.dumps(payload))
    with AnnotationStore.open(tmp_path / "s.json") as store:
        report = import_file(tmp_path / "a.json", "json", fx.corpus, store)
        assert report.reanchored == len(wanted)
        assert [(a.start, a.end) for a in store.annotations()] == [(a.start, a.end) for a in wanted]
