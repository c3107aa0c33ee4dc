from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.corpus import Corpus
from reader.project import Project
from reader.tui.app import ReaderApp
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.library_table import LibraryTable


def shown_rows(table: LibraryTable) -> list[str]:
    height = table.scrollable_content_region.height
    return [table.render_line(y).text for y in range(min(height, len(table.rows)))]


async def test_app_starts_and_shows_the_four_titles(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        table = app.screen.table
        rows = shown_rows(table)
        expected = {doc.title for doc in Corpus.load(project / "corpus")}
        assert len(rows) == 4
        assert all(any(title in row for row in rows) for title in expected)
        await app.workers.wait_for_complete()
        await pilot.pause()
        for doc in Corpus.load(project / "corpus"):
            words = f"{len(doc.text.split()):,}"
            assert any(doc.title in row and words in row for row in shown_rows(table))


async def test_j_k_move_enter_opens_and_q_quits(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(LibraryTable)
        await pilot.press("j", "j")
        assert table.cursor == 2
        await pilot.press("k")
        assert table.cursor == 1
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_sort_and_filter(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press("s")  # by title
        titles = [doc.title for doc in screen.table.rows]
        assert titles == sorted(titles, key=str.casefold)
        await pilot.press("s")  # by author
        authors = [doc.author for doc in screen.table.rows]
        assert authors == sorted(authors)
        await pilot.press("f", *"rowley")
        await pilot.pause()
        assert {doc.author for doc in screen.table.rows} == {"Lee Rowley"}
        await pilot.press("enter")  # back to the table, the filter stays
        await pilot.press("escape")
        await pilot.pause()
        assert len(screen.table.rows) == 4


async def test_hostile_titles_are_inert_and_problems_are_shown(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text("[bold red]x[/] \x1b]52;c;ZXZpbA==\x07 title\n")
    (corpus / "bin.txt").write_bytes(b"\x00\x00")
    app = ReaderApp(Project.resolve(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        rows = shown_rows(app.screen.table)
        assert any("[bold red]x[/]" in row and "␛]52" in row for row in rows)
        assert not any("\x1b" in row or "\x07" in row for row in rows)
        assert any("[binary] bin.txt" in row for row in rows)
        assert app.screen.problems == 1
        await pilot.press("enter")  # bin.txt sorts first: it cannot be opened, and says so
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert any("binary" in str(n.message) for n in app._notifications)
