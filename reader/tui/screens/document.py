"""The document screen: read with highlights, move by sentence and suggestion, select, label, tag, note.

Reading and moving live here; the actions that change annotations are in document_edits.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.visual import visualize
from textual.widgets import OptionList, Static

from reader.claims.reasons import suggested
from reader.claims.scores import cached, highlight, score_document
from reader.collector import collect_unless_paused, pause_collector
from reader.corpus.documents import Document
from reader.errors import ReaderError
from reader.model.annotation import Annotation
from reader.session import (
    LAYER_NAMES,
    PROGRESSIVE_CHARS,
    ReadingSession,
    scoring_window,
)
from reader.text import display_safe, plural, shorten
from reader.tui.safe import safe
from reader.tui.screens.document_anchoring import AnchorKeeping
from reader.tui.screens.document_bindings import BINDINGS
from reader.tui.screens.document_edits import document_notes
from reader.tui.screens.document_layers import LayerSwitching
from reader.tui.screens.document_links import LinkEditing
from reader.tui.widgets.document_view import DocumentView
from reader.tui.widgets.keybar import KeyBar
from reader.tui.widgets.panel import AnnotationPanel, LinkList
from reader.user_state import POSITION_SAVE_SECONDS

# A moment after a document is shown (a reader's first key comes later): see on_mount.
COLLECT_AFTER_OPEN_SECONDS = 0.3

KIND_NAMES = {"claim": "claim", "factual": "fact"}


class DocumentScreen(AnchorKeeping, LinkEditing, LayerSwitching):
    BINDINGS = BINDINGS  # type: ignore[assignment]

    def __init__(
        self,
        document: Document,
        offset: int | None = None,
        select: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.document = document
        self.start_offset = offset
        self.start_selection = select
        self.session: ReadingSession | None = None
        self._unsubscribe: Any = None
        self._key_names: dict[str, str] | None = None
        # End of the furthest sentence reached by reading in this visit (the library's Read column):
        # moves made while reading count, the place the document was opened at (a search hit, an
        # annotation from the palette) does not.
        self._furthest = 0
        self._keys_for_selection = False  # as check_action last saw it (not Screen._selecting)
        self._refresh_pending = False  # a redraw after store changes is already on its way
        self._status: tuple[str, str, list[Any]] = ("", "", [])  # the status line shown
        self._header = Text()  # title and details, once the load worker has read them
        self._document_notes = 0  # the notes on the whole document the header shows
        self._resume_collector: Callable[[], None] = lambda: None
        self._unreadable = False  # the load found the file gone or unreadable

    def compose(self) -> ComposeResult:
        # The title and details may have to come from the file: the load worker reads them.
        yield Static(safe(self.document.id, "bold"), id="doc-header")
        yield Horizontal(id="doc-body")
        yield Static(id="doc-status")
        yield KeyBar()

    def on_mount(self) -> None:
        # The collector rests while the document opens and makes its full pass a moment after the
        # text has painted, while the reader takes it in (reader/collector.py): a pass over a long
        # document's objects (and a closed document's, left for it) costs 30-70 ms, and one in
        # mid-open came between the reader and the text.
        self._resume_collector = pause_collector()
        self.query_one("#doc-status", Static).update(Text("Scoring claims and facts…", style="dim"))
        self.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.load()
        # The position is kept while reading, not only on leaving: a crash loses only the last seconds.
        self._position_failed = False
        self.set_interval(POSITION_SAVE_SECONDS, self._keep_position)

    def on_screen_resume(self) -> None:
        if self._unreadable:  # a dialog was over this screen when its load failed
            self.app.pop_screen()

    def _keep_position(self) -> None:
        if self.session is not None and not self._position_failed:
            self._position_failed = (
                not self.save_position()
            )  # said once; it is tried again on leaving

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self._key_names = None

    def key_for(self, binding_id: str) -> str:
        """The key bound to `binding_id` now (config overrides included), shown as the key bar shows it."""
        if self._key_names is None:
            names = {
                b.id: b.key.split(",")[0] for b in self.BINDINGS if isinstance(b, Binding) and b.id
            }
            seen: set[str] = set()
            for active in self.active_bindings.values():
                binding = active.binding
                if binding.id in names and binding.id not in seen:
                    seen.add(binding.id)
                    names[binding.id] = self.app.get_key_display(binding)
            self._key_names = names
        return self._key_names.get(binding_id, "?")

    def label_keys(self) -> str:
        """The label keys for hints: "1–5" while they are the digits in order, else each key."""
        keys = [self.key_for(f"document.label_{n}") for n in range(1, len(self.reader.scheme) + 1)]
        if keys == [str(n) for n in range(1, len(keys) + 1)] and len(keys) > 2:
            return f"{keys[0]}–{keys[-1]}"
        return "/".join(keys)

    @work(exclusive=True)
    async def load(self) -> None:
        """Read and score off the UI thread; scores are cached by the text's sha256.

        A long document is first scored only around where the reader will be, so it paints at once;
        the whole text follows and replaces those scores (sentences are scored one by one, so the
        window's scores are the same either way).
        """
        doc = self.document
        try:
            text, header = await asyncio.to_thread(self._read)
        except ReaderError as exc:  # removed, unreadable or changed since the library listed it
            self._resume_collector()  # nothing to open
            self.notify(str(exc), title="Cannot open", severity="error", markup=False, timeout=8)
            self._unreadable = True
            if self.app.screen is self:  # else when the dialog over it closes (on_screen_resume)
                self.app.pop_screen()
            return
        if self._going():  # closed while the file was being read
            return
        self._header = header
        self.show_document_note()
        # Scored before in this session: shown whole at once, rather than scored near the cursor
        # first and drawn twice.
        if len(text) > PROGRESSIVE_CHARS and cached(doc.sha256, doc.body_start) is None:
            start, end = scoring_window(text, max(doc.body_start, self.start_offset or 0))
            start = max(start, doc.body_start)
            partial = await asyncio.to_thread(score_document, text[:end], start)
            await self._show(partial)
        scores = await asyncio.to_thread(highlight, text, doc.sha256, doc.body_start)
        if self.session is None:
            await self._show(scores)
        elif not self._going():
            self.session.replace_scores(scores)
            self.refresh_all()
        if not self._going():
            self.set_timer(COLLECT_AFTER_OPEN_SECONDS, self._collect_after_open)

    def _going(self) -> bool:
        """Closed, or being closed (Textual removes a screen's widgets before the screen): what
        the load found has nowhere to go."""
        return not self.is_attached or not self.query("#doc-body")

    def _collect_after_open(self) -> None:
        """The collector back on, and its full pass made now rather than on the reader's first
        keys (unless other work has paused it meanwhile)."""
        self._resume_collector()
        collect_unless_paused()

    def _read(self) -> tuple[str, Text]:
        """The text and the header (title, author, party, outlet, date), read in a thread."""
        doc = self.document
        text = doc.text
        _ = doc.body_start  # front matter parsed here, not on the UI thread
        if self.reader.store is not None:
            # The store parses a document's annotations when first asked, and the header asks
            # next, for the notes on the whole document: 70 ms for 10,000, better spent here.
            self.reader.store.annotations(doc.id)
        header = safe(doc.title, "bold")
        details = " · ".join(v for v in (doc.author, doc.party, doc.outlet, doc.date) if v)
        if details:
            header.append_text(safe("\n" + details, "dim"))
        return text, header

    async def _show(self, scores: Any) -> None:
        if self._going():  # closed while the text was being scored
            return
        store = self.reader.store
        if self.session is None:  # a changed file: annotations back on their text before any shows
            await self.reanchor_changed()
            if self._going():
                return
        # The store parses a document's annotations when first asked, and the session sorts them:
        # for thousands that is worth doing off the UI thread.
        session = await asyncio.to_thread(self._new_session, scores)
        if self._going():
            return
        if self.start_offset is not None:
            session.move_to_offset(self.start_offset)
        if self.start_selection is not None:
            session.select_exactly(*self.start_selection)
            hidden = session.hidden_exactly(*self.start_selection)
            if hidden is not None:  # opened on an annotation the layer hides (search, palette)
                self.reveal(hidden, session)
        view = DocumentView(session, self.reader.scheme, id="doc-view")
        if self.start_offset:
            view.hide_until_placed()
        panel = AnnotationPanel(self.reader.scheme, self.key_for, self.label_keys, id="panel")
        # Sized before it is mounted: the text wraps once, at the width it is shown at (wrapping a
        # long document takes tens of milliseconds).
        panel.fit_to(self.size.width)
        body = self.query_one("#doc-body", Horizontal)
        await body.mount(view, panel)
        view.focus()
        # Keys act on the session only once the view and panel it drives are in place.
        self.session = session
        if store is not None:
            self._unsubscribe = store.subscribe(self._store_changed)
        self.call_after_refresh(self._after_show)

    def _new_session(self, scores: Any) -> ReadingSession:
        annotations = self.session_annotations()
        return ReadingSession(
            self.document.text,
            scores,
            annotations,
            self.stored_dismissed(),
            layer=self.stored_layer(),
            me=self.reader.annotator,
        )

    def _after_show(self) -> None:
        views = self.query(DocumentView)
        if not views:  # closed before the paint that called this
            return
        view = views.first()
        view.scroll_to_cursor()
        self.refresh_all()
        waiting = self.reader.user_state.drafts_in(self.document.id)
        if waiting:  # typed before a closed terminal or a crash: say where to find it
            self.notify(
                f"{plural(waiting, 'note')} you had not saved {'waits' if waiting == 1 else 'wait'}"
                f" in this document: {self.key_for('document.note')} on its annotation "
                "brings it back.",
                timeout=8,
            )

    def on_unmount(self) -> None:
        self._resume_collector()  # closed before its open was done
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.save_position()

    def save_position(self) -> bool:
        """Keep the cursor's sentence and how far the reader got; False if the store refused."""
        store, session = self.reader.store, self.session
        if store is None or store.read_only or session is None or session.current is None:
            return True
        offset = session.current.start
        length = max(1, len(session.text))
        state = self.reader.user_state
        furthest = max(round(self._furthest / length, 3), state.progress(self.document.id))
        try:
            state.save_position(self.document.id, offset, furthest)
        except ReaderError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        return True

    # --- refreshing ----------------------------------------------------------------------------------

    def _store_changed(self, op: str, before: Annotation | None, after: Annotation | None) -> None:
        if self.session is None:
            return
        # An orphan has no span in this text: to the session it is not there.
        before = None if before is not None and before.orphaned else before
        after = None if after is not None and after.orphaned else after
        if any(a is not None and a.doc == self.document.id for a in (before, after)):
            self.session.apply_change(
                before if before is not None and before.doc == self.document.id else None,
                after if after is not None and after.doc == self.document.id else None,
            )
            if any(a is not None and a.start is None for a in (before, after)):
                self.show_document_note()  # a note on the whole document, shown in the header
            # An undo of an import brings thousands of changes at once: the screen is redrawn once.
            if not self._refresh_pending:
                self._refresh_pending = True
                self.call_later(self._refresh_after_change)

    def show_document_note(self) -> None:
        """The header: title and details, then the notes on the whole document (first lines)."""
        header = self._header.copy()
        # Only the shown layer's notes, as for the annotations in the text.
        layer = self.session.shown_layer if self.session is not None else self.stored_layer()
        me = self.reader.annotator
        shown = [
            note
            for note in document_notes(self.reader.store, self.document.id)
            if layer.shows(note.author, me)
        ]
        for note in shown:
            header.append_text(safe("\n✎ " + shorten(note.note, 240), "italic"))
        if len(shown) != self._document_notes:
            self._document_notes = len(shown)
            self._update_status()
        self.query_one("#doc-header", Static).update(header)

    def _refresh_after_change(self) -> None:
        self._refresh_pending = False
        if self.is_attached:
            self.refresh_all()

    def refresh_all(self) -> None:
        """Redraw after a move or a change; the annotation list is rebuilt only when it changed."""
        session = self.session
        if session is None or self._refresh_pending:
            # A change's redraw is already queued (call_later, before the next paint): drawing now
            # as well would build the panel two or three times for one key (label, undo).
            return
        selecting = session.selection is not None
        if selecting != self._keys_for_selection:
            self._keys_for_selection = selecting
            # `}` and `{` change meaning (check_action); the names the hints show change now, the
            # signal reaches _bindings_changed only later.
            self._key_names = None
            self.refresh_bindings()
        view = self.query_one(DocumentView)
        view.redraw()
        view.scroll_to_cursor()
        under = session.annotations_under_cursor()
        annotation = session.annotation_at_cursor(under)
        panel = self.query_one(AnnotationPanel)
        # Whose each annotation is, once more than one annotator has annotated the document.
        panel.show_authors(session.several_annotators())
        panel.show_under_cursor(
            session.scores,
            session.suggestion_at_cursor(),
            under,
            annotation,
            selecting=session.selection is not None,
        )
        panel.show_annotations(
            session.annotations,
            annotation.id if annotation else None,
            session.annotation_index_near_cursor(),
        )
        self.show_links(annotation)
        self._update_status()

    def _update_status(self) -> None:
        session = self.session
        if session is None:
            return
        parts = []
        if session.sentences:
            parts.append(f"sentence {session.cursor + 1}/{len(session.sentences)}")
        parts.append(f"{suggested(session.open_suggestion_count())} to review")
        parts.append(plural(len(session.annotations), "annotation"))
        if self._document_notes:  # the library counts them with the annotations
            parts.append(plural(self._document_notes, "document note"))
        if session.shown_layer.kind != "all" or session.several_annotators():
            # Which annotators' annotations are drawn: moot while one annotator has them all.
            parts.append(display_safe(session.shown_layer.describe(self.reader.annotator)))
        if session.layer:  # the default, every highlight, goes without saying
            parts.append(LAYER_NAMES[session.layer])
        if self.reader.store is not None and self.reader.store.read_only:
            parts.append("READ-ONLY")
        status = Text(" · ".join(parts), style="dim")
        if session.selection is not None:
            key = self.key_for
            status = Text(
                f"SELECTING  {key('document.grow_word')}/{key('document.shrink_word')} word  "
                f"{key('document.start_next_word')}/{key('document.start_previous_word')} start  "
                f"{key('document.start_next_clause')}/{key('document.end_previous_clause')} clause  "
                f"{key('document.grow_sentence')}/{key('document.shrink_sentence')} sentence  "
                f"{key('document.grow_paragraph')}/{key('document.shrink_paragraph')} paragraph  "
                f"{self.label_keys()} label  {key('document.back')} {self._escape_does()}",
                style="bold",
            )
        linking = self.link_status()
        if linking is not None:
            status = linking
        line = self.query_one("#doc-status", Static)
        shown = (status.plain, str(status.style), status.spans)
        if shown == self._status:
            return
        # The whole screen is laid out again only when the line's height changes from the one it
        # was laid out at. Most texts fit one row; one that wraps (onto two rows at most, its
        # max-height) is measured as Textual's layout measures it.
        width = line.content_size.width
        if not width:
            rows = 0  # not laid out yet
        elif status.cell_len <= width:
            rows = 1
        else:
            rows = min(2, visualize(line, status).get_height(line.styles, width))  # type: ignore[arg-type]
        self._status = shown
        line.update(status, layout=not rows or rows != line.size.height)

    # --- moving --------------------------------------------------------------------------------------

    def _read_to_cursor(self) -> None:
        """A reading move reached the cursor's sentence: it counts towards the Read column."""
        if self.session is not None and self.session.current is not None:
            self._furthest = max(self._furthest, self.session.current.end)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        linking = self.link_check(action)
        if linking is not None:
            return linking
        # One key, two meanings: growing by a paragraph while selecting, else moving by one.
        selecting = self.session is not None and self.session.selection is not None
        if action == "grow" and parameters[:1] == ("paragraph",):
            return selecting
        if action == "paragraph":
            return not selecting
        return True

    def action_page(self, direction: int) -> None:
        """A page turn: the cursor goes to the sentence at the top of the next screenful."""
        session = self.session
        if session is None:
            return
        view = self.query_one(DocumentView)
        before = session.cursor
        session.move_to_offset(view.page_offset(direction))
        if session.cursor == before:  # a sentence longer than the screen
            session.move(direction)
        self._read_to_cursor()
        view.scroll_cursor_to_top()
        self.refresh_all()

    def action_jump(self, index: int) -> None:
        """To the first (0) or last (-1) sentence: a jump, so it does not count as reading."""
        if self.session is not None:
            self.session.move_to_sentence(index)
            self.refresh_all()

    def action_paragraph(self, direction: int) -> None:
        if self.session is not None and self.session.move_paragraph(direction):
            self._read_to_cursor()
            self.refresh_all()

    def action_move(self, delta: int) -> None:
        if self.session is not None and self.session.move(delta):
            self._read_to_cursor()
            self.refresh_all()

    def action_suggestion(self, direction: int) -> None:
        if self.session is None:
            return
        if self.session.next_suggestion(direction) is None:
            self.notify(self._no_suggestion(direction), timeout=3)
        self._read_to_cursor()
        self.refresh_all()

    def _no_suggestion(self, direction: int) -> str:
        """Why `n`/`N` found nothing: none left, or only ones in layers `h` has hidden."""
        session = self.session
        assert session is not None
        where = "after" if direction > 0 else "before"
        hidden = frozenset({"claim", "factual"} - session.layers)
        if not hidden or session.next_suggestion(direction, hidden, move=False) is None:
            return f"No open suggestion {where} the cursor."
        layers = f"(showing {LAYER_NAMES[session.layer]}); {self.key_for('document.layers')}"
        shown = {"claim", "factual"} & session.layers
        if not shown:
            return f"The suggestions {where} the cursor are hidden {layers} cycles the highlights."
        [kind] = shown
        [other] = hidden
        return (
            f"No suggested {KIND_NAMES[kind]} {where} the cursor; the suggested "
            f"{KIND_NAMES[other]}s are hidden {layers} cycles the highlights."
        )

    def action_annotation(self, direction: int) -> None:
        if self.session is None:
            return
        if self.session.next_annotation(direction) is None:
            where = "after" if direction > 0 else "before"
            self.notify(f"No annotation {where} the cursor.", timeout=2)
        self._read_to_cursor()
        self.refresh_all()

    def action_select(self) -> None:
        if self.session is not None:
            self.session.start_selection()
            self.refresh_all()

    def action_select_word(self) -> None:
        if self.session is not None:
            self.session.start_word_selection()
            self.refresh_all()

    def action_move_start(self, unit: str, delta: int) -> None:
        if self.session is None:
            return
        if self.session.selection is None:
            self.session.start_selection()  # the start of a new selection moves from the sentence's
        self.session.move_start(unit, delta)
        self.refresh_all()

    def action_drop_clause(self) -> None:
        if self.session is None:
            return
        if self.session.selection is None:
            self.session.start_selection()
        self.session.drop_last_clause()
        self.refresh_all()

    def action_grow(self, unit: str, delta: int) -> None:
        if self.session is None:
            return
        if self.session.selection is None:
            self.notify(
                f"Press {self.key_for('document.select')} to start a selection first.", timeout=2
            )
            return
        self.session.grow(unit, delta)
        self.refresh_all()

    def action_layers(self) -> None:
        if self.session is not None:
            self.notify(f"Showing {self.session.cycle_layers()}.", timeout=2)
            self.refresh_all()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_panel()

    def _fit_panel(self) -> None:
        panels = self.query(AnnotationPanel)
        if panels:  # not while the document is still loading
            panels.first().fit_to(self.size.width)

    def action_toggle_panel(self) -> None:
        panel = self.query_one(AnnotationPanel)
        panel.display = not panel.display
        self.query_one(DocumentView).refresh(layout=True)

    def action_focus_panel(self) -> None:
        panel = self.query_one(AnnotationPanel)
        panel.display = True
        options = panel.query_one(OptionList)
        links = panel.query_one(LinkList)
        if links.display and not (links.has_focus or options.has_focus):
            links.focus()  # ▶'s links first, then the annotation list
        elif options.has_focus:
            self.query_one(DocumentView).focus()
        else:
            options.focus()

    def _escape_does(self) -> str:
        """What escape does to a selection: cancel it, or (the hit's own, from a search) leave it
        and go back to the results."""
        return "back to results" if self.reader.escape_goes_to_results() else "cancel"

    def action_back(self) -> None:
        # Opened from a search, with the hit's selection as it opened or none: back to the results.
        if self.session is None:  # still opening, its view not there yet
            if not self.reader.back_to_results():
                self.app.pop_screen()
            return
        view = self.query_one(DocumentView)
        if self.focused is view and self.reader.back_to_results():
            return
        if self.session.cancel_selection():
            self.refresh_all()
            return
        if self.focused is not None and self.focused is not view:
            view.focus()
            return
        self.app.pop_screen()

    def action_hit(self, direction: int) -> None:
        self.notify(self.reader.step_hit(direction), timeout=3)

    @on(DocumentView.Clicked)
    def clicked(self, event: DocumentView.Clicked) -> None:
        if self.session is None:
            return
        if event.anchor is None:
            self.session.cancel_selection()
            self.session.move_to_offset(event.offset)
        else:
            self.session.select_range(event.anchor, event.offset)
        self.refresh_all()

    @on(AnnotationPanel.Jump)
    def jump(self, event: AnnotationPanel.Jump) -> None:
        self.show_annotation(event.annotation_id)
        self.query_one(DocumentView).focus()

    def show_annotation(self, annotation_id: str) -> None:
        """Move to an annotation and select it, so the keys act on it (an outer one, say)."""
        store = self.reader.store
        annotation = store.get(annotation_id) if store is not None else None
        if self.session is None or annotation is None or annotation.start is None:
            return
        self.reveal(annotation)
        self.session.cancel_selection()
        if annotation.end is not None:
            self.session.select_exactly(annotation.start, annotation.end)
        self.session.move_to_offset(annotation.start)
        self.refresh_all()
