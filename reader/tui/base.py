"""The base of the app's screens: a typed `reader` property for the app they run in."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual.binding import Binding

    from reader.tui.app import ReaderApp

ResultT = TypeVar("ResultT")


class ReaderScreen(Screen[ResultT]):
    @property
    def reader(self) -> ReaderApp:
        """The app, typed: its corpus, store, scheme and user state."""
        return cast("ReaderApp", self.app)

    def shown_key(self, binding_id: str, fallback: str) -> str:
        """The key bound to `binding_id` now (a remapped one too), as the key bar shows it;
        `fallback` while the binding is not active."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return fallback

    def binding_description(self, binding: Binding) -> str | None:
        """The key bar's word for `binding`: a screen may word a key by its state, or leave it
        off the bar (None) where it has nothing to act on (the key still answers)."""
        return binding.description


class ReaderModal(ModalScreen[ResultT], ReaderScreen[ResultT]):
    """A dialog over another screen.

    ModalScreen first: Textual matches CSS type selectors along the first base only, so with
    ReaderScreen first a dialog was styled as a plain screen (opaque, its box at the top left)."""
