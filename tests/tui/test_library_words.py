"""The library's words say what its numbers count: annotations under "Annot." (a note is one kind of
annotation), claims under Claims, and the preview's suggestions as claims and facts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.library import LibraryScreen

from .conftest import PEACE


def annotate(project: Path) -> None:
    """Three annotations on PEACE, one with a note."""
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        for n, words in enumerate(("Since being", "The Tory MP", "Many Leave voters")):
            start = doc.text.index(words)
            note = "check the figure" if n == 0 else ""
            store.add(annotation_from_document(doc, start, start + len(words), note=note))


async def test_the_column_of_annotations_is_not_called_notes(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    annotate(project)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        header = screen.table.header()
        assert "Annot." in header and "Notes" not in header
        peace = next(doc for doc in screen.corpus if doc.id == PEACE)
        assert screen._notes_text(peace) == "3"
        for _ in range(8):  # s steps through the sort orders
            if "sorted by annotations" in str(screen.query_one("#corpus-info", Static).render()):
                break
            await pilot.press("s")
        assert "sorted by annotations" in str(screen.query_one("#corpus-info", Static).render())


async def test_a_long_documents_word_count_and_annotation_count_are_shown_whole(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    # "171,7…" was shown for a 1 MB document's 171,734 words, and its annotations as "10001".
    (project / "corpus" / "long.txt").write_text(
        "A long one\n\n" + "Words are here. " * 40_000, encoding="utf-8"
    )
    long = Corpus.load(project / "corpus").get("long")
    assert long is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(
            annotation_from_document(long, 12 + 16 * n, 26 + 16 * n) for n in range(1_200)
        )
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        [row] = [
            screen.table.render_line(y).text
            for y in range(len(screen.table.rows))
            if "A long one" in screen.table.render_line(y).text
        ]
        assert f"{long.words:,}" in row and "1,200" in row
