"""The document screen's actions that change annotations: label, accept, dismiss, delete, undo, redo, tags
and notes.

Every change goes through the store and is durable before it is shown; a change the store refuses is
reported and loses nothing (an editor stays open with what was typed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text

from reader.corpus.documents import Document
from reader.errors import ReaderError
from reader.model.annotation import Annotation, annotation_from_document
from reader.model.annotation import document_notes as notes_on_document
from reader.model.labels import UNLABELLED, label_name
from reader.session import SUGGESTION_LABELS, ReadingSession
from reader.store import AnnotationStore, Change, MetaChange
from reader.text import plural, shorten
from reader.tui.base import ReaderScreen
from reader.tui.screens.modals import NoteEditor, TagEditor
from reader.tui.widgets.document_view import DocumentView
from reader.tui.widgets.panel import annotation_line
from reader.user_state import DISMISSED, dismissed_key, dismissed_keys, dismissed_value


class AnnotationEditing(ReaderScreen[None]):
    """Base of the document screen: its annotation-changing actions, kept apart from reading and moving."""

    document: Document
    session: ReadingSession | None

    def refresh_all(self) -> None:
        raise NotImplementedError

    def key_for(self, binding_id: str) -> str:
        raise NotImplementedError

    def new_author(self) -> str | None:
        """Whose a new annotation is (the layer shown decides, see document_layers.py); None: refused."""
        return self.reader.annotator

    def _writable(self) -> bool:
        store = self.reader.store
        if store is None or store.read_only:
            self.notify(
                "The store is open read-only: nothing can be saved in this session.",
                severity="warning",
            )
            return False
        return True

    def _save(self, action: Callable[[], object], done: str, hint: str | None = None) -> bool:
        """Run a store change; say what was done, or why it failed (the store keeps what it had)."""
        try:
            action()
        except ReaderError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return False
        hint = hint or f"{self.key_for('document.undo')} to undo"
        self.notify(f"{done} · {hint}", timeout=3, markup=False)
        return True

    def action_label(self, number: int) -> None:
        session, scheme = self.session, self.reader.scheme
        if session is None or not self._writable():
            return
        label = scheme.by_key(str(number))
        if label is None:
            self.notify(f"No label on key {number}; the scheme has {len(scheme)}.", timeout=3)
            return
        span = session.target()
        if span is None:
            return
        store = self.reader.store
        assert store is not None
        # The annotation d, a and t act on too; none: a new one on the selection or sentence.
        existing = session.annotation_at_cursor()
        if existing is not None and existing.label == label.name:
            self.notify(f"Already labelled {label.name}; nothing changed.", timeout=2)
        elif existing is not None:
            was = label_name(existing.label)
            self._save(
                lambda: store.update(existing.id, label=label.name),
                f"Labelled {label.name} (was {was})",
            )
        elif (author := self.new_author()) is not None:
            new = annotation_from_document(
                self.document, span.start, span.end, label=label.name, author=author
            )
            self._save(lambda: store.add(new), f"Labelled {label.name}")
        else:
            return
        session.cancel_selection()
        self.refresh_all()

    def action_accept(self) -> None:
        session = self.session
        if session is None or not self._writable():
            return
        suggestion = session.suggestion_at_cursor()
        if suggestion is None:
            where = f"{self.key_for('document.next_suggestion')} moves to the next"
            self.notify(f"No open suggestion under the cursor; {where}.", timeout=3)
            return
        kind = "claim" if "claim" in suggestion.labels else "factual"
        scheme = self.reader.scheme
        match = scheme.matching(SUGGESTION_LABELS[kind])
        if match is None:
            # Accepting would leave an unlabelled annotation that answers nothing: say what to do.
            keys = ", ".join(f"{lab.key} {lab.name}" for lab in scheme if lab.key)
            self.notify(
                f"This corpus has no {SUGGESTION_LABELS[kind]} label to accept the suggestion as: "
                f"label the sentence with a label key ({keys}), or "
                f"{self.key_for('document.dismiss')} dismisses it.",
                timeout=6,
                markup=False,
            )
            return
        label = match.name
        tags = ("check-worthy",) if "factual" in suggestion.labels else ()
        noted = session.index.exactly(suggestion.start, suggestion.end)
        if noted is not None:  # a note or tags already on the sentence: that annotation is labelled
            tagged = (*noted.tags, *(t for t in tags if t not in noted.tags))
            kept = "your note" if noted.note.strip() else "your tags" if noted.tags else ""
            done = f"Accepted as {label}" + (f", with {kept}" if kept else "")
            self._save_changes(noted, done, label=label, tags=tagged, origin="suggestion")
            return
        author = self.new_author()
        if author is None:
            return
        new = annotation_from_document(
            self.document,
            suggestion.start,
            suggestion.end,
            label=label,
            tags=tags,
            origin="suggestion",
            author=author,
        )
        store = self.reader.store
        assert store is not None
        self._save(lambda: store.add(new), f"Accepted as {label}")

    def action_dismiss_suggestion(self) -> None:
        session = self.session
        if session is None or not self._writable():
            return
        suggestion = session.suggestion_at_cursor()
        if suggestion is None:
            self.notify("No open suggestion under the cursor.", timeout=3)
            return
        store = self.reader.store
        assert store is not None
        keys = session.dismissed | {session.suggestion_key(suggestion)}
        value = dismissed_value(self.document.sha256, keys)
        key = dismissed_key(self.document.id)
        quote = _quote(session.text[suggestion.start : suggestion.end])
        # An undo step like an annotation change, so `u` brings the suggestion back.
        self._save(
            lambda: store.set_meta(key, value, undoable=True), f"Dismissed suggestion {quote}"
        )
        self.reload_dismissed()

    def stored_dismissed(self) -> set[str]:
        """The document's dismissed suggestions as the store has them (none without a store)."""
        return self.reader.user_state.dismissed(self.document.id, self.document.sha256)

    def reload_dismissed(self) -> None:
        """Take the dismissed set from the store (after a dismissal, an undo or a redo)."""
        if self.reader.store is None or self.session is None:
            return
        self.session.set_dismissed(self.stored_dismissed())
        self.refresh_all()

    def action_delete(self) -> None:
        session = self.session
        if session is None or not self._writable():
            return
        annotation = session.annotation_at_cursor()
        if annotation is None:
            where = "exactly on the selection" if session.selection else "under the cursor"
            self.notify(f"No annotation {where}.", timeout=3)
            return
        store = self.reader.store
        assert store is not None
        self.delete_with_links(annotation)

    def delete_with_links(self, annotation: Annotation) -> None:
        """Delete an annotation and the links to it, one undo step; say how many links went."""
        store = self.reader.store
        assert store is not None
        count = sum(
            link.to == annotation.id
            for source in store.linking_to(annotation.id)
            if source.id != annotation.id
            for link in source.links
        )
        done = f"Deleted the {annotation.label or UNLABELLED + ' annotation'}"
        if count:
            done += f" and {plural(count, 'link')} to it"
        self._save(lambda: store.delete_with_links(annotation.id), done)

    def action_undo(self) -> None:
        store = self.reader.store
        if store is None or not self._writable():
            return
        step = store.undo_step()
        if step is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        redo = f"{self.key_for('document.redo')} redoes"
        said = f"Undone: {self.describe_step(step)}"
        relinked = _relinked(step)
        if relinked:
            said += "; they stay there when reader starts again"
        if self._save(store.undo, said, redo):
            if relinked:
                self.reader.leave_renames()
            self.reload_dismissed()
            self.reader.show_change(step, undone=True)  # the change is shown, not only named

    def action_redo(self) -> None:
        store = self.reader.store
        if store is None or not self._writable():
            return
        step = store.redo_step()
        if step is None:
            self.notify("Nothing to redo.", timeout=2)
            return
        undo = f"{self.key_for('document.undo')} undoes"
        if self._save(store.redo, f"Redone: {self.describe_step(step)}", undo):
            self.reload_dismissed()
            self.reader.show_change(step, undone=False)

    def describe_step(self, step: list[Change]) -> str:
        """What an undo step did, as the user would say it, naming the document if it is not this one."""
        pairs = [c for c in step if not isinstance(c, MetaChange)]
        metas = [c for c in step if isinstance(c, MetaChange)]
        docs = {ann.doc for pair in pairs for ann in pair if ann is not None}
        docs |= {m.key.partition(":")[2] for m in metas if m.key.startswith("dismissed:")}
        deleted = [b for b, a in pairs if a is None and b is not None]
        if _relinked(step):
            moves = {(b.doc, a.doc) for b, a in pairs if b and a}
            what = f"the move of {plural(len(pairs), 'annotation')} to a renamed document"
            if len(moves) == 1:
                old, new = moves.pop()
                what = f"the move of {plural(len(pairs), 'annotation')} from {old} to {new}"
            return what  # both documents are named, or many are
        if len(pairs) == 1 and not metas:
            what = _describe_pair(*pairs[0])
        elif len(deleted) == 1 and not metas and _only_unlinked(pairs, deleted[0]):
            # A deletion that took the links to it along (one step).
            what = _describe_pair(deleted[0], None)
            removed = sum(len(b.links) - len(a.links) for b, a in pairs if a and b)
            what += f" and {plural(removed, 'link')} to it"
        elif pairs and all(b is None for b, _a in pairs) and not metas:
            what = f"added {plural(len(pairs), 'annotation')}"
        elif pairs and all(b and a and b.doc_sha256 != a.doc_sha256 for b, a in pairs):
            what = f"re-anchoring {plural(len(pairs), 'annotation')} to the changed text"
        elif pairs:
            what = plural(len(pairs) + len(metas), "change")
        else:
            what = "; ".join(self._describe_meta(m) for m in metas) or "a change"
        others = docs - {self.document.id}
        if len(others) == 1 and len(docs) == 1:
            doc = self.reader.corpus.get(others.pop())
            what += f" in “{doc.title if doc else 'a deleted document'}”"
        elif others:
            what += f" in {len(docs)} documents"
        return what

    def _describe_meta(self, change: MetaChange) -> str:
        prefix, _, doc = change.key.partition(":")
        if prefix != DISMISSED:
            return f"a change of {change.key}"
        old, new = change.old, change.new
        sha = new.get("sha256", "") if isinstance(new, dict) else ""
        added = sorted(dismissed_keys(new, sha) - dismissed_keys(old, sha))
        if len(added) != 1:
            return f"dismissed {plural(len(added), 'suggestion')}"
        start, _, end = added[0].partition("-")
        if doc == self.document.id and self.session is not None and start.isdigit():
            return f"dismissed suggestion {_quote(self.session.text[int(start) : int(end)])}"
        return "dismissed a suggestion"

    def _ensure_annotation(self) -> Annotation | None:
        """The annotation the keys act on, else a new (unsaved) one on the selection or sentence."""
        session = self.session
        if session is None:
            return None
        existing = session.annotation_at_cursor()
        if existing is not None:
            return existing
        span = session.target()
        author = None if span is None else self.new_author()
        if span is None or author is None:
            return None
        return annotation_from_document(self.document, span.start, span.end, author=author)

    def _save_changes(self, annotation: Annotation, done: str, **changes: Any) -> bool:
        """Save tags or a note on `annotation`, adding it first if it is new; False if the store refused."""
        store = self.reader.store
        assert store is not None
        if store.get(annotation.id) is None:
            saved = self._save(lambda: store.add(annotation.with_changes(**changes)), done)
        else:
            saved = self._save(lambda: store.update(annotation.id, **changes), done)
        if saved:
            if self.session is not None:
                self.session.cancel_selection()
            self.refresh_all()
        return saved

    def action_tags(self) -> None:
        if not self._writable():
            return
        annotation = self._ensure_annotation()
        store = self.reader.store
        if annotation is None or store is None:
            return
        known = sorted({t for a in store.annotations() for t in a.tags})
        done = "Tags saved" if store.get(annotation.id) is not None else "Tagged"

        def save(tags: tuple[str, ...]) -> bool:
            return self._save_changes(annotation, done, tags=tags)

        self._edit_in_sight(
            TagEditor(annotation.tags, known, save, self._about(annotation)), annotation
        )

    def action_document_note(self) -> None:
        """Write or edit the reader's note on the whole document (its thesis, sourcing, what to check)."""
        store = self.reader.store
        if not self._writable() or store is None:
            return
        author = self.new_author()
        if author is None:
            return
        mine = [
            a for a in store.annotations(self.document.id) if a.start is None and a.author == author
        ]
        if mine:
            annotation = mine[0]
        else:
            annotation = annotation_from_document(self.document, None, None, author=author)
        context = f"the whole document, “{shorten(self.document.title, 80)}”"

        def save(note: str) -> bool:
            return self._save_changes(annotation, "Document note saved", note=note)

        drafts = (self.reader.user_state, self._draft_target(annotation), self.document.id)
        self.app.push_screen(NoteEditor(annotation.note, context, save, drafts=drafts))

    def action_note(self) -> None:
        if not self._writable():
            return
        annotation = self._ensure_annotation()
        if annotation is None:
            return
        # Only the head of the quote shows: a whole document's worth is not flattened to show 200.
        context = f"“{shorten(annotation.quote, 200)}”"

        def save(note: str) -> bool:
            return self._save_changes(annotation, "Note saved", note=note)

        drafts = (self.reader.user_state, self._draft_target(annotation), self.document.id)
        editor = NoteEditor(annotation.note, context, save, self._about(annotation), drafts)
        self._edit_in_sight(editor, annotation)

    def _draft_target(self, annotation: Annotation) -> str:
        """What a note being typed is kept under: the annotation's id once stored, else its place
        and annotator (a new annotation gets a new id each time; its place is the same)."""
        store = self.reader.store
        if store is not None and store.get(annotation.id) is not None:
            return annotation.id
        return f"{annotation.doc}@{annotation.start}-{annotation.end}:{annotation.author}"

    def _about(self, annotation: Annotation) -> Text:
        """Which annotation an editor acts on: its label chip and the start of its quote."""
        return annotation_line(annotation, self.reader.scheme, compact=True)

    def _edit_in_sight(self, editor: TagEditor | NoteEditor, annotation: Annotation) -> None:
        """Open an editor docked at the bottom with the annotated text scrolled into sight above."""
        view = self.query_one(DocumentView)
        if annotation.start is not None and annotation.end is not None:
            view.lift(annotation.start, annotation.end)
        self.app.push_screen(editor, lambda _: view.lower())


