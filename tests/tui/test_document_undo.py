"""Undo and redo on the document screen: dismissals are steps of the same history as annotation changes,
and the notifications say what was undone and where."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen

from .conftest import PEACE, messages
from .test_document import SIZE, open_peace

DISMISSED = f"dismissed:{PEACE}"


def said(app: ReaderApp) -> list[str]:
    told = messages(app)
    app._notifications.clear()
    return told


def store_state(project: Path) -> tuple[list, object]:  # type: ignore[type-arg]
    with AnnotationStore.open(project / "annotations" / "store.json", read_only=True) as store:
        return store.annotations(), store.meta.get(DISMISSED)


async def test_u_after_x_brings_the_suggestion_back_and_leaves_the_accepted_one(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None and app.store is not None
        await pilot.press("n", "y", "n")
        suggestion = session.suggestion_at_cursor()
        assert suggestion is not None
        key = session.suggestion_key(suggestion)
        quote_start = " ".join(session.text[suggestion.start : suggestion.end].split())[:10]
        await pilot.press("x")
        await pilot.pause()
        assert session.suggestion_at_cursor() is None
        [accepted] = app.store.annotations(PEACE)
        said(app)
        await pilot.press("u")
        await pilot.pause()
        assert app.store.annotations(PEACE) == [accepted]  # the earlier change stays
        assert session.suggestion_at_cursor() == suggestion  # open again, under the cursor
        messages = said(app)
        assert any(
            m.startswith(f"Undone: dismissed suggestion “{quote_start}") for m in messages
        ), messages
        assert key not in (app.store.meta.get(DISMISSED) or {}).get("spans", [])
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert any(m.startswith("Redone: dismissed suggestion") for m in said(app))
        assert session.suggestion_at_cursor() is None
        assert key in app.store.meta[DISMISSED]["spans"]
    annotations, dismissed = store_state(project)
    assert annotations == [accepted] and key in dismissed["spans"]  # type: ignore[index]


async def test_dismissal_is_undone_after_a_restart_then_the_accept(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("n", "y", "n", "x")
        await pilot.pause()
        accepted = screen.session.annotations[0]  # type: ignore[union-attr]
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_peace(again, pilot)
        session = screen.session
        assert session is not None
        dismissed = next(iter(session.dismissed))
        said(again)
        await pilot.press("u")
        await pilot.pause()
        assert any(m.startswith("Undone: dismissed suggestion") for m in said(again))
        assert dismissed not in session.dismissed
        assert any(session.suggestion_key(s) == dismissed for s in session.suggestions())
        await pilot.press("u")
        await pilot.pause()
        label = accepted.label
        assert any(m.startswith(f"Undone: accepted {label} “") for m in said(again))
        assert session.annotations == []
    annotations, dismissed_value = store_state(project)
    assert annotations == []
    assert dismissed not in (dismissed_value or {}).get("spans", [])  # type: ignore[attr-defined]


async def test_undo_names_the_label_quote_and_the_other_document(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None and session.current is not None
        first_word = session.text[session.current.start : session.current.end].split()[0]
        await pilot.press("1")
        await pilot.pause()
        other = next(d for d in app.corpus.documents if d.id != PEACE and d.readable)
        app.open_document(other.id)
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, DocumentScreen) and app.screen.session is not None:
                break
        assert isinstance(app.screen, DocumentScreen) and app.screen.document.id == other.id
        peace = app.corpus.get(PEACE)
        assert peace is not None
        said(app)
        await pilot.press("u")
        await pilot.pause()
        messages = said(app)
        assert any(
            m.startswith(f"Undone: labelled claim “{first_word}") and f"in “{peace.title}”" in m
            for m in messages
        ), messages
    assert store_state(project)[0] == []


async def wait_for(app: ReaderApp, pilot: object, doc_id: str) -> DocumentScreen:
    for _ in range(100):
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        screen = app.screen
        opened = isinstance(screen, DocumentScreen) and screen.session is not None
        if opened and isinstance(screen, DocumentScreen) and screen.document.id == doc_id:
            return screen
    raise AssertionError(f"{doc_id} is not shown")


async def test_undo_in_another_document_goes_there_and_shows_the_change(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        assert screen.session is not None
        screen.session.move(3)
        await pilot.press("t", *"brexit", "enter")  # a tags change on the fourth sentence
        await pilot.pause()
        assert app.store is not None
        [tagged] = app.store.annotations()
        other = next(d for d in app.corpus.documents if d.id != PEACE and d.readable)
        app.open_document(other.id)
        await wait_for(app, pilot, other.id)
        await pilot.press("u")  # undoes the tagging: the annotation goes, the cursor goes there
        back = await wait_for(app, pilot, PEACE)
        assert back.session is not None and back.session.current is not None
        assert back.session.current.start <= (tagged.start or 0) < back.session.current.end
        await pilot.press("ctrl+r")  # redone: there, selected
        await pilot.pause()
        assert back.session.selection is not None
        assert (back.session.selection.start, back.session.selection.end) == (
            tagged.start,
            tagged.end,
        )


async def test_undo_of_a_dismissal_goes_to_the_suggestion(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None
        await pilot.press("n")
        suggestion = session.suggestion_at_cursor()
        assert suggestion is not None
        await pilot.press("x", "g")
        await pilot.pause()
        assert session.cursor == 0
        await pilot.press("u")
        await pilot.pause()
        assert session.current is not None and session.current.start == suggestion.start
