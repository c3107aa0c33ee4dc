"""What the document screen tells the user about keys follows the keymap (config overrides included)."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

from reader.tui.app import ReaderApp

from .conftest import messages
from .test_document import SIZE, open_peace


async def test_notifications_name_the_remapped_undo_and_redo_keys(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"document.undo": "z", "document.redo": "ctrl+y"})
        await open_peace(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        said = messages(app)
        assert any("z to undo" in m for m in said), said
        assert not any("u to undo" in m for m in said)
        app._notifications.clear()
        await pilot.press("z")
        await pilot.pause()
        assert app.store is not None and app.store.annotations() == []
        said = messages(app)
        redo = app.get_key_display(Binding("ctrl+y", "redo"))
        assert any(f"{redo} redoes" in m for m in said), said
        assert not any("ctrl+r" in m or "^r" in m for m in said)


async def test_panel_and_status_hints_name_the_remapped_keys(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"document.accept": "A", "document.grow_word": "e"})
        await open_peace(app, pilot)
        await pilot.press("n")  # onto a suggestion: the panel says how to accept it
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "A accept" in shown and "y accept" not in shown
        await pilot.press("v")
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "e/b word" in shown