QUOTE = 32


def document_notes(store: AnnotationStore | None, doc_id: str) -> list[Annotation]:
    """The notes on the whole document (no span) that have text, oldest first."""
    return notes_on_document(store.annotations(doc_id)) if store is not None else []


def _quote(text: str) -> str:
    """A short quote for a notification (which the app makes display-safe): the first words of
    `text`."""
    return f"“{shorten(text, QUOTE)}”"


def _only_unlinked(
    pairs: list[tuple[Annotation | None, Annotation | None]], deleted: Annotation
) -> bool:
    """Whether every change but the deletion of `deleted` only took links to it away."""
    for before, after in pairs:
        if after is None:
            continue
        if before is None or before.links == after.links:
            return False
        kept = tuple(link for link in before.links if link.to != deleted.id)
        if after != before.with_changes(links=kept, modified=after.modified):
            return False
    return True


def _describe_pair(before: Annotation | None, after: Annotation | None) -> str:
    """One annotation change, e.g. "labelled claim “The Tory MP…”"."""
    ann = after or before
    assert ann is not None
    quote = _quote(ann.quote) if ann.quote else "the whole document"
    label = label_name(ann.label)
    if before is None:
        if ann.origin == "suggestion":
            return f"accepted {label} {quote}"
        if ann.label:
            return f"labelled {label} {quote}"
        return f"{'note' if ann.note else 'tags'} on {quote}"
    if after is None:
        return f"deleted {label} {quote}"
    if before.label != after.label:
        return f"labelled {label} (was {label_name(before.label)}) {quote}"
    if before.tags != after.tags:
        return f"tags on {quote}"
    if before.note != after.note:
        return f"note on {quote}"
    if before.links != after.links:
        return f"links of {label} {quote}"
    if before.orphaned and not after.orphaned:  # put on new text: named by the text it had
        return f"re-attached {label} {_quote(before.quote)}" if before.quote else "re-attached"
    if (before.start, before.end) != (after.start, after.end):
        return f"moved {label} {quote}"
    return f"changed {label} {quote}"


def _relinked(step: list[Change]) -> bool:
    """Whether `step` moved annotations to a renamed document (and maybe positions with them)."""
    pairs = [c for c in step if not isinstance(c, MetaChange)]
    return bool(pairs) and all(b and a and b.doc != a.doc for b, a in pairs)
