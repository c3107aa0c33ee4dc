"""Export… (from the command palette): pick a format and a path, watch the progress, get the path back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, ProgressBar, Select

from reader.errors import ReaderError
from reader.formats import FOLDER_FORMATS, FORMATS
from reader.tui.base import ReaderModal
from reader.tui.safe import SafeInput
from reader.tui.screens.modals import ConfirmScreen

if TYPE_CHECKING:
    pass


def default_destination(root: Path, fmt: str) -> Path:
    return root / "exports" / f"annotations{FORMATS[fmt].extension}"


def _replaces(fmt: str, path: Path) -> str | None:
    """The question to ask before an export would write over something there, or None."""
    try:
        if fmt in FOLDER_FORMATS:
            if path.is_dir() and any(path.iterdir()):
                return (
                    f"{path} already holds files; the export replaces those of the same name. "
                    "Go on?"
                )
            return None
        if path.is_file():
            return f"{path} already exists. Replace it?"
    except OSError:
        pass  # cannot be looked at: the export says why
    return None


class FormatSelect(Select[str]):
    """The format list: space and the arrows open it; enter exports, as it does in the path box."""

    BINDINGS = [Binding("enter", "export", "Export", show=False, id="export.from_formats")]

    def action_export(self) -> None:
        screen = self.screen
        if isinstance(screen, ExportScreen):
            screen.export(screen.query_one("#path", Input).value)


class ExportScreen(ReaderModal[None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]
    AUTO_FOCUS = "#format"

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.running = False
        self.format = "csv"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export all annotations", classes="title")
            yield FormatSelect(
                [(f.label, f.name) for f in FORMATS.values()],
                value=self.format,
                allow_blank=False,
                id="format",
            )
            # Not selected on focus: the first key typed would replace the whole path.
            yield SafeInput(
                str(default_destination(self.root, self.format)), id="path", select_on_focus=False
            )
            yield ProgressBar(id="progress", show_eta=False)
            yield Label(
                "space  formats    tab  path    enter  export    escape  cancel",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        # The format list first: space and enter open it (in the path box space typed a space).
        self.query_one("#format", Select).focus()
        self.query_one("#path", Input).action_end()  # the cursor after the file name

    @on(Select.Changed, "#format")
    def format_changed(self, event: Select.Changed) -> None:
        if str(event.value) == self.format:
            return  # the Changed the list sends when it mounts, or the same format picked again
        self.format = str(event.value)
        box = self.query_one("#path", Input)
        box.value = str(default_destination(self.root, self.format))
        box.action_end()
        # A format picked: on to the path, where enter exports (on the list it reopened the list).
        box.focus()

    @on(Input.Submitted, "#path")
    def submitted(self, event: Input.Submitted) -> None:
        self.export(event.value)

    def export(self, value: str) -> None:
        """Export to the path `value` (relative to the project), asking first before replacing."""
        if self.running:
            return
        fmt = str(self.query_one("#format", Select).value)
        # Blanks around a typed path are never meant (a space pressed after picking the format).
        path = Path(value.strip()).expanduser()
        if not path.is_absolute():
            path = self.root / path
        from reader.transfer.exporting import check_export_destination

        store = self.reader.store
        try:  # refused before being offered to replace it
            check_export_destination(
                fmt, path, self.reader.corpus, store.path if store is not None else None, None
            )
        except ReaderError as exc:
            self._failed(str(exc))
            return
        question = _replaces(fmt, path)
        if question is None:
            self._start(fmt, path)
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self._start(fmt, path)

        self.app.push_screen(ConfirmScreen(question), answered)

    def _start(self, fmt: str, path: Path) -> None:
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

        folder = path if fmt in FOLDER_FORMATS else path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = exc.strerror or str(exc)
            message = (
                f"{folder}: cannot create this folder for the export ({why}); "
                "choose a path in a folder you can write to"
            )
            self.app.call_from_thread(self._failed, message)
            return
        try:
            result = export(fmt, annotations, self.reader.corpus, path, advance, option=None)  # type: ignore[arg-type]
        except ReaderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except OSError as exc:
            why = exc.strerror or str(exc)
            message = (
                f"{exc.filename or path}: could not write the export ({why}); choose another path"
            )
            self.app.call_from_thread(self._failed, message)
            return
        summary = result.summary()  # "exported 1 annotation to …", as the CLI says it
        self.app.call_from_thread(self._done, summary[:1].upper() + summary[1:])

    def _done(self, message: str) -> None:
        self.app.notify(message, title="Export", markup=False, timeout=5)
        self.dismiss(None)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#progress", ProgressBar).display = False
        self.app.notify(message, title="Export failed", severity="error", markup=False, timeout=10)

    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)
