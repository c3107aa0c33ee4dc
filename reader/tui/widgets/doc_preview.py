"""The library's preview of the document under the cursor: its summary (corpus.toml), its labels as a
small bar, the suggestions left to review, how far it has been read, and the last note written.

The library tells the preview when its cursor moves (`follow`), from its first paint on; it counts in
a worker: scoring a long text for the suggestions left must not hold up the keys.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from rich.style import Style
from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static

from reader.claims.reasons import suggested
from reader.corpus.documents import Document
from reader.errors import ReaderError
from reader.model.annotation import document_notes
from reader.text import bar, shorten
from reader.tui.safe import note_words, safe
from reader.tui.widgets.palette import label_background

if TYPE_CHECKING:
    from reader.stats import DocumentSummary
    from reader.tui.app import ReaderApp

BAR_CELLS = 12
NOTE_CHARS = 200


class DocPreview(Static):
    """Shows `current()`, the document under the library's cursor (None: nothing)."""

    def __init__(self, current: Callable[[], Document | None], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._current = current
        self._doc: Document | None = None
        self._shown: str | None = None

    @property
    def reader(self) -> ReaderApp:
        return cast("ReaderApp", self.app)

    def follow(self, force: bool = False) -> None:
        """Show the document under the cursor if it changed (or always, after the store changed)."""
        doc = self._current()
        if doc is self._doc and not force:
            return
        self._doc = doc
        if doc is None:
            self.update("")
            self.post_message(self.Notes(()))
            return
        self.summarise(doc)

    @work(thread=True, exclusive=True, group="preview")
    def summarise(self, doc: Document) -> None:
        app = self.reader
        store = app.store
        annotations = store.annotations(doc.id) if store is not None else []
        # The notes on the whole document at once, before the scoring: a note must never be
        # shown under another document while this one is counted.
        notes = tuple(a.note for a in document_notes(annotations))
        app.call_from_thread(self._notes, doc, notes)
        from reader.stats import DocumentSummary, document_summary  # after the first paint

        try:
            dismissed = app.user_state.dismissed(doc.id, doc.sha256) if doc.readable else set()
            summary = document_summary(doc, annotations, dismissed)
        except ReaderError:
            summary = DocumentSummary(Counter(), len(annotations), 0, "")
        progress = app.user_state.progress(doc.id)
        app.call_from_thread(self._show, doc, summary, progress)

    class Notes(Message):
        """The notes on the whole document under the cursor (none: no document, or none)."""

        def __init__(self, notes: tuple[str, ...]) -> None:
            super().__init__()
            self.notes = notes

    def _notes(self, doc: Document, notes: tuple[str, ...]) -> None:
        if doc is self._doc and self.is_attached:
            self.post_message(self.Notes(notes))

    def _show(self, doc: Document, summary: DocumentSummary, progress: float) -> None:
        if doc is not self._doc or not self.is_attached:
            return  # the cursor moved on (or the app closed) while this one was counted
        self.update(self.render_summary(doc, summary, progress))

    def render_summary(self, doc: Document, summary: DocumentSummary, progress: float) -> Text:
        # No title: the row under the cursor shows it, and the preview starts with what it does not.
        text = Text()
        if doc.summary:
            # Two lines at most: the labels, suggestions and last note must stay in view.
            room = max(40, 2 * self.content_size.width - self.content_size.width // 4)
            text.append_text(safe(shorten(doc.summary, room)))
            text.append("\n")
        if summary.labels:
            most = max(summary.labels.values())
            for name in [n for n in self.reader.scheme.names if n in summary.labels] + sorted(
                set(summary.labels) - set(self.reader.scheme.names)
            ):
                count = summary.labels[name]
                text.append_text(safe(name, "dim"))
                # In the label's colour, as its highlights in the text.
                colour = label_background(self.reader.scheme.by_name(name)).rich_color
                text.append(f" {bar(count, most, BAR_CELLS)}", Style(color=colour))
                text.append(f" {count}  ")
        else:
            text.append("No labels yet  ", style="dim")
        text.append("\n")
        text.append(f"{suggested(summary.suggestions_left)} left to review")
        text.append(f" · read {progress:.0%}" if progress else " · not read yet", style="dim")
        if summary.last_note:
            note = shorten(note_words(summary.last_note[: NOTE_CHARS * 4]), NOTE_CHARS)
            text.append("\nLast note: ", style="dim")
            text.append_text(safe(note, "italic"))
        return text
