"""The statistics screen: S in the library and the palette open it; the figures agree with the core;
g groups, v steps through the charts, enter narrows the library or the search to a row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TabbedContent

from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.project import Project
from reader.stats import compute, highlighter_shown
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.commands import ReaderCommands
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.search import SearchScreen
from reader.tui.screens.stats import StatsScreen
from reader.tui.widgets.stats_charts import Chart

from ..test_stats import make_annotations

HOSTILE_TAG = "[bold]x[/"


@pytest.fixture
def annotated(project: Path) -> Path:
    corpus = Corpus.load(project / "corpus")
    anns = make_annotations(corpus)
    doc = corpus.get(anns[0].doc)
    assert doc is not None
    anns.append(annotation_from_document(doc, 90, 99, tags=[HOSTILE_TAG], author="ann"))
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(anns)
    return project


def make(project: Path) -> ReaderApp:
    return ReaderApp(Project.resolve(project), config=Config(annotator="tester"))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_stats(pilot: Pilot[Any]) -> StatsScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    return screen


def table_rows(screen: StatsScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell).strip() for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_s_opens_the_figures_of_the_core_and_escape_goes_back(annotated: Path) -> None:
    app = make(annotated)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stats(pilot)
        assert app.store is not None
        expected = compute(
            app.corpus, app.store.annotations(), meta=app.store.meta, shown=highlighter_shown
        )
        rows = table_rows(screen)
        assert len(rows) == len(expected.groups) + 1
        total = rows[-1]
        assert total[0] == "Total"
        assert total[1:4] == [
            f"{expected.total.documents:,}",
            f"{expected.total.words:,}",
            f"{expected.total.annotations:,}",
        ]
        assert total[-3] == str(expected.total.shown) and not screen.counting_shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_g_groups_and_hostile_names_stay_plain(annotated: Path) -> None:
    app = make(annotated)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats(pilot)
        for _ in range(6):  # doc, author, party, outlet, label, annotator, tag
            await pilot.press("g")
            await settle(pilot)
        assert screen.by == "tag"
        keys = [row[0] for row in table_rows(screen)]
        assert HOSTILE_TAG in keys and "(none)" in keys and keys[-1] == "Total"


async def test_v_steps_through_the_charts_which_draw(annotated: Path) -> None:
    app = make(annotated)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        tabs = screen.query_one(TabbedContent)
        seen = []
        for _ in range(5):
            seen.append(tabs.active)
            await pilot.press("v")
            await settle(pilot)
        assert seen == [
            "view-table",
            "view-labels",
            "view-progress",
            "view-days",
            "view-suggestions",
        ]
        assert tabs.active == "view-table"
        titles = {
            "labels": "Labels per party",
            "progress": "Read: 0 of 4 documents started",
            "days": "Annotations per day",
            "suggestions": "Suggestions: 100% of those decided were accepted",
        }
        for view, title in titles.items():
            drawn = Text.from_ansi(screen.query_one(f"#chart-{view}", Chart).plt.build()).plain
            assert title in drawn


async def test_enter_on_a_party_narrows_the_library(annotated: Path) -> None:
    app = make(annotated)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats(pilot)
        await pilot.press("g", "g")
        await settle(pilot)
        assert screen.by == "party" and screen.selected_key() == "Conservative"
        await pilot.press("enter")
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert library.filter_text == "Conservative"
        assert {doc.party for doc in library.table.rows} == {"Conservative"}
        assert len(library.table.rows) == 2


async def test_enter_on_a_label_opens_the_search_on_it(annotated: Path) -> None:
    app = make(annotated)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats(pilot)
        while screen.by != "label":
            await pilot.press("g")
            await settle(pilot)
        await pilot.press("j")  # "" (unlabelled) first, then claim; j moves as down does
        await pilot.pause()
        assert screen.selected_key() == "claim"
        await pilot.press("j", "k")
        await pilot.pause()
        assert screen.selected_key() == "claim"
        await pilot.press("enter")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert search.query_one(Input).value == "label:claim"


async def test_enter_on_the_total_row_says_what_to_do(annotated: Path) -> None:
    app = make(annotated)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats(pilot)
        screen.query_one(DataTable).move_cursor(row=len(table_rows(screen)) - 1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert any("cursor on a group" in str(n.message) for n in app._notifications)


async def test_the_palette_opens_the_statistics(annotated: Path) -> None:
    app = make(annotated)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        provider = ReaderCommands(app.screen)
        command = next(c for c in provider._commands() if c[0] == "Statistics")
        command[2]()
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)


async def test_leaving_while_counting_stops_quietly(tmp_path: Path) -> None:
    from benchmarks.make_corpus import make_corpus
    from reader.claims.scores import clear_cache

    make_corpus(150, tmp_path)  # about a second of scoring for the suggestions shown
    clear_cache()
    app = make(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        for _ in range(200):  # until the first figures are in and the scoring has begun
            await pilot.pause(0.01)
            screen = app.screen
            if isinstance(screen, StatsScreen) and screen.figures is not None:
                break
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        clear_cache()


async def test_help_lists_the_statistics_keys(annotated: Path) -> None:
    from reader.tui.screens.help import HelpScreen

    app = make(annotated)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        library_help = app.screen
        assert isinstance(library_help, HelpScreen)
        assert ("i", "Statistics") in library_help.groups["Library"]
        await pilot.press("escape")
        await open_stats(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = dict((d, k) for k, d in help_screen.groups["Statistics"])
        assert keys == {
            "Back": "esc",
            "Group by": "g",
            "Next view": "v",
            "Narrow to row": "⏎",
            "Down": "j",
            "Up": "k",
            "Agreement": "a",
        }


async def test_down_and_enter_in_one_burst_narrow_to_the_row_down_moved_to(annotated: Path) -> None:
    # A terminal delivers keys typed quickly in one read; enter must act after `down` has moved.
    from textual import events

    app = make(annotated)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats(pilot)
        while screen.by != "label":
            await pilot.press("g")
            await settle(pilot)
        app.post_message(events.Key("down", None))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert search.query_one(Input).value == "label:claim"


async def test_g_skips_document_fields_no_document_fills(tmp_path: Path) -> None:
    # Essays without authors, parties or outlets: grouping by them would be one "(none)" row.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("essay001", "essay002"):
        (corpus / f"{name}.txt").write_text(f"{name}\n\nAn essay without a byline.\n", "utf-8")
    app = make(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats(pilot)
        seen = [screen.by]
        for _ in range(4):
            await pilot.press("g")
            await settle(pilot)
            seen.append(screen.by)
        assert seen == ["doc", "label", "annotator", "tag", "doc"]
