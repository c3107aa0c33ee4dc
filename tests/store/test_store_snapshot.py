"""The checksummed snapshot: intact ones open without re-validating, edited ones are still checked."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from reader.model.annotation import Annotation, annotation_for
from reader.store import AnnotationStore, StoreCorruptError
from tests.store.store_child import SHA, TEXT


def ann(doc: str = "doc", start: int = 0, **fields: object) -> Annotation:
    return annotation_for(doc, TEXT, SHA, start, start + 8, **fields)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store.json"


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of every annotation validated from now on."""
    seen: list[str] = []
    original = Annotation._check

    def counting(self: Annotation) -> None:
        seen.append(self.id)
        original(self)

    monkeypatch.setattr(Annotation, "_check", counting)
    return seen


def files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.suffix != ".lock"}


def make_store(path: Path) -> list[Annotation]:
    added = [ann("a", 0, note="first"), ann("a", 20), ann("b", 40, tags=["x"]), ann("c", 60)]
    with AnnotationStore.open(path) as store:
        store.add_many(added)
    return sorted(added, key=lambda a: a.sort_key)


def test_intact_snapshot_opens_without_validating_every_record(
    path: Path, checks: list[str]
) -> None:
    added = make_store(path)
    checks.clear()
    with AnnotationStore.open(path) as store:
        assert store.counts() == {"a": 2, "b": 1, "c": 1} and len(store) == 4
        assert store.get(added[2].id) == added[2]
        assert store.annotations() == added
        assert store.undo() and len(store) == 0
    assert checks == []


def test_in_place_edit_with_a_bad_span_is_caught_and_named(path: Path, checks: list[str]) -> None:
    added = make_store(path)
    raw = path.read_bytes()
    # Same length, still valid JSON and still the snapshot's layout: only the checksum can tell.
    at = raw.rindex(b'"start":20,"end":28')  # the annotations table (the history comes first)
    path.write_bytes(raw[:at] + b'"start":20,"end":29' + raw[at + 19 :])
    before = files(path)
    with pytest.raises(StoreCorruptError, match=r"table 'annotations' record 2: .*span 20-29"):
        AnnotationStore.open(path)
    assert files(path) == before
    assert added[1].id in checks  # the record was checked, not trusted


def test_valid_hand_edit_is_loaded_checked_and_rewritten_with_the_checksum(
    path: Path, checks: list[str]
) -> None:
    added = make_store(path)
    edited = path.read_bytes().replace(b'"note":"first"', b'"note":"fixed"')  # history too
    path.write_bytes(edited)
    checks.clear()
    with AnnotationStore.open(path) as store:
        got = store.get(added[0].id)
        assert got is not None and got.note == "fixed"
    assert set(checks) == {a.id for a in added}
    assert path.with_name("store.json.bak.1").read_bytes() == edited  # their file, as a backup
    checks.clear()
    with AnnotationStore.open(path) as store:
        assert [a.note for a in store.annotations()][:1] == ["fixed"]
    assert checks == []  # rewritten on the first open, so the second is fast again


def test_index_is_never_trusted_without_the_checksum(path: Path) -> None:
    added = make_store(path)
    raw = path.read_bytes()
    header = raw[: raw.index(b"\n")]
    bogus = "Z" * len(added[0].id)
    path.write_bytes(header.replace(added[0].id.encode(), bogus.encode()) + raw[len(header) :])
    with AnnotationStore.open(path) as store:
        assert store.get(bogus) is None
        assert store.annotations() == added


def test_edited_checksum_falls_back_to_checking_every_record(path: Path, checks: list[str]) -> None:
    added = make_store(path)
    raw = path.read_bytes()
    path.write_bytes(re.sub(rb'"crc32":\d+', b'"crc32":1', raw, count=1))
    checks.clear()
    with AnnotationStore.open(path, read_only=True) as store:
        assert store.annotations() == added
    assert set(checks) == {a.id for a in added}


