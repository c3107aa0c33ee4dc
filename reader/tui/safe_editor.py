"""The note editor's text area, drawn safely (see reader/tui/safe.py). A module of its own because the
text editor it builds on is large and only the note dialog needs it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from reader.text import display_safe


class SafeTextArea(TextArea):
    """A TextArea that draws its text with control characters as placeholders.

    The document keeps every character, so a note loaded and saved again is unchanged; only what
    reaches the terminal is made safe, including text pasted into it.
    """

    def get_line(self, line_index: int) -> Text:
        return Text(display_safe(self.document.get_line(line_index)), end="", no_wrap=True)
