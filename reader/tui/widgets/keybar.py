"""A one-line key bar: the shown bindings of the current screen, drawn as one piece of text.

Textual's Footer mounts a widget per key, and styling twenty widgets costs more than opening a document;
this draws the same information (remapped keys included) as a single Static.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        bar = Text(no_wrap=True, overflow="ellipsis")
        key_style = f"bold {self.app.current_theme.accent or 'yellow'}"
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            if bar:
                bar.append("  ")
            bar.append(self.app.get_key_display(binding), style=key_style)
            bar.append(f" {binding.description}")
        self.update(bar)
