"""Overlapping annotations: the panel lists every one under the cursor, and d, a, t and the label keys
all act on the same one (the innermost, or the one picked in the list)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, OptionList, TextArea

from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.modals import NoteEditor, TagEditor

from .test_document import SIZE, open_peace, stored


def under_cursor(screen: DocumentScreen) -> str:
    return str(screen.query_one("#under-cursor").render())


async def premise_with_counterclaim_inside(
    app: ReaderApp, pilot: object
) -> tuple[DocumentScreen, str]:
    """A premise on a sentence, with tags and a note, and a counterclaim inside it (`v b b b b 4`)."""
    screen = await open_peace(app, pilot)  # type: ignore[arg-type]
    await pilot.press("j", "2", "t", *"outer", "enter")  # type: ignore[attr-defined]
    await pilot.press("a", *"premise note", "ctrl+s")  # type: ignore[attr-defined]
    await pilot.press("v", "b", "b", "b", "b", "4")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert app.store is not None
    premise = next(a for a in app.store.annotations() if a.label == "premise")
    return screen, premise.id


async def test_keys_act_on_the_innermost_and_the_panel_lists_both(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, premise_id = await premise_with_counterclaim_inside(app, pilot)
        shown = under_cursor(screen)
        assert "premise" in shown and "counterclaim" in shown
        marked = next(line for line in shown.splitlines() if line.startswith("▶"))
        assert "counterclaim" in marked
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        assert app.screen.query_one(Input).value == ""  # the counterclaim's tags, not "outer"
        await pilot.press(*"inner", "enter")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == ""  # not the premise's note
        await pilot.press(*"inner note", "ctrl+s")
        await pilot.press("5")  # relabel: the counterclaim again
        await pilot.pause()
        [premise, inner] = sorted(stored(project), key=lambda a: a.end - a.start, reverse=True)
        assert (premise.label, premise.tags, premise.note) == (
            "premise",
            ("outer",),
            "premise note",
        )
        assert (inner.label, inner.tags, inner.note) == ("rebuttal", ("inner",), "inner note")
        await pilot.press("d")
        await pilot.pause()
    [left] = stored(project)
    assert left.id == premise_id and left.note == "premise note"


async def test_picking_the_outer_one_in_the_list_makes_the_keys_act_on_it(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, premise_id = await premise_with_counterclaim_inside(app, pilot)
        await pilot.press("tab")
        options = screen.query_one(OptionList)
        options.highlighted = options.get_option_index(premise_id)
        await pilot.press("enter")
        await pilot.pause()
        marked = next(line for line in under_cursor(screen).splitlines() if line.startswith("▶"))
        assert "premise" in marked
        await pilot.press("d")
        await pilot.pause()
    [left] = stored(project)
    assert left.label == "counterclaim"
