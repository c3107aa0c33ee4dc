"""Scrolling widgets that a layout pass elsewhere on the screen leaves alone.

Textual lays out the whole screen when any widget's size may have changed (a list given entries, a
terminal resized), and three of its habits made that pass repaint far more than moved:
- A ScrollView is handed the size of its region as its virtual size, never its own (the rows of the
  text, the entries of a list), so every pass found the sizes "changed" and redrew its scrollbar, one
  Rich render per row.
- An OptionList throws away every entry it has rendered whenever its size changes, though entries
  depend on its width only: a list that got one row shorter wrapped and styled all its entries again.
- A widget's new virtual size, stored from inside the pass, asks for a second pass; so does a
  scrollbar's, whenever the list it belongs to got taller or shorter.
And an OptionList repainted every row when its highlight moved, where two entries change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Self

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size, Spacing
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widgets import OptionList, Static

if TYPE_CHECKING:
    from textual.widgets._option_list import OptionListContent


class SteadyScrollBar(ScrollBar):
    """A scrollbar whose change of size costs one layout pass of the screen, not two (it has
    nothing inside it to lay out)."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class SteadyScrollView(ScrollView):
    """A ScrollView whose scrollbars are updated when its size, its container's or its own virtual
    size changes, not on every layout pass of the screen."""

    _sizes_seen: tuple[Size, Size, Size] | None = None

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        # Textual's own property, making a SteadyScrollBar.
        if self._vertical_scrollbar is None:
            bar = SteadyScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        seen = (size, container_size, self.virtual_size)
        if seen == self._sizes_seen:
            return False  # nothing to update, no Resize to send
        self._sizes_seen = seen
        return super()._size_updated(size, virtual_size, container_size, layout)


# OptionList first: Textual takes CSS and component classes from the first base's line only.
class SteadyOptionList(OptionList, SteadyScrollView):
    """An OptionList that keeps its rendered entries while only its height changes, and keeps those
    of the options it is given again by `set_options`; that works out its rows' padding and styles
    once per repaint; and that scrolls so that its first row is an entry's first row."""

    # Repainted in part when it moves (watch_highlighted): two entries change, not the whole list.
    highlighted: reactive[int | None] = reactive(None, repaint=False)
    _highlight_drawn: int | None = None

    _rendered_width: int | None = None
    # Set while a repaint runs (render_lines), for render_line.
    _row_padding: Spacing | None = None
    _row_styles: dict[str, VisualStyle]

    # OptionList's handler takes no event; Textual passes the event to a handler that takes one.
    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        # OptionList's handler (next in line) would throw every rendered entry away, though only
        # a change of width calls for it. The rows a new height shows are repainted regardless.
        event.prevent_default()
        self._fit_width()
        # A list made shorter keeps its highlighted entry in sight (OptionList scrolls to it only
        # when the highlight moves).
        self.scroll_to_highlight()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._fit_width()
        # What OptionList's render_line works out again for every row, once per repaint: a scroll,
        # a label or an undo repaints every row.
        self._row_padding = self.get_component_styles("option-list--option").padding
        self._row_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._row_padding = None

    def render_line(self, y: int) -> Strip:
        padding = self._row_padding
        lines = self._line_cache.lines
        line_number = self.scroll_offset.y + y
        if padding is None or not 0 <= line_number < len(lines):
            return super().render_line(y)  # outside a repaint, or a blank row past the end
        index, line_offset = lines[line_number]
        option = self.options[index]
        # The component class of OptionList.render_line, in its order.
        if option.disabled:
            component = "option-list--option-disabled"
        elif self.highlighted == index:
            component = "option-list--option-highlighted"
        elif self._mouse_hovering_over == index:
            component = "option-list--option-hover"
        else:
            component = ""
        style = self._row_styles.get(component)
        if style is None:
            classes = ("option-list--option", component) if component else ("option-list--option",)
            style = self._row_styles[component] = self.get_visual_style(*classes)
        strips = self._option_render_cache.get((option, style, padding))
        if strips is None:
            strips = self._get_option_render(option, style)
        if line_offset >= len(strips):
            return super().render_line(y)
        return strips[line_offset]

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        lines = self._line_cache
        for index in (self._highlight_drawn, highlighted):
            first = None if index is None else lines.index_to_line.get(index)
            if index is None or first is None:  # not laid out yet (new options), or gone: all
                self.refresh()
                break
            self.refresh_lines(first, lines.heights[index])
        self._highlight_drawn = highlighted

    def scroll_to_highlight(self, top: bool = False) -> None:
        """OptionList's scroll to the highlighted entry, the least that shows all of it, but with
        the list's first row an entry's first row: the tail of an entry cut off above read as
        garbled text. Only at the list's end, when that would cut the highlighted entry, is the
        first row another's tail."""
        highlighted = self.highlighted
        height = self.scrollable_content_region.height
        if highlighted is None or not self.is_mounted or not height:
            super().scroll_to_highlight(top)
            return
        self._update_lines()
        lines = self._line_cache
        first = lines.index_to_line.get(highlighted)
        if first is None:
            return
        last = first + lines.heights[highlighted]
        now = new = round(self.scroll_y)
        if top or first < now or last - first >= height:
            new = first
        elif last > now + height:
            new = last - height
        while new < first and lines.lines[new][1] != 0:
            new += 1  # on to the next entry's first row, never past the highlighted one's
        end = round(self.max_scroll_y)
        if new > end:  # the list's end: back to an entry's first row if ▶'s entry still shows
            back = end
            while back > 0 and lines.lines[back][1] != 0:
                back -= 1
            new = back if last <= back + height else end
        if new != now:
            self.scroll_to(y=new, animate=False, force=True, immediate=True)

    def _fit_width(self) -> None:
        """Forget the entries drawn at another width: the terminal's changed, or the list's
        scrollbar came or went (after new entries, with no resize)."""
        width = self.scrollable_content_region.width
        if width != self._rendered_width:
            self._rendered_width = width
            self._option_render_cache.clear()
            self._line_cache.clear()
            # Wrapped again, the entries start on other rows: the first row shown may now be the
            # middle of one.
            self.call_after_refresh(self.scroll_to_highlight)

    def set_options(self, options: Iterable[OptionListContent]) -> Self:
        # A label or an undo changes one entry of sixty: the others keep their rendering, with the
        # place a click reports (the option's index, in each strip's meta) brought up to date.
        kept = [
            (key, self._option_render_cache.get(key))
            for key in list(self._option_render_cache.keys())
        ]
        super().set_options(options)
        where = self._option_to_index
        for key, strips in kept:
            index = where.get(key[0])
            if index is not None and strips is not None:
                # Over the entry's own styles, which hold its old index (Strip.apply_meta would put
                # the new one under them, and the old one would still be what a click reports).
                meta = Style.from_meta({"option": index})
                self._option_render_cache[key] = [
                    Strip(Segment.apply_style(strip, post_style=meta), strip.cell_length)
                    for strip in strips
                ]
        return self


class SteadyStatic(Static):
    """A Static whose new size (the terminal resized) costs one layout pass of the screen, not two.

    Textual hands a widget its new sizes from inside a layout pass, and storing the new virtual size
    asks for another pass, which finds nothing to move but repaints what lies below the widget again.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)
