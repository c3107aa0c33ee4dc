"""Annotator layers in the document screen, with real keys: `L` and the palette switch between all,
mine, one annotator and gold; hidden annotations are not drawn, stepped through or changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from reader.claims.scores import score_document
from reader.model.annotation import Annotation, annotation_from_document
from reader.model.layers import Layer
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.user_state import UserState

from .conftest import PEACE, messages, wait_for_document
from .test_document import SIZE, open_peace

# Sentence ordinals of PEACE (past its title) each annotator annotated.
ANA_SENTENCE, MINE_SENTENCE, GOLD_SENTENCE = 3, 6, 9


def seed(project: Path) -> dict[str, Annotation]:
    """Three annotators' annotations on PEACE: ana's first, then the tester's (the app's user), then
    gold's, each on its own sentence."""
    doc = Project.resolve(project).load_corpus().get(PEACE)
    assert doc is not None
    sentences = score_document(doc.text).segmentation.sentences
    made = {}
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        for author, ordinal, label in (
            ("ana", ANA_SENTENCE, "premise"),
            ("tester", MINE_SENTENCE, "claim"),
            ("gold", GOLD_SENTENCE, "claim"),
        ):
            s = sentences[ordinal]
            made[author] = store.add(
                annotation_from_document(doc, s.start, s.end, label=label, author=author)
            )
    return made


def screen_text(app: ReaderApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_L_cycles_all_mine_each_annotator_gold_and_the_status_says_which(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    made = seed(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot, offset=0)
        session = screen.session
        assert session is not None
        assert {a.id for a in session.annotations} == {a.id for a in made.values()}
        assert "all annotators" in screen_text(app)
        seen = []
        for _ in range(4):
            await pilot.press("L")
            await pilot.pause()
            seen.append(([a.author for a in session.annotations], session.shown_layer.key))
        assert seen == [
            (["tester"], "mine"),
            (["ana"], "annotator:ana"),
            (["gold"], "gold"),
            (["ana", "tester", "gold"], "all"),
        ]
        await pilot.press("L")
        await pilot.pause()
        assert "mine (tester)" in screen_text(app)
        assert any("Showing mine (tester): 1 annotation here." in m for m in messages(app))
    # Kept for the project: the next session opens on the same layer.
    with AnnotationStore.open(project / "annotations" / "store.json", read_only=True) as store:
        assert UserState(store.meta).layer().key == "mine"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot, offset=0)
        assert screen.session is not None
        assert [a.author for a in screen.session.annotations] == ["tester"]


async def test_bracket_skips_annotations_the_layer_hides(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    made = seed(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot, offset=0)
        session = screen.session
        assert session is not None
        await pilot.press("]")  # all annotators: ana's comes first
        await pilot.pause()
        assert session.current is not None and session.current.start == made["ana"].start
        await pilot.press("g", "L")  # mine
        await pilot.pause()
        await pilot.press("]")
        await pilot.pause()
        assert session.current.start == made["tester"].start
        await pilot.press("]")  # gold's is after it, but hidden
        await pilot.pause()
        assert session.current.start == made["tester"].start
        assert any("No annotation after the cursor." in m for m in messages(app))
        await pilot.press("[")
        await pilot.pause()
        assert session.current.start == made["tester"].start  # ana's before it is hidden too


async def test_keys_change_only_shown_annotations(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    made = seed(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot, offset=made["ana"].start)
        await pilot.press("L")  # mine: ana's annotation under the cursor is hidden
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert any("No annotation under the cursor" in m for m in messages(app))
        await pilot.press("2")  # a new annotation of mine; ana's stays a premise
        await pilot.pause()
        assert app.store is not None
        assert app.store.get(made["ana"].id) == made["ana"]
        mine = [a for a in app.store.annotations(PEACE) if a.author == "tester"]
        assert sorted(a.label or "" for a in mine) == ["claim", "premise"]
        assert screen.session is not None and len(screen.session.annotations) == 2


async def test_another_annotators_layer_refuses_new_annotations_and_gold_writes_gold(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    made = seed(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot, offset=0)
        assert app.store is not None
        await pilot.press("L", "L")  # ana's layer
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert len(app.store.annotations()) == 3
        assert any("nothing is written in another annotator's name" in m for m in messages(app))
        await pilot.press("3")  # ana's own annotation may be changed while her layer is shown
        await pilot.press("g", "]")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        assert app.store.get(made["ana"].id).label == "rebuttal"  # type: ignore[union-attr]
        await pilot.press("L")  # gold
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        authors = sorted(a.author for a in app.store.annotations())
        assert authors == ["ana", "gold", "gold", "tester"]


async def test_panel_names_each_annotator_once_several_have_annotated(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    seed(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot, offset=0)
        shown = screen_text(app)
        assert " ana " in shown and " tester " in shown


async def test_panel_leaves_names_out_for_a_single_annotator(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot, offset=0)
        await pilot.press("1")
        await pilot.pause()
        shown = screen_text(app)
        assert " claim  “" in shown  # no name between the label and the quote


async def test_palette_shows_one_annotators_layer(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    seed(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot, offset=0)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        palette.query_one(Input).value = "Layer: ana"
        results = palette.query_one(CommandList)
        for _ in range(100):
            await pilot.pause(0.02)
            if results.option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session is not None
        assert [a.author for a in screen.session.annotations] == ["ana"]
        assert "ana's layer" in screen_text(app)


async def test_an_annotation_opened_by_id_shows_all_annotators_when_hidden(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    made = seed(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot, offset=0)
        await pilot.press("L")  # mine
        await pilot.pause()
        screen.show_annotation(made["ana"].id)
        await pilot.pause()
        assert screen.session is not None and screen.session.shown_layer.kind == "all"
        assert any("that annotation is ana's" in m for m in messages(app))


async def test_a_search_hit_on_a_hidden_annotation_opens_with_all_annotators_shown(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    made = seed(project)
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        UserState(store.meta).save_layer(Layer("mine"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_annotation(made["ana"].id)
        screen = await wait_for_document(app, pilot)
        assert screen.session is not None
        assert screen.session.shown_layer == Layer("all")
        assert screen.session.annotation_at_cursor() == made["ana"]


async def test_notes_on_the_whole_document_follow_the_layer(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    doc = Project.resolve(project).load_corpus().get(PEACE)
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, None, None, note="Ana's thesis", author="ana"))
        store.add(annotation_from_document(doc, None, None, note="My thesis", author="tester"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot, offset=0)
        assert "Ana's thesis" in screen_text(app) and "My thesis" in screen_text(app)
        await pilot.press("L")  # mine
        await pilot.pause()
        assert "Ana's thesis" not in screen_text(app) and "My thesis" in screen_text(app)


async def test_an_annotators_name_reaches_the_status_line_and_panel_inert(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    doc = Project.resolve(project).load_corpus().get(PEACE)
    assert doc is not None
    sentences = score_document(doc.text).segmentation.sentences
    hostile = "ev\x1b[31mil[bold]"
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        for author, s in ((hostile, sentences[3]), ("tester", sentences[4])):
            store.add(annotation_from_document(doc, s.start, s.end, label="claim", author=author))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot, offset=0)
        await pilot.press("L", "L")  # all → mine → the other annotator's layer
        await pilot.pause()
        shown = screen_text(app)
        assert "ev␛[31mil[bold]'s layer" in shown and "\x1b" not in shown
