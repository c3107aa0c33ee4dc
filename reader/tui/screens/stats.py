"""The statistics screen: the figures of `reader stats` as a table, and charts of them.

Views (`v` steps through them): the table of groups; labels per party (or author, outlet, annotator)
as grouped bars; reading progress per document; annotations per day; suggestions shown, accepted,
dismissed and the acceptance rate. `g` changes the grouping; `enter` on a row narrows the library to
it (documents, their authors and parties) or opens the search on it (outlets, labels, annotators,
tags). `a` opens the agreement between annotators (reader/tui/screens/agreement.py).

The figures are counted in a worker: first without the suggestions shown (they need the highlighter's
scores of every text), which follow in a second pass. Words the library has already counted are
reused. Charts come from textual-plotext, imported with this module, which the library loads only when
the screen is first asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from reader.corpus.documents import Document
from reader.model.annotation import Annotation
from reader.stats import DOC_GROUPS, GROUPINGS, Stats, compute, highlighter_shown, per_day
from reader.text import plural
from reader.tui.base import ReaderScreen
from reader.tui.safe import safe
from reader.tui.widgets.keybar import KeyBar
from reader.tui.widgets.stats_charts import (
    Chart,
    draw_days,
    draw_labels,
    draw_progress,
    draw_suggestions,
)

VIEWS = ("table", "labels", "progress", "days", "suggestions")
VIEW_TITLES = ("Table", "Labels", "Progress", "Over time", "Suggestions")
# The grouped bars group documents or annotators; by label or tag they would be one bar each.
CHART_GROUPS = ("party", "author", "outlet", "annotator")
# What `enter` narrows: the library's filter (title, author, party) or a search query.
KEY_WIDTH = 40  # a longer group name is cut: the figures matter more
SEARCH_FIELDS = {"outlet": "outlet", "label": "label", "annotator": "by", "tag": "tag"}


class _Left(Exception):
    """The screen was left while its figures were being counted."""


@dataclass
class Figures:
    stats: Stats
    chart: Stats
    days: list[tuple[str, int]]
    progress: list[tuple[str, float]]


class StatsTable(DataTable[Any]):
    """The figures table; enter narrows to the row under the cursor.

    The binding sits on the table rather than as a priority binding on the screen so that a burst
    such as `down` `enter` is handled in order: enter then acts on the row `down` moved to.
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "Narrow to row", id="stats.narrow"),
        # j and k move as they do in the library and the document.
        Binding("j", "cursor_down", "Down", show=False, id="stats.down"),
        Binding("k", "cursor_up", "Up", show=False, id="stats.up"),
    ]


