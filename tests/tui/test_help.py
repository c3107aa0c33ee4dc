"""The help screen lists every key where it works, arrows included, in one style."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.tui.app import ReaderApp
from reader.tui.screens.help import HelpScreen

from .test_document import SIZE
from .test_search_screen import annotate, searched


def descriptions(help_screen: HelpScreen) -> dict[str, str]:
    return {d: k for entries in help_screen.groups.values() for k, d in entries}


async def test_library_help_lists_the_arrows_beside_j_and_k(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        keys = dict((d, k) for k, d in screen.groups["Library"])
        assert keys["Down"] == "j ↓" and keys["Up"] == "k ↑"
        assert {"pgdn", "pgup", "g home", "G end"} <= set(keys.values())
        described = descriptions(screen)
        assert described["Palette"] == "^p"
        assert all(d[:1].isupper() for d in described), described


async def test_search_help_lists_the_keys_of_the_results(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    annotate(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await searched(pilot, "-zzz")
        await pilot.press("down", "question_mark")  # in the results
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        keys = dict((d, k) for k, d in screen.groups["Search"])
        assert keys["Next result"] == "↓" and keys["Previous result"] == "↑"
        assert keys["Open the result"] == "⏎" and keys["Back"] == "esc"
