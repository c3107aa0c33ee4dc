"""The reading position survives `kill -9`: the app keeps it every few seconds while reading, so a crash
loses at most the last seconds, and the next start reopens the document there."""

from __future__ import annotations

from pathlib import Path

from reader.store.annotation_store import AnnotationStore
from reader.user_state import UserState
from tests.tui.pty_app import PtyApp


def kept_position(store_path: Path) -> tuple[str | None, dict[str, float]]:
    with AnnotationStore.open(store_path, read_only=True) as store:
        state = UserState(dict(store.meta))
        doc = state.last_document()
        return doc, state.position(doc) if doc else {}


def test_the_position_survives_kill_9(project: Path, tmp_path: Path) -> None:
    store_path = project / "annotations" / "store.json"
    env = {"READER_CONFIG": str(tmp_path / "none.toml")}
    app = PtyApp([str(project)], env)
    try:
        app.open_first_document(moves=5)
        # Kept while the app runs, without leaving the document (the store is readable meanwhile).
        app.kill_once(lambda: kept_position(store_path)[1].get("offset", 0) > 0)
    finally:
        app.close()
    doc, position = kept_position(store_path)
    assert doc is not None and position.get("offset", 0) > 0
    assert position.get("furthest", 0) > 0  # the Read column has it too
    # The next start reopens that document at that sentence.
    again = PtyApp([str(project)], env)
    try:
        again.wait_for("sentence 6/")
        again.send("q")
    finally:
        again.close()
