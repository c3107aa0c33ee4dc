"""Colours of the document's highlight layers, derived from the active theme so they stay readable.

Suggestions tint the text, the cursor sentence gets a slightly shifted background, annotations get their
label's colour as a background. Every text colour is pushed lighter or darker until it reaches a WCAG
contrast ratio against every background it can be drawn on, so a light theme gets dark tints and a dark
theme light ones. The ratio must hold in a 256-colour terminal too, where every colour is replaced by
the nearest of the xterm palette (a dark amber becomes olive and loses a few tenths of contrast).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.style import Style
from textual.color import Color
from textual.theme import Theme

from reader.model.labels import Label, LabelScheme

# A label that corpus.toml gives no colour.
DEFAULT_LABEL_COLOR = "#a0a0a0"
# WCAG AA for body text; the tints are text, so they are held to it.
TEXT_CONTRAST = 4.5
# Preferred tints before adjustment: amber for claims, blue for facts (the hue says which is which).
CLAIM_TINT, FACT_TINT = Color.parse("#f2c572"), Color.parse("#8ccbe8")
# Amber darkened enough to read on a light background is a brown close to the body text; a
# rust-orange stays visibly orange (and red, not olive, in 256 colours). Likewise a royal blue
# for facts rather than a sky blue darkened to slate.
CLAIM_TINT_ON_LIGHT, FACT_TINT_ON_LIGHT = Color.parse("#d9480f"), Color.parse("#1d4ed8")
SELECTION = Color.parse("#5a4fcf")
# Used when the theme's colours are the terminal's own ANSI colours, whose values are unknown.
FALLBACK_SURFACE = {True: Color.parse("#1e1e1e"), False: Color.parse("#f5f5f5")}
FALLBACK_TEXT = {True: Color.parse("#e0e0e0"), False: Color.parse("#1f1f1f")}
BLACK, WHITE = Color(16, 16, 16), Color(255, 255, 255)


def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        s = value / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: Color, b: Color) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@lru_cache(maxsize=4096)
def in_256_colours(color: Color) -> Color:
    """The colour a 256-colour terminal shows for `color`: the nearest of the xterm palette."""
    shown = RichColor.from_rgb(*color.rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return Color(shown.red, shown.green, shown.blue)


def shown_contrast(a: Color, b: Color) -> float:
    """The contrast of `a` on `b` as the terminal shows them: the lower of true colour and 256."""
    return min(contrast_ratio(a, b), contrast_ratio(in_256_colours(a), in_256_colours(b)))


def readable(color: Color, backgrounds: list[Color], minimum: float = TEXT_CONTRAST) -> Color:
    """`color`, made lighter or darker (keeping its hue) until it reads on each of `backgrounds`,
    in true colour and in 256 colours."""
    darker = max(luminance(b) for b in backgrounds) > 0.18
    hue, saturation, lightness = color.hsl
    for _ in range(50):
        if min(shown_contrast(color, b) for b in backgrounds) >= minimum:
            return color
        lightness = max(0.0, lightness - 0.02) if darker else min(1.0, lightness + 0.02)
        color = Color.from_hsl(hue, saturation, lightness)
    return color


def text_on(background: Color) -> Color:
    """Near-black or white, whichever reads better on `background`."""
    return max((BLACK, WHITE), key=lambda c: contrast_ratio(c, background))


def label_background(label: Label | None) -> Color:
    return Color.parse(label.color if label is not None and label.color else DEFAULT_LABEL_COLOR)


def label_style(label: Label | None) -> Style:
    """A label's colour as a background, with text that reads on it."""
    background = label_background(label)
    return Style(bgcolor=background.rich_color, color=text_on(background).rich_color)


@dataclass(frozen=True, slots=True)
class Palette:
    """Styles of the layers, resolved once per theme."""

    text: Style
    claim: Style
    factual: Style
    cursor: Style
    selection: Style
    gutter: Style
    overlap: Style
    labels: dict[str, Style]
    unknown_label: Style

    def label(self, name: str | None) -> Style:
        """An annotation's style: its label's colour, a default one for a label the scheme lacks, and
        only an underline for a note without a label."""
        if name is None:
            return self.overlap
        return self.labels.get(name) or self.unknown_label

    @classmethod
    def build(cls, scheme: LabelScheme, theme: Theme | None = None) -> Palette:
        """The palette for `theme` (Textual's default dark theme when None)."""
        dark = theme.dark if theme is not None else True
        surface, foreground, accent = FALLBACK_SURFACE[dark], FALLBACK_TEXT[dark], None
        if theme is not None:
            variables = theme.to_color_system().generate()
            parsed = [Color.parse(variables[k]) for k in ("surface", "foreground", "warning")]
            if all(c.ansi is None for c in parsed):
                surface, foreground, accent = parsed
        # The cursor sentence: the surface nudged towards the text colour, enough to see the band.
        cursor = surface.blend(foreground, 0.12)
        on = [surface, cursor]
        gutter = readable(accent or CLAIM_TINT, [surface], 3.0)
        return cls(
            text=Style(),
            claim=Style(color=readable(CLAIM_TINT if dark else CLAIM_TINT_ON_LIGHT, on).rich_color),
            factual=Style(
                color=readable(FACT_TINT if dark else FACT_TINT_ON_LIGHT, on).rich_color,
                underline=True,
            ),
            cursor=Style(bgcolor=cursor.rich_color),
            selection=Style(bgcolor=SELECTION.rich_color, color=text_on(SELECTION).rich_color),
            gutter=Style(color=gutter.rich_color, bold=True),
            overlap=Style(underline=True, bold=True),
            labels={label.name: label_style(label) for label in scheme},
            unknown_label=label_style(None),
        )
