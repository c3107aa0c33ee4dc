"""The search screen: a query box, the syntax beside it, and ranked hits that update as you type.

Searching runs in a thread worker, debounced, against one `SearchIndex` per app that follows the store
(so hits are never stale); the index is built the first time the screen opens. `enter` opens the hit's
document with the cursor on it; there `escape` comes back to the results with the cursor on that hit,
and the document's next/previous-hit keys step through the others (the app keeps the `SearchTrail`).
`escape` here goes back. Recent queries are kept in the store's meta area
(`up` in the query box steps back through them).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.search.engine import Hit, SearchIndex
from reader.search.query import SYNTAX, label_warnings, parse_query
from reader.search.render import hit_lines
from reader.text import plural
from reader.transfer.checking import reanchored
from reader.tui.base import ReaderScreen
from reader.tui.safe import SafeInput, safe
from reader.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

DEBOUNCE_SECONDS = 0.15
LIMIT = 100

_indexes: weakref.WeakKeyDictionary[App[None], SearchIndex] = weakref.WeakKeyDictionary()
_building = threading.Lock()


def index_for(app: ReaderApp) -> SearchIndex:
    """The app's search index, built on first use (from any thread) and attached to its store."""
    with _building:
        index = _indexes.get(app)
        if index is None:
            index = SearchIndex(app.corpus)
            if app.store is not None:
                # Documents edited since they were annotated and not opened since: their
                # annotations are searched and shown where their quotes are now.
                corpus = app.corpus
                index.attach(app.store, lambda annotations: reanchored(annotations, corpus))
            _indexes[app] = index
        return index


@dataclass
class SearchTrail:
    """The search a document was opened from: its query, its hits and which one is open."""

    query: str
    hits: list[Hit]
    at: int


def _syntax_line() -> Text:
    """The syntax in one wrapped line, for narrow terminals where the sheet would take half the width."""
    line = Text("Syntax: ", style="dim")
    for number, (example, _meaning) in enumerate(SYNTAX):
        if number:
            line.append(" · ", style="dim")
        line.append(example, style="bold dim")
    return line


def _syntax() -> Group:
    """Each example, with its meaning under it indented (a wrapped meaning keeps the indent)."""
    parts: list[RenderableType] = []
    for example, meaning in SYNTAX:
        parts.append(Text(example, style="bold"))
        parts.append(Padding(Text(meaning, style="dim"), (0, 0, 0, 2)))
    return Group(*parts)


class Results(OptionList):
    """The hits; `up` on the first one goes back to the query box."""

    # With ids, so the help lists them and a keymap can move them.
    BINDINGS = [
        Binding("down", "cursor_down", "Next result", show=False, id="search.next_result"),
        Binding("up", "cursor_up", "Previous result", show=False, id="search.previous_result"),
        Binding("enter", "select", "Open the result", show=False, id="search.open"),
    ]

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            self.screen.query_one(Input).focus()
        else:
            super().action_cursor_up()


