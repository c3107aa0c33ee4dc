"""The document screen's annotator layers: which annotators' annotations are drawn, stepped through and
changed (mine, all, one annotator, gold), switched with a key or the palette and kept per project.

The session holds every annotator's annotations and indexes only the layer shown, so switching costs
one rebuild of that index and every other key stays as cheap as before.
"""

from __future__ import annotations

from reader.errors import ReaderError
from reader.model.annotation import Annotation
from reader.model.layers import Layer, next_layer
from reader.session import ReadingSession
from reader.text import plural
from reader.tui.screens.document_edits import AnnotationEditing


class LayerSwitching(AnnotationEditing):
    """Switching the annotator layer; the layer decides whose a new annotation is."""

    def action_annotator_layer(self) -> None:
        """The next layer: all, mine, each other annotator of this document, gold."""
        session = self.session
        if session is None:
            return
        me = self.reader.annotator
        self.show_layer(next_layer(session.shown_layer, me, session.annotators()))

    def show_layer(self, layer: Layer) -> None:
        """Show `layer` (the palette's layer commands, the layer key) and keep it for the project."""
        session = self.session
        if session is None:
            self.notify("Open a document first.", timeout=2)
            return
        session.cancel_selection()
        session.set_layer(layer)
        self._keep_layer(layer)
        self.show_document_note()
        count = len(session.annotations)
        me = self.reader.annotator
        self.notify(
            f"Showing {layer.describe(me)}: {plural(count, 'annotation')} here.",
            timeout=3,
            markup=False,
        )
        self.refresh_all()

    def _keep_layer(self, layer: Layer) -> None:
        store = self.reader.store
        if store is None or store.read_only:
            return  # shown for this session only
        try:
            self.reader.user_state.save_layer(layer)
        except ReaderError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def show_document_note(self) -> None:
        raise NotImplementedError

    def stored_layer(self) -> Layer:
        return self.reader.user_state.layer()

    def reveal(self, annotation: Annotation, session: ReadingSession | None = None) -> None:
        """An annotation asked for by id (the palette, the panel, a link) that the layer hides: show
        all annotators, and say so. `session`: the one being opened, before the screen holds it."""
        session = session or self.session
        if session is None or session.shows(annotation):
            return
        session.set_layer(Layer("all"))
        self._keep_layer(Layer("all"))
        self.show_document_note()
        self.notify(
            f"Showing all annotators: that annotation is {annotation.author}'s.",
            timeout=3,
            markup=False,
        )

    def new_author(self) -> str | None:
        """Whose a new annotation is: the user's (mine, all), gold's in the gold layer; None, said to
        the user, while another annotator's layer is shown."""
        me = self.reader.annotator
        layer = self.session.shown_layer if self.session is not None else Layer()
        author = layer.writer(me)
        if author is None:
            key = self.key_for("document.annotator_layer")
            self.notify(
                f"Showing {layer.describe(me)}: nothing is written in another annotator's name; "
                f"{key} switches to your layer, all or gold.",
                timeout=4,
                markup=False,
            )
        return author
