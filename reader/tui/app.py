"""The reading app: a Textual App that holds the project and switches between screens."""

from __future__ import annotations

import os

from textual.app import App
from textual.binding import Binding

from reader.corpus import Corpus
from reader.project import Project
from reader.tui.screens.library import LibraryScreen

# Benchmarks set this to measure start-up: the app exits as soon as the first screen is painted.
EXIT_AFTER_PAINT = "READER_EXIT_AFTER_PAINT"


class ReaderApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "reader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, project: Project, corpus: Corpus | None = None) -> None:
        super().__init__()
        self.project = project
        self.corpus = corpus if corpus is not None else project.load_corpus()

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen(self.corpus))
        if os.environ.get(EXIT_AFTER_PAINT):
            self.call_after_refresh(self.exit)