def test_untouched_documents_are_copied_and_changed_ones_renumbered(path: Path) -> None:
    added = make_store(path)
    with AnnotationStore.open(path) as store:
        store.update(added[2].id, note="changed")  # document b only
        extra = store.add(ann("b", 100))
        store.delete(added[3].id)  # document c, now empty
        assert store._pending.keys() == {"a"}  # a was never parsed
    records = TinyDB(path).table("annotations").all()
    assert len(records) == 4  # no record number was used twice (JSON would keep only one)
    assert len({r.doc_id for r in records}) == 4
    assert [r["id"] for r in records] == [added[0].id, added[1].id, added[2].id, extra.id]
    with AnnotationStore.open(path) as store:
        assert store.counts() == {"a": 2, "b": 2}
        assert [a.note for a in store.annotations("b")] == ["changed", ""]
        store.annotations()  # every document parsed: the next snapshot numbers them afresh
        store.add(ann("d", 8))
    assert [r.doc_id for r in TinyDB(path).table("annotations").all()] == [1, 2, 3, 4, 5]


def test_history_that_was_never_read_survives_a_compaction(path: Path) -> None:
    first, second = ann("a", 0), ann("b", 8)
    with AnnotationStore.open(path) as store:
        store.add(first)
        store.add(second)
    with AnnotationStore.open(path) as store:
        store.meta["position"] = {"offset": 3}  # a write that does not touch the history
        assert store._history is not None
    with AnnotationStore.open(path) as store:
        assert store.undo() and store.undo() and not store.can_undo
        assert len(store) == 0
        assert store.redo() and store.annotations() == [first]


def test_counts_follow_writes_without_parsing(path: Path) -> None:
    added = make_store(path)
    with AnnotationStore.open(path) as store:
        store.add(ann("z", 0))
        store.delete(added[3].id)
        assert store.counts() == {"a": 2, "b": 1, "z": 1}
        assert store._pending.keys() == {"a", "b"}
        assert store.counts() == dict(Counter(a.doc for a in store.annotations()))


def test_snapshot_layout_is_plain_tinydb_json(path: Path) -> None:
    added = make_store(path)
    data = orjson.loads(path.read_bytes())
    assert list(data) == ["reader", "meta", "history", "annotations"]
    assert [r["id"] for r in data["annotations"].values()] == [a.id for a in added]
    with TinyDB(path) as db:
        assert db.table("reader").get(doc_id=1)["seq"] == 1
        assert len(db.table("annotations")) == 4


def test_short_writes_while_compacting_still_give_a_whole_snapshot(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_writev = os.writev

    def stingy(fd: int, buffers: list[bytes | memoryview]) -> int:
        return real_writev(fd, [memoryview(buffers[0])[:5]])  # the kernel may write less

    monkeypatch.setattr("reader.store.journal.os.writev", stingy)
    added = make_store(path)
    monkeypatch.undo()
    with AnnotationStore.open(path) as store:
        assert store._fast and store.annotations() == added


def test_a_large_history_and_document_load_without_validating_and_leave_the_collector_on(
    path: Path, checks: list[str]
) -> None:
    # Thousands of annotations are built with the collector paused: it must be on again after,
    # and the trusted annotations must be whole ones (equal, hashable, frozen, replaceable).
    import dataclasses
    import gc

    added = [ann("big", start % 100, note=f"n{start}", tags=["t"]) for start in range(3_000)]
    with AnnotationStore.open(path) as store:
        store.add_many(added)
    checks.clear()
    assert gc.isenabled()
    with AnnotationStore.open(path) as store:
        loaded = store.annotations("big")
        assert gc.isenabled()
        assert sorted(loaded, key=lambda a: a.id) == sorted(added, key=lambda a: a.id)
        assert {hash(a) for a in loaded} == {hash(a) for a in added}
        with pytest.raises(dataclasses.FrozenInstanceError):
            loaded[0].note = "changed"  # type: ignore[misc]
        assert store.undo() and len(store) == 0  # the history, loaded too
        assert gc.isenabled() and checks == []
        assert store.redo() and store.get(added[5].id) == added[5]
    assert dataclasses.replace(loaded[0], note="changed").note == "changed"
