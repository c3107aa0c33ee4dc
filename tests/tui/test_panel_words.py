"""The panel in words a reader understands, at 80 columns too: the accept and dismiss keys stay on
screen above the reasons, reasons name categories plainly, an unlabelled annotation is "unlabelled"
in the panel and in what undo and relabelling say."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Static

from reader.tui.app import ReaderApp

from .conftest import messages
from .test_document import open_peace


def screen_lines(app: ReaderApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_accept_and_dismiss_keys_show_above_the_reasons(
    make_app: Callable[..., ReaderApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_peace(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "y accept   x dismiss" in shown, shown
        under = str(app.screen.query_one("#under-cursor", Static).render())
        assert "a date or time “Since”" in under and "a record or superlative" in under
        for internal in ("number_word", "+0.9", "factual", "date “"):
            assert internal not in under, under


async def test_an_unlabelled_annotation_is_called_unlabelled(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_peace(app, pilot)
        await pilot.press("t", *"doorstep", "enter")
        await pilot.pause()
        under = str(app.screen.query_one("#under-cursor", Static).render())
        assert " unlabelled " in under and " note " not in under
        await pilot.press("1")
        await pilot.pause()
        assert "(was unlabelled)" in messages(app)[-1]
        await pilot.press("u")
        await pilot.pause()
        assert "(was unlabelled)" in messages(app)[-1], messages(app)


async def test_the_status_line_says_the_suggestions_are_claims_and_facts(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_peace(app, pilot)
        status = str(screen.query_one("#doc-status", Static).render())
        assert "33 claims and facts to review" in status and "suggestions" not in status
        assert len(status) <= 76
