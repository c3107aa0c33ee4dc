"""Undoable meta changes (dismissed suggestions) share the undo history with annotation changes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from reader.model.annotation import Annotation, annotation_for
from reader.store import AnnotationStore, MetaChange, StoreCorruptError
from tests.store.store_child import SHA, TEXT

KEY = "dismissed:doc"


def ann(start: int = 0, **fields: object) -> Annotation:
    return annotation_for("doc", TEXT, SHA, start, start + 8, **fields)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store.json"


def test_undo_takes_back_the_dismissal_not_the_change_before_it(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann(label="claim"))
        store.set_meta(KEY, {"spans": ["0-8"]}, undoable=True)
        store.meta["position:doc"] = {"offset": 5}  # not a user's change: no undo step
        assert store.undo()
        assert KEY not in store.meta and store.get(a.id) == a
        assert store.meta["position:doc"] == {"offset": 5}
        assert store.redo() and store.meta[KEY] == {"spans": ["0-8"]}
        assert store.undo() and store.undo()
        assert store.annotations() == [] and KEY not in store.meta
        assert not store.can_undo


def test_undo_restores_the_previous_value_and_null_stays_distinct_from_absent(
    path: Path,
) -> None:
    with AnnotationStore.open(path) as store:
        store.set_meta(KEY, None, undoable=True)
        store.set_meta(KEY, {"spans": ["0-8"]}, undoable=True)
        store.set_meta(KEY, {"spans": ["0-8"]}, undoable=True)  # unchanged: no step
        assert store.undo() and KEY in store.meta and store.meta[KEY] is None
        assert store.undo() and KEY not in store.meta
        assert not store.can_undo


def test_steps_describe_what_undo_and_redo_would_do(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        assert store.undo_step() is None and store.redo_step() is None
        a = store.add(ann())
        assert store.undo_step() == [(None, a)]
        store.set_meta(KEY, {"spans": ["0-8"]}, undoable=True)
        [change] = store.undo_step() or []
        assert isinstance(change, MetaChange)
        assert (change.key, change.old, change.new) == (KEY, None, {"spans": ["0-8"]})
        store.undo()
        assert store.redo_step() == [change] and store.undo_step() == [(None, a)]


@pytest.mark.parametrize("how", ["journal", "snapshot", "edited snapshot"])
def test_undoable_meta_survives_a_restart(path: Path, how: str) -> None:
    store = AnnotationStore.open(path)
    a = store.add(ann(label="claim"))
    store.set_meta(KEY, {"spans": ["0-8"]}, undoable=True)
    store.set_meta(KEY, {"spans": ["0-8", "9-20"]}, undoable=True)
    store.undo()  # one step on the redo stack too
    if how == "journal":  # the writer died: everything is replayed from the journal
        store._journal.close()
        store._lock.release()
    else:
        store.close()
    if how == "edited snapshot":  # no longer the checksummed file: parsed and validated in full
        data = orjson.loads(path.read_bytes())
        path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    with AnnotationStore.open(path) as store:
        assert store.meta[KEY] == {"spans": ["0-8"]}
        assert store.redo() and store.meta[KEY] == {"spans": ["0-8", "9-20"]}
        assert store.undo() and store.undo()
        assert KEY not in store.meta and store.get(a.id) == a
        assert store.undo() and store.annotations() == []


def test_a_broken_meta_change_in_the_history_is_reported(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        store.set_meta(KEY, {"spans": ["0-8"]}, undoable=True)
    data = orjson.loads(path.read_bytes())
    data["history"]["1"]["undo"][0][0] = {"before": 1}
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(StoreCorruptError, match="undo history"):
        AnnotationStore.open(path)
