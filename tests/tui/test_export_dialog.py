"""The export dialog: the path field, replacing an existing file, and paths it cannot write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from reader.tui.app import ReaderApp
from reader.tui.screens.export import ExportScreen, default_destination
from reader.tui.screens.modals import ConfirmScreen

from .conftest import PEACE, messages
from .test_document import SIZE, open_peace


async def export_dialog(app: ReaderApp, pilot: Pilot[None], label: bool = True) -> ExportScreen:
    await open_peace(app, pilot)
    if label:
        await pilot.press("j", "1")  # one annotation to export
    app.action_export()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


async def submit(app: ReaderApp, pilot: Pilot[None], path: Path | str) -> None:
    box = app.screen.query_one("#path", Input)
    box.value = str(path)
    box.focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_typing_in_the_path_field_adds_to_the_path(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await export_dialog(app, pilot, label=False)
        box = screen.query_one("#path", Input)
        await pilot.press("tab")
        assert box.has_focus and box.selected_text == ""
        await pilot.press("backspace", "backspace", "backspace", *"tsv")
        assert box.value == str(default_destination(project, "csv"))[:-3] + "tsv"


async def test_an_existing_file_is_replaced_only_when_the_user_says_so(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    target = project / "notes.csv"
    target.write_text("my own notes\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await export_dialog(app, pilot)
        await submit(app, pilot, target)
        question = app.screen
        assert isinstance(question, ConfirmScreen) and str(target) in question.question
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert target.read_text(encoding="utf-8") == "my own notes\n"
        await submit(app, pilot, target)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        [done] = messages(app)[-1:]
        assert done.startswith("Exported 1 annotation to ") and str(target) in done
    assert PEACE in target.read_text(encoding="utf-8")


async def test_a_path_that_cannot_be_written_names_it_and_says_what_to_do(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    blocker = project / "afile"
    blocker.write_text("", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await export_dialog(app, pilot)
        await submit(app, pilot, blocker / "out.csv")  # its folder would be inside a file
        told = messages(app)[-1]
        assert str(blocker) in told and "choose" in told and "Errno" not in told
        assert isinstance(app.screen, ExportScreen)  # still open, to fix the path
        await submit(app, pilot, project)  # a folder where a file belongs
        told = messages(app)[-1]
        assert str(project) in told and "file name" in told and " -o " not in told
        assert isinstance(app.screen, ExportScreen)


async def test_space_opens_the_formats_and_enter_after_picking_one_exports(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await export_dialog(app, pilot)
        box = screen.query_one("#path", Input)
        before = box.value
        await pilot.press("space")  # the list opens; nothing is typed into the path
        await pilot.pause()
        assert box.value == before
        select = screen.query_one("#format", Select)
        assert select.expanded
        await pilot.press("down", "enter")  # the format after csv
        await pilot.pause()
        assert box.has_focus and select.value != "csv"
        written = default_destination(project, str(select.value))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert written.exists()


async def test_enter_on_the_format_list_exports(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await export_dialog(app, pilot)
        assert screen.query_one("#format", Select).has_focus
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    assert default_destination(project, "csv").exists()


async def test_the_store_is_refused_before_any_offer_to_replace_it(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    store = project / "annotations" / "store.json"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await export_dialog(app, pilot)
        before = store.read_bytes()
        await submit(app, pilot, store)
        assert not isinstance(app.screen, ConfirmScreen)  # never "Replace it?" for the store
        assert any("annotation store" in m for m in messages(app))
        assert store.read_bytes() == before


async def test_blanks_around_a_typed_path_are_not_part_of_the_file_name(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await export_dialog(app, pilot)
        await submit(app, pilot, "exports/mine.csv ")
        assert (project / "exports" / "mine.csv").is_file()
        assert not (project / "exports" / "mine.csv ").exists()
