"""The command palette (ctrl+p): open a document, jump to an annotation, toggle layers."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider

from reader.text import display_safe

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


class ReaderCommands(Provider):
    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.reader
        commands: list[tuple[str, str, object]] = []
        for doc in app.corpus:
            if doc.readable:
                title = display_safe(doc.title)
                commands.append(
                    (
                        f"Open: {title}",
                        f"{doc.author} · {doc.id}",
                        partial(app.open_document, doc.id),
                    )
                )
        if app.store is not None:
            for annotation in app.store.annotations():
                quote = " ".join(display_safe(annotation.quote).split())[:60]
                commands.append(
                    (
                        f"Annotation: {annotation.label or 'note'} “{quote}”",
                        annotation.doc,
                        partial(app.open_annotation, annotation.id),
                    )
                )
        commands.append(("Toggle highlight layers", "claims / facts / annotations", self._layers))
        commands.append(
            ("Export…", "JSON, CSV, Markdown, doccano, W3C, brat", self.reader.action_export)
        )
        commands.append(("Search notes", "the / key", self.reader.action_search))
        return commands

    def _layers(self) -> None:
        from reader.tui.screens.document import DocumentScreen

        screen = self.reader.screen
        if isinstance(screen, DocumentScreen):
            screen.action_layers()
        else:
            self.reader.notify("Open a document first.", timeout=2)

    async def discover(self) -> Hits:
        # Actions first, then documents; annotations are found by typing.
        commands = self._commands()
        for name, help_text, callback in commands[-3:] + commands[:-3][:30]:
            yield Hit(1.0, name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
