"""The statistics screen's charts, drawn with plotext through textual-plotext's `PlotextPlot`.

Imported only when the statistics screen opens (plotext costs a start-up). The plot takes its colours
from the app's theme (textual-plotext's "auto" theme), so charts follow a theme change.

Group names, titles and labels come from documents and annotations: plotext writes its own escape
codes and parses no markup, but control characters in a name could still act, so every name goes
through `display_safe` and is cut to fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual_plotext import PlotextPlot

from reader.stats import Figures, Stats
from reader.text import display_safe, shorten

MAX_GROUPS = 8  # grouped bars: more would be too thin to read at 80 columns
MAX_DAYS = 30
NAME_CHARS = 14


def short(name: str, limit: int = NAME_CHARS) -> str:
    return shorten(display_safe(name), limit) or "(none)"


class Chart(PlotextPlot):
    """One chart; `draw` clears it and draws anew (data changes, the grouping changes)."""

    def start(self, title: str) -> Any:
        plt = self.plt
        plt.clear_figure()
        plt.title(title)
        return plt

    def empty(self, title: str, why: str) -> None:
        plt = self.start(title)
        plt.text(why, 0.5, 0.5, alignment="center")
        plt.xlim(0, 1)
        plt.ylim(0, 1)
        plt.xticks([])
        plt.yticks([])
        self.refresh()


def counts_axis(plt: Any, most: int, axis: str = "y", headroom: float = 1.0) -> None:
    """Whole-number ticks from 0 to `most` (counts have no fractions), at most five of them;
    `headroom` leaves space above the bars (for a legend, which plotext draws over them)."""
    step = max(1, -(-most // 4))
    ticks = list(range(0, most + step, step))
    (plt.yticks if axis == "y" else plt.xticks)(ticks, [f"{t:,}" for t in ticks])
    (plt.ylim if axis == "y" else plt.xlim)(0, ticks[-1] * headroom)


def draw_labels(chart: Chart, stats: Stats) -> None:
    """Labels per group (party, author, outlet or annotator) as grouped bars, busiest groups first."""
    title = f"Labels per {stats.by}"
    groups = sorted(
        (g for g in stats.groups if g.annotations), key=lambda g: (-g.annotations, g.key)
    )[:MAX_GROUPS]
    if not groups or not stats.labels:
        chart.empty(title, "No labelled annotations yet")
        return
    plt = chart.start(title if len(stats.groups) <= MAX_GROUPS else f"{title} (busiest)")
    series = [[g.by_label.get(label, 0) for g in groups] for label in stats.labels]
    plt.multiple_bar([short(g.key) for g in groups], series, labels=list(stats.labels))
    counts_axis(plt, max(max(values) for values in series), headroom=1 + 0.12 * len(series))
    chart.refresh()


def draw_progress(chart: Chart, progress: Sequence[tuple[str, float]], total: int) -> None:
    """Reading progress per document (percent), furthest read first, as many as fit."""
    started = [(name, value) for name, value in progress if value > 0]
    done = sum(1 for _name, value in started if value >= 0.999)
    title = f"Read: {len(started)} of {total} documents started, {done} finished"
    if not started:
        chart.empty(title, "No document read yet")
        return
    rows = max(3, chart.size.height - 6)
    shown = sorted(started, key=lambda item: -item[1])[:rows]
    plt = chart.start(title)
    plt.bar(
        [short(name, 24) for name, _value in reversed(shown)],
        [round(value * 100) for _name, value in reversed(shown)],
        orientation="horizontal",
        width=0.3,
    )
    plt.xlim(0, 100)
    plt.xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    chart.refresh()


def draw_days(chart: Chart, days: Sequence[tuple[str, int]]) -> None:
    """Annotations made per day, the last MAX_DAYS days with any."""
    title = "Annotations per day"
    if not days:
        chart.empty(title, "No annotations yet")
        return
    recent = list(days)[-MAX_DAYS:]
    plt = chart.start(title if len(days) <= MAX_DAYS else f"{title} (last {MAX_DAYS} days)")
    plt.bar([day[5:] for day, _count in recent], [count for _day, count in recent])
    every = max(1, -(-len(recent) * 7 // max(1, chart.size.width)))  # labels 7 wide, apart
    positions = list(range(1, len(recent) + 1))[::every]
    plt.xticks(positions, [day[5:] for day, _count in recent][::every])
    counts_axis(plt, max(count for _day, count in recent))
    chart.refresh()


def draw_suggestions(chart: Chart, total: Figures) -> None:
    """Suggestions shown, accepted, dismissed and still open, and the acceptance rate."""
    rate = total.acceptance
    title = "Suggestions: " + (
        f"{rate:.0%} of those decided were accepted" if rate is not None else "none decided yet"
    )
    if total.shown is None:
        chart.empty(title, "Counting the suggestions shown…")
        return
    dismissed = total.dismissed or 0
    left = max(0, total.shown - total.accepted - dismissed)
    plt = chart.start(title)
    plt.bar(
        ["shown", "accepted", "dismissed", "open"],
        [total.shown, total.accepted, dismissed, left],
    )
    counts_axis(plt, max(total.shown, total.accepted, dismissed, left))
    chart.refresh()
