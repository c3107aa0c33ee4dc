"""The argument map: a document's links as a tree (reader/model/argument.py builds it).

Roots are the annotations that link to nothing; beneath each, what supports (+) or attacks (−) it. Each
row: the label's colour, the relation, the quote cut at a word, ✎ when there is a note. Arrows (or j
and k) move, enter goes to the annotation in the text, left and right (h, l) fold and unfold, - and +
fold and unfold everything, c widens the map to the whole corpus (and back).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reader.model.annotation import Annotation
from reader.model.argument import CYCLE, REPEAT, ArgumentMap, MapNode, build_map, corpus_maps
from reader.model.labels import LabelScheme, label_name
from reader.text import display_safe, plural, shorten
from reader.tui.base import ReaderScreen
from reader.tui.safe import safe
from reader.tui.widgets.keybar import KeyBar
from reader.tui.widgets.map_view import Entry, MapView
from reader.tui.widgets.palette import label_style

QUOTE = 60
# "Not linked" groups longer than this start folded: a document may hold thousands.
OPEN_ISOLATED = 20


def map_row(
    annotation: Annotation,
    scheme: LabelScheme,
    relation: str | None = None,
    mark: str = "",
    elsewhere: str | None = None,
) -> Text:
    """One row: relation sign and type, label colour, quote, note marker, cycle/repeat marks."""
    row = Text()
    if relation is not None:
        if scheme.attacks(relation):
            row.append("− ", style="bold red")
        else:
            row.append("+ ", style="bold green")
        row.append_text(safe(f"{relation} ", "italic"))
    label = scheme.by_name(annotation.label or "")
    if label is not None:
        row.append(f" {label.name} ", style=label_style(label))
    else:
        row.append_text(safe(f" {label_name(annotation.label)} ", label_style(None)))
    quote = (
        display_safe(shorten(annotation.quote, QUOTE)) if annotation.quote else "(whole document)"
    )
    row.append(f" “{quote}”")
    if annotation.note.strip():
        row.append(" ✎", style="dim")
    if annotation.orphaned:
        row.append("  ⊘ orphaned: its text is gone", style="dim yellow")
    if elsewhere is not None:
        row.append_text(safe(f"  in {elsewhere}", "dim italic"))
    if mark == CYCLE:
        row.append("  ↻ cycle, shown above", style="bold yellow")
    elif mark == REPEAT:
        row.append("  ↑ its reasons are shown above", style="dim")
    return row


class ArgumentMapScreen(ReaderScreen[str | None]):
    """Dismissed with the id of the annotation to show in the text, or None."""

    DEFAULT_CSS = """
    ArgumentMapScreen #map-header { padding: 0 1; height: auto; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="map.close"),
        Binding("right,l", "unfold", "Unfold", id="map.unfold"),
        Binding("left,h", "fold", "Fold", id="map.fold"),
        Binding("plus,equals_sign", "unfold_all", "Unfold all", show=False, id="map.unfold_all"),
        Binding("minus", "fold_all", "Fold all", show=False, id="map.fold_all"),
        Binding("c", "toggle_corpus", "Whole corpus", id="map.corpus"),
    ]

    def __init__(self, doc_id: str, current: str | None = None) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.current = current
        self.whole_corpus = False

    def compose(self) -> ComposeResult:
        yield Static(id="map-header")
        yield MapView(id="map-view")
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(MapView).focus()

    def _title(self, doc_id: str) -> str:
        doc = self.reader.corpus.get(doc_id)
        return doc.title if doc is not None else doc_id

    def fill(self) -> None:
        """Build the rows for the document, or for the whole corpus."""
        store = self.reader.store
        view = self.query_one(MapView)
        if store is None:
            return
        entries: list[Entry] = []
        if self.whole_corpus:
            annotations = store.annotations()
            for doc_id, argument in corpus_maps(annotations).items():
                label = safe(self._title(doc_id), "bold")
                label.append(f"  {self._counts(argument)}", style="dim")
                entries.append(Entry(label.copy, None, self._entries(argument, doc_id)))
        else:
            annotations = store.annotations(self.doc_id)
            entries = self._entries(build_map(annotations), self.doc_id)
        links = sum(len(a.links) for a in annotations)
        where = "the whole corpus" if self.whole_corpus else self._title(self.doc_id)
        header = safe(f"Argument map · {where}", "bold")
        header.append(
            f"\n{plural(len(annotations), 'annotation')}, {plural(links, 'link')} · "
            "+ supports, − attacks · enter goes to the text · c "
            + ("this document only" if self.whole_corpus else "whole corpus"),
            style="dim",
        )
        self.query_one("#map-header", Static).update(header)
        if not annotations:
            entries = [Entry(lambda: Text("No annotations yet.", style="dim"))]
        view.set_entries(entries, self.current)

    @staticmethod
    def _counts(argument: ArgumentMap) -> str:
        return f"{plural(len(argument.roots), 'argument')}, {len(argument.isolated)} not linked"

    def _entries(self, argument: ArgumentMap, doc_id: str) -> list[Entry]:
        """The map's rows; each row's text is made only when it is drawn."""
        scheme = self.reader.scheme
        cyclic = argument.cyclic_roots

        def row(node: MapNode) -> Callable[[], Text]:
            def make() -> Text:
                ann = node.annotation
                elsewhere = self._title(ann.doc) if ann.doc != doc_id else None
                text = map_row(ann, scheme, node.relation, node.mark, elsewhere)
                if node.relation is None and ann.id in cyclic:
                    text.append("  ↻ in a cycle", style="bold yellow")
                return text

            return make

        top: list[Entry] = []
        # Iteratively: a chain of thousands of links must not hit the recursion limit.
        stack: list[tuple[list[Entry], MapNode]] = [
            (top, root) for root in reversed(argument.roots)
        ]
        while stack:
            under, node = stack.pop()
            entry = Entry(row(node), node.annotation.id)
            under.append(entry)
            stack.extend((entry.children, child) for child in reversed(node.children))
        if argument.isolated:
            count = len(argument.isolated)
            leaves = [Entry(partial(map_row, ann, scheme), ann.id) for ann in argument.isolated]
            heading = Text(f"Not linked ({count})", style="bold dim")
            top.append(Entry(heading.copy, None, leaves, expanded=count <= OPEN_ISOLATED))
        return top

    @on(MapView.Selected)
    def go_to(self, event: MapView.Selected) -> None:
        event.stop()
        store = self.reader.store
        annotation = store.get(event.data) if store is not None and event.data else None
        if annotation is not None and annotation.orphaned:
            orphans = self.shown_key("document.orphans", "o")
            where = "the document"
            if annotation.doc != self.doc_id:  # the whole corpus's map: say which document
                where = f"“{self._title(annotation.doc)}”"
            self.notify(
                display_safe(
                    f"Its text is gone from {where}, so there is nowhere to go: in that "
                    f"document, {orphans} lists the orphans to re-attach or delete."
                ),
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(event.data)

    def action_unfold(self) -> None:
        self.query_one(MapView).unfold()

    def action_fold(self) -> None:
        self.query_one(MapView).fold()

    def action_unfold_all(self) -> None:
        self.query_one(MapView).set_all(True)

    def action_fold_all(self) -> None:
        self.query_one(MapView).set_all(False)

    def binding_description(self, binding: Binding) -> str | None:
        """`c` says where it goes from here."""
        if binding.id == "map.corpus" and self.whole_corpus:
            return "This document"
        return binding.description

    def action_toggle_corpus(self) -> None:
        self.whole_corpus = not self.whole_corpus
        self.refresh_bindings()  # the key bar words `c` anew
        entry = self.query_one(MapView).current
        if entry is not None and entry.data is not None:
            self.current = entry.data
        self.fill()
        self.notify("The whole corpus." if self.whole_corpus else "This document.", timeout=2)

    def action_close(self) -> None:
        self.dismiss(None)
