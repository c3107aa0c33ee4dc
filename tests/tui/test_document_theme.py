"""The document's highlights stay readable in every theme, and follow a theme change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.color import Color
from rich.segment import Segment

from reader.corpus import Corpus
from reader.model import annotation_from_document
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.widgets.document_view import DocumentView

from .conftest import PEACE
from .test_document import SIZE, open_peace

PHRASES = [
    ("The Tory MP, Lee Rowley, won with a narrow majority of 2,681 votes", "evidence"),
    ("We have to win here in order to return a Labour government", "claim"),
    (
        "a narrow majority of 2,681 votes, and North East Derbyshire is now a key marginal",
        "premise",
    ),
]


@pytest.fixture
def annotated(project: Path) -> Path:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        for phrase, label in PHRASES:
            start = doc.text.index(phrase)
            store.add(annotation_from_document(doc, start, start + len(phrase), label=label))
    return project


def luminance(color: Color) -> float:
    """WCAG relative luminance."""
    r, g, b = color.get_truecolor()

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def painted_keys(app: ReaderApp) -> list[Segment]:
    """The segments of the key bar (the bottom row)."""
    return list(app.screen._compositor.render_strips()[-1])


def painted_view(app: ReaderApp) -> list[Segment]:
    """The segments the terminal shows inside the document view (scrollbar excluded)."""
    view = app.screen.query_one(DocumentView)
    region = view.scrollable_content_region
    strips = app.screen._compositor.render_strips()
    segments: list[Segment] = []
    for strip in strips[region.y : region.bottom]:
        segments.extend(strip.crop(region.x, region.right))
    return segments


def worst_contrast(segments: list[Segment]) -> tuple[float, str]:
    worst = (99.0, "")
    for segment in segments:
        style = segment.style
        if not segment.text.strip() or style is None:
            continue
        assert style.color is not None and style.bgcolor is not None, segment
        ratio = contrast(style.color, style.bgcolor)
        if ratio < worst[0]:
            worst = (ratio, f"{segment.text!r} {style}")
    return worst


THEMES = ["textual-dark", "textual-light", "solarized-light", "catppuccin-latte", "nord", "gruvbox"]


@pytest.mark.parametrize("theme", THEMES)
async def test_every_highlight_is_readable_after_switching_theme(
    make_app: Callable[..., ReaderApp], annotated: Path, theme: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "j", "j")  # onto the annotated sentences, suggestions around
        app.theme = theme
        await pilot.pause()
        await pilot.pause()
        ratio, where = worst_contrast(painted_view(app))
        assert ratio >= 3.0, f"{theme}: {ratio:.2f} for {where}"
        ratio, where = worst_contrast(painted_keys(app))
        assert ratio >= 3.0, f"{theme} key bar: {ratio:.2f} for {where}"
        await pilot.press("v", "right_parenthesis")  # a selection over all of it
        await pilot.pause()
        ratio, where = worst_contrast(painted_view(app))
        assert ratio >= 3.0, f"{theme}: {ratio:.2f} for {where}"


async def test_a_theme_change_repaints_the_highlights(
    make_app: Callable[..., ReaderApp], annotated: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "j", "j")
        dark = {s.style for s in painted_view(app) if s.text.strip()}
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        light = {s.style for s in painted_view(app) if s.text.strip()}
        # Only the annotations keep their look (their label's colour); nothing else keeps a dark style.
        label_colours = {Color.parse(label.color) for label in app.scheme if label.color}
        kept = {s for s in dark & light if s is not None and s.bgcolor not in label_colours}
        assert not kept
