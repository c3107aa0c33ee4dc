"""The command palette (ctrl+p): open a document, jump to an annotation, toggle layers, show an
annotator layer.

Titles, authors and quotes come from documents and notes, so every hit is built as `Content` from
plain text: the palette would read a `str` prompt or help as markup, and `[bold]` in a title would
style it, or `[/]` stop the palette with an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Matcher, Provider
from textual.content import Content

from reader.errors import ReaderError
from reader.formats import FORMATS
from reader.model.labels import label_name
from reader.model.layers import GOLD, Layer
from reader.text import display_safe, shorten

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

# As the palette draws help under a command (its `command-palette--help-text` style).
HELP_STYLE = "dim not bold"
ACTIONS = 8  # the commands after the documents, annotations and annotator layers


class ReaderCommands(Provider):
    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.reader
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for doc in app.corpus:
            if doc.readable:
                commands.append(
                    (
                        f"Open: {display_safe(doc.title)}",
                        # No " · " before the id when the corpus has no authors.
                        display_safe(" · ".join(p for p in (doc.author, doc.id) if p)),
                        partial(app.open_document, doc.id),
                    )
                )
        annotators: set[str] = set()
        if app.store is not None:
            for annotation in app.store.annotations():
                annotators.add(annotation.author)
                quote = shorten(display_safe(annotation.quote[:240]), 60)
                label = display_safe(label_name(annotation.label))
                commands.append(
                    (
                        f"Annotation: {label} “{quote}”",
                        display_safe(annotation.doc),
                        partial(app.open_annotation, annotation.id),
                    )
                )
        commands += self._layer_commands(annotators)
        commands.append(("Argument map", "the m key: this document's links as a tree", self._map))
        commands.append(
            (
                "Link from the annotation under the cursor",
                "the l key, then move and press the relation's key",
                self._link,
            )
        )
        commands.append(
            ("Cycle highlights", "all / claims / facts / annotations only / none", self._layers)
        )
        commands.append(
            (
                "Next annotator layer",
                "the L key: all, mine, each annotator, gold",
                partial(self._on_document, "annotator_layer"),
            )
        )
        commands.append(
            ("Export…", ", ".join(f.title for f in FORMATS.values()), self.reader.action_export)
        )
        commands.append(("Search notes", "the / key", self.reader.action_search))
        commands.append(("Statistics", "counts and charts of the corpus", self._stats))
        commands.append(
            ("Adjudicate", "annotators' disagreements into the gold layer", self._adjudicate)
        )
        return commands

    def _layer_commands(self, annotators: set[str]) -> list[tuple[str, str, Callable[[], object]]]:
        """Show one annotator layer: all, mine, gold, and each annotator of the project."""
        me = self.reader.annotator
        layers = [
            ("Layer: all annotators", "every annotator's annotations", Layer("all")),
            (f"Layer: mine ({display_safe(me)})", "your own annotations", Layer("mine")),
            ("Layer: gold", "the adjudicated annotations", Layer("gold")),
        ]
        for name in sorted(annotators - {me, GOLD}, key=str.casefold):
            layers.append(
                (
                    f"Layer: {display_safe(name)}",
                    "one annotator's annotations",
                    Layer("annotator", name),
                )
            )
        return [
            (title, help_text, partial(self._show_layer, layer))
            for title, help_text, layer in layers
        ]

    def _show_layer(self, layer: Layer) -> None:
        from reader.tui.screens.document import DocumentScreen

        screen = self.reader.screen
        if isinstance(screen, DocumentScreen):
            screen.show_layer(layer)
            return
        app = self.reader
        if app.store is not None and not app.store.read_only:
            try:
                app.user_state.save_layer(layer)
            except ReaderError as exc:
                app.notify(str(exc), severity="error", markup=False)
                return
        shown = layer.describe(app.annotator)
        app.notify(f"Documents will show {shown}.", timeout=3, markup=False)

    def _adjudicate(self) -> None:
        from reader.tui.screens.adjudicate import AdjudicationScreen

        app = self.reader
        if app._blocked() or isinstance(app.screen, AdjudicationScreen):
            return
        app.push_screen(AdjudicationScreen())

    def _map(self) -> None:
        self._on_document("argument_map")

    def _link(self) -> None:
        self._on_document("link")

    def _on_document(self, action: str) -> None:
        """Run the document screen's `action_<action>`, or say a document must be open."""
        from reader.tui.screens.document import DocumentScreen

        screen = self.reader.screen
        if isinstance(screen, DocumentScreen):
            getattr(screen, f"action_{action}")()
        else:
            self.reader.notify("Open a document first.", timeout=2)

    def _stats(self) -> None:
        from reader.tui.screens.library import LibraryScreen
        from reader.tui.screens.stats import StatsScreen

        app = self.reader
        if isinstance(app.screen, StatsScreen):
            return
        library = next((s for s in app.screen_stack if isinstance(s, LibraryScreen)), None)
        if library is None:
            app.push_screen(StatsScreen())
        else:
            library.action_stats()

    def _layers(self) -> None:
        from reader.tui.screens.document import DocumentScreen

        screen = self.reader.screen
        if isinstance(screen, DocumentScreen):
            screen.action_layers()
        else:
            self.reader.notify("Open a document first.", timeout=2)

    @staticmethod
    def _hit(score: float, name: Content, help_text: str, callback: Callable[[], object]) -> Hit:
        # The help goes inside the prompt: the palette would parse a separate help string as markup.
        prompt = Content.assemble(name, "\n", Content.styled(help_text, HELP_STYLE))
        return Hit(score, prompt, callback, text=name.plain)

    @staticmethod
    def _highlight(matcher: Matcher, name: str) -> Content:
        """The name as plain text with the letters the query matched highlighted."""
        content = Content(name)
        _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
        for offset in offsets:
            if not name[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
        return content

    async def discover(self) -> Hits:
        # Actions first, then documents; annotations are found by typing.
        commands = self._commands()
        for name, help_text, callback in commands[-ACTIONS:] + commands[:-ACTIONS][:30]:
            yield self._hit(1.0, Content(name), help_text, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield self._hit(score, self._highlight(matcher, name), help_text, callback)


def save_screen_picture(app: ReaderApp) -> Path | None:
    """Save the screen as SVG in <project>/screenshots/ and say where; None if it failed."""
    folder = app.project.root / "screenshots"
    name = time.strftime("reader-%Y-%m-%d-%H%M%S.svg")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        saved = Path(app.save_screenshot(name, str(folder)))
    except OSError as exc:
        app.notify(
            f"{folder}: could not save the screenshot ({exc.strerror or exc}); "
            "make the folder writable",
            title="Screenshot",
            severity="error",
            markup=False,
        )
        return None
    app.notify(f"Saved {saved}", title="Screenshot", markup=False, timeout=8)
    return saved
