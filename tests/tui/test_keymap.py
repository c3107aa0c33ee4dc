"""Keymap overrides from config.toml: applied when they can be, reported once when they cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from reader.project import Project
from reader.tui.app import ReaderApp
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.modals import TagEditor
from reader.tui.widgets.keybar import KeyBar

from .test_document import SIZE, open_peace, stored


def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("READER_CONFIG", str(path))
    return path


def config_notes(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Config"]


async def test_unknown_ids_and_clashes_are_reported_once_and_keep_their_defaults(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(
        tmp_path,
        monkeypatch,
        'annotator = "tester"\n'
        "[keymap]\n"
        '"document.acept" = "c"\n'  # no such binding
        '"document.accept" = "n"\n'  # n is already "next suggestion" on the document screen
        '"document.undo" = "z"\n'  # two ids on one key
        '"document.redo" = "z"\n'
        '"document.tags" = "e"\n',  # fine: applied
    )
    app = ReaderApp(Project.resolve(project))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        [note] = config_notes(app)
        assert str(path) in note
        for binding_id in ("document.acept", "document.accept", "document.undo", "document.redo"):
            assert f"'{binding_id}'" in note
        assert "document.tags" not in note
        await pilot.press("n")  # still the next suggestion, not accept
        assert screen.session is not None and screen.session.annotations == []
        assert screen.session.suggestion_at_cursor() is not None
        await pilot.press("y")  # accept kept its default key
        assert len(screen.session.annotations) == 1
        await pilot.press("u")  # undo kept its default key
        assert screen.session.annotations == []
        await pilot.press("ctrl+r")
        assert len(screen.session.annotations) == 1
        await pilot.press("e")  # the good override is applied
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        await pilot.press("escape")
        await pilot.pause()
    assert [a.origin for a in stored(project)] == ["suggestion"]


async def test_a_key_taken_on_another_screen_is_fine(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "s" sorts the library but means nothing in a document; "o" is free on the library screen.
    write_config(tmp_path, monkeypatch, '[keymap]\n"document.accept" = "s"\n"library.sort" = "o"\n')
    app = ReaderApp(Project.resolve(project))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert config_notes(app) == []
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await pilot.press("o")
        assert library.sort_index == 1
        screen = await open_peace(app, pilot)
        await pilot.press("n", "s")
        assert screen.session is not None and len(screen.session.annotations) == 1


async def test_a_key_used_by_the_app_everywhere_is_a_clash(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, monkeypatch, '[keymap]\n"library.sort" = "q"\n')
    app = ReaderApp(Project.resolve(project))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [note] = config_notes(app)
        assert "'library.sort'" in note and "app.quit" in note
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await pilot.press("s")  # the default is kept
        assert library.sort_index == 1


async def test_a_broken_config_file_gives_defaults_and_one_notification(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, monkeypatch, '[keymap\n"document.accept" = "c"\n')
    app = ReaderApp(Project.resolve(project))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        [note] = config_notes(app)
        assert str(path) in note
        await pilot.press("n", "y")  # default keys
        assert screen.session is not None and len(screen.session.annotations) == 1


async def test_a_key_that_cannot_be_pressed_is_reported_and_keeps_the_default(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(
        tmp_path,
        monkeypatch,
        "[keymap]\n"
        '"library.sort" = "ctrl+shift+alt+banana"\n'
        '"library.filter" = "shft+g"\n'
        '"document.dismiss" = ""\n'
        '"document.accept" = "f5"\n',  # a key name Textual knows: applied
    )
    app = ReaderApp(Project.resolve(project))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [note] = config_notes(app)
        assert str(path) in note
        assert "'banana' is not a key" in note and "'shft' is not a modifier" in note
        assert "'document.dismiss' is empty" in note and "must be a string" not in note
        assert "document.accept" not in note
        library = app.screen
        assert isinstance(library, LibraryScreen)
        bar = str(library.query_one(KeyBar).render())
        assert "banana" not in bar and "s Sort" in bar and "f Filter" in bar
        await pilot.press("s")  # the default is kept
        assert library.sort_index == 1
        screen = await open_peace(app, pilot)
        await pilot.press("n", "x")  # dismiss kept its default key
        assert screen.session is not None and screen.session.suggestion_at_cursor() is None
        await pilot.press("n", "f5")
        assert len(screen.session.annotations) == 1
    assert [a.origin for a in stored(project)] == ["suggestion"]


async def test_many_config_problems_give_one_short_notification_that_fits(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = "".join(f'"library.nothing_{n}" = "x"\n' for n in range(15))
    path = write_config(tmp_path, monkeypatch, f"annotator = 5\n[keymap]\n{entries}")
    app = ReaderApp(Project.resolve(project))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        [note] = config_notes(app)
        lines = note.splitlines()
        assert len(lines) <= 9
        shown = sum(line.startswith("•") for line in lines)
        assert lines[-1] == f"… and {16 - shown} more; see {path}"
        assert "annotator" in note  # the first problems come first
        await pilot.pause()
        [toast] = app.screen.query(Toast)
        # All of it on the screen, above the key bar.
        assert toast.region.height > len(lines) and toast.region.bottom < app.size.height


def test_keys_textual_can_report_are_accepted() -> None:
    from reader.config import key_problem
    from reader.tui.keymap import key_names

    names = key_names()
    for key in (
        "a",
        "é",
        "question_mark",
        "ctrl+shift+up",
        "f12",
        "pagedown",
        "space",
        "alt+enter",
    ):
        assert key_problem(key, names) is None, key
    for key in ("banana", "Ctrl+s", "ctrl+", "shift+pgdn"):
        assert key_problem(key, names) is not None, key


def test_every_screen_of_the_app_is_registered_for_the_keymap_check() -> None:
    import importlib
    import pkgutil

    from textual.screen import Screen

    import reader.tui
    from reader.tui.base import ReaderModal, ReaderScreen
    from reader.tui.keymap import screens
    from reader.tui.screens.document_anchoring import AnchorKeeping
    from reader.tui.screens.document_edits import AnnotationEditing
    from reader.tui.screens.document_layers import LayerSwitching
    from reader.tui.screens.document_links import LinkEditing
    from reader.tui.screens.modals import GuardedEditor

    for info in pkgutil.walk_packages(reader.tui.__path__, prefix="reader.tui."):
        importlib.import_module(info.name)

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found.union(*(subclasses(sub) for sub in found))

    bases = {
        ReaderScreen,
        ReaderModal,
        AnnotationEditing,
        AnchorKeeping,
        LinkEditing,
        LayerSwitching,
        GuardedEditor,
    }
    ours = {
        c for c in subclasses(Screen) if c.__module__.startswith("reader.tui.") and c not in bases
    }
    registered = {cls for _, classes, _ in screens() for cls in classes}
    assert ours - registered == set()
