"""A document holding 10,000 annotations opens and every key does what it does on a sparse one: the
text, the panel's list (which holds the annotations near the cursor) and the status agree with the store."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from textual.widgets import OptionList

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView

from .conftest import wait_for_document

COUNT = 10_000
SIZE = (120, 40)


def dense_project(project: Path) -> None:
    """A 100 KB document (the shipped texts, four times) with COUNT annotations at random places."""
    corpus = project / "corpus"
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    (corpus / "dense.txt").write_text("Dense\n\n" + text * 4, encoding="utf-8")
    doc = Corpus.load(corpus).get("dense")
    assert doc is not None
    rng = random.Random(5)
    anns = []
    for _ in range(COUNT):
        start = rng.randrange(doc.body_start, len(doc.text) - 200)
        end = start + rng.randint(20, 180)
        label = rng.choice(["claim", "premise", "evidence"])
        anns.append(annotation_from_document(doc, start, end, label=label, author="bulk"))
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(anns)


def listed(screen: DocumentScreen) -> set[str]:
    options = screen.query_one("#annotation-list", OptionList)
    return {o.id for o in options.options if o.id is not None}


def status(screen: DocumentScreen) -> str:
    return str(screen.query_one("#doc-status").render())


async def test_ten_thousand_annotations_open_and_every_key_answers(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    dense_project(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_document("dense")
        screen = await wait_for_document(app, pilot)
        session = screen.session
        assert session is not None and len(session.annotations) == COUNT
        assert f"{COUNT:,} annotations" in status(screen)
        heading = str(screen.query_one("#list-heading").render())
        assert f"({COUNT:,})" in heading  # as the status line counts them

        await pilot.press("right_square_bracket")
        first = session.annotations[0]
        assert session.current is not None
        assert session.current.start <= (first.start or 0) < session.current.end
        acted_on = session.annotation_at_cursor()
        assert acted_on is not None and acted_on.id in listed(screen)

        for _ in range(40):  # the list follows the cursor through the text
            await pilot.press("j")
            acted_on = session.annotation_at_cursor()
            if acted_on is not None and (acted_on.start or 0) >= session.current.start:
                assert acted_on.id in listed(screen)
        await pilot.press("G")
        last = session.annotations[-1]
        assert last.id in listed(screen)
        assert len(listed(screen)) < COUNT  # near the cursor, not all of them

        view = screen.query_one(DocumentView)
        rows = [view.render_line(y) for y in range(view.scrollable_content_region.height)]
        assert any(seg.style and seg.style.bgcolor for row in rows for seg in row)

        await pilot.press("k", "v", "w", "1")
        await pilot.pause()
        assert app.store is not None and len(app.store) == COUNT + 1
        assert len(session.annotations) == COUNT + 1
        await pilot.press("u")
        await pilot.pause()
        assert len(app.store) == COUNT and len(session.annotations) == COUNT

        # An import of a thousand more while the document is open, then its undo: a thousand
        # changes at once, each reaching the open document.
        doc = app.corpus.get("dense")
        assert doc is not None
        more = [
            annotation_from_document(doc, n * 7 + 40, n * 7 + 60, label="claim", author="import")
            for n in range(1000)
        ]
        app.store.add_many(more)
        await pilot.pause()
        assert len(session.annotations) == COUNT + 1000
        assert f"{COUNT + 1000:,} annotations" in status(screen)
        await pilot.press("u")
        await pilot.pause()
        assert len(app.store) == COUNT and len(session.annotations) == COUNT
        assert {a.id for a in session.annotations} == {a.id for a in app.store.annotations()}
        assert f"{COUNT:,} annotations" in status(screen)


async def test_thousands_stacked_on_one_sentence_are_listed_innermost_first_and_counted(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    from reader.tui.widgets.panel import UNDER_CURSOR_SHOWN

    doc = Corpus.load(project / "corpus").get("peace-2019-09-winning-back-labours-heartlands")
    assert doc is not None
    start = doc.body_start
    stacked = [
        annotation_from_document(doc, start, start + 30 + n % 200, label="claim", author="x")
        for n in range(2000)
    ]
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(stacked)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_document(doc.id)
        screen = await wait_for_document(app, pilot)
        session = screen.session
        assert session is not None
        session.move_to_offset(start)
        screen.refresh_all()
        await pilot.pause()
        under = str(screen.query_one("#under-cursor").render())
        assert f"… and {2000 - UNDER_CURSOR_SHOWN} more" in under
        innermost = session.annotation_at_cursor()
        assert innermost is not None and innermost.end == start + 30
        await pilot.press("d")  # acts on the innermost, as with a few
        await pilot.pause()
        assert app.store is not None and innermost.id not in app.store
        assert len(session.annotations) == 1999
