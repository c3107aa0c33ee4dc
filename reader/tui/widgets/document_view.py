"""The document view: soft-wrapped text with highlight layers, drawn line by line (Textual's Line API).

Only the rows on screen are styled, and styled rows are cached until something changes, so a cursor move
costs a few rows of work whatever the document's size. Wrapping is a regular expression over each line of
text, which keeps a 1 MB document's layout in C rather than in a Python loop.
"""

from __future__ import annotations

import heapq
import itertools
import re
from bisect import bisect_right

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.theme import Theme

from reader.model.annotation import Annotation
from reader.model.argument import LinkCache
from reader.model.labels import LabelScheme
from reader.session import ReadingSession
from reader.text import display_safe
from reader.tui.widgets.palette import Palette
from reader.tui.widgets.steady import SteadyScrollView

GUTTER = 2  # a bar marks the rows of the sentence under the cursor, ⇄ where a linked one starts
DIM = Style(dim=True)
MAX_WIDTH = 88  # long lines are hard to read; wider terminals get margins
_WRAP_CACHE: dict[int, re.Pattern[str]] = {}
# East Asian wide and full-width blocks and emoji: only rows holding one of these need measuring in cells.
# Everything else is one cell wide (or zero, which only makes a row shorter).
_MAYBE_WIDE = re.compile(
    "[\u1100-\u115f\u231a-\u23ff\u2600-\u27bf\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd]"
)


def _wrap_pattern(width: int) -> re.Pattern[str]:
    # One pass over the whole text: the longest run of at most `width` characters that ends before
    # whitespace or a line end (trailing spaces stay on their row), else a hard cut of a longer word,
    # else an empty line.
    if width not in _WRAP_CACHE:
        _WRAP_CACHE[width] = re.compile(
            rf"[^\n]{{1,{width}}}(?:[ \t]+|(?=\n)|\Z)|[^\n]{{{width}}}|^(?=\n)", re.MULTILINE
        )
    return _WRAP_CACHE[width]


def wrap_rows(text: str, width: int) -> list[tuple[int, int]]:
    """Row spans (start, end) of `text` soft-wrapped at `width` cells; an empty line is an empty row."""
    width = max(width, 8)
    rows = [match.span() for match in _wrap_pattern(width).finditer(text)]
    if _MAYBE_WIDE.search(text) is not None:
        rows = [
            piece
            for start, end in rows
            for piece in (
                _wrap_wide(text, start, end, width)
                if cell_len(text[start:end].rstrip()) > width
                else [(start, end)]
            )
        ]
    return rows or [(0, 0)]


def annotation_styles(
    hits: list[Annotation], cuts: list[int], palette: Palette
) -> list[Style | None]:
    """The annotations' style over each piece between consecutive `cuts` (every annotation boundary
    is a cut), or None where no annotation covers it.

    Painting every covering annotation, outer first, would cost pieces × annotations (thousands may
    stack on one sentence). The result is the same from two facts of the palette: a label's style
    sets the background and text colour, so the innermost labelled annotation's colours win; a note
    without a label only underlines, as an overlap does. So one sweep over the row keeps the
    covering labelled annotations in a heap, innermost on top, and a count of those covering.
    """
    by_start = sorted(hits, key=lambda a: a.start or 0)
    ends = sorted(a.end or 0 for a in hits)
    plain_ends = sorted(a.end or 0 for a in hits if a.label is None)
    heap: list[tuple[int, int, str, Annotation]] = []
    added = ended = plain_added = plain_ended = 0
    marks: list[Style | None] = []
    for a in cuts[:-1]:
        while added < len(by_start) and (by_start[added].start or 0) <= a:
            ann = by_start[added]
            added += 1
            if ann.label is None:
                plain_added += 1
            else:
                s, e = ann.start or 0, ann.end or 0
                heapq.heappush(heap, (e - s, s, ann.id, ann))
        while ended < len(ends) and ends[ended] <= a:
            ended += 1
        while plain_ended < len(plain_ends) and plain_ends[plain_ended] <= a:
            plain_ended += 1
        while heap and (heap[0][3].end or 0) <= a:
            heapq.heappop(heap)
        covering = added - ended
        mark = palette.label(heap[0][3].label) if heap else None
        if covering >= 2 or plain_added > plain_ended:
            mark = palette.overlap if mark is None else mark + palette.overlap
        marks.append(mark)
    return marks


