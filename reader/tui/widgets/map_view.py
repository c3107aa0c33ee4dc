"""A foldable tree drawn through the Line API: only the rows on screen are built and styled.

Textual's Tree measures every row it holds whenever it changes, which for an argument map of a thousand
links took longer than opening the document. Here a row's text is made when it is first drawn, and
folding recomputes only the list of visible rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

INDENT = 2


@dataclass(eq=False)
class Entry:
    """One row: its text (made when drawn), what enter returns, the rows beneath it."""

    label: Callable[[], Text]
    data: str | None = None
    children: list[Entry] = field(default_factory=list)
    expanded: bool = True


class MapView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    MapView { height: 1fr; }
    MapView > .map-view--cursor { background: $block-cursor-background; }
    """
    COMPONENT_CLASSES = {"map-view--cursor"}

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="map.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="map.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="map.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="map.page_down"),
        Binding("home", "jump(0)", "First row", show=False, id="map.first"),
        Binding("end", "jump(-1)", "Last row", show=False, id="map.last"),
        Binding("enter", "select", "Go to the text", id="map.select"),
    ]

    class Selected(Message):
        def __init__(self, data: str) -> None:
            super().__init__()
            self.data = data

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.entries: list[Entry] = []
        self.rows: list[tuple[Entry, int]] = []  # the visible rows and their depth
        self.cursor = 0
        self._strips: dict[int, Strip] = {}

    # --- content -------------------------------------------------------------------------------------

    def set_entries(self, entries: list[Entry], cursor_data: str | None = None) -> None:
        self.entries = entries
        self._relayout()
        self.cursor = 0
        if cursor_data is not None:
            self.move_to(cursor_data)
        self.scroll_to(y=0, animate=False, force=True)
        self._show_cursor()

    def _relayout(self) -> None:
        rows: list[tuple[Entry, int]] = []
        stack = [(entry, 0) for entry in reversed(self.entries)]
        while stack:
            entry, depth = stack.pop()
            rows.append((entry, depth))
            if entry.expanded:
                stack.extend((child, depth + 1) for child in reversed(entry.children))
        self.rows = rows
        self.cursor = min(self.cursor, max(0, len(rows) - 1))
        self._strips.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        self.refresh()

    def move_to(self, data: str) -> bool:
        """Put the cursor on the first visible row holding `data`."""
        for i, (entry, _depth) in enumerate(self.rows):
            if entry.data == data:
                self._set_cursor(i)
                return True
        return False

    @property
    def current(self) -> Entry | None:
        return self.rows[self.cursor][0] if self.rows else None

    def parent_row(self, row: int) -> int | None:
        depth = self.rows[row][1]
        for i in range(row - 1, -1, -1):
            if self.rows[i][1] < depth:
                return i
        return None

    # --- folding -------------------------------------------------------------------------------------

    def fold(self) -> None:
        """Fold the row under the cursor, or go to its parent when it is folded or a leaf."""
        entry = self.current
        if entry is None:
            return
        if entry.children and entry.expanded:
            entry.expanded = False
            self._relayout()
        else:
            parent = self.parent_row(self.cursor)
            if parent is not None:
                self._set_cursor(parent)

    def unfold(self) -> None:
        entry = self.current
        if entry is not None and entry.children and not entry.expanded:
            entry.expanded = True
            self._relayout()

    def set_all(self, expanded: bool) -> None:
        current = self.current
        stack = list(self.entries)
        while stack:
            entry = stack.pop()
            if entry.children:
                entry.expanded = expanded
                stack.extend(entry.children)
        self._relayout()
        # The cursor stays on its row if still shown, else on the top-level row above it.
        rows = [e for e, _d in self.rows]
        self.cursor = rows.index(current) if current in rows else self._top_row(current)
        self._show_cursor()

    def _top_row(self, entry: Entry | None) -> int:
        for i, (row, _depth) in enumerate(self.rows):
            if entry is not None and _holds(row, entry):
                return i
        return 0

    # --- moving --------------------------------------------------------------------------------------

    def _set_cursor(self, row: int) -> None:
        if not self.rows:
            return
        row = max(0, min(len(self.rows) - 1, row))
        self._strips.pop(self.cursor, None)
        self._strips.pop(row, None)
        self.cursor = row
        self._show_cursor()
        self.refresh()

    def _show_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)

    def action_cursor(self, delta: int) -> None:
        self._set_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._set_cursor(self.cursor + direction * max(1, self.scrollable_content_region.height))

    def action_jump(self, row: int) -> None:
        self._set_cursor(row if row >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        entry = self.current
        if entry is None:
            return
        if entry.data is not None:
            self.post_message(self.Selected(entry.data))
        elif entry.children:
            entry.expanded = not entry.expanded
            self._relayout()

    # --- drawing -------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.size.width, len(self.rows))

    def row_text(self, row: int) -> Text:
        entry, depth = self.rows[row]
        icon = ("▼ " if entry.expanded else "▶ ") if entry.children else "  "
        text = Text()
        text.append(" " * (INDENT * depth) + icon, style="dim")
        text.append_text(entry.label())
        return text

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(row)
        if strip is None or strip.cell_length != width:
            text = self.row_text(row)
            text.no_wrap = True
            base = self.rich_style
            if row == self.cursor and self.has_focus:
                base = base + self.get_component_rich_style("map-view--cursor")
            elif row == self.cursor:
                base = base + Style(reverse=True)
            segments = [
                Segment(s.text, base + s.style if s.style else base, s.control)
                for s in text.render(self.app.console)
            ]
            strip = Strip(segments).crop_extend(0, width, base)
            self._strips[row] = strip
        return strip

    def on_focus(self) -> None:
        self._strips.pop(self.cursor, None)
        self.refresh()

    def on_blur(self) -> None:
        self._strips.pop(self.cursor, None)
        self.refresh()


def _holds(top: Entry, entry: Entry) -> bool:
    stack = [top]
    while stack:
        node = stack.pop()
        if node is entry:
            return True
        stack.extend(node.children)
    return False
