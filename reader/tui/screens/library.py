"""The library: every document of the corpus in a table, with the files that could not be read."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from reader.claims import highlight
from reader.corpus import Corpus, Document, Status
from reader.errors import ReaderError
from reader.text import display_safe
from reader.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

# Fixed widths for the short columns; the title takes what is left of the terminal.
COLUMNS = {
    "Title": 0,
    "Author": 16,
    "Party": 12,
    "Date": 7,
    "Words": 6,
    "Claims": 6,
    "Notes": 5,
    "Read": 4,
    "Status": 10,
}
CELL_PADDING = 2
SORTS: tuple[tuple[str, str], ...] = (
    ("id", "file name"),
    ("title", "title"),
    ("author", "author"),
    ("date", "date"),
    ("progress", "reading progress"),
)


def _cell(value: str) -> Text:
    # Metadata comes from files: never let it act on the terminal or be read as markup.
    return Text(display_safe(value), no_wrap=True, overflow="ellipsis")


def _number(value: int | None) -> Text:
    return Text(
        "…" if value is None else f"{value:,}",
        justify="right",
        style="dim" if value is None else "",
    )


class LibraryScreen(Screen[None]):
    BINDINGS = [
        Binding("j", "cursor(1)", "Down", show=False, id="library.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="library.up"),
        Binding("enter", "open", "Open", id="library.open", priority=True),
        Binding("s", "sort", "Sort", id="library.sort"),
        Binding("f", "filter", "Filter", id="library.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="library.clear_filter"),
    ]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        self.sort_index = 0
        self.filter_text = ""
        self.claims: dict[str, int] = {}
        self.words: dict[str, int] = {}
        # The status column only earns its width when some file could not be read cleanly.
        problems = any(doc.status != Status.OK for doc in corpus)
        self.columns = {n: w for n, w in COLUMNS.items() if problems or n != "Status"}

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(self._info(), id="corpus-info")
        yield Input(placeholder="Filter by title, author or party (escape clears)", id="filter")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def _info(self) -> Text:
        problems = sum(not doc.readable for doc in self.corpus)
        info = Text("reader", style="bold")
        info.append(f"  {len(self.corpus)} documents in {display_safe(str(self.corpus.root))}")
        if problems:
            info.append(f" · {problems} cannot be opened (see Status)", style="bold yellow")
        info.append(f" · sorted by {SORTS[self.sort_index][1]}", style="dim")
        return info

    def _columns(self) -> dict[str, int]:
        return self.columns

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        table = self.query_one(DataTable)
        for name, width in self._columns().items():
            table.add_column(name, key=name.lower(), width=width or self._title_width())
        self._fill()
        table.focus()
        self.count_in_background()

    def on_screen_resume(self) -> None:
        # Back from a document: annotation counts and reading progress may have changed.
        if self.is_mounted:
            self._fill()

    def _annotation_counts(self) -> Counter[str]:
        store = self.reader.store
        return Counter(a.doc for a in store.annotations()) if store is not None else Counter()

    def _progress(self, doc: Document) -> float:
        return float(self.reader.reading_position(doc.id).get("progress", 0.0))

    def _visible(self) -> list[Document]:
        needle = self.filter_text.casefold()
        docs = [
            doc
            for doc in self.corpus
            if not needle
            or any(needle in field.casefold() for field in (doc.title, doc.author, doc.party))
        ]
        key = SORTS[self.sort_index][0]
        if key == "progress":
            docs.sort(key=self._progress, reverse=True)
        elif key != "id":
            docs.sort(key=lambda d: (getattr(d, key).casefold(), d.id))
        return docs

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        selected = self.selected_id()
        counts = self._annotation_counts()
        table.clear()
        for doc in self._visible():
            progress = self._progress(doc)
            table.add_row(
                _cell(doc.title),
                _cell(doc.author),
                _cell(doc.party),
                _cell(doc.date),
                _number(self.words.get(doc.id)) if doc.readable else Text(""),
                _number(self.claims.get(doc.id)) if doc.readable else Text(""),
                Text(str(counts.get(doc.id, 0) or ""), justify="right"),
                Text(f"{progress:.0%}" if progress else "", justify="right"),
                *([self._status(doc)] if "Status" in self._columns() else []),
                key=doc.id,
            )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        self.query_one("#corpus-info", Static).update(self._info())

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _title_width(self) -> int:
        columns = self._columns()
        fixed = sum(columns.values()) + CELL_PADDING * len(columns) + 2  # + the scrollbar
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
    def count_in_background(self) -> None:
        """Read and score full texts off the UI thread: listing never waits for every document."""
        for doc in list(self.corpus):
            if not doc.readable:
                continue
            try:
                words = doc.words
                claims = len(highlight(doc.text, doc.sha256, doc.body_start).labelled("claim"))
            except ReaderError:
                words = claims = 0
            self.app.call_from_thread(self._set_counts, doc, words, claims)

    def _set_counts(self, doc: Document, words: int, claims: int) -> None:
        self.words[doc.id], self.claims[doc.id] = words, claims
        table = self.query_one(DataTable)
        if doc.id in table.rows:
            table.update_cell(doc.id, "words", _number(words))
            table.update_cell(doc.id, "claims", _number(claims))
            if "Status" in self._columns():
                table.update_cell(doc.id, "status", self._status(doc))

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if delta > 0 else table.action_cursor_up()

    def action_open(self) -> None:
        doc_id = self.selected_id()
        if doc_id is None:
            return
        doc = self.corpus.get(doc_id)
        if doc is not None and not doc.readable:
            self.notify(
                doc.message or doc.status, title="Cannot open", severity="error", markup=False
            )
            return
        self.reader.open_document(doc_id)

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._fill()
        self.notify(f"Sorted by {SORTS[self.sort_index][1]}.", timeout=2)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._fill()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.display:
            return
        box.value = ""
        box.display = False
        self.filter_text = ""
        self._fill()
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        # Letter keys type into the filter box while it has focus.
        return not (
            action in {"cursor", "open", "sort", "filter"} and isinstance(self.focused, Input)
        )