def _wrap_wide(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Cut a row holding double-width characters by cells (rare: CJK text, emoji)."""
    rows: list[tuple[int, int]] = []
    row_start, cells = start, 0
    for i in range(start, end):
        w = cell_len(text[i])
        if cells + w > width:
            rows.append((row_start, i))
            row_start, cells = i, 0
        cells += w
    rows.append((row_start, end))
    return rows


class DocumentView(SteadyScrollView, can_focus=True, inherit_bindings=False):
    """Renders a ReadingSession's text; the screen owns the keys and tells the view when to redraw.

    The scroll bindings a ScrollView inherits (arrows, page keys, home, end) are left out: they would
    scroll the text away from the cursor, and the screen binds those keys to cursor moves.
    """

    DEFAULT_CSS = """
    DocumentView {
        height: 1fr;
        background: $surface;
        scrollbar-gutter: stable;  /* the wrap width must not change when the scrollbar appears */
    }
    """

    class Clicked(Message):
        """The user clicked (offset) or dragged (anchor → offset) in the text."""

        def __init__(self, offset: int, anchor: int | None) -> None:
            super().__init__()
            self.offset = offset
            self.anchor = anchor

    def __init__(self, session: ReadingSession, scheme: LabelScheme, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.scheme = scheme
        self.palette = Palette.build(scheme)
        # One cell per character keeps every column a text offset. A tab sent to a terminal jumps to
        # the next tab stop, which would shift what follows away from where clicks and highlights
        # expect it, so it is shown as one space.
        self.display_text = display_safe(session.text).replace("\t", " ")
        self._rows: list[tuple[int, int]] = []
        self._row_starts: list[int] = []
        self._wrap_width = 0
        self._strips: dict[int, Strip] = {}  # styled rows, cropped to the width they were drawn at
        self._placed = True  # False: blank until scrolled to the cursor (see hide_until_placed)
        # What the styled rows show: the session's `looks` and the cursor and selection spans.
        self._drawn_looks = -1
        self._drawn_marks: tuple[tuple[int, int] | None, ...] = ()
        self._drag_anchor: int | None = None
        self.links = LinkCache()  # which annotations are in links; the panel's list uses it too

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._theme_changed(self.app.current_theme)

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)

    def _theme_changed(self, theme: Theme) -> None:
        # Styled rows hold the old theme's colours, the widget's own background included.
        self.palette = Palette.build(self.scheme, theme)
        self.redraw(everything=True)

    # --- layout --------------------------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        return max(8, min(MAX_WIDTH, self.scrollable_content_region.width - GUTTER - 1))

    def _relayout(self) -> None:
        width = self.text_width
        if width == self._wrap_width and self._rows:
            return
        self._wrap_width = width
        self._rows = wrap_rows(self.display_text, width)
        self._row_starts = [start for start, _ in self._rows]
        self._strips.clear()
        self.virtual_size = Size(width + GUTTER, len(self._rows))

    def on_resize(self, event: events.Resize) -> None:
        # The first resize is when the view learns its size: a scroll asked for before then (the saved
        # position of a reopened document) happens here, and a re-wrap keeps the cursor in view.
        self._relayout()
        self.scroll_to_cursor()
        self.refresh()

    def watch_show_vertical_scrollbar(self, show: bool) -> None:
        # A scroll made before Textual showed the scrollbar (see scroll_to_cursor) moves its thumb too.
        if show:
            self.vertical_scrollbar.position = self.scroll_y

    def row_of(self, offset: int) -> int:
        return max(0, bisect_right(self._row_starts, offset) - 1)

    def redraw(self, everything: bool = False) -> None:
        """Repaint after a change: only the rows of the cursor sentence and the selection, before and
        after, and of the annotations changed since the last repaint; every row when the change may
        show anywhere (layers, dismissals, links)."""
        session = self.session
        sentence = session.current
        marks = (
            (sentence.start, sentence.end) if sentence else None,
            (session.selection.start, session.selection.end) if session.selection else None,
        )
        restyled = (
            None
            if everything or not self._rows
            else session.restyled_since(self._drawn_looks)
            if session.looks != self._drawn_looks
            else []
        )
        if restyled is None:
            self._strips.clear()
            self.refresh()
        else:
            # Only those rows are painted again, not every row on screen: each row painted costs
            # Textual a few strips to compose whether or not it changed.
            for span in {*marks, *self._drawn_marks, *restyled} - {None}:
                assert span is not None
                first, last = self.row_of(span[0]), self.row_of(max(span[0], span[1] - 1))
                for row in range(first, last + 1):
                    self._strips.pop(row, None)
                self.refresh_lines(first, last - first + 1)
        self._drawn_looks, self._drawn_marks = session.looks, marks

    def hide_until_placed(self) -> None:
        """Opened further down (the last session's place, a search hit): the view can scroll
        there only once it knows its size, so its rows are blank until then, rather than drawn at
        the top of the text and then made to jump."""
        self._placed = False

    def scroll_to_cursor(self, animate: bool = False) -> None:
        """Bring the cursor sentence into view (deferred to the first resize while the view has no size)."""
        if not self.size:
            return
        if not self._placed:  # placed now (see hide_until_placed)
            self._placed = True
            self.refresh()
        self._relayout()
        sentence = self.session.current
        if sentence is None:
            return
        top, bottom = (
            self.row_of(sentence.start),
            self.row_of(max(sentence.start, sentence.end - 1)),
        )
        height = self.scrollable_content_region.height
        view_top = round(self.scroll_offset.y)
        # Keep a few rows of context above and below the sentence, like a careful pager.
        margin = min(3, max(0, (height - (bottom - top + 1)) // 2))
        # force: until the next layout pass Textual may not know the rows overflow (no scrollbar yet)
        # and would ignore the scroll; the offset is still clamped to the rows there are.
        if top - margin < view_top:
            self.scroll_to(y=max(0, top - margin), animate=animate, force=True)
        elif bottom + margin >= view_top + height:
            y = min(top - margin, bottom + margin - height + 1)
            self.scroll_to(y=y, animate=animate, force=True)

    def lift(self, start: int, end: int) -> None:
        """Keep start..end in sight above an editor docked at the bottom: unless it already sits in
        the view's upper part, scroll it to the view's second row. Blank rows past the end of the
        text let the last sentence rise too, until `lower`."""
        if not self.size:
            return
        self._relayout()
        top, bottom = self.row_of(start), self.row_of(max(start, end - 1))
        height = self.scrollable_content_region.height
        view_top = round(self.scroll_offset.y)
        if view_top <= top and bottom < view_top + max(1, height * 2 // 5):
            return
        y = max(0, top - 1)
        self.virtual_size = Size(self._wrap_width + GUTTER, max(len(self._rows), y + height))
        self.scroll_to(y=y, animate=False, force=True)

    def lower(self) -> None:
        """Back from `lift`: no rows past the end of the text, the cursor in view."""
        if self.virtual_size.height != len(self._rows):
            self.virtual_size = Size(self._wrap_width + GUTTER, len(self._rows))
        self.scroll_to_cursor()

    def page_offset(self, direction: int) -> int:
        """The text offset at the top of the next (1) or previous (-1) screenful."""
        self._relayout()
        height = max(1, self.scrollable_content_region.height)
        row = round(self.scroll_offset.y) + direction * height
        return self._rows[max(0, min(len(self._rows) - 1, row))][0]

    def scroll_cursor_to_top(self) -> None:
        """Scroll so the cursor sentence starts the screen (a page turn); `scroll_to_cursor` then
        leaves a few rows of what came before above it."""
        sentence = self.session.current
        if not self.size or sentence is None:
            return
        self._relayout()
        self.scroll_to(y=self.row_of(sentence.start), animate=False, force=True)

    # --- drawing -------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._relayout()
        row = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if row >= len(self._rows) or not self._placed:
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(row)
        if strip is None or strip.cell_length != width:
            strip = self._render_row(row).crop_extend(0, width, self.rich_style)
            self._strips[row] = strip
        return strip

    def _render_row(self, row: int) -> Strip:
        start, end = self._rows[row]
        session = self.session
        palette = self.palette
        base = self.rich_style
        sentence = session.current
        in_cursor = sentence is not None and start < sentence.end and end > sentence.start
        segments = [
            Segment("▌ " if in_cursor else "  ", base + palette.gutter if in_cursor else base)
        ]
        if self.links.starts_between(session.annotations, start, end):
            # A quiet mark where an annotation in a link starts (the argument map shows the links).
            bar = segments[0]
            segments[:] = [Segment(bar.text[0], bar.style), Segment("⇄", base + DIM)]
        if end > start:
            segments.extend(self._styled_segments(start, end, base))
        return Strip(segments)

    def _styled_segments(self, start: int, end: int, base: Style) -> list[Segment]:
        session = self.session
        palette = self.palette
        layers = session.layers
        # Spans that may change the style inside this row, as (start, end, style) in paint order:
        # those under the annotations, then those over them.
        under: list[tuple[int, int, Style]] = []
        sentence = session.current
        if sentence is not None and sentence.start < end and sentence.end > start:
            under.append((sentence.start, sentence.end, palette.cursor))
        index = session.segmentation.sentence_at(start)
        if index is not None and layers & {"claim", "factual"}:
            scores = session.scores.sentences
            for i in range(index.ordinal, len(scores)):
                score = scores[i]
                if score.start >= end:
                    break
                if not score.labels or session.suggestion_key(score) in session.dismissed:
                    continue
                if "factual" in score.labels and "factual" in layers:
                    under.append((score.start, score.end, palette.factual))
                if "claim" in score.labels and "claim" in layers:
                    under.append((score.start, score.end, palette.claim))
        hits = session.index.overlapping(start, end) if "annotations" in layers else []
        over: list[tuple[int, int, Style]] = []
        if session.selection is not None:
            sel = session.selection
            if sel.start < end and sel.end > start:
                over.append((sel.start, sel.end, palette.selection))
        # Cut the row at every span boundary and combine the styles over each piece.
        bounds = {start, end}
        bounds.update(p for s, e, _ in under + over for p in (s, e))
        bounds.update(p for a in hits for p in (a.start or 0, a.end or 0))
        cuts = sorted({max(start, min(end, p)) for p in bounds})
        marks = annotation_styles(hits, cuts, palette)
        text = self.display_text
        segments: list[Segment] = []
        for (a, b), mark in zip(itertools.pairwise(cuts), marks, strict=True):
            style = base
            for s, e, span_style in under:
                if s <= a and e >= b:
                    style = style + span_style
            if mark is not None:
                style = style + mark
            for s, e, span_style in over:
                if s <= a and e >= b:
                    style = style + span_style
            segments.append(Segment(text[a:b], style))
        return segments

    # --- mouse ---------------------------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int:
        row = min(len(self._rows) - 1, round(self.scroll_offset.y) + y)
        if row < 0:
            return 0
        start, end = self._rows[row]
        return max(start, min(end, start + x - GUTTER))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._drag_anchor = self.offset_at(event.x, event.y)
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_anchor is not None and event.button:
            offset = self.offset_at(event.x, event.y)
            if offset != self._drag_anchor:
                self.post_message(self.Clicked(offset, self._drag_anchor))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        anchor, self._drag_anchor = self._drag_anchor, None
        self.release_mouse()
        offset = self.offset_at(event.x, event.y)
        if anchor is not None and anchor == offset:
            self.post_message(self.Clicked(offset, None))
