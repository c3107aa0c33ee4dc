"""The library: every document of the corpus, with counts, reading progress and unreadable files."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from reader.corpus.documents import Corpus, Document, Status
from reader.errors import ReaderError
from reader.tui.base import ReaderScreen
from reader.tui.safe import SafeInput, note_words, safe
from reader.tui.widgets.doc_preview import DocPreview
from reader.tui.widgets.keybar import KeyBar
from reader.tui.widgets.library_table import Column, LibraryTable

if TYPE_CHECKING:
    pass

SORTS: tuple[tuple[str, str], ...] = (
    ("id", "file name"),
    ("title", "title"),
    ("author", "author"),
    ("date", "date"),
    ("progress", "reading progress"),
    ("notes", "annotations"),  # the id stays "notes": a saved sort order names it
)
# Numbers sort most first; text sorts A to Z. `S` turns either round.
DESCENDING = {"progress", "notes"}


class FilterBox(SafeInput):
    """The filter: enter goes back to the list (the filter stays), and the key bar says so."""

    BINDINGS = [Binding("enter", "submit", "To the list")]


FIRST_PAINT_GRACE = 0.1  # seconds between the first frame and the work that waits for it


class LibraryScreen(ReaderScreen[None]):
    BINDINGS = [
        Binding("j", "cursor(1)", "Down", show=False, id="library.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="library.up"),
        Binding("enter", "open", "Open", id="library.open"),
        Binding("s", "sort", "Sort", id="library.sort"),
        Binding("S", "reverse_sort", "Reverse the sort", show=False, id="library.reverse_sort"),
        Binding("g", "jump(0)", "First document", show=False, id="library.top"),
        Binding("G", "jump(-1)", "Last document", show=False, id="library.bottom"),
        Binding("f", "filter", "Filter", id="library.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="library.clear_filter"),
        Binding("i", "stats", "Statistics", id="library.stats"),
        Binding("a", "adjudicate", "Adjudicate", show=False, id="library.adjudicate"),
    ]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        self.sort_index = 0
        self.sort_reversed = False
        self.filter_text = ""
        self.claims: dict[str, int] = {}
        self.words: dict[str, int] = {}
        self.problems = 0
        self._counts: dict[str, int] = {}
        self._orphans: dict[str, int] = {}  # annotations whose text is gone from the document
        # Reading progress by document, read from the store once per fill, not on every repaint.
        self._read: dict[str, float] = {}
        self._shown = False
        self._painted = False  # the preview and the counts wait for the first paint

    @property
    def table(self) -> LibraryTable:
        return self.query_one(LibraryTable)

    def _columns(self) -> list[Column]:
        def number(values: dict[str, int]) -> Callable[[Document], str]:
            return lambda doc: (
                f"{values[doc.id]:,}" if doc.id in values else ("…" if doc.readable else "")
            )

        def title(doc: Document) -> str:
            # A file that cannot be opened says why where its title would be.
            return doc.title if doc.status == Status.OK else f"[{doc.status}] {doc.path.name}"

        def problem_style(doc: Document) -> str:
            return "" if doc.status == Status.OK else "bold yellow"

        # A metadata column no document fills (a corpus without authors, say) only takes room.
        metadata = [
            Column(name, width, attrgetter(field), drop=drop)
            for name, field, width, drop in (
                ("Author", "author", 16, 1),
                ("Party", "party", 12, 4),
                ("Date", "date", 7, 2),
            )
            if any(getattr(doc, field) for doc in self.corpus)
        ]
        return [
            Column("Title", 0, title, style=problem_style),
            *metadata,
            # Wide enough for the words of a 10 MB text ("1,717,340"); left out first when narrow.
            Column("Words", 9, number(self.words), right=True, drop=3),
            Column("Claims", 6, number(self.claims), right=True),
            Column("Annot.", 6, self._notes_text, right=True),
            Column("Read", 4, self._progress_text, right=True),
        ]

    def compose(self) -> ComposeResult:
        yield Static(id="corpus-info")
        yield Static(id="table-header")
        yield LibraryTable(self._columns(), id="documents")
        yield DocPreview(lambda: self.table.current, id="preview")
        yield Static(id="doc-note")
        yield KeyBar()

    def _info(self) -> Text:
        info = Text("reader", style="bold")
        info.append(f"  {len(self.corpus)} documents")
        if self.problems:
            info.append(f" · {self.problems} cannot be opened", style="bold yellow")
        if self.filter_text:
            count = len(self.table.rows)
            info.append(f" · {count} match{'es' if count == 1 else ''} the filter", style="dim")
        info.append(f" · sorted by {self._sort_name()}", style="dim")
        # The folder last: a long path is what a narrow terminal cuts, not the counts.
        info.append_text(safe(f" · in {self.corpus.root}", "dim"))
        return info

    DEFAULT_CSS = """
    LibraryScreen #doc-note { height: auto; max-height: 4; padding: 0 1; display: none; }
    """

    def on_mount(self) -> None:
        self._fill()
        self.table.focus()
        if self.app.is_headless:
            self.call_after_refresh(self._after_first_paint)
        else:
            # Textual hands a frame to a writer thread: work started at once would hold the
            # interpreter while the frame still waits to reach the terminal (measured:
            # benchmarks/startup.py, 1.6× a hello world without the wait, 1.4× with it).
            self.call_after_refresh(self.set_timer, FIRST_PAINT_GRACE, self._after_first_paint)

    def _after_first_paint(self) -> None:
        # Relinking renamed documents, scoring every text and the preview's counting compete
        # with the first paint for the interpreter: they start after it, the relinking first
        # (it moves annotations).
        self._painted = True
        if self.reader.after_first_paint():
            self._fill()
        self.count_in_background()
        self._preview()

    @on(LibraryTable.Moved)
    def _preview(self) -> None:
        """The preview follows the cursor; it reads the document's annotations in a worker."""
        if self._painted:
            self.query_one(DocPreview).follow()

    @on(DocPreview.Notes)
    def _document_notes(self, event: DocPreview.Notes) -> None:
        """Under the list, the current document's notes on the whole document, if it has any."""
        notes = event.notes
        line = self.query_one("#doc-note", Static)
        line.display = bool(notes)
        if notes:
            text = Text("Document note  ", style="bold")
            shown = (" ".join(note_words(note[:2000]).split()) for note in notes)
            text.append_text(safe(" · ".join(shown)))
            line.update(text)

    def on_screen_resume(self) -> None:
        # Back from a document: annotation counts and reading progress may have changed, and the
        # cursor goes to the document just left, however it was opened (search, palette, resume).
        left, self.reader.left_document = self.reader.left_document, None
        if self._shown:
            self._fill(keep=left)
        self._shown = True

    def _notes_text(self, doc: Document) -> str:
        """The number of annotations, and after ⊘ how many of them are orphaned."""
        orphans, count = self._orphans.get(doc.id), self._counts.get(doc.id)
        return (f"{count:,}" if count else "") + (f"⊘{orphans:,}" if orphans else "")

    def _count_orphans(self, doc_id: str) -> int:
        store = self.reader.store
        if store is None or doc_id not in self._counts:
            return 0
        return sum(1 for ann in store.annotations(doc_id) if ann.orphaned)

    def _set_orphans(self, doc_id: str, orphans: int) -> None:
        if orphans or doc_id in self._orphans:
            self._orphans[doc_id] = orphans
            self.table.refresh_row(doc_id)

    def _progress(self, doc: Document) -> float:
        progress = self._read.get(doc.id)
        if progress is None:
            progress = self._read[doc.id] = self.reader.user_state.progress(doc.id)
        return progress

    def _progress_text(self, doc: Document) -> str:
        progress = self._progress(doc)
        return f"{progress:.0%}" if progress else ""

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
            docs.sort(key=self._progress)
        elif key == "notes":
            docs.sort(key=lambda d: self._counts.get(d.id, 0))
        elif key != "id":
            docs.sort(key=lambda d: (getattr(d, key).casefold(), d.id))
        if (key in DESCENDING) != self.sort_reversed:
            docs.reverse()
        return docs

    def _sort_name(self) -> str:
        return SORTS[self.sort_index][1] + (", reversed" if self.sort_reversed else "")

    def _fill(self, keep: str | None = None) -> None:
        """Show the rows; the cursor stays on its document, or goes to `keep` when given."""
        store = self.reader.store
        # counts() builds no annotations: the library must not parse a large store to paint.
        self._counts = store.counts() if store is not None else {}
        self._read = {}
        if keep is not None:  # back from a document whose orphans may have been re-attached
            self._orphans[keep] = self._count_orphans(keep)
        table = self.table
        current = table.current
        table.set_rows(self._visible(), keep=keep or (current.id if current else None))
        self._show_header()
        self.query_one("#corpus-info", Static).update(self._info())
        if self._painted:
            self.query_one(DocPreview).follow(force=True)  # counts and notes may have changed

    @on(LibraryTable.Resized)
    def table_resized(self) -> None:
        # The filter box showing or hiding changes the table's width, not only a terminal resize.
        self._show_header()

    def _show_header(self) -> None:
        # Cut at the edge like the rows (app.tcss), never wrapped onto a second line above them.
        self.query_one("#table-header", Static).update(Text(self.table.header(), style="bold"))

    def selected_id(self) -> str | None:
        current = self.table.current
        return current.id if current else None

    @work(thread=True, exclusive=True)
    def count_in_background(self) -> None:
        """Read and score full texts off the UI thread: listing never waits for every document."""
        from reader.claims.scores import highlight

        for doc in list(self.corpus):
            if not doc.readable:
                self.app.call_from_thread(self._found_problem, doc)
                continue
            try:
                words = doc.words
                claims = len(highlight(doc.text, doc.sha256, doc.body_start).labelled("claim"))
            except ReaderError:
                self.app.call_from_thread(self._found_problem, doc)
                continue
            self.app.call_from_thread(self._set_counts, doc, words, claims)
            orphans = self._count_orphans(doc.id)
            if orphans:
                self.app.call_from_thread(self._set_orphans, doc.id, orphans)

    def _found_problem(self, doc: Document) -> None:
        self.problems += 1
        self.query_one("#corpus-info", Static).update(self._info())
        self.table.refresh_row(doc.id)

    def _set_counts(self, doc: Document, words: int, claims: int) -> None:
        self.words[doc.id], self.claims[doc.id] = words, claims
        self.table.refresh_row(doc.id)

    def action_cursor(self, delta: int) -> None:
        self.table.action_move(delta)

    def _nothing_to_open(self) -> None:
        if self.filter_text:
            clear = self.shown_key("library.clear_filter", "escape")
            message = f"No document matches the filter “{self.filter_text}”; {clear} clears it."
        else:
            message = "No documents in this corpus."
        self.notify(message, severity="warning", markup=False, timeout=4)

    def action_open(self) -> None:
        doc = self.table.current
        if doc is None:
            self._nothing_to_open()
            return
        if not doc.readable:
            self.notify(
                doc.message or doc.status, title="Cannot open", severity="error", markup=False
            )
            return
        self.reader.open_document(doc.id)

    @on(LibraryTable.Opened)
    def opened(self, event: LibraryTable.Opened) -> None:
        self.action_open()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.sort_reversed = False
        self._fill()
        self.notify(f"Sorted by {self._sort_name()}.", timeout=2)

    def action_reverse_sort(self) -> None:
        self.sort_reversed = not self.sort_reversed
        self._fill()
        self.notify(f"Sorted by {self._sort_name()}.", timeout=2)

    def action_jump(self, where: int) -> None:
        self.table.action_jump(where)

    def _filter_box(self) -> FilterBox | None:
        found = self.query(FilterBox)
        return found.first() if found else None

    async def _shown_filter_box(self) -> FilterBox:
        """The filter box, shown; made when first wanted (start-up draws one widget fewer)."""
        box = self._filter_box()
        if box is None:
            box = FilterBox(
                placeholder="Filter by title, author or party (escape clears)", id="filter"
            )
            await self.mount(box, after="#corpus-info")
        box.display = True
        return box

    async def action_filter(self) -> None:
        (await self._shown_filter_box()).focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._fill()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()
        if not self.table.rows:
            self._nothing_to_open()

    def action_stats(self) -> None:
        from reader.tui.screens.stats import StatsScreen  # charts load only when asked for

        self.app.push_screen(StatsScreen(words=self.words), self.narrow)

    def action_adjudicate(self) -> None:
        from reader.tui.screens.adjudicate import AdjudicationScreen

        if self.reader.store is None:
            self.notify("The annotation store is not open: nothing to adjudicate.", timeout=3)
            return
        self.app.push_screen(AdjudicationScreen())

    async def narrow(self, text: str | None) -> None:
        """Show only the documents whose title, author or party holds `text` (the statistics)."""
        if text is None:
            return
        box = await self._shown_filter_box()
        box.value = text
        self.filter_text = text.strip()
        self._fill()
        self.table.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        box = self._filter_box()
        if box is None or not box.display:
            return
        box.value = ""
        box.display = False
        self.filter_text = ""
        self._fill()
        self.table.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action == "clear_filter":  # shown in the key bar only while there is a filter
            box = self._filter_box()
            return box is not None and box.display
        # Letter keys type into the filter box while it has focus.
        return not (
            action in {"cursor", "open", "sort", "reverse_sort", "jump", "filter", "stats"}
            and isinstance(self.focused, Input)
        )
