"""The search screen from the query to the opened annotation, driven with real keys."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.search.query import parse_query
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.search import SearchScreen

from .conftest import PEACE

ROWLEY = "rowley-2019-12-holding-north-east-derbyshire"
SIZE = (120, 40)


def annotate(project: Path) -> dict[str, str]:
    corpus = Corpus.load(project / "corpus")
    made = {}
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        for doc_id, phrase, note in [
            (PEACE, "Leave", "Labour’s Brexit position cost votes"),
            (ROWLEY, "red wall", "the wall fell [bold]x[/]"),
        ]:
            doc = corpus.get(doc_id)
            assert doc is not None
            start = doc.text.index(phrase)
            ann = annotation_from_document(doc, start, start + len(phrase), note=note)
            made[doc_id] = store.add(ann).id
    return made


async def open_search(pilot: Pilot[None]) -> SearchScreen:
    """Press / and return the search screen it opens."""
    await pilot.press("slash")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def searched(pilot: Pilot[None], query: str) -> SearchScreen:
    """From the first screen: / pressed, `query` typed, its results shown."""
    await pilot.pause()
    screen = await open_search(pilot)
    await results_for(pilot, screen, query)
    return screen


async def results_for(pilot: Pilot[None], screen: SearchScreen, query: str) -> OptionList:
    box = screen.query_one(Input)
    box.value = ""
    await pilot.press(*query)
    for _ in range(100):
        await pilot.pause(0.02)
        if screen._shown_query == query:
            break
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert screen._shown_query == query
    return screen.query_one(OptionList)


async def test_slash_search_enter_opens_the_annotation_in_its_document(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    made = annotate(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        screen = await open_search(pilot)
        results = await results_for(pilot, screen, "brex")
        assert results.option_count == 1
        assert [hit.annotation.id for hit in screen.hits if hit.annotation] == [made[PEACE]]
        prompt = str(results.get_option_at_index(0).prompt)
        assert "Winning back Labour" in prompt and "Brexit position" in prompt

        results = await results_for(pilot, screen, "wall")
        assert next(h.annotation.id for h in screen.hits if h.annotation) == made[ROWLEY]
        assert "[bold]x[/]" in str(results.get_option_at_index(0).prompt)  # shown, not applied

        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, DocumentScreen) and app.screen.session is not None:
                break
        document = app.screen
        assert isinstance(document, DocumentScreen) and document.document.id == ROWLEY
        await pilot.pause()
        assert document.session is not None
        current = document.session.current
        doc_text = document.document.text
        start = doc_text.index("red wall")
        assert current is not None and current.start <= start < current.end


async def test_arrows_escape_and_recent_queries(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    annotate(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_search(pilot)
        results = await results_for(pilot, screen, "-zzz")
        assert results.option_count == 2
        await pilot.press("down")
        assert results.has_focus and results.highlighted == 0
        await pilot.press("down")
        assert results.highlighted == 1
        await pilot.press("up", "up")
        assert screen.query_one(Input).has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)

        screen = await open_search(pilot)
        await pilot.press("up")
        assert screen.query_one(Input).value == "-zzz"
        results = await results_for(pilot, screen, 'colour:red "wall')
        status = str(screen.query_one("#search-status").render())
        assert "unknown field" in status and "position 1" in status
        assert results.option_count == 0
    assert app.store is not None


def screen_text(app: ReaderApp) -> list[str]:
    console = Console(width=app.size.width, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


async def test_counts_warnings_and_syntax_are_shown_whole(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    annotate(project)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await searched(pilot, "brex")
        status = str(screen.query_one("#search-status").render())
        assert status.startswith("1 annotation") and "1 annotations" not in status
        query = 'colour:red "wall'
        await results_for(pilot, screen, query)
        await pilot.pause()
        # Every warning reaches the screen whole, however the line wraps.
        region = screen.query_one("#search-status").region
        strips = app.screen._compositor.render_strips()[region.y : region.bottom]
        shown = " ".join(strip.crop(region.x, region.right).text.strip() for strip in strips)
        for warning in parse_query(query).warnings:
            assert f"⚠ {warning}" in shown, (warning, shown)
        # A meaning that wraps in the syntax summary keeps its indent.
        lines = screen_text(app)
        [example] = [line for line in lines if "text:words" in line]
        column = example.index("text:words")
        [meaning] = [i for i, line in enumerate(lines) if "search the documents" in line]
        for line in lines[meaning : meaning + 2]:
            assert line[column : column + 2] == "  " and line[column + 2] != " ", line


async def test_the_key_bar_offers_no_key_the_query_box_types(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_search(pilot)
        bar = screen_text(app)[-1]  # the bottom line: the keys on offer
        assert "esc Back" in bar and "Search" not in bar
        await pilot.press("slash")  # typed, not a command
        assert screen.query_one(Input).value == "/"


async def wait_for_document(pilot: Pilot[None], doc_id: str) -> DocumentScreen:
    for _ in range(100):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        opened = isinstance(screen, DocumentScreen) and screen.session is not None
        if opened and isinstance(screen, DocumentScreen) and screen.document.id == doc_id:
            await pilot.pause()
            return screen
    raise AssertionError(f"{doc_id} did not open")


async def test_escape_from_a_hit_goes_back_to_the_results_on_that_hit(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    annotate(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_search(pilot)
        results = await results_for(pilot, screen, "-zzz")
        assert results.option_count == 2
        second = screen.hits[1].doc_id
        await pilot.press("down", "down", "enter")
        await wait_for_document(pilot, second)
        await pilot.press("escape")
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, SearchScreen) and app.screen.hits:
                break
        back = app.screen
        assert isinstance(back, SearchScreen)
        assert back.query_one(Input).value == "-zzz"
        listed = back.query_one(OptionList)
        # Still there once the query box's own change has searched again (after the debounce).
        await pilot.pause(0.5)
        await back.workers.wait_for_complete()
        await pilot.pause()
        assert listed.has_focus and listed.highlighted == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


def status_line(app: ReaderApp) -> str:
    return str(app.screen.query_one("#doc-status").render())


async def test_a_hits_selection_says_escape_goes_back_and_one_made_says_it_cancels(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    # The status line said "esc cancel" over the hit's selection, and escape left the document.
    annotate(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await searched(pilot, "-zzz")
        await pilot.press("enter")
        await wait_for_document(pilot, screen.hits[0].doc_id)
        assert "SELECTING" in status_line(app) and "esc back to results" in status_line(app)
        await pilot.press("w")  # the reader's own selection now
        await pilot.pause()
        assert status_line(app).endswith("esc cancel")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen) and "SELECTING" not in status_line(app)


async def test_full_stop_and_comma_step_through_the_hits_inside_the_documents(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    made = annotate(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await searched(pilot, "-zzz")
        order = [hit.doc_id for hit in screen.hits]
        await pilot.press("enter")
        await wait_for_document(pilot, order[0])
        await pilot.press("full_stop")
        document = await wait_for_document(pilot, order[1])
        assert document.session is not None and document.session.selection is not None
        annotation = app.store.get(made[order[1]]) if app.store else None
        assert annotation is not None
        assert document.session.selection.start == annotation.start
        assert any("Hit 2 of 2" in str(n.message) for n in app._notifications)
        await pilot.press("full_stop")
        await pilot.pause()
        assert any("last hit" in str(n.message) for n in app._notifications)
        await pilot.press("comma")
        await wait_for_document(pilot, order[0])


async def test_hits_have_a_gap_and_the_syntax_is_one_line_at_80_columns(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    annotate(project)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_search(pilot)
        results = await results_for(pilot, screen, "-zzz")
        assert not screen.query_one("#search-syntax").display
        line = screen.query_one("#search-syntax-line")
        assert line.display and line.region.height <= 3
        assert results.region.width >= 76  # the results take the width
        prompt = results.get_option_at_index(0).prompt
        assert str(prompt).endswith("\n")  # an empty line after each hit


async def test_a_document_edited_since_is_searched_where_its_quotes_are_now(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    made = annotate(project)
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    edited = "Updated: a line added on top.\n" + doc.text
    doc.path.write_text(edited, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot)
        await results_for(pilot, screen, "brexit")
        (hit,) = [h for h in screen.hits if h.annotation and h.annotation.id == made[PEACE]]
        start = edited.index("Leave")
        assert (hit.start, hit.end) == (start, start + len("Leave"))


async def test_a_label_no_annotation_can_have_says_which_labels_there_are(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    annotate(project)
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await searched(pilot, "label:clam")
        await pilot.pause()
        status = str(screen.query_one("#search-status").render())
        assert "label:clam matches no label (claim, counterclaim" in status
