"""The export dialog sits in the middle over the screen it came from, its keys whole at 80×24, and
its notice of a finished export goes after a few seconds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.containers import Vertical

from reader.tui.app import ReaderApp

from .test_export_dialog import export_dialog, submit


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_dialog_is_centred_over_the_document_with_its_keys_whole(
    make_app: Callable[..., ReaderApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await export_dialog(app, pilot)
        dialog = screen.query_one(".dialog", Vertical).region
        width, height = size
        assert abs(dialog.x - (width - dialog.right)) <= 1, dialog
        assert abs(dialog.y - (height - dialog.bottom)) <= 1, dialog
        shown = [strip.text for strip in screen._compositor.render_strips()]
        assert any("escape  cancel" in line for line in shown), shown
        # The document shows around the dialog.
        assert any("Winning back Labour" in line for line in shown[: dialog.y])


async def test_a_finished_export_is_announced_briefly(
    make_app: Callable[..., ReaderApp], tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await export_dialog(app, pilot)
        await submit(app, pilot, tmp_path / "out.csv")
        notices = list(app._notifications)
        done = notices[-1]
        assert done.title == "Export" and done.timeout <= 5
