"""The agreement screen: `a` on the statistics screen opens it; it shows the figures `reader agree`
computes, scrolls with j/k, says what to do when there is nothing to compare, and goes back with
escape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from benchmarks.agreement import agree, make_team_project
from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.project import Project
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.agreement import AgreementScreen
from reader.tui.screens.stats import StatsScreen

HOSTILE = "[bold]x[/"


def make(project: Path) -> ReaderApp:
    return ReaderApp(Project.resolve(project), config=Config(annotator="tester"))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_agreement(pilot: Pilot[Any]) -> AgreementScreen:
    await settle(pilot)
    for key in ("i", "a"):
        await pilot.press(key)
        await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AgreementScreen)
    return screen


def body(screen: AgreementScreen) -> str:
    return str(screen.query_one("#agreement-body", Static).render())


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team_project(tmp_path / "team", 3, docs=3, spans=8, seed=2)


async def test_shows_the_figures_of_reader_agree_and_scrolls(team: Path) -> None:
    expected = agree(team)
    app = make(team)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agreement(pilot)
        assert screen.agreement is not None
        assert screen.agreement.to_json() == expected.to_json()
        text = body(screen)
        exact, overlap = expected.overall
        assert f"Overall        {exact.mean:.3f}" in text
        assert f"{overlap.mean:.3f}" in text and "Cohen's κ" in text
        info = str(screen.query_one("#agreement-info", Static).render())
        assert "3 annotators · 3 documents" in info
        scroll = screen.query_one(VerticalScroll)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_y == 2
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)


async def test_one_annotator_is_told_what_to_do(project: Path) -> None:
    corpus = Corpus.load(project / "corpus")
    doc = next(iter(corpus))
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, 0, 10, label="claim", author="ann"))
    app = make(project)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agreement(pilot)
        assert screen.agreement is None
        assert "agreement needs two annotators" in body(screen)
        # A command to run: the screen has no options to name annotators with.
        assert "reader import FILE --annotator NAME" in body(screen)
        assert "--by" not in body(screen)
        assert any("two annotators" in str(n.message) for n in app._notifications)


async def test_names_from_the_store_are_shown_as_written(project: Path) -> None:
    corpus = Corpus.load(project / "corpus")
    doc = next(iter(corpus))
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        for author in ("ann", HOSTILE):
            store.add(annotation_from_document(doc, 0, 10, label=HOSTILE, author=author))
    app = make(project)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agreement(pilot)
        text = body(screen)
        lines = text.splitlines()
        assert lines[0].startswith(f"2 annotators ({HOSTILE}, ann), 1 document,")
        assert any(line.startswith(f"{HOSTILE}  ann") for line in lines)  # the pair
        assert any(line.startswith(HOSTILE) and "1.000" in line for line in lines)  # the label
