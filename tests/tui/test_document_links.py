"""Links in the reading session, with real key presses: `l`, a move, the relation key; the panel's
links (follow with enter, delete with the delete key); undo; deleting a linked annotation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import OptionList

from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.argument_map import ArgumentMapScreen
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView
from reader.tui.widgets.map_view import MapView
from reader.tui.widgets.panel import LinkList

from .conftest import PEACE, messages
from .test_document import SIZE, open_peace


def said(app: ReaderApp) -> list[str]:
    told = messages(app)
    app._notifications.clear()
    return told


def status(screen: DocumentScreen) -> str:
    return str(screen.query_one("#doc-status").render())


def current(app: ReaderApp, ann: Annotation) -> Annotation:
    assert app.store is not None
    found = app.store.get(ann.id)
    assert found is not None
    return found


async def label_two_sentences_apart(app: ReaderApp, pilot: object) -> tuple[Annotation, ...]:
    """A claim on sentence 3 and evidence on sentence 5 (cursor left on the evidence)."""
    await pilot.press("j", "j", "1", "j", "j", "3")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert app.store is not None
    claim, evidence = app.store.annotations(PEACE)
    assert (claim.label, evidence.label) == ("claim", "evidence")
    return claim, evidence


async def test_make_show_follow_undo_and_delete_a_link(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None and app.store is not None
        claim, evidence = await label_two_sentences_apart(app, pilot)
        said(app)
        # Make: three keys link the evidence to the claim two sentences above it.
        await pilot.press("l")
        await pilot.pause()
        assert status(screen).startswith("LINKING (esc cancels): ")
        assert "from evidence “" in status(screen)
        assert "s supports" in status(screen) and "a attacks" in status(screen)
        await pilot.press("left_square_bracket", "s")
        await pilot.pause()
        assert current(app, evidence).links == (Link("supports", claim.id),)
        assert any(
            m.startswith("Linked: evidence “") and " supports claim “" in m for m in said(app)
        )
        assert "LINKING" not in status(screen)
        # Show: the cursor is on the claim; the panel lists the incoming link, the margin marks it.
        assert session.annotation_at_cursor() == claim
        links = screen.query_one(LinkList)
        assert links.display and links.option_count == 1
        prompt = str(links.get_option_at_index(0).prompt)
        assert prompt.startswith("← supports") and "evidence" in prompt
        view = screen.query_one(DocumentView)
        row = view.row_of(claim.start or 0) - round(view.scroll_offset.y)
        assert view.render_line(row).text[1] == "⇄"
        # Follow: tab reaches the links first, enter goes to the other end.
        await pilot.press("tab")
        assert links.has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert session.annotation_at_cursor() == current(app, evidence)
        assert view.has_focus
        prompt = str(links.get_option_at_index(0).prompt)
        assert prompt.startswith("→ supports") and "claim" in prompt
        # Undo and redo like any change.
        await pilot.press("u")
        await pilot.pause()
        assert current(app, evidence).links == ()
        assert any(m.startswith("Undone: links of evidence") for m in said(app))
        assert not links.display
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert current(app, evidence).links == (Link("supports", claim.id),)
        # Delete the link from the panel, then undo that.
        await pilot.press("tab")
        assert links.has_focus
        await pilot.press("delete")
        await pilot.pause()
        assert current(app, evidence).links == ()
        assert any(m.startswith("Link deleted: evidence") for m in said(app))
        await pilot.press("escape", "u")
        await pilot.pause()
        assert current(app, evidence).links == (Link("supports", claim.id),)


async def test_deleting_a_linked_annotation_deletes_the_links_to_it_in_one_step(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None and app.store is not None
        claim, evidence = await label_two_sentences_apart(app, pilot)
        await pilot.press("l", "k", "k", "a")  # attacks, moving by sentence this time
        await pilot.pause()
        assert current(app, evidence).links == (Link("attacks", claim.id),)
        said(app)
        await pilot.press("d")
        await pilot.pause()
        assert app.store.get(claim.id) is None
        assert current(app, evidence).links == ()
        assert "Deleted the claim and 1 link to it · u to undo" in said(app)
        await pilot.press("u")
        await pilot.pause()
        assert any(
            m.startswith("Undone: deleted claim “") and m.endswith("” and 1 link to it · ^r redoes")
            for m in said(app)
        )
        assert current(app, claim) == claim
        assert current(app, evidence).links == (Link("attacks", claim.id),)


async def test_links_to_itself_duplicates_and_no_target_are_refused_and_escape_cancels(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        assert app.store is not None
        claim, evidence = await label_two_sentences_apart(app, pilot)
        said(app)
        await pilot.press("l", "s")
        await pilot.pause()
        assert any(m.startswith("An annotation cannot link to itself") for m in said(app))
        await pilot.press("k", "s")  # an unannotated sentence
        await pilot.pause()
        assert any(m.startswith("No annotation under the cursor to link to") for m in said(app))
        await pilot.press("k", "s")
        await pilot.pause()
        assert current(app, evidence).links == (Link("supports", claim.id),)
        await pilot.press("j", "j", "l", "k", "k", "s")
        await pilot.pause()
        assert any(m.startswith("Already linked: evidence") for m in said(app))
        assert current(app, evidence).links == (Link("supports", claim.id),)
        assert "LINKING" in status(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert "Link cancelled." in said(app) and "LINKING" not in status(screen)
        assert isinstance(app.screen, DocumentScreen)  # escape cancelled, did not leave
        await pilot.press("a")  # the note key again, not attacks
        await pilot.pause()
        assert not isinstance(app.screen, DocumentScreen)


async def test_m_opens_the_map_and_enter_goes_to_the_annotation_in_the_text(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None and app.store is not None
        _claim, evidence = await label_two_sentences_apart(app, pilot)
        await pilot.press("l", "left_square_bracket", "s", "g")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ArgumentMapScreen)
        tree = app.screen.query_one(MapView)
        assert tree.has_focus
        await pilot.press("down")  # from the claim (a root) to the evidence beneath it
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert session.annotation_at_cursor() == current(app, evidence)
        assert not screen.query_one(OptionList).has_focus


async def test_the_map_opens_on_the_annotation_under_the_cursor(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None
        claim, evidence = await label_two_sentences_apart(app, pilot)
        await pilot.press("l", "left_square_bracket", "s", "right_square_bracket")
        assert session.annotation_at_cursor() == current(app, evidence)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ArgumentMapScreen)
        assert app.screen.query_one(MapView).current.data == evidence.id  # type: ignore[union-attr]
        await pilot.press("up", "enter")  # the evidence was chosen; up is its claim
        await pilot.pause()
        assert app.screen is screen
        assert session.annotation_at_cursor() == claim


async def test_enter_on_an_orphan_in_the_map_says_why_there_is_nowhere_to_go(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    start = doc.text.index("Labour")
    orphan = annotation_from_document(doc, start, start + 6, label="claim").with_changes(
        start=None, end=None, anchor_status="orphaned"
    )
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(orphan)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ArgumentMapScreen)
        tree = app.screen.query_one(MapView)
        for _ in range(10):
            if tree.current is not None and tree.current.data == orphan.id:
                break
            await pilot.press("down")
        assert tree.current is not None and "orphaned" in tree.current.label().plain
        said(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArgumentMapScreen)  # stays, and says why
        assert any("o lists the orphans" in m for m in said(app))
        assert screen.session is not None
