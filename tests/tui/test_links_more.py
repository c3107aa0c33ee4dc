"""More of links in the app: keys counted for linking evidence to a claim 1, 2 and 3 sentences away;
a search choosing a target in another document; the map's fold, unfold and corpus keys; the help and
the palette naming the new keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.corpus.documents import Corpus
from reader.model.annotation import Link, annotation_from_document
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.argument_map import ArgumentMapScreen
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.help import HelpScreen
from reader.tui.widgets.keybar import KeyBar
from reader.tui.widgets.map_view import MapView

from .conftest import PEACE, messages
from .test_document import SIZE, open_peace
from .test_palette import palette_results
from .test_search_screen import open_search, results_for

ROWLEY = "rowley-2019-12-holding-north-east-derbyshire"


@pytest.mark.parametrize(
    ("away", "moves"),
    [
        (1, ["k"]),
        (2, ["left_square_bracket"]),  # no annotation between: `[` goes straight there
        (3, ["left_square_bracket"]),
        (3, ["k", "k", "k"]),  # by sentence: one key more than the 4 of the target
    ],
)
async def test_keys_to_link_evidence_to_a_claim_sentences_above(
    make_app: Callable[..., ReaderApp], away: int, moves: list[str]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "j", "1", *["j"] * away, "3")
        await pilot.pause()
        assert app.store is not None
        claim, evidence = app.store.annotations(PEACE)
        keys = ["l", *moves, "s"]
        await pilot.press(*keys)
        await pilot.pause()
        assert app.store.get(evidence.id).links == (Link("supports", claim.id),)  # type: ignore[union-attr]
        assert len(keys) <= 4 or moves == ["k", "k", "k"]


async def test_a_search_can_choose_a_target_in_another_document(
    project: Path, make_app: Callable[..., ReaderApp]
) -> None:
    doc = Corpus.load(project / "corpus").get(ROWLEY)
    assert doc is not None
    start = doc.text.index("red wall")
    target = annotation_from_document(doc, start, start + 8, label="claim", note="brexit wall")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(target)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("j", "j", "3", "l")
        await pilot.pause()
        assert app.store is not None
        [evidence] = app.store.annotations(PEACE)
        search = await open_search(pilot)
        await results_for(pilot, search, "brexit wall")
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            screen = app.screen
            if isinstance(screen, DocumentScreen) and screen.session is not None:
                break
        screen = app.screen
        assert isinstance(screen, DocumentScreen) and screen.document.id == ROWLEY
        await pilot.pause()
        assert "from evidence" in str(screen.query_one("#doc-status").render())
        await pilot.press("a")
        await pilot.pause()
        assert app.store.get(evidence.id).links == (Link("attacks", target.id),)  # type: ignore[union-attr]
        # The target's panel lists the link from the other document.
        await pilot.pause()
        prompt = str(screen.query_one("#link-list").get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        assert prompt.startswith("← attacks") and f"in {PEACE}" in prompt


async def open_map(app: ReaderApp, pilot: Pilot[None]) -> ArgumentMapScreen:
    await open_peace(app, pilot)
    # A claim on sentence 2, evidence on 3 supporting it, a premise on 4 attacking it.
    await pilot.press("j", "j", "1", "j", "3", "l", "k", "s", "j", "j", "2", "l", "k", "k", "a")
    await pilot.press("g", "m")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ArgumentMapScreen)
    return screen


def key_bar(app: ReaderApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


def shown(view: MapView) -> list[str]:
    return [entry.label().plain for entry, _depth in view.rows]


async def test_the_map_folds_unfolds_and_widens_to_the_corpus(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_map(app, pilot)
        tree = screen.query_one(MapView)
        rows = shown(tree)
        assert len(rows) == 3
        assert rows[0].startswith(" claim ")
        assert rows[1].startswith("+ supports  evidence ")
        assert rows[2].startswith("− attacks  premise ")
        await pilot.press("left")  # fold the claim
        await pilot.pause()
        assert len(shown(tree)) == 1
        await pilot.press("right")
        await pilot.pause()
        assert len(shown(tree)) == 3
        await pilot.press("minus")
        await pilot.pause()
        assert len(shown(tree)) == 1
        await pilot.press("plus")
        await pilot.pause()
        assert len(shown(tree)) == 3
        assert "c Whole corpus" in key_bar(app)
        await pilot.press("c")
        await pilot.pause()
        rows = shown(tree)
        assert rows[0].startswith("Winning back Labour") and "1 argument" in rows[0]
        assert len(rows) == 4 and screen.whole_corpus
        # The key bar says where `c` goes from here, as the header does (it said "Whole corpus").
        assert "c This document" in key_bar(app) and "Whole corpus" not in key_bar(app)
        await pilot.press("c", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)


async def test_help_lists_the_link_keys_and_the_relation_types(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        groups = app.screen.groups
        document = dict((d, k) for k, d in groups["Document"])
        assert document["Link"] == "l" and document["Argument map"] == "m"
        relations = dict(groups["After l (link to the annotation under the cursor)"])
        assert relations["s"].startswith("supports: ") and relations["a"].startswith("attacks")
        assert set(relations) == {"s", "a", "r", "c", "e"}


async def test_the_palette_offers_the_map_and_linking(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        hits = await palette_results(pilot, "argument map")
        assert hits[0].startswith("Argument map")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArgumentMapScreen)
        assert "No annotations yet." in shown(app.screen.query_one(MapView))[0]
        await pilot.press("escape")
        await pilot.pause()
        hits = await palette_results(pilot, "link from")
        assert hits[0].startswith("Link from the annotation under the cursor")
        await pilot.press("enter")
        await pilot.pause()
        assert any(
            m.startswith("No annotation under the cursor to link from") for m in messages(app)
        )


async def test_a_cycle_shows_once_in_the_map_and_a_read_only_store_makes_no_link(
    project: Path,
) -> None:
    from reader.config import Config
    from reader.project import Project

    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    spans = [doc.text.index(p) for p in ("Since being selected", "What is becoming", "The Tory MP")]
    a, b, c = (annotation_from_document(doc, s, s + 12, label="claim") for s in spans)
    a = a.with_changes(links=[Link("supports", b.id)])
    b = b.with_changes(links=[Link("attacks", a.id)])
    c = c.with_changes(links=[Link("supports", a.id)])
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many([a, b, c])
    app = ReaderApp(Project.resolve(project), config=Config(annotator="t"), read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("l")
        await pilot.pause()
        assert app.link_from is None
        assert any("read-only" in m for m in messages(app))
        assert "LINKING" not in str(screen.query_one("#doc-status").render())
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ArgumentMapScreen)
        rows = shown(app.screen.query_one(MapView))
        assert rows[0].startswith(" claim  “Since being") and rows[0].endswith("↻ in a cycle")
        assert rows[1].startswith("− attacks  claim  “What is beco")  # b attacks a
        # a supports b: back to the root, marked and not followed again.
        assert rows[2].startswith("+ supports  claim  “Since being") and "↻ cycle" in rows[2]
        assert rows[3].startswith("+ supports  claim  “The Tory MP")
        assert len(rows) == 4
