"""The "Under the cursor" box keeps its height, so what does not fit is cut at its foot: a long note
gives way to the lines after it (its annotator, the other annotations under the cursor, which keys
act on which) and says how much is left and which key opens it; anything else cut ends the box's
last row in an ellipsis. A bigger terminal shows more of the note."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.widgets.panel import UnderCursorBox

from .conftest import wait_for_document

DOC = "peace-2019-09-winning-back-labours-heartlands"
SENTENCE = "This sentence is part of a long note that goes on and on about the claim."


def stack(project: Path, note: str, outer: int = 1) -> int:
    """An annotation with `note`, inside `outer` longer ones; returns where they start."""
    doc = Corpus.load(project / "corpus").get(DOC)
    assert doc is not None
    start = doc.text.index(". ", doc.body_start + 400) + 2
    anns = [
        annotation_from_document(doc, start, start + 60, label="claim", note=note, author="tester")
    ]
    anns += [
        annotation_from_document(
            doc, start, start + 61 + n, label="evidence", note=f"outer {n}", author="tester"
        )
        for n in range(outer)
    ]
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(anns)
    return start


def box_rows(app: ReaderApp) -> list[str]:
    """The box's rows as drawn on the screen."""
    box = app.screen.query_one(UnderCursorBox)
    region = box.content_region
    return [
        strip.text[region.x : region.right].rstrip()
        for strip in app.screen._compositor.render_strips()[region.y : region.bottom]
    ]


async def open_at(app: ReaderApp, pilot: object, start: int) -> None:
    app.open_document(DOC, offset=start)
    await wait_for_document(app, pilot)  # type: ignore[arg-type]


# 120 columns: room for all but the note's last rows. 90: a box 29 wide, where the cue takes two
# rows (it was measured as one, and a row too many was cut), and where the note keeps its first
# rows all the same, the rest cut at the foot.
@pytest.mark.parametrize("width", [90, 120])
async def test_a_long_note_gives_way_to_what_follows_and_names_its_key(
    make_app: Callable[..., ReaderApp], project: Path, width: int
) -> None:
    start = stack(project, " ".join([SENTENCE] * 8))  # within the preview's 600 characters
    app = make_app()
    async with app.run_test(size=(width, 40)) as pilot:
        await open_at(app, pilot, start)
        rows = box_rows(app)
        shown = "\n".join(rows)
        assert rows[0].startswith("▶  claim")
        assert any(row.startswith("This sentence is part") for row in rows[2:4])  # the note's start
        assert "more lines: a opens the" in shown
        # What the note used to push out of the box.
        assert "by tester" in shown and " evidence " in shown and "act on ▶" in shown
        assert "Suggested claim" in shown and "y accept" in shown
        if width == 120:  # to the reasons' last word
            assert shown.rstrip().endswith("“government”")
        else:
            assert shown.rstrip().endswith(" …")

        await pilot.resize_terminal(160, 60)
        await pilot.pause()
        taller = "\n".join(box_rows(app))
        assert taller.count("This sentence") > shown.count("This sentence")


async def test_a_note_longer_than_its_preview_is_not_counted_by_the_preview(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    # The rows left out of a preview are not the note's: a count of them would say "12 more
    # lines" of a note of thousands; its length says how much there is.
    note = "\n".join([SENTENCE] * 5000)
    start = stack(project, note)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_at(app, pilot, start)
        shown = "\n".join(box_rows(app))
        assert "This sentence is part" in shown
        assert f"… {len(note):,} characters in all: a opens it" in shown
        assert "more line" not in shown and "by tester" in shown


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_short_note_keeps_its_first_rows_over_a_suggestion(
    make_app: Callable[..., ReaderApp], project: Path, size: tuple[int, int]
) -> None:
    # It gave all its rows to the suggestion's reasons, which were cut at the foot anyway.
    start = stack(project, "- first point\n- second point\n- third point\n- fourth point", 0)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_at(app, pilot, start)
        shown = "\n".join(box_rows(app))
        assert "first point" in shown and "second point" in shown, shown
        assert "by tester" in shown


async def test_a_note_that_fits_is_shown_whole_without_a_cue(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    start = stack(project, "A short note.")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_at(app, pilot, start)
        shown = "\n".join(box_rows(app))
        assert "A short note." in shown and "by tester" in shown
        assert "opens the" not in shown and "more line" not in shown


async def test_more_than_fits_ends_the_last_row_in_an_ellipsis(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    start = stack(project, "A short note.", outer=11)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(app, pilot, start)
        box = app.screen.query_one(UnderCursorBox)
        rows = box_rows(app)
        assert len(rows) == box.content_size.height
        assert rows[-1].endswith(" …") and rows[-1][:-2].strip(), rows
        assert rows[0].startswith("▶  claim") and "A short note." in rows
