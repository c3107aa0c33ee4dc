"""Export… (from the command palette): pick a format and a path, watch the progress, get the path back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, Select

from reader.errors import ReaderError
from reader.formats import EXPORT_FORMATS, FOLDER_FORMATS

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

DESCRIPTIONS = {
    "json": "JSON — reader's own, every field",
    "csv": "CSV — pandas, R, spreadsheets",
    "md": "Markdown — a report per document",
    "jsonl": "doccano JSONL — ML training",
    "w3c": "W3C Web Annotation — Hypothesis and friends",
    "brat": "brat standoff folder — brat, INCEpTION",
}
EXTENSIONS = {"json": ".json", "csv": ".csv", "md": ".md", "jsonl": ".jsonl", "w3c": ".jsonld"}


def default_destination(root: Path, fmt: str) -> Path:
    return root / "exports" / f"annotations{EXTENSIONS.get(fmt, '')}"


class ExportScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.running = False

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export all annotations", classes="title")
            yield Select(
                [(DESCRIPTIONS[f], f) for f in EXPORT_FORMATS],
                value="csv",
                allow_blank=False,
                id="format",
            )
            yield Input(str(default_destination(self.root, "csv")), id="path")
            yield ProgressBar(id="progress", show_eta=False)
            yield Label("enter  export      escape  cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#format")
    def format_changed(self, event: Select.Changed) -> None:
        self.query_one("#path", Input).value = str(default_destination(self.root, str(event.value)))

    @on(Input.Submitted, "#path")
    def submitted(self, event: Input.Submitted) -> None:
        if self.running:
            return
        fmt = str(self.query_one("#format", Select).value)
        path = Path(event.value).expanduser()
        if not path.is_absolute():
            path = self.root / path
        store = self.reader.store
        annotations = store.annotations() if store is not None else []
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=max(1, len(annotations)), progress=0)
        self.running = True
        self.run_export(fmt, path, annotations)

    @work(thread=True, exclusive=True)
    def run_export(self, fmt: str, path: Path, annotations: list[object]) -> None:
        from reader.transfer import export

        def advance(count: int) -> None:
            self.app.call_from_thread(self.query_one("#progress", ProgressBar).advance, count)

        try:
            if fmt in FOLDER_FORMATS:
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
            result = export(fmt, annotations, self.reader.corpus, path, advance)  # type: ignore[arg-type]
        except (ReaderError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        dropped = f"; {len(result.dropped)} fields the format cannot hold" if result.dropped else ""
        message = f"Exported {result.written} annotations to {path}{dropped}"
        self.app.call_from_thread(self._done, message)

    def _done(self, message: str) -> None:
        self.app.notify(message, title="Export", markup=False, timeout=10)
        self.dismiss(None)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#progress", ProgressBar).display = False
        self.app.notify(message, title="Export failed", severity="error", markup=False, timeout=10)

    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)
