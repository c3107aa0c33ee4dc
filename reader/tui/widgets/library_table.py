"""The library's table, drawn line by line: only the rows on screen are built.

Textual's DataTable measures every cell of every row before it paints (about 7 s for ten thousand
documents here), and a document's title and status are read lazily from its file, so this table asks for
a row's values only when the row is about to be drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.corpus.documents import Document
from reader.text import display_safe

CELL_GAP = 2
# Below this many cells for titles, columns are left out, highest `drop` first (80 columns keep about
# 27 for the title instead of 12).
MIN_TITLE = 24


@dataclass(frozen=True)
class Column:
    name: str
    width: int  # 0: takes the width left over
    value: Callable[[Document], str]
    right: bool = False  # numbers line up on the right
    style: Callable[[Document], str] | None = None
    drop: int = 0  # 0: always shown; else left out on narrow screens, the highest first


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, padded on the right (or left)."""
    text = " ".join(display_safe(text).split())
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width else ""
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class LibraryTable(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"library-table--cursor", "library-table--odd"}
    DEFAULT_CSS = """
    LibraryTable {
        width: 100%;
        height: 1fr;
        scrollbar-gutter: stable;
    }
    LibraryTable > .library-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    LibraryTable:blur > .library-table--cursor {
        background: $block-cursor-blurred-background;
        text-style: none;
    }
    LibraryTable > .library-table--odd {
        background: $surface-lighten-1;
    }
    """
    BINDINGS = [
        # With ids, so a keymap can move them and the help lists them (beside j and k, which share
        # their descriptions).
        Binding("down", "move(1)", "Down", show=False, id="library.arrow_down"),
        Binding("up", "move(-1)", "Up", show=False, id="library.arrow_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="library.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="library.page_up"),
        Binding("home", "jump(0)", "First document", show=False, id="library.first"),
        Binding("end", "jump(-1)", "Last document", show=False, id="library.last"),
    ]

    class Opened(Message):
        def __init__(self, document: Document) -> None:
            super().__init__()
            self.document = document

    class Moved(Message):
        """The cursor went to another row (what the preview shows follows it)."""

    class Resized(Message):
        """The column widths may have changed: whatever draws the header must redraw it."""

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.rows: list[Document] = []
        self.cursor = 0
        self._paint: tuple[Style, int] | None = None  # style and width during render_lines

    # --- content -------------------------------------------------------------------------------------

    def set_rows(self, rows: list[Document], keep: str | None = None) -> None:
        """Show `rows`; the cursor stays on the document `keep` when it is still there."""
        self.rows = rows
        ids = [doc.id for doc in rows]
        self.cursor = ids.index(keep) if keep in ids else min(self.cursor, max(0, len(rows) - 1))
        self.virtual_size = Size(self.size.width, len(rows))
        self.scroll_to_cursor()
        self.refresh()

    @property
    def current(self) -> Document | None:
        return self.rows[self.cursor] if self.rows else None

    def shown_columns(self) -> list[tuple[Column, int]]:
        """The columns shown at this width, each with its width: the title takes what is left, and
        columns are left out (highest `drop` first) while that is less than MIN_TITLE."""
        width = self.scrollable_content_region.width or self.size.width
        shown = list(self.columns)
        droppable = sorted((c for c in shown if c.drop), key=lambda c: -c.drop)
        while True:
            fixed = sum(c.width for c in shown) + CELL_GAP * len(shown)
            if width - fixed - 1 >= MIN_TITLE or not droppable:
                break
            shown.remove(droppable.pop(0))
        return [(c, c.width or max(12, width - fixed - 1)) for c in shown]

    def header(self) -> str:
        return " ".join(
            fit(c.name, w, c.right) + " " * (CELL_GAP - 1) for c, w in self.shown_columns()
        )

    def refresh_row(self, doc_id: str) -> None:
        for index, doc in enumerate(self.rows):
            if doc.id == doc_id:
                self.refresh_line(index - round(self.scroll_offset.y))
                return

    # --- drawing -------------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style and width, worked out once for all the lines of a paint rather than
        # once a line: on a short corpus most lines of the first screen are blank ones.
        self._paint = (self.rich_style, self.scrollable_content_region.width)
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        base, width = self._paint or (self.rich_style, self.scrollable_content_region.width)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        doc = self.rows[index]
        if index == self.cursor:
            row_style = base + self.get_component_rich_style("library-table--cursor")
        elif index % 2:
            row_style = base + self.get_component_rich_style("library-table--odd")
        else:
            row_style = base
        segments = []
        for column, cell_width in self.shown_columns():
            text = fit(column.value(doc), cell_width, column.right)
            style = row_style
            if column.style is not None and index != self.cursor:
                extra = column.style(doc)
                style = row_style + Style.parse(extra) if extra else row_style
            segments.append(Segment(text, style))
            segments.append(Segment(" " * CELL_GAP, row_style))
        return Strip(segments).crop_extend(0, width, row_style)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows))
        self.refresh()
        self.post_message(self.Resized())

    # --- moving --------------------------------------------------------------------------------------

    def scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height or 1
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        before, self.cursor = self.cursor, max(0, min(len(self.rows) - 1, index))
        self.scroll_to_cursor()
        self.refresh()
        if self.cursor != before:
            self.post_message(self.Moved())

    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        self.move_to(where if where >= 0 else len(self.rows) - 1)

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < len(self.rows):
            self.move_to(index)
            if event.chain >= 2:
                self.post_message(self.Opened(self.rows[index]))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
