"""A one-line key bar: the shown bindings of the current screen, drawn as one piece of text.

Textual's Footer mounts a widget per key, and styling twenty widgets costs more than opening a document;
this draws the same information (remapped keys included) as a single Static.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Static

from reader.tui.base import ReaderScreen
from reader.tui.widgets.palette import readable

# Key names Textual gives characters it cannot map back ("slash" is "/", from "solidus").
_UNICODE_NAMES = {key: name for name, key in KEY_NAME_REPLACEMENTS.items()}


def key_character(key: str) -> str | None:
    """The character a key types, if any ("slash" is "/")."""
    character = key_to_character(key)
    if character is None and key in _UNICODE_NAMES:
        try:
            character = unicodedata.lookup(_UNICODE_NAMES[key].replace("_", " "))
        except KeyError:
            return None
    return character


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    key_style = Style(bold=True, color="yellow")
    _drawn = Text()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._theme_changed(self.app.current_theme)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.theme_changed_signal.unsubscribe(self)

    def _theme_changed(self, theme: Theme) -> None:
        # The theme's accent, darkened or lightened until it reads on the bar (a light theme's amber
        # accent does not).
        variables = theme.to_color_system().generate()
        accent, panel = Color.parse(variables["accent"]), Color.parse(variables["panel"])
        if accent.ansi is None and panel.ansi is None:
            accent = readable(accent, [panel])
        self.key_style = Style(bold=True, color=accent.rich_color)
        self._bindings_changed(self.screen)

    def on_resize(self) -> None:
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        entries: list[tuple[str, str, bool]] = []  # key, description, always shown
        seen: set[str] = set()
        focused = screen.focused
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            if not binding.show or not enabled or binding.action in seen:
                continue
            if focused is not None and focused.check_consume_key(key, key_character(key)):
                continue  # typed into the focused box ("/" in a filter), so it does not do this
            seen.add(binding.action)
            ident = binding.id or ""
            essential = ident.startswith("app.") or ident.endswith(".back")
            description = (
                screen.binding_description(binding)
                if isinstance(screen, ReaderScreen)
                else binding.description
            )
            if description is None:
                continue
            entries.append((self.app.get_key_display(binding), description, essential))
        bar = self.fitted(entries, self.content_size.width or self.app.size.width - 2)
        if bar != self._drawn:  # its text and styles
            self._drawn = bar
            # One row whatever it holds: a layout pass would compose the whole screen again.
            self.update(bar, layout=False)

    def fitted(self, entries: list[tuple[str, str, bool]], width: int) -> Text:
        """The entries in `width` cells: with narrower gaps first, then leaving out the screen's own
        keys from the last, so help, search, back and quit always show (help lists the rest)."""
        entries = list(entries)
        gap = 2
        while True:
            length = sum(cell_len(k) + 1 + cell_len(d) for k, d, _e in entries)
            length += gap * max(0, len(entries) - 1)
            if length <= width:
                break
            if gap == 2:
                gap = 1
                continue
            optional = [i for i, (_k, _d, essential) in enumerate(entries) if not essential]
            if not optional:
                break
            del entries[optional[-1]]
        bar = Text(no_wrap=True, overflow="ellipsis")
        for key, description, _essential in entries:
            if bar:
                bar.append(" " * gap)
            bar.append(key, style=self.key_style)
            bar.append(f" {description}")
        return bar
