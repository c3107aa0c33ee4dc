"""The adjudication screen with real keys: taking a version into gold, neither, undo, progress,
stepping, and the ways in (the library's key, the palette, `reader adjudicate`)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from reader.adjudication import gold_id
from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.project import Project
from reader.store.annotation_store import AnnotationStore
from reader.tui.adjudicate_app import AdjudicationApp
from reader.tui.app import ReaderApp
from reader.tui.screens.adjudicate import AdjudicationScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.keybar import KeyBar

from .adjudication_data import PEACE, team_annotations, write_team_store
from .conftest import messages
from .pty_app import PtyApp

SIZE = (120, 40)


def text_of(screen: AdjudicationScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def store_path(project: Path) -> Path:
    return project / "annotations" / "store.json"


async def open_screen(app: ReaderApp, pilot: Pilot[None]) -> AdjudicationScreen:
    for _ in range(100):
        await pilot.pause(0.01)
        if isinstance(app.screen, AdjudicationScreen):
            await app.workers.wait_for_complete()
            await pilot.pause()
            return app.screen
    raise AssertionError("the adjudication screen did not open")


def make(project: Path, *annotators: str) -> AdjudicationApp:
    return AdjudicationApp(
        Project.resolve(project), config=Config(annotator="tester"), annotators=annotators
    )


async def test_taking_a_version_copies_it_into_gold_and_u_undoes_it(project: Path) -> None:
    write_team_store(project)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        assert "0 of 5 decided" in text_of(screen, "#adj-head")
        assert "Same span, different labels" in text_of(screen, "#adj-kind")
        await pilot.press("1")
        assert app.store is not None
        gold = app.store.get(gold_id("01TEAM01"))
        assert gold is not None and (gold.author, gold.label) == ("gold", "claim")
        assert gold.tags == ("stance:for", "main") and gold.note == "The thesis, surely."
        original = {a.id: a for a in team_annotations(Corpus.load(project / "corpus"))}
        assert app.store.get("01TEAM01") == original["01TEAM01"]
        assert app.store.get("01TEAM02") == original["01TEAM02"]
        assert "1 of 5 decided" in text_of(screen, "#adj-head")
        assert "Overlapping spans" in text_of(screen, "#adj-kind")  # on to the next open one
        assert "Gold: took ann's version." in messages(app)
        await pilot.press("u")
        assert app.store.get(gold_id("01TEAM01")) is None
        assert "0 of 5 decided" in text_of(screen, "#adj-head")
        assert "Same span, different labels" in text_of(screen, "#adj-kind")
        assert app.store.get("01TEAM01") == original["01TEAM01"]


async def test_both_neither_and_a_decided_one_kept(project: Path) -> None:
    write_team_store(project)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        await pilot.press("j")  # the overlapping spans
        await pilot.press("b")
        assert app.store is not None
        assert app.store.get(gold_id("01TEAM03")) and app.store.get(gold_id("01TEAM04"))
        await pilot.press("n")  # only bob: neither
        assert app.store.get(gold_id("01TEAM05")) is None
        assert "2 of 5 decided" in text_of(screen, "#adj-head")
        await pilot.press("k")
        assert "decided: neither" in text_of(screen, "#adj-kind")
        await pilot.press("1")
        assert messages(app)[-1].startswith("Already decided (neither)")
        assert app.store.get(gold_id("01TEAM03")) is not None
    # Progress survives a restart.
    again = make(project)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_screen(again, pilot)
        assert "2 of 5 decided" in text_of(screen, "#adj-head")
        assert "Same span, different labels" in text_of(screen, "#adj-kind")  # the first open one


async def test_documents_versions_and_keys_that_do_nothing_say_so(project: Path) -> None:
    write_team_store(project)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        await pilot.press("J")
        head = text_of(screen, "#adj-head")
        assert "rowley-2019-05-killamarsh-conservatism" in head and "document 2 of 2" in head
        column = screen.query(".adj-version").first().query_one(Static)
        assert "→ supports" in str(column.render())  # ann's link, to a claim in another document
        await pilot.press("3")
        assert messages(app)[-1] == "There are 2 versions here; press 1–2."
        await pilot.press("u")
        assert messages(app)[-1].startswith("Nothing to undo here")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_u_never_undoes_an_edit_made_elsewhere(project: Path) -> None:
    write_team_store(project)
    with AnnotationStore.open(store_path(project)) as store:
        store.update("01TEAM09", note="edited in the document")
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot)
        await pilot.press("u")
        assert messages(app)[-1].startswith("Nothing to undo here")
        assert app.store is not None
        assert app.store.get("01TEAM09").note == "edited in the document"  # type: ignore[union-attr]


async def test_fewer_than_two_annotators_is_said_plainly(project: Path) -> None:
    corpus = Corpus.load(project / "corpus")
    doc = corpus.get(PEACE)
    with AnnotationStore.open(store_path(project)) as store:
        store.add(annotation_from_document(doc, 0, 10, label="claim", author="ann"))
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        assert "Nothing to adjudicate: only ann has annotated" in text_of(screen, "#adj-context")
        # The deciding keys are off the key bar (they were offered), and answer when pressed.
        bar = str(screen.query_one(KeyBar).render())
        assert "b Both" not in bar and "n Neither" not in bar and "j Next " not in bar, bar
        assert "Back" in bar
        await pilot.press("1")
        assert messages(app)[-1] == "Nothing to adjudicate here."
        await pilot.press("b")
        assert messages(app)[-1] == "Nothing to adjudicate here."


async def test_an_unknown_name_is_named(project: Path) -> None:
    write_team_store(project)
    app = make(project, "ann", "zed")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        said = text_of(screen, "#adj-context")
        assert "zed made no annotations" in said and "ann, bob" in said


async def test_by_compares_only_the_names_given(project: Path) -> None:
    write_team_store(project)
    corpus = Corpus.load(project / "corpus")
    with AnnotationStore.open(store_path(project)) as store:
        store.add(
            annotation_from_document(corpus.get(PEACE), 600, 640, label="claim", author="cat")
        )
    app = make(project, "ann", "bob")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        assert "0 of 5 decided" in text_of(screen, "#adj-head")
        assert len([c for c in screen.query(".adj-version") if c.display]) == 2


async def test_the_library_key_and_the_palette_open_it(project: Path) -> None:
    write_team_store(project)
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("a")
        await open_screen(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Adjudicate")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await open_screen(app, pilot)


def test_reader_adjudicate_opens_on_the_disagreements(project: Path, tmp_path: Path) -> None:
    write_team_store(project)
    env = {"READER_CONFIG": str(tmp_path / "none.toml")}
    app = PtyApp(["adjudicate", str(project), "--by", "ann", "--by", "bob"], env)
    try:
        app.wait_for("0 of 5 decided")
        app.send("1")
        app.wait_for("1 of 5 decided")
        app.send("q")
    finally:
        app.close()
    with AnnotationStore.open(store_path(project), read_only=True) as store:
        assert store.get(gold_id("01TEAM01")) is not None


async def test_help_lists_the_adjudication_keys(project: Path) -> None:
    from reader.tui.screens.help import HelpScreen

    write_team_store(project)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = {d: k for k, d in help_screen.groups["Adjudication"]}
        assert keys["Take that version"] == "1 2 3 4 5 6 7 8 9"
        assert keys["Both"] == "b" and keys["Neither"] == "n" and keys["Undo"] == "u"
        assert keys["Next"] == "j ↓" and keys["Next document"] == "J"


async def test_capital_a_takes_every_agreement_into_gold(project: Path) -> None:
    write_team_store(project)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        assert "1 agreement to take (A)" in text_of(screen, "#adj-head")
        await pilot.press("A")
        assert app.store is not None
        assert app.store.get(gold_id("01TEAM06")) is not None  # ann's copy of what both marked
        assert app.store.get(gold_id("01TEAM07")) is None
        assert "to take" not in text_of(screen, "#adj-head")
        assert "0 of 5 decided" in text_of(screen, "#adj-head")
        await pilot.press("A")
        assert messages(app)[-1] == "No agreements left to take: gold holds every one."
        await pilot.press("u")
        assert app.store.get(gold_id("01TEAM06")) is None
        assert "1 agreement to take (A)" in text_of(screen, "#adj-head")


async def test_x_reopens_a_decision_and_u_takes_the_reopening_back(project: Path) -> None:
    write_team_store(project)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        await pilot.press("x")
        assert messages(app)[-1].startswith("This disagreement is open")
        await pilot.press("2", "k")
        assert "decided: took bob" in text_of(screen, "#adj-kind")
        assert app.store is not None and gold_id("01TEAM02") in app.store
        await pilot.press("x")
        assert gold_id("01TEAM02") not in app.store
        assert "press 1–2" in text_of(screen, "#adj-kind")
        await pilot.press("1")
        assert gold_id("01TEAM01") in app.store
        await pilot.press("u")
        assert gold_id("01TEAM01") not in app.store
        assert "Same span, different labels" in text_of(screen, "#adj-kind")
        await pilot.press("u")  # the reopening: bob's version is back in gold
        assert gold_id("01TEAM02") in app.store
        assert "decided: took bob" in text_of(screen, "#adj-kind")


async def test_untrusted_names_notes_and_labels_are_shown_not_obeyed(project: Path) -> None:
    corpus = Corpus.load(project / "corpus")
    doc = corpus.get(PEACE)
    evil = "\x1b]0;owned\x07[bold red]loud[/]"
    with AnnotationStore.open(store_path(project)) as store:
        store.add_many(
            [
                annotation_from_document(doc, 0, 20, label=evil, author="[i]eve\x1b[2J", note=evil),
                annotation_from_document(doc, 0, 20, label="claim", author="bob", tags=["[b]x"]),
            ]
        )
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        columns = [str(c.query_one(Static).render()) for c in screen.query(".adj-version")]
        shown = "\n".join(columns) + text_of(screen, "#adj-head")
        assert "\x1b" not in shown and "\x07" not in shown
        assert "␛]0;owned␇[bold red]loud[/]" in shown  # the label and the note, as typed
        assert "[i]eve␛[2J" in shown and "[b]x" in shown


async def test_read_only_shows_the_disagreements_and_saves_nothing(project: Path) -> None:
    write_team_store(project)
    app = AdjudicationApp(
        Project.resolve(project), config=Config(annotator="tester"), read_only=True
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        assert "0 of 5 decided" in text_of(screen, "#adj-head")
        await pilot.press("1")
        assert "opened read-only" in messages(app)[-1]
        assert "0 of 5 decided" in text_of(screen, "#adj-head")
        assert app.store is not None and gold_id("01TEAM01") not in app.store


async def test_keys_while_the_disagreements_are_found_say_so(project: Path) -> None:
    write_team_store(project)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        found = screen.adjudication
        # As it is while the thread works on a large store.
        screen.building, screen.adjudication = True, None
        screen.show()
        assert "Finding the disagreements" in text_of(screen, "#adj-context")
        await pilot.press("1")
        assert messages(app)[-1] == "Still finding the disagreements; a moment."
        assert app.store is not None and gold_id("01TEAM01") not in app.store
        assert found is not None
        screen._built(found)
        await pilot.pause()
        assert "0 of 5 decided" in text_of(screen, "#adj-head")


async def test_enter_reads_it_in_the_document_and_escape_comes_back(project: Path) -> None:
    from reader.tui.screens.document import DocumentScreen

    write_team_store(project)
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        await pilot.press("j", "j")  # only bob's claim at 300–340
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.01)
            if isinstance(app.screen, DocumentScreen) and app.screen.session is not None:
                break
        document = app.screen
        assert isinstance(document, DocumentScreen) and document.document.id == PEACE
        selection = document.session.selection if document.session is not None else None
        assert selection is not None and (selection.start, selection.end) == (300, 340)
        assert app.store is not None
        app.store.delete("01TEAM05")  # bob takes his claim back while reading
        await pilot.press("escape", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert "0 of 4 decided" in text_of(screen, "#adj-head")
        assert "rowley" in text_of(screen, "#adj-head")  # the nearest one after where we were


async def test_a_disagreement_gold_from_elsewhere_decides_does_not_offer_x(project: Path) -> None:
    # Gold imported from another tool decides the first disagreement: x cannot take it back here,
    # so the screen points to the document instead of offering x.
    write_team_store(project)
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    with AnnotationStore.open(store_path(project)) as store:
        store.add(annotation_from_document(doc, 0, 54, label="claim", author="gold"))
    app = make(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        await pilot.press("k")  # the screen starts at the first open one: back to the decided
        kind = text_of(screen, "#adj-kind")
        assert "gold already has an annotation here" in kind
        assert "reopens it" not in kind and "change it in the document" in kind