class SearchScreen(ReaderScreen[None]):
    DEFAULT_CSS = """
    SearchScreen #search-main { width: 1fr; }
    SearchScreen Input { margin: 0 1; }
    SearchScreen #search-status { height: auto; max-height: 8; padding: 0 2; }
    SearchScreen #search-results { height: 1fr; margin: 0 1; scrollbar-gutter: stable; }
    SearchScreen #search-syntax { width: 40; padding: 1 2; background: $panel; }
    SearchScreen #search-syntax-line { height: auto; padding: 0 2; display: none; }
    SearchScreen.-narrow #search-syntax { display: none; }
    SearchScreen.-narrow #search-syntax-line { display: block; }
    """
    # Below this width the syntax sheet becomes one line under the query box.
    NARROW = 100
    BINDINGS = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("down", "to_results", "Results", show=False, id="search.results"),
        Binding("up", "recent", "Recent queries", show=False, id="search.recent"),
    ]

    def __init__(self, trail: SearchTrail | None = None) -> None:
        super().__init__()
        self.trail = trail  # coming back from a hit: its query, with the cursor on that hit
        self.hits: list[Hit] = []
        self._timer: Timer | None = None
        self._recent_at = -1
        self._shown_query: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-body"):
            with Vertical(id="search-main"):
                yield SafeInput(
                    self.trail.query if self.trail else "",
                    placeholder="Search notes, quotes, tags… (text: for the documents)",
                )
                yield Static(_syntax_line(), id="search-syntax-line")
                yield Static(id="search-status")
                yield Results(id="search-results")
            yield Static(_syntax(), id="search-syntax")
        # The key bar, not Textual's footer: it leaves out keys the query box types (/).
        yield KeyBar()

    def on_mount(self) -> None:
        self._status("Type to search; results update as you type.")
        self.query_one(Input).focus()
        self.prepare()
        self.set_class(self.app.size.width < self.NARROW, "-narrow")
        if self.trail is not None:
            self.run_search(self.trail.query)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")

    @work(thread=True, group="search-index")
    def prepare(self) -> None:
        index_for(self.reader)

    def _status(self, message: str | Text) -> None:
        self.query_one("#search-status", Static).update(
            message if isinstance(message, Text) else Text(message, style="dim")
        )

    # -- typing --------------------------------------------------------------------------------

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        self._timer = self.set_timer(DEBOUNCE_SECONDS, lambda: self.run_search(value))

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        parsed = parse_query(query)
        index = index_for(self.reader)
        hits = index.search(parsed, limit=LIMIT)
        warnings = [*parsed.warnings, *label_warnings(parsed, index.labels())]
        self.app.call_from_thread(self._show, query, hits, warnings)

    def _show(self, query: str, hits: list[Hit], warnings: list[str]) -> None:
        if query != self.query_one(Input).value:
            return  # typing moved on; a newer search is on its way
        results = self.query_one(OptionList)
        # The same query again (typing that ended where it was, or the query box's own change event
        # when coming back from a hit) keeps the cursor where it is.
        kept = results.highlighted if query == self._shown_query else None
        self.hits = hits
        self._shown_query = query
        results.clear_options()
        corpus = self.reader.corpus
        options = []
        for number, hit in enumerate(hits):
            # A blank line after each hit, so one ends visibly before the next begins.
            prompt = Text("\n").join([*hit_lines(hit, corpus), Text()])
            options.append(Option(prompt, id=str(number)))
        results.add_options(options)
        if hits:
            results.highlighted = min(kept or 0, len(hits) - 1)
        trail, self.trail = self.trail, None
        if trail is not None and hits:
            results.highlighted = min(trail.at, len(hits) - 1)
            results.focus()
        status = Text()
        if not query.strip():
            status.append("Type to search; results update as you type.", style="dim")
        else:
            what = "sentence" if parse_query(query).searches_text else "annotation"
            more = f" (first {LIMIT})" if len(hits) == LIMIT else ""
            status.append(f"{plural(len(hits), what)}{more}", style="dim")
        for warning in warnings:
            # One line each, wrapped: the whole warning says what was read instead.
            status.append_text(safe(f"\n⚠ {warning}", "yellow"))
        self._status(status)

    # -- keys ----------------------------------------------------------------------------------

    def action_to_results(self) -> None:
        if self.hits:
            self.query_one(OptionList).focus()

    def action_recent(self) -> None:
        recent = self._recent()
        if not recent:
            return
        self._recent_at = min(self._recent_at + 1, len(recent) - 1)
        box = self.query_one(Input)
        box.value = recent[self._recent_at]
        box.cursor_position = len(box.value)

    @on(Input.Submitted)
    def submitted(self) -> None:
        results = self.query_one(OptionList)
        if self.hits and self._shown_query == self.query_one(Input).value:
            self._open(results.highlighted or 0)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def _open(self, number: int) -> None:
        if not 0 <= number < len(self.hits):
            return
        query = self.query_one(Input).value
        self._remember(query)
        app = self.reader
        self.dismiss()
        app.open_hit(SearchTrail(query, list(self.hits), number))

    def action_back(self) -> None:
        self._remember(self.query_one(Input).value)
        self.dismiss()

    # -- recent queries ------------------------------------------------------------------------

    def _recent(self) -> list[str]:
        return self.reader.user_state.recent_searches()

    def _remember(self, query: str) -> None:
        store = self.reader.store
        query = query.strip()
        if not query or store is None or store.read_only:
            return
        try:
            self.reader.user_state.remember_search(query)
        except ReaderError as exc:  # a full disk must not stop anyone from reading
            self.notify(str(exc), title="Store", severity="warning", markup=False)
