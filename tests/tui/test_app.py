"""The app around the reading session: store problems, config, keymap, help, palette export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from reader.config import Config, load_config
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.export import ExportScreen
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.modals import ErrorScreen, LockedScreen

from .conftest import PEACE, messages, wait_for_document
from .test_document import SIZE, open_peace, stored


def error_text(app: ReaderApp) -> str:
    """The text of the error screen, which must be the screen shown."""
    assert isinstance(app.screen, ErrorScreen)
    return " ".join(str(w.render()) for w in app.screen.query(Static))


async def test_locked_store_offers_read_only_and_saves_nothing(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    store_path = project / "annotations" / "store.json"
    with AnnotationStore.open(store_path) as holder:  # another instance holds the lock
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LockedScreen)
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
            assert app.store is not None and app.store.read_only
            screen = await open_peace(app, pilot)
            await pilot.press("1", "y")
            assert screen.session is not None and screen.session.annotations == []
        assert holder.annotations() == []
    assert stored(project) == []


async def test_locked_store_quit(make_app: Callable[..., ReaderApp], project: Path) -> None:
    with AnnotationStore.open(project / "annotations" / "store.json"):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0


async def test_corrupt_store_shows_an_error_and_writes_nothing(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    store_path = project / "annotations" / "store.json"
    store_path.write_text('{"annotations": {"1": {"id": ', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in store_path.parent.iterdir()}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = error_text(app)
        assert "store.json" in shown  # the message names the file
        await pilot.press("q")
        await pilot.pause()
    after = {p.name: p.read_bytes() for p in store_path.parent.iterdir() if p.suffix != ".lock"}
    assert after == {k: v for k, v in before.items() if not k.endswith(".lock")}


def test_broken_config_gives_defaults_and_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('annotator = "Ada"\ntheme = \n', encoding="utf-8")
    config, problems = load_config(path)
    assert config.annotator != "Ada" and config.theme is None  # the default theme
    assert problems and str(path) in problems[0]
    path.write_text('annotator = "Ada"\n[keymap]\n"document.accept" = 5\n', encoding="utf-8")
    config, problems = load_config(path)
    assert config.annotator == "Ada"
    assert config.keymap == {} and "document.accept" in problems[0]


async def test_broken_config_notifies_and_the_app_runs(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("this is not toml", encoding="utf-8")
    config, problems = load_config(path)
    app = ReaderApp(Project.resolve(project))
    app.config, app.config_problems = config, problems
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert any("config.toml" in str(n.message) for n in app._notifications)


async def test_keymap_override_remaps_a_binding_and_the_help_shows_it(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app(Config(annotator="tester", keymap={"document.accept": "c"}))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("n", "y")  # y no longer accepts
        assert screen.session is not None and screen.session.annotations == []
        await pilot.press("c")
        assert len(screen.session.annotations) == 1
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        document_keys = dict((d, k) for k, d in app.screen.groups["Document"])
        assert document_keys["Accept"] == "c"
        assert document_keys["Label as claim"] == "1"
        assert "Label 9" not in document_keys and not any(k == "9" for k in document_keys.values())
    assert [a.origin for a in stored(project)] == ["suggestion"]


async def test_export_from_the_palette_writes_the_file(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "1")
        app.action_export()
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        target = project / "out" / "notes.csv"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        assert any(str(target) in str(n.message) for n in app._notifications)
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["doc"], r["label"]) for r in rows] == [(PEACE, "claim")]


async def test_opening_an_annotation_selects_it(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "j", "v", "w", "2")
        [annotation] = app.store.annotations()  # type: ignore[union-attr]
        await pilot.press("escape")
        await pilot.pause()
        app.open_annotation(annotation.id)
        await wait_for_document(app, pilot)
        session = app.screen.session  # type: ignore[attr-defined]
        assert session.selection is not None
        assert (session.selection.start, session.selection.end) == (
            annotation.start,
            annotation.end,
        )
        assert len(app.screen_stack) == 3  # default, library, document: escape goes home


async def test_with_a_corrupt_store_search_palette_open_and_export_are_blocked(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    store_path = project / "annotations" / "store.json"
    store_path.write_text('{"annotations": {"1": {"id": ', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in store_path.parent.iterdir() if p.is_file()}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)  # no search behind the error
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)  # nor the palette
        app.open_document(PEACE)
        app.action_export()
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert not any(isinstance(s, DocumentScreen) for s in app.screen_stack)
        told = messages(app)
        assert told and all("store.json" in m and "cannot be opened" in m for m in told)
        await pilot.press("q")
        await pilot.pause()
    after = {p.name: p.read_bytes() for p in store_path.parent.iterdir() if p.is_file()}
    assert {k: v for k, v in after.items() if not k.endswith(".lock")} == {
        k: v for k, v in before.items() if not k.endswith(".lock")
    }


async def test_a_store_path_that_is_a_folder_shows_the_error_screen(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    (project / "annotations" / "store.json").mkdir()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = error_text(app)
        assert "store.json" in shown
    assert app.return_code in (None, 0)


async def test_a_lock_file_that_cannot_be_opened_shows_the_error_screen(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    (project / "annotations" / "store.json.lock").mkdir()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = error_text(app)
        assert "store.json.lock" in shown
    assert app.return_code in (None, 0)


async def test_a_store_changed_by_another_program_is_reported_once_with_what_to_do(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.tui.app as app_module

    monkeypatch.setattr(app_module, "COMPACT_CHECK_SECONDS", 0.01)
    store_path = project / "annotations" / "store.json"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        store = app.store
        assert store is not None
        store.idle_seconds = 0  # compact on the next check, as after a pause in reading
        store_path.write_bytes(store_path.read_bytes() + b"\n")  # another program edits the store
        await pilot.press("j", "1")  # a label, saved in the journal
        ticks = 0

        def tick() -> None:
            nonlocal ticks
            ticks += 1

        app.set_interval(0.01, tick)  # counts the periods of the compaction check
        while ticks < 10:
            await pilot.pause(0.02)
        told = [n for n in app._notifications if "replaced or edited" in str(n.message)]
        assert len(told) == 1
        assert "reopen" in str(told[0].message)  # says what to do
    with AnnotationStore.open(store_path) as reopened:  # the label survived in the journal
        assert [a.label for a in reopened.annotations()] == ["claim"]


async def test_the_store_error_screen_offers_only_the_keys_that_work(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    (project / "annotations" / "store.json").write_text('{"annotations": ', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ErrorScreen)
        offered = {
            key: active.binding.description
            for key, active in screen.active_bindings.items()
            if active.binding.show and active.enabled
        }
        assert offered == {"q": "Quit"}
        shown = " ".join(str(w.render()) for w in screen.query(Label))
        assert "Press q to quit" in shown
        for key in ("escape", "question_mark", "slash"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen and app.return_code is None  # still here
        told = messages(app)
        assert len(told) == 3 and all("press q to quit" in m for m in told)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_store_in_use_dialog_says_it_once_in_full_sentences(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    store_path = project / "annotations" / "store.json"
    with AnnotationStore.open(store_path):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LockedScreen)
            body = [str(w.render()) for w in screen.query(Static) if not isinstance(w, Label)]
            text = " ".join(" ".join(part.split()) for part in body)
            assert str(store_path) in text and "open for writing in " in text
            assert all(part.strip().endswith(".") for part in body), body
            assert text.lower().count("read-only") == 1, text  # said once, beside its key
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0


async def test_j_and_k_scroll_the_help_as_they_move_elsewhere(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_peace(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0  # more keys than fit at 80×24
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_y == 2
