"""Going to things from the document screen: stepping through a search from the documents its hits open
(the next and previous hit, back to the results), and going to what an undo changed. Kept apart from
the search and document screens so neither imports the other; the app calls these and the screens
call the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from reader.store import Change
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.search import SearchScreen, SearchTrail
from reader.user_state import change_target

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


def open_hit(app: ReaderApp, trail: SearchTrail) -> None:
    """Show hit `trail.at`: in the open document when it is there, else by opening its document."""
    hit = trail.hits[trail.at]
    screen = app.screen
    here = isinstance(screen, DocumentScreen) and screen is app.trail_screen
    if here and isinstance(screen, DocumentScreen) and screen.document.id == hit.doc_id:
        if hit.annotation is not None:
            screen.show_annotation(hit.annotation.id)
        elif screen.session is not None and hit.start is not None:
            screen.session.cancel_selection()
            screen.session.move_to_offset(hit.start)
            screen.refresh_all()
    elif hit.annotation is not None:
        app.open_annotation(hit.annotation.id)
    else:
        app.open_document(hit.doc_id, hit.start)
    app.search_trail = trail
    app.trail_screen = app.screen if isinstance(app.screen, DocumentScreen) else None


def step_hit(app: ReaderApp, direction: int) -> str:
    """Go to the next (1) or previous (-1) hit of the search the document came from; what to say."""
    trail = app.search_trail
    if trail is None or app.screen is not app.trail_screen:
        key = app.get_key_display(Binding("slash", "search"))
        return f"No search to step through: {key} searches, enter opens a hit."
    at = trail.at + direction
    if not 0 <= at < len(trail.hits):
        where = "last" if direction > 0 else "first"
        return f"That was the {where} hit of “{trail.query}” ({len(trail.hits)})."
    open_hit(app, SearchTrail(trail.query, trail.hits, at))
    title = app.corpus.get(trail.hits[at].doc_id)
    name = title.title if title is not None else trail.hits[at].doc_id
    return f"Hit {at + 1} of {len(trail.hits)} for “{trail.query}”: {name}"


def escape_goes_to_results(app: ReaderApp) -> bool:
    """Whether escape in the document on top goes back to the search's results: it was opened
    from a hit, and any selection is the hit's own (one the reader made is cancelled first)."""
    trail = app.search_trail
    screen = app.screen
    if trail is None or screen is not app.trail_screen or not isinstance(screen, DocumentScreen):
        return False
    hit = trail.hits[trail.at]
    selection = screen.session.selection if screen.session is not None else None
    return selection is None or (
        hit.annotation is not None and (selection.start, selection.end) == (hit.start, hit.end)
    )


def back_to_results(app: ReaderApp) -> bool:
    """From the document a hit opened, back to the search's results with the cursor on that hit."""
    trail = app.search_trail
    if trail is None or not escape_goes_to_results(app):
        return False
    app.search_trail = app.trail_screen = None
    app.pop_screen()
    app.push_screen(SearchScreen(trail))
    return True


def show_change(app: ReaderApp, step: list[Change], undone: bool) -> None:
    """Go to what an undo (or redo) changed, in whichever document, and show it: the annotation
    as it is now selected, or the cursor where a removed one was."""
    target = change_target(step, undone)
    if target is None:
        return
    doc_id, start, end, exists = target
    screen = app.screen
    if isinstance(screen, DocumentScreen) and screen.document.id == doc_id:
        session = screen.session
        if session is None:
            return
        session.cancel_selection()
        if exists and start is not None and end is not None:
            session.select_exactly(start, end)
        if start is not None:
            session.move_to_offset(start)
        screen.refresh_all()
        return
    if app.corpus.get(doc_id) is None:
        return  # a move to a renamed document undone: the old id has no document to show
    span = (start, end) if exists and start is not None and end is not None else None
    app.open_document(doc_id, start if start is not None else 0, span)
