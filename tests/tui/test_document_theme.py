"""The document's highlights stay readable in every theme, and follow a theme change."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from rich.segment import Segment
from textual.widgets import OptionList

from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
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


def as_256(color: Color) -> Color:
    """The colour a 256-colour terminal shows instead (the nearest of the xterm palette)."""
    return Color.from_triplet(color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor())


def shown(segment: Segment) -> tuple[float, float]:
    """The segment's contrast in true colour and in a 256-colour terminal."""
    style = segment.style
    assert style is not None and style.color is not None and style.bgcolor is not None
    return (
        contrast(style.color, style.bgcolor),
        contrast(as_256(style.color), as_256(style.bgcolor)),
    )


def painted(app: ReaderApp, selector: str) -> list[list[Segment]]:
    """The lines the terminal shows inside the widget `selector`."""
    region = app.screen.query_one(selector).region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return [list(strip.crop(region.x, region.right)) for strip in strips]


@pytest.fixture
def noted(project: Path) -> Path:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        for phrase, label in PHRASES:
            start = doc.text.index(phrase)
            ann = annotation_from_document(doc, start, start + len(phrase), label=label)
            store.add(ann.with_changes(note="Check this figure against the 2017 result"))
    return project


@pytest.mark.parametrize("theme", THEMES)
async def test_suggested_claims_read_at_4_5_and_stand_out_from_the_text(
    make_app: Callable[..., ReaderApp], project: Path, theme: str
) -> None:
    app = make_app(Config(annotator="tester", theme=theme))
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("n")  # the cursor band on a claim, other claims around it
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        claim = view.palette.claim.color  # which segments are claims; their looks are measured
        claims = [
            s for s in painted_view(app) if s.text.strip() and s.style and s.style.color == claim
        ]
        assert {s.style.bgcolor for s in claims if s.style} >= {
            s.style.bgcolor for s in painted_view(app) if s.style and "▌" in s.text
        }  # on the cursor band too
        for segment in claims:
            assert min(shown(segment)) >= 4.5, (theme, segment)
        text = view.rich_style.color  # the body text's colour
        assert claim is not None and text is not None
        for look in (lambda c: c, as_256):  # in true colour and in 256 colours
            apart = math.dist(look(claim).get_truecolor(), look(text).get_truecolor())
            assert apart >= 80, (theme, claim, text)


async def test_light_theme_details_and_note_previews_read_at_4_5(
    make_app: Callable[..., ReaderApp], noted: Path
) -> None:
    app = make_app(Config(annotator="tester", theme="textual-light"))
    async with app.run_test(size=(160, 45)) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "j", "j")  # onto an annotation: its panel entry is selected
        await pilot.pause()
        [_title, details, *_] = painted(app, "#doc-header")
        assert "Chris Peace" in "".join(s.text for s in details)
        for segment in details:
            if segment.text.strip():
                assert min(shown(segment)) >= 4.5, segment
        for focus in (False, True):  # the panel's list without and with the focus
            if focus:
                await pilot.press("tab")
                await pilot.pause()
            options = app.screen.query_one("#annotation-list", OptionList)
            assert options.highlighted is not None and options.has_focus == focus
            previews = [
                line
                for line in painted(app, "#annotation-list")
                if "✎" in "".join(s.text for s in line)
            ]
            assert len(previews) == len(PHRASES)
            for line in previews:
                for segment in line:
                    if segment.text.strip():
                        assert min(shown(segment)) >= 4.5, (focus, segment)
