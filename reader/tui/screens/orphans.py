"""The orphans view: a document's annotations whose text is gone from it since they were made. Each keeps
its quote, note, tags and links. `r` (or enter) re-attaches one: the view closes and the next selection
plus the re-attach key on the document puts it there; `d` deletes one (undoable with `u` there).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from reader.errors import ReaderError
from reader.model.annotation import Annotation
from reader.model.labels import label_name
from reader.text import plural
from reader.tui.base import ReaderModal
from reader.tui.safe import safe


class OrphansScreen(ReaderModal[str | None]):
    """Lists the orphans of one document; dismisses with the id of the one to re-attach, or None."""

    BINDINGS = [
        Binding("r,enter", "reattach", "Re-attach", id="orphans.reattach"),
        Binding("d", "delete", "Delete", id="orphans.delete"),
        Binding("escape", "close", "Back", id="orphans.back"),
    ]

    DEFAULT_CSS = """
    OrphansScreen { align: center middle; }
    OrphansScreen > Vertical { width: 90%; height: 80%; border: round $warning; padding: 0 1; }
    OrphansScreen DataTable { height: 1fr; }
    """

    def __init__(self, doc_id: str) -> None:
        super().__init__()
        self.doc_id = doc_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(safe(f"Orphaned annotations of {self.doc_id}", "bold"), id="orphans-title")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="orphans-table")
            yield Label("r re-attach to a new selection   d delete   escape back", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("label", "quote", "note", "tags")
        self._fill()
        table.focus()

    def orphans(self) -> list[Annotation]:
        store = self.reader.store
        found = store.annotations(self.doc_id) if store is not None else []
        return [ann for ann in found if ann.orphaned]

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        orphans = self.orphans()
        for ann in orphans:
            table.add_row(
                safe(label_name(ann.label)),
                safe(_short(ann.quote, 60)),
                safe(_short(ann.note, 40)),
                safe(" ".join(ann.tags)),
                key=ann.id,
            )
        title = f"{plural(len(orphans), 'orphaned annotation')} of {self.doc_id}"
        self.query_one("#orphans-title", Label).update(safe(title, "bold"))

    def _chosen(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def action_reattach(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            self.notify("No orphan to re-attach.", timeout=3)
            return
        self.dismiss(chosen)

    def action_delete(self) -> None:
        chosen, store = self._chosen(), self.reader.store
        if chosen is None or store is None:
            self.notify("No orphan to delete.", timeout=3)
            return
        if store.read_only:
            self.notify("The store is open read-only: nothing can be deleted.", severity="warning")
            return
        try:
            store.delete(chosen)
        except ReaderError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify("Deleted the orphan · u on the document to undo", timeout=3)
        self._fill()
        if not self.query_one(DataTable).row_count:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
