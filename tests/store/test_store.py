"""The annotation store's public API: writes, reads, undo/redo, meta, listeners, lock, compaction."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import orjson
import pytest
import tinydb
from tinydb import TinyDB

from reader.errors import AnnotationError, ReaderError
from reader.model.annotation import Annotation, annotation_for
from reader.store import AnnotationStore, ReadOnlyStoreError, StoreError, StoreLockedError
from reader.store.journal import SnapshotStorage
from tests.store.store_child import SHA, TEXT


def ann(doc: str = "doc", start: int | None = 0, length: int = 8, **fields: object) -> Annotation:
    end = None if start is None else start + length
    return annotation_for(doc, TEXT, SHA, start, end, **fields)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations" / "store.json"


def test_missing_store_is_created_and_plain_tinydb_opens_it(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        assert len(store) == 0
        assert store  # an empty store is still truthy, so `if store:` checks it is open
    assert path.exists()
    assert TinyDB(path).table("reader").get(doc_id=1)["schema"] == "reader-annotations/1"


def test_add_get_and_document_order(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        late, early, note, other = ann(start=50), ann(start=10), ann(start=None), ann("a-doc")
        for a in (late, early, note, other):
            assert store.add(a) == a
        assert store.get(early.id) == early and store.get("nope") is None
        assert store.annotations("doc") == [note, early, late]
        assert store.annotations() == [other, note, early, late]
        assert store.annotations("unknown") == []
        assert len(store) == 4 and late.id in store


def test_writes_are_durable_before_close(path: Path) -> None:
    writer = AnnotationStore.open(path)
    a = writer.add(ann(label="claim"))
    writer.update(a.id, note="why")
    writer.meta["position"] = {"doc": 120}
    # Nothing compacted yet: a second reader sees the writes from the synced journal alone.
    with AnnotationStore.open(path, read_only=True) as reader:
        got = reader.get(a.id)
        assert got is not None and got.note == "why"
        assert reader.meta["position"] == {"doc": 120}
    writer.close()


def test_results_are_copies(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann(tags=["x"]))
        listing = store.annotations()
        listing.clear()
        assert store.annotations() == [a]
        with pytest.raises(AttributeError):
            store.annotations()[0].note = "mutated"  # type: ignore[misc]
        store.meta["dismissed"] = ["s1"]
        store.meta["dismissed"].append("s2")
        assert store.meta["dismissed"] == ["s1"]


def test_add_existing_id_is_refused(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann())
        with pytest.raises(StoreError, match="already exists"):
            store.add(a)
        with pytest.raises(StoreError, match="already exists"):
            store.add_many([ann(id="01AAAAAAAAAAAAAAAAAAAAAAAA")] * 2)
        assert len(store) == 1


def test_update_validates_and_sets_modified(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann(created="2020-01-01T00:00:00.000Z", modified="2020-01-01T00:00:00.000Z"))
        b = store.update(a.id, label="premise", tags=["Economy"])
        assert (b.label, b.tags, b.created) == ("premise", ("economy",), a.created)
        assert b.modified > a.modified and store.get(a.id) == b
        with pytest.raises(AnnotationError):
            store.update(a.id, start=-5)
        with pytest.raises(AnnotationError, match="cannot be changed"):
            store.update(a.id, doc="elsewhere")
        with pytest.raises(StoreError, match="no annotation"):
            store.update("missing", note="x")
        assert store.get(a.id) == b


def test_update_that_changes_nothing_writes_nothing(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann(note="same"))
        size = store._journal.size
        assert store.update(a.id, note="same") == a
        assert store._journal.size == size


def test_delete(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann())
        store.delete(a.id)
        assert store.get(a.id) is None and store.annotations() == []
        with pytest.raises(StoreError, match="no annotation"):
            store.delete(a.id)


def test_undo_redo_each_kind_of_change(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        assert store.undo() is False and store.redo() is False
        a = store.add(ann())
        b = store.update(a.id, note="edited")
        store.delete(a.id)
        assert store.undo() and store.get(a.id) == b
        assert store.undo() and store.get(a.id) == a
        assert store.undo() and store.get(a.id) is None
        assert store.undo() is False
        assert store.redo() and store.get(a.id) == a
        assert store.redo() and store.get(a.id) == b
        assert store.can_redo
        store.add(ann())  # a new change forgets what could be redone
        assert store.redo() is False and not store.can_redo


def test_undo_redo_across_reopen(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann())
        store.update(a.id, note="first")
        store.update(a.id, note="second")
        store.undo()
    with AnnotationStore.open(path) as store:
        got = store.get(a.id)
        assert got is not None and got.note == "first"
        assert store.redo()
    with AnnotationStore.open(path) as store:
        assert [x.note for x in store.annotations()] == ["second"]
        assert store.undo() and store.undo() and store.undo()
        assert store.annotations() == []


def test_add_many_is_one_undo_step(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        first = store.add(ann())
        store.add_many([ann(start=i) for i in range(10, 20)])
        assert len(store) == 11
        store.undo()
        assert store.annotations() == [first]


def test_meta_persists_and_deletes(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        store.meta["position:doc"] = 42
        store.meta["gone"] = True
        del store.meta["gone"]
        with pytest.raises(KeyError):
            del store.meta["gone"]
        with pytest.raises(TypeError):
            store.meta["bad"] = {1, 2}
        assert dict(store.meta) == {"position:doc": 42}
        store.meta["position:doc"] = 42  # unchanged: no write
    with AnnotationStore.open(path) as store:
        assert dict(store.meta) == {"position:doc": 42}
        assert store.meta.get("gone") is None
        assert store.undo() is False  # meta is not an undoable edit


def test_listeners_see_every_change_including_undo(path: Path) -> None:
    seen: list[tuple[str, str | None, str | None]] = []

    def listener(op: str, before: Annotation | None, after: Annotation | None) -> None:
        seen.append((op, before and before.note, after and after.note))

    with AnnotationStore.open(path) as store:
        unsubscribe = store.subscribe(listener)
        a = store.add(ann(note="n1"))
        store.update(a.id, note="n2")
        store.delete(a.id)
        store.undo()
        store.undo()
        store.redo()
        unsubscribe()
        store.undo()
    assert seen == [
        ("add", None, "n1"),
        ("update", "n1", "n2"),
        ("delete", "n2", None),
        ("add", None, "n2"),
        ("update", "n2", "n1"),
        ("update", "n1", "n2"),
    ]


def test_failing_listener_does_not_undo_a_saved_write(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(op: str, before: Annotation | None, after: Annotation | None) -> None:
        raise RuntimeError("index is broken")

    with AnnotationStore.open(path) as store:
        store.subscribe(broken)
        with caplog.at_level(logging.ERROR):
            a = store.add(ann())
        assert store.get(a.id) == a
        assert "listener" in caplog.text


def test_second_writer_is_locked_out_and_told_who_holds_it(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        store.add(ann())
        with pytest.raises(StoreLockedError, match=f"pid {os.getpid()}") as info:
            AnnotationStore.open(path)
        assert "read-only" in str(info.value) and isinstance(info.value, ReaderError)
        with AnnotationStore.open(path, read_only=True) as reader:
            assert len(reader) == 1
    with AnnotationStore.open(path) as store:  # released on close
        assert len(store) == 1


def test_read_only_store_refuses_writes(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann())
    with AnnotationStore.open(path, read_only=True) as store:
        for write in (
            lambda: store.add(ann()),
            lambda: store.update(a.id, note="x"),
            lambda: store.delete(a.id),
            lambda: store.undo(),
            lambda: store.meta.__setitem__("k", 1),
            store.compact,
        ):
            with pytest.raises(ReadOnlyStoreError, match="read-only"):
                write()
        assert store.get(a.id) == a


def test_read_only_open_of_missing_store_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no annotation store"):
        AnnotationStore.open(tmp_path / "typo.json", read_only=True)
    assert list(tmp_path.iterdir()) == []


def test_closed_store_refuses_writes(path: Path) -> None:
    store = AnnotationStore.open(path)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.add(ann())


def test_close_compacts_into_a_snapshot_plain_tinydb_reads(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann(label="claim", tags=["t"]))
    assert path.with_name("store.json.journal").stat().st_size == 0
    records = TinyDB(path).table("annotations").all()
    assert [Annotation.from_json(dict(r)) for r in records] == [a]


def test_journal_size_triggers_compaction_and_three_backups_are_kept(path: Path) -> None:
    with AnnotationStore.open(path, compact_bytes=2_000) as store:
        for i in range(200):
            store.add(ann(start=i))
        # The journal may grow to the snapshot's size before it is folded in (amortised cost).
        assert store._journal.size <= max(2_000, path.stat().st_size) + 2_000
        backups = sorted(p.name for p in path.parent.glob("store.json.bak.*"))
        assert backups == ["store.json.bak.1", "store.json.bak.2", "store.json.bak.3"]
    with AnnotationStore.open(path) as store:
        assert len(store) == 200
    previous = orjson.loads(path.with_name("store.json.bak.1").read_bytes())
    assert previous["reader"]["1"]["seq"] < orjson.loads(path.read_bytes())["reader"]["1"]["seq"]


def test_maybe_compact_waits_for_idle(path: Path) -> None:
    with AnnotationStore.open(path, idle_seconds=3600) as store:
        assert store.maybe_compact() is False  # nothing to do
        store.add(ann())
        assert store.maybe_compact() is False  # written just now
        store.idle_seconds = 0
        assert store.maybe_compact() is True
        assert store._journal.size == 0


def test_annotations_serialise_as_their_json_form() -> None:
    # Snapshots and journal records hand the dataclasses straight to orjson.
    a = ann(tags=["b", "a"], links=[{"type": "supports", "to": "01X"}], note="ü\n")
    assert orjson.loads(orjson.dumps(a)) == a.to_json()


def test_tinydb_integration_points_still_hold(tmp_path: Path) -> None:
    # Fails loudly if a TinyDB upgrade changes the Storage/Table contract the store is built on.
    assert tinydb.__version__.startswith("4.9.")
    file = tmp_path / "db.json"
    db = TinyDB(file, storage=SnapshotStorage)
    doc_id = db.table("things").insert({"name": "first"})
    db.table("things").update({"name": "second"}, doc_ids=[doc_id])
    db.close()
    assert TinyDB(file).table("things").get(doc_id=doc_id) == {"name": "second"}
    reopened = TinyDB(file, storage=SnapshotStorage)
    assert reopened.table("things").all() == [{"name": "second"}]
    assert path_names(tmp_path) == ["db.json", "db.json.bak.1"]


def path_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
