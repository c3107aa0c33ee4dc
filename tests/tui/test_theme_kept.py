"""A theme picked in the app is kept for the next start, unless config.toml names one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.command import CommandPalette
from textual.pilot import Pilot

from reader.config import Config
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp


async def pick_theme(app: ReaderApp, pilot: Pilot[None], name: str) -> None:
    """As a user does: ctrl+p, the Theme command, then the theme's name."""
    await pilot.pause()
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*"theme")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.3)
    await pilot.press(*name)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()
    assert app.theme == name


async def test_a_theme_picked_in_the_palette_is_kept_after_a_restart(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        assert app.theme == "textual-dark"
        await pick_theme(app, pilot, "textual-light")
        await pilot.press("q")
    with AnnotationStore.open(project / "annotations" / "store.json", read_only=True) as store:
        assert store.meta.get("theme") == "textual-light"
    again = make_app()
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"


async def test_the_config_s_theme_wins_at_start_and_picking_another_says_so(
    make_app: Callable[..., ReaderApp], project: Path, tmp_path: Path
) -> None:
    config = Config(annotator="tester", theme="nord", path=tmp_path / "config.toml")
    app = make_app(config)
    async with app.run_test() as pilot:
        assert app.theme == "nord"
        await pick_theme(app, pilot, "gruvbox")
        told = [str(n.message) for n in app._notifications if n.title == "Theme"]
        assert len(told) == 1 and "config.toml" in told[0] and "nord" in told[0]
    again = make_app(config)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "nord"
    later = make_app()  # the config no longer names a theme: the one picked last comes back
    async with later.run_test() as pilot:
        await pilot.pause()
        assert later.theme == "gruvbox"
