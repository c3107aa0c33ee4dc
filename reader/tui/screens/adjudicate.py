"""The adjudication screen: the disagreements between annotators one by one, each annotator's version
side by side, and one key to take a version (or both, or neither) into the gold layer.

The disagreements and decisions live in reader/adjudication/; this screen only draws them and maps
keys to them. The disagreements are found in a thread, so the screen paints at once however large
the store. Stepping redraws three Statics (the progress, the text around the disagreement and the
versions), so it costs the same with five or five thousand disagreements.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from reader.adjudication import KINDS, Adjudication
from reader.errors import ReaderError
from reader.model.annotation import Annotation
from reader.text import plural
from reader.tui.base import ReaderScreen
from reader.tui.safe import safe
from reader.tui.widgets.adjudication_text import (
    around,
    nothing_message,
    progress,
    styled,
    version_text,
)
from reader.tui.widgets.keybar import KeyBar

CONTEXT = 160  # characters of text shown either side of a disagreement
MAX_TAKE = 9
# The keys that decide or move between disagreements: off the key bar while there are none.
_DECIDING = {"adjudicate.both", "adjudicate.neither", "adjudicate.next"}


def _take_bindings() -> list[Binding]:
    return [
        Binding(str(n), f"take({n})", "Take that version", show=False, id=f"adjudicate.take_{n}")
        for n in range(1, MAX_TAKE + 1)
    ]


class AdjudicationScreen(ReaderScreen[None]):
    DEFAULT_CSS = """
    AdjudicationScreen { layout: vertical; }
    #adj-head { height: auto; padding: 0 1; background: $boost; }
    #adj-context { height: auto; max-height: 35%; padding: 0 1; margin: 1 0 0 0; }
    #adj-kind { height: auto; padding: 0 1; margin: 1 0 0 0; }
    #adj-versions { height: 1fr; }
    .adj-version { width: 1fr; height: 100%; border: round $primary-darken-1; padding: 0 1; }
    .adj-version.taken { border: round $success; }
    .adj-version.left { border: round $panel-lighten-2; color: $text-muted; }
    """

    BINDINGS = [
        *_take_bindings(),
        Binding("b", "take_all", "Both", id="adjudicate.both"),
        Binding("n", "neither", "Neither", id="adjudicate.neither"),
        Binding("j,down", "step(1)", "Next", id="adjudicate.next"),
        Binding("k,up", "step(-1)", "Previous", show=False, id="adjudicate.previous"),
        Binding("space", "next_open", "Next open", show=False, id="adjudicate.next_open"),
        Binding("J", "document(1)", "Next document", id="adjudicate.next_document"),
        Binding(
            "K", "document(-1)", "Previous document", show=False, id="adjudicate.previous_document"
        ),
        Binding("A", "take_agreements", "Take agreements", show=False, id="adjudicate.agreements"),
        Binding("x", "reopen", "Reopen", show=False, id="adjudicate.reopen"),
        Binding("u", "undo", "Undo", id="adjudicate.undo"),
        Binding("enter", "read", "Read it in the document", show=False, id="adjudicate.read"),
        Binding("escape", "back", "Back", id="adjudicate.back"),
    ]

    def __init__(self, annotators: Sequence[str] = ()) -> None:
        super().__init__()
        self.asked = list(annotators)
        self.adjudication: Adjudication | None = None
        self.index = 0
        self.decisions: list[int] = []  # the disagreements decided here, for `u` to go back to
        self.building = False  # the disagreements are being found
        # The store's version when a document was opened from here: changed on the way back, the
        # disagreements are found again (an annotator's span edited there), near where we were.
        self.left_at: int | None = None
        self.near: tuple[str, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="adj-head")
        yield Static(id="adj-context")
        yield Static(id="adj-kind")
        # A column for each key that takes a version; those the disagreement has not stay hidden.
        with Horizontal(id="adj-versions"):
            for _ in range(MAX_TAKE):
                yield VerticalScroll(Static(), classes="adj-version", can_focus=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.show()
        if self.reader.store is not None:
            self.building = True
            self.build()

    @work(thread=True, exclusive=True, group="adjudication")
    def build(self) -> None:
        """Find the disagreements away from the screen: a large store's first look parses every
        document's annotations, and the screen paints (and answers keys) meanwhile."""
        store = self.reader.store
        assert store is not None
        try:
            adjudication = Adjudication(store, self.asked or None)
        except ReaderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._built, adjudication)

    def _failed(self, message: str) -> None:
        self.building = False
        self.refresh_bindings()
        self.notify(message, title="Adjudication", severity="error", markup=False)
        self.show()

    def _built(self, adjudication: Adjudication) -> None:
        self.building = False
        if not self.is_attached:
            return
        self.adjudication = adjudication
        self.refresh_bindings()  # the deciding keys on the key bar, or off it
        first = adjudication.next_open(-1) if adjudication.items else None
        self.index = first if first is not None else 0
        if self.near is not None:
            # The list is in (document, start) order: the first one at or after where we were.
            items, near = adjudication.items, self.near
            self.index = next(
                (i for i, item in enumerate(items) if (item.doc, item.start) >= near), self.index
            )
            self.near = None
        self.show()

    # -- drawing ---------------------------------------------------------------------------------

    def show(self) -> None:
        adj = self.adjudication
        head = self.query_one("#adj-head", Static)
        context = self.query_one("#adj-context", Static)
        kind = self.query_one("#adj-kind", Static)
        if adj is None or not adj.items:
            head.update(styled("Adjudication", "bold").append_text(self._agreements_hint()))
            context.update(nothing_message(self.adjudication, self.building))
            kind.update("")
            for column in self.query(".adj-version"):
                column.display = False
            return
        item = adj.items[self.index]
        head.update(progress(adj, self.index, self._agreements_hint()))
        doc = self.reader.corpus.get(item.doc)
        text = doc.text if doc is not None and doc.readable else ""
        size = self.app.size
        # About a third of the screen's lines of text either side, however wide it is.
        context.update(around(item, text, max(CONTEXT, size.width * max(1, size.height // 6) // 2)))
        decision = adj.decision(self.index)
        line = styled(KINDS[item.kind].capitalize(), "bold")
        if decision is None:
            marked = [n for n, v in enumerate(item.versions, start=1) if v.annotations]
            neither = f"{self.shown_key('adjudicate.neither', 'n')} for neither"
            if len(marked) == 1:
                hint = f" · press {marked[0]} to take it into gold, {neither}"
            else:
                both = "all" if len(marked) > 2 else "both"
                hint = (
                    f" · press 1–{len(item.versions)} to take that version into gold, "
                    f"{self.shown_key('adjudicate.both', 'b')} for {both}, {neither}"
                )
            line.append(hint, style="dim")
        else:
            line.append("  decided: ", style="green")
            line.append(safe(decision))
            if adj.reopenable(self.index):
                line.append(
                    f" ({self.shown_key('adjudicate.reopen', 'x')} reopens it)", style="dim"
                )
            else:  # gold annotations imported from elsewhere decide it
                line.append(" (change it in the document: enter opens it)", style="dim")
        kind.update(line)
        taken = set(adj.taken(self.index)) if decision is not None else set()
        columns = list(self.query(".adj-version"))
        for n, column in enumerate(columns):
            if n < len(item.versions):
                version = item.versions[n]
                column.display = True
                column.set_class(version.annotator in taken, "taken")
                column.set_class(decision is not None and version.annotator not in taken, "left")
                shown = version_text(
                    n + 1, version, version.annotator in taken, self.reader.scheme, self._get
                )
                column.query_one(Static).update(shown)
                column.scroll_home(animate=False)
            else:
                column.display = False

    def _agreements_hint(self) -> Text:
        agreed = self.adjudication.open_agreements() if self.adjudication else 0
        if not agreed:
            return Text()
        key = self.shown_key("adjudicate.agreements", "A")
        # Agreements need no decision, only a key: gold takes every one of them at once.
        return styled(f" · {plural(agreed, 'agreement')} to take ({key})", "dim")

    def _get(self, id: str) -> Annotation | None:
        return self.reader.store.get(id) if self.reader.store is not None else None

    # -- keys ------------------------------------------------------------------------------------

    def binding_description(self, binding: Binding) -> str | None:
        """Off the key bar: the keys that decide, while there is nothing to decide."""
        nothing = not self.building and (self.adjudication is None or not self.adjudication.items)
        if nothing and binding.id in _DECIDING:
            return None
        return binding.description

    def _ready(self) -> Adjudication | None:
        adj = self.adjudication
        if self.building:
            self.notify("Still finding the disagreements; a moment.", timeout=2)
            return None
        if adj is None or not adj.items:
            self.notify("Nothing to adjudicate here.", timeout=2)
            return None
        return adj

    def _decide(self, what: str, annotators: Sequence[str] | None) -> None:
        adj = self._ready()
        if adj is None:
            return
        decision = adj.decision(self.index)
        if decision is not None:
            undo = self.shown_key("adjudicate.undo", "u")
            reopen = self.shown_key("adjudicate.reopen", "x")
            self.notify(
                f"Already decided ({decision}); {reopen} reopens it, {undo} undoes the last "
                "decision.",
                timeout=3,
            )
            return
        try:
            if annotators is None:
                adj.reject(self.index)
            else:
                adj.take(self.index, annotators)
        except ReaderError as exc:
            self.notify(str(exc), title="Adjudication", severity="error", markup=False)
            return
        self.decisions.append(self.index)
        self.notify(f"Gold: {what}.", timeout=2, markup=False)
        following = adj.next_open(self.index)
        if following is None:
            self.notify(f"All {plural(len(adj.items), 'disagreement')} are decided.", timeout=4)
        else:
            self.index = following
        self.show()

    def action_take(self, number: int) -> None:
        adj = self._ready()
        if adj is None:
            return
        versions = adj.items[self.index].versions
        if number > len(versions):
            self.notify(
                f"There are {len(versions)} versions here; press 1–{len(versions)}.", timeout=2
            )
            return
        version = versions[number - 1]
        what = f"took {version.annotator}'s version" if version.annotations else "neither"
        self._decide(what, [version.annotator])

    def action_take_all(self) -> None:
        adj = self._ready()
        if adj is not None:
            self._decide(
                "took every version", [v.annotator for v in adj.items[self.index].versions]
            )

    def action_take_agreements(self) -> None:
        adj = self.adjudication
        if adj is None or not adj.open_agreements():
            self.notify("No agreements left to take: gold holds every one.", timeout=2)
            return
        try:
            copies = adj.take_agreements()
        except ReaderError as exc:
            self.notify(str(exc), title="Adjudication", severity="error", markup=False)
            return
        undo = self.shown_key("adjudicate.undo", "u")
        docs = len({a.doc for a in copies})
        self.notify(
            f"Gold: took {plural(len(copies), 'annotation')} the annotators agree on, in "
            f"{plural(docs, 'document')}; {undo} undoes it.",
            timeout=4,
        )
        self.show()

    def action_reopen(self) -> None:
        adj = self._ready()
        if adj is None:
            return
        if not adj.decided[self.index]:
            self.notify("This disagreement is open: a number key, b or n decides it.", timeout=2)
            return
        try:
            reopened = adj.reopen(self.index)
        except ReaderError as exc:
            self.notify(str(exc), title="Adjudication", severity="error", markup=False)
            return
        if not reopened:
            self.notify(
                "Gold annotations made elsewhere (an import) decide this one: change them in "
                "the document.",
                timeout=4,
            )
            return
        undo = self.shown_key("adjudicate.undo", "u")
        self.notify(f"Reopened: decide it again ({undo} undoes the reopening).", timeout=3)
        self.show()

    def action_neither(self) -> None:
        self._decide("neither", None)

    def action_step(self, direction: int) -> None:
        adj = self._ready()
        if adj is None:
            return
        self.index = (self.index + direction) % len(adj.items)
        self.show()

    def action_next_open(self) -> None:
        adj = self._ready()
        if adj is None:
            return
        following = adj.next_open(self.index)
        if following is None:
            self.notify("Every disagreement is decided.", timeout=2)
            return
        self.index = following
        self.show()

    def action_document(self, direction: int) -> None:
        adj = self._ready()
        if adj is None:
            return
        docs = adj.documents
        here = docs.index(adj.items[self.index].doc)
        doc = docs[(here + direction) % len(docs)]
        indexes = adj.in_document(doc)
        self.index = next((i for i in indexes if not adj.decided[i]), indexes.start)
        self.show()

    def action_undo(self) -> None:
        adj = self._ready()
        if adj is None:
            return
        if not adj.last_is_decision():
            self.notify(
                "Nothing to undo here: the last change to the store was not an adjudication "
                "decision (undo it where it was made).",
                timeout=4,
            )
            return
        try:
            docs = adj.undo()
        except ReaderError as exc:
            self.notify(str(exc), title="Undo", severity="error", markup=False)
            return
        # Back to the disagreement whose decision was undone: the last one decided here if it is
        # open again; else (a reopening or the agreements undone) stay, unless in another document.
        if self.decisions and not adj.decided[self.decisions[-1]]:
            self.index = self.decisions.pop()
        elif adj.items[self.index].doc not in docs:
            self.index = next((i for doc in sorted(docs) for i in adj.in_document(doc)), self.index)
        self.notify("Undone: the last decision.", timeout=2)
        self.show()

    def action_read(self) -> None:
        """Open the disagreement's document with its extent selected; escape comes back here."""
        from reader.tui.screens.document import DocumentScreen

        adj = self._ready()
        if adj is None or self.reader.store is None:
            return
        item = adj.items[self.index]
        doc = self.reader.corpus.get(item.doc)
        if doc is None or not doc.readable:
            self.notify(f"{item.doc} is not a readable document of this corpus.", markup=False)
            return
        self.left_at = self.reader.store.version
        self.app.push_screen(DocumentScreen(doc, item.start, (item.start, item.end)))

    def on_screen_resume(self) -> None:
        store, adj = self.reader.store, self.adjudication
        left_at, self.left_at = self.left_at, None
        if store is None or adj is None or left_at is None or store.version == left_at:
            return
        if adj.items:
            item = adj.items[self.index]
            self.near = (item.doc, item.start)
        self.building = True
        self.build()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()
