"""The argument map: a document's links as a tree (reader/model/argument.py builds it).

Roots are the annotations that link to nothing; beneath each, what supports (+) or attacks (−) it. Each
row: the label's colour, the relation, the quote cut at a word, ✎ when there is a note. Arrows move,
enter goes to the annotation in the text, left and right fold and unfold, - and + fold and unfold
everything, c widens the map to the whole corpus (and back).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from reader.model.annotation import Annotation
from reader.model.argument import CYCLE, REPEAT, ArgumentMap, MapNode, build_map, corpus_maps, cut
from reader.model.labels import LabelScheme
from reader.text import display_safe, plural
from reader.tui.base import ReaderScreen
from reader.tui.safe import safe
from reader.tui.widgets.keybar import KeyBar
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
        row.append_text(safe(f" {annotation.label or 'note'} ", label_style(None)))
    quote = display_safe(cut(annotation.quote, QUOTE)) if annotation.quote else "(whole document)"
    row.append(f" “{quote}”")
    if annotation.note.strip():
        row.append(" ✎", style="dim")
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
    ArgumentMapScreen Tree { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="map.close"),
        Binding("right", "unfold", "Unfold", id="map.unfold"),
        Binding("left", "fold", "Fold", id="map.fold"),
        Binding("plus,equals_sign", "unfold_all", "Unfold all", show=False, id="map.unfold_all"),
        Binding("minus", "fold_all", "Fold all", show=False, id="map.fold_all"),
        Binding("c", "toggle_corpus", "Whole corpus", id="map.corpus"),
    ]

    def __init__(self, doc_id: str, current: str | None = None) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.current = current
        self.whole_corpus = False
        self._tree_nodes: dict[str, TreeNode[str | None]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="map-header")
        tree: Tree[str | None] = Tree("argument", id="map-tree")
        tree.show_root = False
        tree.auto_expand = False  # enter goes to the text; folding has its own keys
        yield tree
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(Tree).focus()

    def _title(self, doc_id: str) -> str:
        doc = self.reader.corpus.get(doc_id)
        return doc.title if doc is not None else doc_id

    def fill(self) -> None:
        """Build the tree for the document, or for the whole corpus."""
        store = self.reader.store
        tree = self.query_one(Tree)
        tree.clear()
        self._tree_nodes = {}
        if store is None:
            return
        if self.whole_corpus:
            annotations = store.annotations()
            maps = corpus_maps(annotations)
            for doc_id, argument in maps.items():
                label = safe(self._title(doc_id), "bold")
                label.append(f"  {self._counts(argument)}", style="dim")
                self._add_map(tree.root.add(label, data=None, expand=True), argument, doc_id)
        else:
            annotations = store.annotations(self.doc_id)
            argument = build_map(annotations)
            self._add_map(tree.root, argument, self.doc_id)
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
            tree.root.add_leaf(Text("No annotations yet.", style="dim"), data=None)
        chosen = self._tree_nodes.get(self.current or "")
        if chosen is not None:
            # The node has no line until the tree has laid out its new nodes.
            self.call_after_refresh(tree.move_cursor, chosen)
        else:
            tree.cursor_line = 0

    @staticmethod
    def _counts(argument: ArgumentMap) -> str:
        return f"{plural(len(argument.roots), 'argument')}, {len(argument.isolated)} not linked"

    def _add_map(self, parent: TreeNode[str | None], argument: ArgumentMap, doc_id: str) -> None:
        scheme = self.reader.scheme
        # Iteratively: a chain of thousands of links must not hit the recursion limit.
        stack: list[tuple[TreeNode[str | None], MapNode]] = [
            (parent, root) for root in reversed(argument.roots)
        ]
        while stack:
            under, node = stack.pop()
            ann = node.annotation
            elsewhere = self._title(ann.doc) if ann.doc != doc_id else None
            row = map_row(ann, scheme, node.relation, node.mark, elsewhere)
            if node.relation is None and ann.id in argument.cyclic_roots:
                row.append("  ↻ in a cycle", style="bold yellow")
            if node.children:
                added = under.add(row, data=ann.id, expand=True)
                stack.extend((added, child) for child in reversed(node.children))
            else:
                added = under.add_leaf(row, data=ann.id)
            if not node.mark:
                self._tree_nodes.setdefault(ann.id, added)
        if argument.isolated:
            count = len(argument.isolated)
            group = parent.add(
                Text(f"Not linked ({count})", style="bold dim"),
                data=None,
                expand=count <= OPEN_ISOLATED,
            )
            for ann in argument.isolated:
                self._tree_nodes.setdefault(
                    ann.id, group.add_leaf(map_row(ann, scheme), data=ann.id)
                )

    @on(Tree.NodeSelected)
    def go_to(self, event: Tree.NodeSelected[str | None]) -> None:
        event.stop()
        if event.node.data is not None:
            self.dismiss(event.node.data)
        elif event.node.allow_expand:
            event.node.toggle()

    def _cursor(self) -> TreeNode[str | None] | None:
        return self.query_one(Tree).cursor_node

    def action_unfold(self) -> None:
        node = self._cursor()
        if node is not None and node.allow_expand:
            node.expand()

    def action_fold(self) -> None:
        node = self._cursor()
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and not node.parent.is_root:
            self.query_one(Tree).move_cursor(node.parent)

    def action_unfold_all(self) -> None:
        self.query_one(Tree).root.expand_all()

    def action_fold_all(self) -> None:
        tree = self.query_one(Tree)
        for child in tree.root.children:
            child.collapse_all()

    def action_toggle_corpus(self) -> None:
        self.whole_corpus = not self.whole_corpus
        node = self._cursor()
        if node is not None and node.data is not None:
            self.current = node.data
        self.fill()
        self.notify("The whole corpus." if self.whole_corpus else "This document.", timeout=2)

    def action_close(self) -> None:
        self.dismiss(None)
