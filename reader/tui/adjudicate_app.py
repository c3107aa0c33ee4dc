"""The app as `reader adjudicate` starts it: the library with the adjudication screen over it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reader.tui.app import ReaderApp
from reader.tui.screens.adjudicate import AdjudicationScreen


class AdjudicationApp(ReaderApp):
    """Opens on the disagreements of `annotators` (all annotators when empty) instead of the last
    document read; escape goes back to the library, as it does from the library's `a`."""

    def __init__(self, *args: Any, annotators: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.annotators = list(annotators)

    def _opens_over_library(self) -> bool:
        return True

    def _resume(self) -> None:
        self.push_screen(AdjudicationScreen(self.annotators))
