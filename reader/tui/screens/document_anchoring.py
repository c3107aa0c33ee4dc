"""The document screen's part in keeping annotations on their text: when the file changed since its
annotations were made, they are re-anchored before anything shows them, as one undoable step with one
notification; approximate placements are confirmed with a key; orphans are listed (the orphans view)
and re-attached to a new selection or deleted.
"""

from __future__ import annotations

import asyncio

from reader.anchoring import Outcome, changed, offset_mapper, reanchor, summary
from reader.corpus.documents import sha256_text
from reader.errors import ReaderError
from reader.model.annotation import Annotation, context
from reader.tui.screens.document_edits import AnnotationEditing, _quote


class AnchorKeeping(AnnotationEditing):
    """Re-anchoring on open, confirming approximate placements, re-attaching orphans."""

    start_offset: int | None  # where the document opens (DocumentScreen sets it)
    start_selection: tuple[int, int] | None  # an annotation's span to select on opening
    # The orphan the next re-attach key puts on the selection (chosen in the orphans view).
    reattaching: str | None = None
    # Annotations re-anchored in memory only (a read-only store): what the session shows.
    _anchored_in_memory: list[Annotation] | None = None

    async def reanchor_changed(self) -> None:
        """Re-anchor the document's annotations if its text changed since they were made.

        An unchanged document costs a hash comparison per annotation, stopping at the first that
        differs (they all hold the same hash once the document was re-anchored)."""
        store, doc = self.reader.store, self.document
        if store is None:
            return
        annotations = await asyncio.to_thread(store.annotations, doc.id)
        sha = await asyncio.to_thread(lambda: doc.sha256)
        if not changed(annotations, sha):
            return
        outcomes = await asyncio.to_thread(reanchor, doc.text, sha, annotations)
        if not outcomes:
            return
        self._follow_selection(outcomes)
        if store.read_only:
            now = {o.annotation.id: o.applied() for o in outcomes}
            self._anchored_in_memory = [now.get(a.id, a) for a in annotations]
            self.notify(
                f"file changed since you annotated it: {summary(outcomes)} "
                "(shown only: the store is read-only)",
                timeout=8,
                markup=False,
            )
            return
        if self._save(
            lambda: store.write_many(update=[(o.annotation.id, o.changes) for o in outcomes]),
            f"file changed since you annotated it: {summary(outcomes)}",
            self._hint(outcomes),
        ):
            self._follow_text(outcomes, sha)

    def _follow_selection(self, outcomes: list[Outcome]) -> None:
        """An annotation opened from elsewhere (the palette, the argument map) was asked for at
        its old span: select it where it is now, or open at its old place if it was orphaned."""
        if self.start_selection is None:
            return
        for outcome in outcomes:
            old = (outcome.annotation.start, outcome.annotation.end)
            if old != self.start_selection:
                continue
            new = outcome.applied()
            if new.start is None or new.end is None:
                self.start_selection = None
            else:
                self.start_selection = (new.start, new.end)
                self.start_offset = new.start
            return

    def _follow_text(self, outcomes: list[Outcome], sha: str) -> None:
        """Dismissed suggestions and the reading position move with the text, as the annotations
        around them did."""
        new_offset = offset_mapper(outcomes)
        old = {o.annotation.doc_sha256 for o in outcomes}
        if new_offset is None or len(old) != 1:
            return
        state = self.reader.user_state
        stored = state.position(self.document.id).get("offset")
        try:
            state.follow_text(self.document.id, old.pop(), sha, new_offset)
        except ReaderError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if self.start_offset is not None and self.start_offset == stored:
            self.start_offset = new_offset(self.start_offset)

    def _hint(self, outcomes: list[Outcome]) -> str:
        hint = f"{self.key_for('document.undo')} to undo"
        if any(o.status == "orphaned" for o in outcomes):
            hint += f", {self.key_for('document.orphans')} lists orphans"
        return hint

    def session_annotations(self) -> list[Annotation]:
        """What the session draws: never an orphan, which has no span in this text."""
        store = self.reader.store
        if self._anchored_in_memory is not None:
            annotations = self._anchored_in_memory
        else:
            annotations = store.annotations(self.document.id) if store is not None else []
        return [ann for ann in annotations if not ann.orphaned]

    def action_confirm_anchor(self) -> None:
        """Confirm that an approximate placement is right: it is no longer marked for review."""
        session = self.session
        if session is None or not self._writable():
            return
        annotation = session.annotation_at_cursor()
        if annotation is None or not annotation.needs_review:
            self.notify("No approximate placement under the cursor to confirm.", timeout=3)
            return
        store = self.reader.store
        assert store is not None
        self._save(
            lambda: store.update(annotation.id, anchor_status=None, old_quote=""),
            f"Confirmed the placement of {_quote(annotation.quote)}",
        )
        self.refresh_all()

    def action_orphans(self) -> None:
        from reader.tui.screens.orphans import OrphansScreen

        store = self.reader.store
        orphans = [a for a in store.annotations(self.document.id) if a.orphaned] if store else []
        if not orphans:
            self.notify("No orphaned annotations in this document.", timeout=3)
            return
        self.app.push_screen(OrphansScreen(self.document.id), self._orphan_chosen)

    def _orphan_chosen(self, chosen: str | None) -> None:
        store = self.reader.store
        orphan = store.get(chosen) if store is not None and chosen else None
        if orphan is None:
            return
        self.reattaching = orphan.id
        key = self.key_for("document.reattach")
        self.notify(
            f"Select the new span for {_quote(orphan.quote)} (v, then w/)/}}), then {key}.",
            timeout=8,
            markup=False,
        )

    def action_reattach(self) -> None:
        """Put the orphan chosen in the orphans view on the selection (one undoable change)."""
        session = self.session
        if session is None or not self._writable():
            return
        store = self.reader.store
        assert store is not None
        orphan = store.get(self.reattaching) if self.reattaching else None
        if orphan is None or not orphan.orphaned:
            key = self.key_for("document.orphans")
            self.notify(f"Choose an orphan to re-attach first ({key} lists them).", timeout=3)
            return
        if session.selection is None:
            key = self.key_for("document.select")
            self.notify(f"Select the new span first ({key} starts a selection).", timeout=3)
            return
        start, end = session.selection.start, session.selection.end
        text = session.text
        quote, prefix, suffix = context(text, start, end)
        fields = {
            "doc_sha256": sha256_text(text),
            "start": start,
            "end": end,
            "quote": quote,
            "prefix": prefix,
            "suffix": suffix,
            "anchor_status": None,
            "old_quote": "",
        }
        if self._save(
            lambda: store.update(orphan.id, **fields),
            f"Re-attached {_quote(orphan.quote)}",
        ):
            self.reattaching = None
        session.cancel_selection()
        self.refresh_all()
