"""The agreement screen: the figures of `reader agree` (default annotators, every document they all
annotated), opened with `a` on the statistics screen.

Counted in a worker: the sentence labels need every shared document split into sentences. When the
store does not hold two annotators with a shared document, the screen says what `reader agree` would
say and how to get there.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.agreement import Agreement, compute, corpus_text_of
from reader.agreement.report import table
from reader.errors import ReaderError
from reader.text import display_safe, plural
from reader.tui.base import ReaderScreen
from reader.tui.safe import safe
from reader.tui.widgets.keybar import KeyBar


class AgreementScreen(ReaderScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="agreement.back"),
        Binding("j", "scroll('down')", "Scroll down", id="agreement.down"),
        Binding("k", "scroll('up')", "Scroll up", id="agreement.up"),
    ]

    DEFAULT_CSS = """
    AgreementScreen #agreement-info { height: 1; padding: 0 1; }
    AgreementScreen #agreement-scroll { height: 1fr; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.agreement: Agreement | None = None
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Agreement · counting…", style="bold"), id="agreement-info")
        with VerticalScroll(id="agreement-scroll"):
            yield Static(id="agreement-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        self.count()

    @work(thread=True, exclusive=True, group="agreement")
    def count(self) -> None:
        app = self.reader
        annotations = app.store.annotations() if app.store is not None else []
        try:
            agreement = compute(annotations, corpus_text_of(app.corpus))
        except ReaderError as exc:
            app.call_from_thread(self._show_problem, str(exc))
            return
        app.call_from_thread(self._show, agreement)

    def _show(self, agreement: Agreement) -> None:
        if not self.is_attached:
            return
        self.agreement = agreement
        exact, overlap = agreement.overall
        info = Text("Agreement", style="bold")
        info.append(
            f" · {plural(len(agreement.annotators), 'annotator')}"
            f" · {plural(len(agreement.documents), 'document')}"
        )
        if exact.mean is not None and overlap.mean is not None:
            info.append(f" · F1 {exact.mean:.3f} exact, {overlap.mean:.3f} overlap")
        self.query_one("#agreement-info", Static).update(info)
        # The table's cells come from the store (names, labels, ids): plain text, never markup.
        self.query_one("#agreement-body", Static).update(safe(table(agreement, display_safe)))

    def _show_problem(self, message: str) -> None:
        if not self.is_attached:
            return
        self.problem = message
        self.query_one("#agreement-info", Static).update(Text("Agreement", style="bold"))
        self.query_one("#agreement-body", Static).update(safe(message))
        self.notify(display_safe(message), severity="warning", timeout=4, markup=False)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)
