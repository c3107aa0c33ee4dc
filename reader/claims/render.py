"""The claims view of `reader claims --format text`: the text with claims and facts styled, each
labelled sentence followed by a dim line that says why. The one claims module that uses Rich."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text

from reader.claims.reasons import why
from reader.claims.scores import DocumentScores
from reader.collector import collector_paused
from reader.text import display_safe


def _view(scores: DocumentScores, kinds: tuple[str, ...], start: int) -> Iterator[tuple[str, str]]:
    """The claims view as (piece, style) in order: the text from `start` with labelled sentences
    styled, each followed by a dim one-line "why". Pieces are not yet display-safe."""
    text = scores.text
    position = start
    why_shown = False
    scores.all_found()  # every sentence's reasons placed in one pass, not walked one by one
    for i, scored in enumerate(scores.sentences):
        shown = [kind for kind in kinds if kind in scored.labels]
        gap = text[position : scored.start]
        if why_shown and "\n" not in gap:
            gap = ""  # the "why" line already ended the line
        yield gap, ""
        yield text[scored.start : scored.end], " ".join(STYLES[kind] for kind in shown)
        position = scored.end
        why_shown = bool(shown)
        if shown:
            yield f"\n  ↳ {why(scores, i, tuple(shown))}\n", "dim"
    yield text[position:], ""


def render(scores: DocumentScores, kinds: tuple[str, ...], start: int = 0) -> Text:
    """The text with labelled sentences styled, each followed by a dim one-line "why"."""
    out = Text()
    for piece, style in _view(scores, kinds, start):
        out.append(display_safe(piece), style=style or None)
    return out


def render_plain(scores: DocumentScores, kinds: tuple[str, ...], start: int = 0) -> str:
    """`render` without its styles, as a terminal without colours shows it; built as one string,
    because piped output of a large text spends its time in Rich's per-piece work otherwise."""
    # display_safe replaces character by character, so once over the whole is the same.
    with collector_paused():
        return display_safe("".join([piece for piece, _ in _view(scores, kinds, start)]))


STYLES = {"claim": "bold #e9a23b", "factual": "underline #5b9bd5"}
