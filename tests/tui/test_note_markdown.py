"""A note's Markdown is drawn, not shown raw: emphasis in the panel, marks left out of the list's
one-line preview; its links stay text and the escape sequences its entities spell stay placeholders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.widgets import OptionList, Static

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.safe import markdown_text

from .conftest import PEACE
from .test_document import open_peace

NOTE = (
    "**Anecdotal** evidence, see [the poll](http://example.com/x) &#x1b;]52;c;QUFB&#x7; "
    "and `&#x9b;31m`\n\n- one doorstep\n- two doorsteps\n"
)


def noted(project: Path) -> int:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    start = doc.text.index("Since being selected")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, start, start + 20, label="claim", note=NOTE))
    return start


def test_markdown_text_is_drawn_and_safe() -> None:
    text = markdown_text(NOTE, 40)
    assert "Anecdotal evidence" in text.plain and "**" not in text.plain
    assert "• one doorstep" in text.plain
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text.plain)
    assert any(span.start == 0 and "bold" in str(span.style) for span in text.spans)
    assert all(not getattr(span.style, "link", None) for span in text.spans)


async def test_the_panel_draws_a_note_as_markdown(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    start = noted(project)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_peace(app, pilot, start)
        await pilot.pause()
        plain = str(app.screen.query_one("#under-cursor", Static).render())
        assert "Anecdotal evidence" in plain and "**Anecdotal**" not in plain
        assert "\x1b" not in plain and "\x9b" not in plain
        listed = app.screen.query_one(OptionList).get_option_at_index(0).prompt
        assert isinstance(listed, Text)
        assert "✎ Anecdotal evidence" in listed.plain and "**" not in listed.plain
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "Anecdotal evidence" in shown and "\x1b" not in shown


async def test_the_library_preview_shows_the_last_note_without_its_marks(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    noted(project)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "Last note: Anecdotal evidence" in shown and "**" not in shown, shown
