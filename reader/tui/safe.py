"""The way text from outside the app reaches a widget.

Documents, notes, tags, labels, authors, document ids, file names and imported values are untrusted: an
escape sequence in one could retitle the terminal, write the clipboard or clear the screen, and a
bidirectional override would reorder what the reader sees. Textual draws a widget's text as it is given
(it drops only a few C0 controls), so every such string reaches a widget through this module, which
shows each control character as a visible placeholder (`reader.text.display_safe`) and never reads
markup:

- `safe()` for labels, statics, options and table cells;
- `markdown_text()` for a note shown rendered (its Markdown read, its links shown as text);
- `SafeInput` and `SafeTextArea` (reader/tui/safe_editor.py: the text editor loads with the note
  dialog, not at start-up) for editable text, which keep the value exactly as it is (a note's
  characters are saved unchanged) and only draw it safely;
- the app's `notify` makes every notification safe (reader/tui/app.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.highlighter import Highlighter
from rich.style import StyleType
from rich.text import Text
from textual.widgets import Input

from reader.text import display_safe

if TYPE_CHECKING:
    from markdown_it.token import Token


def safe(value: str, style: StyleType = "") -> Text:
    """`value` as plain text with its control characters shown as placeholders."""
    return Text(display_safe(value), style=style)


_MARKDOWN = re.compile(r"[*_`#\[>~|&]|^\s*(?:[-+]|\d+[.)])\s", re.MULTILINE)


def note_words(note: str) -> str:
    """A note's words without its Markdown marks (`**Anecdotal**` reads Anecdotal), for one-line
    previews; not yet display-safe. Only a note that has marks is rendered (give the head of a
    long note: all of it is read)."""
    if not _MARKDOWN.search(note):
        return note
    return markdown_text(note, 400).plain


def markdown_text(value: str, width: int) -> Text:
    """A Markdown note as styled text `width` columns wide: emphasis, headings, lists and code
    drawn, links as their text and address (never terminal hyperlinks), every control character a
    placeholder, including those the Markdown itself spells (`&#x1b;` is one)."""
    return _markdown_text(value, max(8, width)).copy()


@lru_cache(maxsize=64)  # the panel redraws on every cursor move; the note rarely changes
def _markdown_text(value: str, width: int) -> Text:
    # Imported here: Markdown's parser takes as long to import as the rest of the first screen.
    from rich.console import Console
    from rich.markdown import Markdown

    markdown = Markdown(display_safe(value), hyperlinks=False)
    _clean(markdown.parsed)
    console = Console(width=width, force_terminal=True, color_system="truecolor", no_color=False)
    text = Text()
    for number, line in enumerate(console.render_lines(markdown, pad=False, new_lines=False)):
        row = Text()
        for segment in line:
            if segment.control:
                continue
            style = segment.style
            if style is not None and style.link:
                style = style.update_link(None)
            row.append(display_safe(segment.text), style)
        row.rstrip()  # paragraphs come padded to the width: the panel wraps on its own
        if number:
            text.append("\n")
        text.append_text(row)
    text.rstrip()
    return text


def _clean(tokens: Iterable[Token]) -> None:
    """Placeholders for the control characters that parsing produced (entities, the info string
    of a code fence, link addresses)."""
    for token in tokens:
        token.content = display_safe(token.content)
        token.info = display_safe(token.info)
        for key, value in list(token.attrs.items()):
            if isinstance(value, str):
                token.attrs[key] = display_safe(value)
        if token.children:
            _clean(token.children)


class SafeHighlighter(Highlighter):
    """Draws an input's value with its control characters as placeholders (one for one, so the
    cursor and the selection still line up)."""

    def highlight(self, text: Text) -> None:
        plain = text.plain
        shown = display_safe(plain)
        if shown is not plain:
            text.plain = shown


class SafeInput(Input):
    """An Input whose value may hold untrusted text (a path, tags)."""

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", SafeHighlighter())
        super().__init__(value, **kwargs)
