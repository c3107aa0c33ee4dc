"""The baseline for start-up: a Textual hello world that exits after its first paint (or stays up with
HELLO_STAY=1, when the benchmark times until its text is on the terminal)."""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.widgets import Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello, world")

    def on_mount(self) -> None:
        if not os.environ.get("HELLO_STAY"):
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Hello().run()
