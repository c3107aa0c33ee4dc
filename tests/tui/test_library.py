from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from reader.corpus import Corpus
from reader.project import Project
from reader.tui.app import ReaderApp
from reader.tui.screens.library import LibraryScreen


async def test_app_starts_and_shows_the_four_titles(project: Path) -> None:
    app = ReaderApp(Project.resolve(project))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        table = app.screen.query_one(DataTable)
        titles = {str(table.get_cell(key, "title")) for key in table.rows}
        expected = {doc.title for doc in Corpus.load(project / "corpus")}
        assert len(titles) == 4 and titles == expected
        await app.workers.wait_for_complete()
        await pilot.pause()
        words = [str(table.get_cell(key, "words")) for key in table.rows]
        assert all(w.replace(",", "").isdigit() for w in words)


async def test_j_k_move_and_q_quits(project: Path) -> None:
    app = ReaderApp(Project.resolve(project))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_hostile_titles_are_inert(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text("[bold red]x[/] \x1b]52;c;ZXZpbA==\x07 title\n")
    (corpus / "bin.txt").write_bytes(b"\x00\x00")
    app = ReaderApp(Project.resolve(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        title = str(table.get_cell("evil", "title"))
        assert "[bold red]x[/]" in title and "\x1b" not in title and "\x07" not in title
        assert str(table.get_cell("bin", "status")) == "binary"
