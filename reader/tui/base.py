"""The base of the app's screens: a typed `reader` property for the app they run in."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

ResultT = TypeVar("ResultT")


class ReaderScreen(Screen[ResultT]):
    @property
    def reader(self) -> ReaderApp:
        """The app, typed: its corpus, store, scheme and user state."""
        return cast("ReaderApp", self.app)


class ReaderModal(ModalScreen[ResultT], ReaderScreen[ResultT]):
    """A dialog over another screen.

    ModalScreen first: Textual matches CSS type selectors along the first base only, so with
    ReaderScreen first a dialog was styled as a plain screen (opaque, its box at the top left)."""
