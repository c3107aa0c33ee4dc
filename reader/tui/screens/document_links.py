"""The document screen's links: `l` starts a link from the annotation the keys act on (▶), the usual
moves choose the target, and a relation type's key (corpus.toml [[relations]]) makes the link to the
annotation under the cursor; `escape` cancels. The panel lists ▶'s links; `m` opens the argument map.

The link being made is kept by the app, not the screen, so a search that opens another document (or
this one again) can choose the target there: links may cross documents.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding

from reader.model.annotation import Annotation, Link
from reader.model.argument import LinkEnd
from reader.model.labels import RelationType, label_name
from reader.text import shorten
from reader.tui.screens.document_edits import AnnotationEditing
from reader.tui.widgets.document_view import DocumentView
from reader.tui.widgets.panel import AnnotationPanel

QUOTE = 36


def describe(annotation: Annotation | None) -> str:
    """An annotation in a message: its label and the head of its quote."""
    if annotation is None:
        return "an annotation that no longer exists"
    quote = f"“{shorten(annotation.quote, QUOTE)}”" if annotation.quote else "the whole document"
    return f"{label_name(annotation.label)} {quote}"


class LinkEditing(AnnotationEditing):
    """Making, showing, following and deleting links on the document screen."""

    def relation_keys(self) -> dict[str, RelationType]:
        return {r.key: r for r in self.reader.scheme.relations if r.key}

    def link_source(self) -> Annotation | None:
        """The annotation a link was started from (None when no link is being made)."""
        source_id = self.reader.link_from
        store = self.reader.store
        if source_id is None or store is None:
            return None
        source = store.get(source_id)
        if source is None:  # deleted (or undone) since `l`
            self.reader.link_from = None
        return source

    # --- making a link --------------------------------------------------------------------------------

    def action_link(self) -> None:
        session = self.session
        if session is None or not self._writable():
            return
        if not self.relation_keys():
            self.notify(
                "The corpus declares no relation type with a key: add [[relations]] with a key "
                "to corpus.toml.",
                severity="warning",
            )
            return
        source = session.annotation_at_cursor()
        if source is None:
            self.notify(
                "No annotation under the cursor to link from: label one first "
                f"({self.label_keys()}), or move to one "
                f"({self.key_for('document.next_annotation')}).",
                timeout=4,
            )
            return
        self.reader.link_from = source.id
        self.refresh_bindings()
        session.cancel_selection()
        self.notify(f"Linking from {describe(source)}: move to the target.", timeout=3)
        self.refresh_all()

    def link_status(self) -> Text | None:
        """The status line while a link is being made: from what, and which keys do what."""
        source = self.link_source()
        if source is None:
            return None
        keys = "  ".join(f"{key} {r.name}" for key, r in self.relation_keys().items())
        # The keys before the quote, how to cancel first: at 80×24 the line's end is cut.
        return Text(
            f"LINKING ({self.key_for('document.back')} cancels): {keys} → to the annotation under "
            f"the cursor, from {describe(source)}",
            style="bold",
        )

    def on_mount(self) -> None:
        """Bind the corpus's relation keys (data, so not in the class's BINDINGS). They act only
        while a link is being made (link_check), when the other bindings on those keys and on
        escape step aside. Being bindings, they run in order with the moves typed before them."""
        bindings = self._bindings.key_to_bindings
        blocked: set[str] = set()
        for relation in self.reader.scheme.relations:
            if not relation.key:
                continue
            key = next(iter(Binding.make_bindings([Binding(relation.key, "noop")]))).key
            blocked.update(b.action.partition("(")[0] for b in bindings.get(key, ()))
            binding = Binding(key, f"relate({relation.name!r})", "", show=False)
            # A new list: the bindings map shares its lists with the class's.
            bindings[key] = [*bindings.get(key, ()), binding]
        blocked.update(b.action.partition("(")[0] for b in bindings.get("escape", ()))
        bindings["escape"] = [*bindings.get("escape", ()), Binding("escape", "cancel_link", "")]
        self._blocked_while_linking = frozenset(blocked - {"relate", "cancel_link"})

    _blocked_while_linking: frozenset[str] = frozenset()

    def link_check(self, action: str) -> bool | None:
        """check_action's answer for the link keys: None when linking has no say."""
        linking = self.reader.link_from is not None
        if action in ("relate", "cancel_link"):
            return linking
        if linking and action in self._blocked_while_linking:
            return False
        return None

    def action_cancel_link(self) -> None:
        self.reader.link_from = None
        self.notify("Link cancelled.", timeout=2)
        self.refresh_bindings()
        self.refresh_all()

    def action_relate(self, name: str) -> None:
        relation = self.reader.scheme.relation(name)
        if relation is not None:
            self.make_link(relation)

    def make_link(self, relation: RelationType) -> None:
        session, store = self.session, self.reader.store
        if session is None or store is None or not self._writable():
            return
        source = self.link_source()
        if source is None:
            self.notify("The annotation the link started from is gone; link cancelled.")
            self.refresh_all()
            return
        target = session.annotation_at_cursor()
        if target is None:
            self.notify(
                f"No annotation under the cursor to link to: move to one "
                f"({self.key_for('document.prev_annotation')} "
                f"{self.key_for('document.next_annotation')}), or "
                f"{self.key_for('document.back')} cancels.",
                timeout=4,
            )
            return
        if target.id == source.id:
            self.notify(
                "An annotation cannot link to itself: move to another one, or "
                f"{self.key_for('document.back')} cancels.",
                timeout=4,
            )
            return
        link = Link(relation.name, target.id)
        if link in source.links:
            self.notify(
                f"Already linked: {describe(source)} {relation.name} {describe(target)}; "
                "nothing changed.",
                timeout=4,
            )
            return
        done = f"Linked: {describe(source)} {relation.name} {describe(target)}"
        if self._save(lambda: store.update(source.id, links=(*source.links, link)), done):
            self.reader.link_from = None
            self.refresh_bindings()
        self.refresh_all()

    # --- the panel's links ----------------------------------------------------------------------------

    def show_links(self, annotation: Annotation | None) -> None:
        """Give the panel ▶'s outgoing and incoming links."""
        session, store = self.session, self.reader.store
        if session is None:
            return
        panels = self.query(AnnotationPanel)
        if not panels:
            return
        ends: list[LinkEnd] = []
        if annotation is not None:
            index = self.query_one(DocumentView).links.index(session.annotations)
            ends = index.ends(annotation, store.get if store is not None else None)
            ends += self._incoming_from_elsewhere(annotation)
        panels.first().show_links(annotation.id if annotation else None, ends, self.document.id)

    _elsewhere: tuple[object, list[LinkEnd]] = ((), [])

    def _incoming_from_elsewhere(self, annotation: Annotation) -> list[LinkEnd]:
        """Links to ▶ from other documents, asked of the store again only when ▶ or the store
        changes."""
        store, session = self.reader.store, self.session
        if store is None or session is None:
            return []
        key = (annotation, store.version)
        cached_key, ends = self._elsewhere
        if cached_key != key:
            ends = [
                LinkEnd(link.type, source.id, source, False)
                for source in store.linking_to(annotation.id)
                if source.doc != self.document.id
                for link in source.links
                if link.to == annotation.id
            ]
            self._elsewhere = (key, ends)
        return ends

    @on(AnnotationPanel.FollowLink)
    def follow_link(self, event: AnnotationPanel.FollowLink) -> None:
        store = self.reader.store
        other = store.get(event.annotation_id) if store is not None else None
        if other is None:
            self.notify("That annotation no longer exists.", severity="warning")
            return
        if other.doc != self.document.id:
            self.reader.open_annotation(other.id)
            return
        self.show_annotation(other.id)
        self.focus_text()

    @on(AnnotationPanel.Unlink)
    def unlink(self, event: AnnotationPanel.Unlink) -> None:
        store = self.reader.store
        if store is None or not self._writable():
            return
        source = store.get(event.source_id)
        if source is None:
            return
        kept = tuple(
            link
            for link in source.links
            if not (link.type == event.type and link.to == event.target_id)
        )
        if len(kept) == len(source.links):
            return
        target = store.get(event.target_id)
        done = f"Link deleted: {describe(source)} {event.type} {describe(target)}"
        self._save(lambda: store.update(source.id, links=kept), done)
        self.refresh_all()

    # --- the argument map -----------------------------------------------------------------------------

    def action_argument_map(self) -> None:
        from reader.tui.screens.argument_map import ArgumentMapScreen

        if self.reader.store is None:
            self.notify("No store is open: there are no annotations to map.", severity="warning")
            return
        here = self.session.annotation_at_cursor() if self.session is not None else None
        self.app.push_screen(
            ArgumentMapScreen(self.document.id, here.id if here else None), self._map_closed
        )

    def _map_closed(self, annotation_id: str | None) -> None:
        """The map closed; with an annotation chosen there, show it (opening its document)."""
        if annotation_id is None:
            return
        store = self.reader.store
        annotation = store.get(annotation_id) if store is not None else None
        if annotation is None:
            return
        if annotation.doc != self.document.id:
            self.reader.open_annotation(annotation.id)
            return
        self.show_annotation(annotation.id)
        self.focus_text()

    def focus_text(self) -> None:
        self.query_one(DocumentView).focus()

    def show_annotation(self, annotation_id: str) -> None:
        raise NotImplementedError

    def label_keys(self) -> str:
        raise NotImplementedError
