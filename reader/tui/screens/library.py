"""The library: every document of the corpus in a table, with the files that could not be read."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from reader.corpus import Corpus, Document, Status
from reader.errors import CorpusError
from reader.text import display_safe

# Fixed widths for the short columns; the title takes what is left of the terminal.
COLUMNS = {"Title": 0, "Author": 16, "Party": 12, "Date": 7, "Words": 6, "Status": 10}
CELL_PADDING = 2


def _cell(value: str) -> Text:
    # Metadata comes from files: never let it act on the terminal or be read as markup.
    return Text(display_safe(value), no_wrap=True, overflow="ellipsis")


class LibraryScreen(Screen[None]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="library.down"),
        Binding("k", "cursor_up", "Up", show=False, id="library.up"),
    ]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._info(), id="corpus-info")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def _info(self) -> Text:
        problems = sum(not doc.readable for doc in self.corpus)
        info = Text(f"{len(self.corpus)} documents in {display_safe(str(self.corpus.root))}")
        if problems:
            info.append(f" · {problems} cannot be opened (see Status)", style="bold yellow")
        return info

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name, width in COLUMNS.items():
            table.add_column(name, key=name.lower(), width=width or self._title_width())
        for doc in self.corpus:
            table.add_row(
                _cell(doc.title),
                _cell(doc.author),
                _cell(doc.party),
                _cell(doc.date),
                Text("…", style="dim", justify="right") if doc.readable else Text(""),
                self._status(doc),
                key=doc.id,
            )
        self.count_words()

    def _title_width(self) -> int:
        fixed = sum(COLUMNS.values()) + CELL_PADDING * len(COLUMNS) + 2  # + the scrollbar
        return max(20, self.app.size.width - fixed)

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        column = table.columns.get("title")  # type: ignore[call-overload]
        if column is not None and column.width != self._title_width():
            column.width = self._title_width()
            table.refresh(layout=True)

    def _status(self, doc: Document) -> Text:
        style = "" if doc.status == Status.OK else "bold yellow"
        return Text(doc.status, style=style)

    @work(thread=True, exclusive=True)
    def count_words(self) -> None:
        """Read full texts off the UI thread: listing must never wait for every document."""
        for doc in self.corpus:
            if not doc.readable:
                continue
            try:
                words = Text(f"{doc.words:,}", justify="right")
            except CorpusError:
                words = Text("")
            self.app.call_from_thread(self._set_words, doc, words)

    def _set_words(self, doc: Document, words: Text) -> None:
        table = self.query_one(DataTable)
        table.update_cell(doc.id, "words", words)
        table.update_cell(doc.id, "status", self._status(doc))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
