"""The way text from outside the app reaches a widget.

Documents, notes, tags, labels, authors, document ids, file names and imported values are untrusted: an
escape sequence in one could retitle the terminal, write the clipboard or clear the screen, and a
bidirectional override would reorder what the reader sees. Textual draws a widget's text as it is given
(it drops only a few C0 controls), so every such string reaches a widget through this module, which
shows each control character as a visible placeholder (`reader.text.display_safe`) and never reads
markup:

- `safe()` for labels, statics, options and table cells;
- `SafeInput` and `SafeTextArea` for editable text, which keep the value exactly as it is (a note's
  characters are saved unchanged) and only draw it safely;
- the app's `notify` makes every notification safe (reader/tui/app.py).
"""

from __future__ import annotations

from typing import Any

from rich.highlighter import Highlighter
from rich.style import StyleType
from rich.text import Text
from textual.widgets import Input, TextArea

from reader.text import display_safe


def safe(value: str, style: StyleType = "") -> Text:
    """`value` as plain text with its control characters shown as placeholders."""
    return Text(display_safe(value), style=style)


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


class SafeTextArea(TextArea):
    """A TextArea that draws its text with control characters as placeholders.

    The document keeps every character, so a note loaded and saved again is unchanged; only what
    reaches the terminal is made safe, including text pasted into it.
    """

    def get_line(self, line_index: int) -> Text:
        return Text(display_safe(self.document.get_line(line_index)), end="", no_wrap=True)
