from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input

from reader.config import Config
from reader.corpus.documents import Corpus
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.keybar import KeyBar
from reader.tui.widgets.library_table import LibraryTable

from .conftest import PEACE, messages, wait_for_document
from .test_document import open_peace


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
        # The filter box is made when first wanted: start-up draws one widget fewer.
        assert not screen.query("#filter")
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


def screen_lines(app: ReaderApp) -> list[str]:
    """The screen as the terminal shows it: what the compositor paints, cached lines and all."""
    console = Console(width=app.size.width, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


def read_column(app: ReaderApp, title: str) -> str:
    """The Read cell of the row showing `title`, cut out under the header's "Read"."""
    lines = screen_lines(app)
    header = next(line for line in lines if "Title" in line and "Read" in line)
    end = header.index("Read") + len("Read")
    [row] = [line for line in lines if title[:20] in line]
    return row[end - 5 : end].strip()


async def test_read_column_follows_escape_and_keeps_the_furthest_point(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        library = app.screen
        assert isinstance(library, LibraryScreen)
        doc = app.corpus.get(PEACE)
        assert doc is not None
        title = doc.title
        assert read_column(app, title) == ""
        await open_peace(app, pilot)
        await pilot.press(*"jjjjjjjjjj")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library
        far = read_column(app, title)
        assert far.endswith("%") and int(far[:-1]) > 0
        screen = await open_peace(app, pilot)
        assert isinstance(screen, DocumentScreen)
        await pilot.press(*"kkkkkkkk")
        await pilot.press("escape")
        await pilot.pause()
        assert read_column(app, title) == far  # going back up does not undo reading
    again = make_app()  # a new session resumes in the document; escape shows the same progress
    async with again.run_test(size=(160, 40)) as pilot:
        await wait_for_document(again, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(again.screen, LibraryScreen)
        assert read_column(again, title) == far


async def test_read_column_keeps_the_furthest_point_of_one_visit(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        doc = app.corpus.get(PEACE)
        assert doc is not None
        await open_peace(app, pilot)
        await pilot.press(*"jjjjjjjjjj")
        await pilot.press(*"kkkkkkkkkk")  # back at the top before leaving
        await pilot.press("escape")
        await pilot.pause()
        read = read_column(app, doc.title)
        assert read.endswith("%") and int(read[:-1]) >= 10, read


async def test_read_column_keeps_progress_saved_before_furthest_existed(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    # Stores written by earlier versions hold only where the cursor was ("progress").
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.meta[f"position:{PEACE}"] = {"offset": 0, "progress": 0.8}
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        doc = app.corpus.get(PEACE)
        assert doc is not None
        assert read_column(app, doc.title) == "80%"
        await open_peace(app, pilot)
        await pilot.press("j")  # a little reading near the top
        await pilot.press("escape")
        await pilot.pause()
        assert read_column(app, doc.title) == "80%"


def assert_header_lines_up(app: ReaderApp) -> None:
    """Each column's name sits over its values: Author starts where the authors do, Words ends
    where the word counts end (numbers are right-aligned)."""
    lines = screen_lines(app)
    [header] = [line for line in lines if "Title" in line and "Author" in line]
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    for doc in screen.table.rows:
        [row] = [line for line in lines if doc.title[:12] in line]
        assert row.index(doc.author) == header.index("Author"), (header, row)
        words = f"{len(doc.text.split()):,}"
        assert row.index(words) + len(words) == header.index("Words") + len("Words"), (header, row)


async def test_header_stays_over_its_columns_when_filtering(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_header_lines_up(app)
        await pilot.press("f")
        await pilot.pause()
        assert_header_lines_up(app)
        await pilot.press(*"row")
        await pilot.pause()
        assert_header_lines_up(app)
        await pilot.press("escape")
        await pilot.pause()
        assert_header_lines_up(app)
        await pilot.press("f", "escape")
        await pilot.pause()
        assert_header_lines_up(app)


WILLIAMSON = "williamson-2017-07-how-labour-won-back-derby-north"


async def wait_for_opened(app: ReaderApp, pilot: Pilot[None], doc_id: str) -> None:
    screen = await wait_for_document(app, pilot)
    assert screen.document.id == doc_id


async def test_escape_comes_back_to_the_row_of_the_document_left(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await pilot.press("j", "j", "j", "enter")  # the last row, by the keys
        await wait_for_opened(app, pilot, WILLIAMSON)
        await pilot.press("escape")
        await pilot.pause()
        assert library.selected_id() == WILLIAMSON
        await pilot.press("k", "k")  # elsewhere, then a document opened from the palette or search
        app.open_document(WILLIAMSON)
        await wait_for_opened(app, pilot, WILLIAMSON)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library and library.selected_id() == WILLIAMSON
        await pilot.press("enter")  # enter opens the row the cursor shows
        await wait_for_opened(app, pilot, WILLIAMSON)


async def test_escape_after_resuming_the_last_session_selects_its_document(
    make_app: Callable[..., ReaderApp],
) -> None:
    first = make_app()
    async with first.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        first.open_document(WILLIAMSON)
        await wait_for_opened(first, pilot, WILLIAMSON)
        await pilot.press("q")
    again = make_app()
    async with again.run_test(size=(120, 30)) as pilot:
        await wait_for_opened(again, pilot, WILLIAMSON)
        await pilot.press("escape")
        await pilot.pause()
        library = again.screen
        assert isinstance(library, LibraryScreen) and library.selected_id() == WILLIAMSON


def key_bar(app: ReaderApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_enter_with_nothing_matching_the_filter_says_so(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f", *"zzz", "enter")  # back to the (empty) list
        await pilot.pause()
        [told] = messages(app)
        assert "No document matches the filter" in told and "zzz" in told and "esc" in told
        await pilot.press("enter")  # on the empty list itself
        await pilot.pause()
        assert len(app._notifications) == 2
        assert isinstance(app.screen, LibraryScreen)


async def test_the_key_bar_says_what_keys_do_in_the_filter_box(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "Clear filter" not in key_bar(app)
        await pilot.press("f")
        await pilot.pause()
        bar = key_bar(app)
        assert "To the list" in bar and "esc Clear filter" in bar
        assert "Search" not in bar  # "/" types into the box there
        await pilot.press("slash")
        assert app.screen.query_one("#filter", Input).value == "/"
        await pilot.press("enter")
        await pilot.pause()
        bar = key_bar(app)
        assert "Open" in bar and "/ Search" in bar and "esc Clear filter" in bar
        await pilot.press("escape")
        await pilot.pause()
        assert "Clear filter" not in key_bar(app)


async def test_the_filter_count_agrees_with_its_number(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f", *"williamson")
        await pilot.pause()
        assert "· 1 matches the filter" in screen_lines(app)[0]
        await pilot.press(*["backspace"] * 10, *"rowley")
        await pilot.pause()
        assert "· 2 match the filter" in screen_lines(app)[0]
    # At 80 columns the end of the line is cut: the count comes before the sort order.
    async with make_app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f", *"rowley")
        await pilot.pause()
        assert "· 2 match the filter" in screen_lines(pilot.app)[0]


async def test_a_narrow_terminal_keeps_the_header_on_one_line(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        [at] = [i for i, line in enumerate(lines) if "Title" in line]
        first = app.screen.table.rows[0]  # type: ignore[attr-defined]
        assert first.title[:8] in lines[at + 1]  # the first row right under the header


async def test_sort_by_notes_reversible_and_capital_g_goes_to_the_last_row(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    from reader.corpus.documents import Corpus
    from reader.model.annotation import annotation_from_document
    from reader.store.annotation_store import AnnotationStore

    corpus = Corpus.load(project / "corpus")
    noted = "rowley-2019-05-killamarsh-conservatism"
    doc = corpus.get(noted)
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        for start in (0, 10):
            store.add(annotation_from_document(doc, start, start + 5, label="claim"))
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press(*"s" * 5)  # file name → title → author → date → progress → notes
        await pilot.pause()
        assert screen.table.rows[0].id == noted  # most annotations first
        await pilot.press("S")
        await pilot.pause()
        assert screen.table.rows[-1].id == noted
        assert "annotations, reversed" in str(screen.query_one("#corpus-info").render())
        await pilot.press("S", "s")  # back to file name, A to Z
        ids = [doc.id for doc in screen.table.rows]
        assert ids == sorted(ids)
        await pilot.press("S")
        assert [doc.id for doc in screen.table.rows] == sorted(ids, reverse=True)
        await pilot.press("G")
        current = screen.table.current
        assert current is not None and current.id == screen.table.rows[-1].id
        await pilot.press("g")
        current = screen.table.current
        assert current is not None and current.id == screen.table.rows[0].id


async def test_keys_typed_in_one_burst_open_the_document_the_cursor_moved_to(
    make_app: Callable[..., ReaderApp],
) -> None:
    # A terminal delivers `j` and `enter` typed quickly in one read: enter must open the second
    # document, where `j` put the cursor, not the first.
    from textual import events

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(LibraryTable)
        second = table.rows[1].id
        app.post_message(events.Key("j", "j"))
        app.post_message(events.Key("enter", "\r"))
        await wait_for_document(app, pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.document.id == second


async def test_a_corpus_without_authors_parties_or_dates_shows_no_empty_columns(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("essay001", "essay002"):
        (corpus / f"{name}.txt").write_text(f"{name}\n\nA text without a byline.\n", "utf-8")
    app = ReaderApp(Project.resolve(tmp_path), config=Config(annotator="tester"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(LibraryTable).header()
        assert "Title" in header and "Words" in header
        assert not {"Author", "Party", "Date"} & set(header.split())