class StatsScreen(ReaderScreen[str | None]):
    """Dismissed with the text the library should narrow to, or None."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="stats.back"),
        Binding("g", "group", "Group by", id="stats.group"),
        Binding("v", "view", "Next view", id="stats.view"),
        Binding("a", "agreement", "Agreement", id="stats.agreement"),
    ]

    def __init__(self, by: str = "doc", words: dict[str, int] | None = None) -> None:
        super().__init__()
        self.by = by
        self.words = dict(words or {})
        self.figures: Figures | None = None
        self.counting_shown = True

    def compose(self) -> ComposeResult:
        yield Static(id="stats-info")
        with TabbedContent(id="stats-views"):
            for view, title in zip(VIEWS, VIEW_TITLES, strict=True):
                with TabPane(title, id=f"view-{view}"):
                    if view == "table":
                        yield StatsTable(id="stats-table", cursor_type="row", zebra_stripes=True)
                    else:
                        yield Chart(id=f"chart-{view}")
        yield KeyBar()

    def on_mount(self) -> None:
        self._info()
        self.query_one(DataTable).focus()
        self.count()

    # -- counting --------------------------------------------------------------------------------

    def _annotations(self) -> list[Annotation]:
        store = self.reader.store
        return store.annotations() if store is not None else []

    @work(thread=True, exclusive=True, group="stats")
    def count(self) -> None:
        """The figures without suggestions shown at once, then again with them."""
        by, app = self.by, self.reader
        corpus, store = app.corpus, app.store
        meta = store.meta if store is not None else None
        anns = self._annotations()
        chart_by = by if by in CHART_GROUPS else "party"
        state = app.user_state
        progress = [(doc.title, state.progress(doc.id)) for doc in corpus]
        days = per_day(anns)
        worker = get_current_worker()

        def shown_here(doc: Document) -> int:
            # Scoring every text takes seconds on a large corpus: stop when the screen has gone.
            if worker.is_cancelled:
                raise _Left
            return highlighter_shown(doc)

        chart: Stats | None = None  # counts no suggestion, so the first pass's serves both
        for shown in (None, shown_here):
            try:
                stats = compute(corpus, anns, by, meta=meta, shown=shown, words=self.words)
            except _Left:
                return
            if chart_by == by:
                chart = stats
            elif chart is None:
                chart = compute(corpus, anns, chart_by, words=self.words)
            self.words.update(self._known_words(stats))
            figures = Figures(stats, chart, days, progress)
            app.call_from_thread(self._show, figures, shown is None)

    @staticmethod
    def _known_words(stats: Stats) -> dict[str, int]:
        return {g.key: g.words for g in stats.groups} if stats.by == "doc" else {}

    def _show(self, figures: Figures, counting_shown: bool) -> None:
        if not self.is_attached or figures.stats.by != self.by:
            return  # counted for a grouping since changed
        self.figures, self.counting_shown = figures, counting_shown
        self._info()
        self._fill_table(figures.stats)
        self._draw()

    def _info(self) -> None:
        line = Text("Statistics", style="bold")
        line.append(f" · by {self.by}", style="dim")
        figures = self.figures
        if figures is None:
            line.append(" · counting…", style="dim")
        else:
            total = figures.stats.total
            line.append(
                f" · {plural(total.documents, 'document')} · {plural(total.words, 'word')}"
                f" · {plural(total.annotations, 'annotation')}"
                f" · {plural(total.unsupported_claims, 'claim')} without support"
            )
            rate = total.acceptance
            if rate is not None:
                line.append(f" · {rate:.0%} of decided suggestions accepted")
            if self.counting_shown:
                line.append(" · counting suggestions…", style="dim")
        self.query_one("#stats-info", Static).update(line)

    def _fill_table(self, stats: Stats) -> None:
        table = self.query_one(DataTable)
        current = table.cursor_row
        table.clear(columns=True)
        heads = ["Docs", "Words", "Annot.", *stats.labels, "Notes", "Tags", "Links"]
        heads += ["Unsup.", "Shown", "Acc.", "Dism."]
        rows: list[tuple[str, str, list[str]]] = []
        for group in [*stats.groups, stats.total]:
            values: list[int | None] = [group.documents, group.words, group.annotations]
            values += [group.by_label.get(label, 0) for label in stats.labels]
            values += [group.notes, group.tags, sum(group.links.values())]
            values += [group.unsupported_claims, group.shown, group.accepted, group.dismissed]
            is_total = group is stats.total
            name = "Total" if is_total else group.key or "(none)"
            cells = ["—" if v is None else f"{v:,}" for v in values]
            rows.append(("" if is_total else f"g:{group.key}", name, cells))
        # Numbers right-aligned in their column, padded here: the table aligns every cell left.
        widths = [max(len(head), *(len(r[2][n]) for r in rows)) for n, head in enumerate(heads)]
        # Every width is given: measured by the table, they would depend on when it repaints.
        first = min(KEY_WIDTH, max(len(self.by), *(len(name) for _key, name, _cells in rows)))
        table.add_column(self.by.capitalize(), key="key", width=first)
        for head, width in zip(heads, widths, strict=True):
            table.add_column(safe(head.rjust(width)), width=width)
        for key, name, cells in rows:
            style = "" if key else "bold"
            padded = [Text(c.rjust(w), style=style) for c, w in zip(cells, widths, strict=True)]
            table.add_row(safe(name, style), *padded, key=key or None)
        if stats.groups:
            table.move_cursor(row=min(current, len(stats.groups) - 1))

    def _draw(self) -> None:
        figures = self.figures
        if figures is None:
            return
        draw_labels(self.query_one("#chart-labels", Chart), figures.chart)
        draw_progress(
            self.query_one("#chart-progress", Chart), figures.progress, len(self.reader.corpus)
        )
        draw_days(self.query_one("#chart-days", Chart), figures.days)
        draw_suggestions(self.query_one("#chart-suggestions", Chart), figures.stats.total)

    @on(TabbedContent.TabActivated)
    def view_changed(self) -> None:
        # A chart sizes itself to its pane when first shown: draw again at that size.
        self.call_after_refresh(self._draw)

    # -- keys ------------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_group(self) -> None:
        # A document field no document fills (a corpus without parties) would be one "(none)" row.
        corpus = self.reader.corpus
        groupings = [
            g
            for g in GROUPINGS
            if g not in DOC_GROUPS or g == "doc" or any(getattr(d, g) for d in corpus)
        ]
        at = groupings.index(self.by) if self.by in groupings else -1
        self.by = groupings[(at + 1) % len(groupings)]
        self.figures = None
        self.counting_shown = True
        self._info()
        self.count()
        self.notify(f"Grouped by {self.by}.", timeout=2)

    def action_agreement(self) -> None:
        from reader.tui.screens.agreement import AgreementScreen

        self.app.push_screen(AgreementScreen())

    def action_view(self) -> None:
        tabs = self.query_one(TabbedContent)
        view = (tabs.active or "view-table").removeprefix("view-")
        # The tab row shows which view is on: no message that would cover the chart.
        tabs.active = f"view-{VIEWS[(VIEWS.index(view) + 1) % len(VIEWS)]}"

    def selected_key(self) -> str | None:
        """The group under the table's cursor (None on the total row or with no rows)."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return row_key[2:] if row_key and row_key.startswith("g:") else None

    @on(DataTable.RowSelected)
    async def narrow(self) -> None:
        key = self.selected_key()
        if key is None:
            self.notify("Put the cursor on a group's row to narrow to it.", timeout=3)
            return
        by = self.by
        if by in SEARCH_FIELDS:
            await self._search(by, key)
            return
        text = key
        if by == "doc":
            doc = self.reader.corpus.get(key)
            text = doc.title if doc is not None else key
        self.dismiss(text)

    async def _search(self, by: str, key: str) -> None:
        from reader.tui.screens.search import SearchScreen

        if key:
            value = key.replace('"', " ")
            query = f"{SEARCH_FIELDS[by]}:" + (f'"{value}"' if " " in value else value)
        elif by in ("label", "tag"):
            query = f"-has:{by}"  # the group of annotations without one
        else:
            self.notify(f"Search cannot find documents without an {by}.", timeout=3)
            return
        screen = SearchScreen()
        await self.app.push_screen(screen)
        screen.query_one(Input).value = query
