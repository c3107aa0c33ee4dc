"""Recovery: torn saves, corrupt, empty, hand-edited and externally replaced stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from reader.model.annotation import Annotation, annotation_for
from reader.store import AnnotationStore, StoreChangedError, StoreCorruptError
from tests.store.store_child import SHA, TEXT


def ann(start: int = 0, **fields: object) -> Annotation:
    return annotation_for("doc", TEXT, SHA, start, start + 8, **fields)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store.json"


def journal(path: Path) -> Path:
    return path.with_name("store.json.journal")


def files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.suffix != ".lock"}


def crashed_store(path: Path, count: int = 3) -> list[Annotation]:
    """A store whose writer died without closing: everything since opening is in the journal."""
    store = AnnotationStore.open(path)
    added = [store.add(ann(i)) for i in range(count)]
    store._journal.close()
    store._lock.release()  # what the kernel does when the process dies
    return added


def test_journal_is_replayed_after_a_crash(path: Path) -> None:
    added = crashed_store(path)
    with AnnotationStore.open(path) as store:
        assert store.annotations() == added
        assert store.warnings == []


@pytest.mark.parametrize("tail", [b"0badc0de {", b'12345678 {"seq": 4, "op"', b"\x00" * 300])
def test_torn_final_record_is_dropped_with_a_warning(path: Path, tail: bytes) -> None:
    added = crashed_store(path)
    with journal(path).open("ab") as handle:
        handle.write(tail)
    with AnnotationStore.open(path) as store:
        assert store.annotations() == added
        assert len(store.warnings) == 1 and "unfinished save" in store.warnings[0]
        assert "no saved work is lost" in store.warnings[0]
        later = store.add(ann(50))  # appending after the dropped tail must keep the journal sound
    with AnnotationStore.open(path) as store:
        assert store.annotations() == [*added, later] and store.warnings == []


def test_complete_final_line_with_bad_checksum_is_treated_as_torn(path: Path) -> None:
    added = crashed_store(path)
    lines = journal(path).read_bytes().splitlines(keepends=True)
    journal(path).write_bytes(b"".join(lines[:-1]) + b"ffffffff" + lines[-1][8:])
    with AnnotationStore.open(path) as store:
        assert store.annotations() == added[:-1]
        assert "checksum mismatch" in store.warnings[0]


def test_read_only_open_drops_torn_tail_without_touching_files(path: Path) -> None:
    added = crashed_store(path)
    with journal(path).open("ab") as handle:
        handle.write(b"00000000 {")
    before = files(path)
    with AnnotationStore.open(path, read_only=True) as store:
        assert store.annotations() == added and store.warnings
    assert files(path) == before


def test_bad_record_followed_by_good_ones_is_corruption(path: Path) -> None:
    crashed_store(path)
    lines = journal(path).read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b'"doc"', b'"dog"')
    journal(path).write_bytes(b"".join(lines))
    before = files(path)
    with pytest.raises(StoreCorruptError, match=r"line 2 .*checksum mismatch.*line 3") as info:
        AnnotationStore.open(path)
    assert "store.json.journal" in str(info.value) and "delete line 2" in str(info.value)
    assert files(path) == before


def test_journal_from_another_snapshot_is_corruption(path: Path) -> None:
    crashed_store(path)
    with AnnotationStore.open(path) as store:
        store.add(ann(60))
    # An old backup put back while the journal holds later saves: applying them would lose work.
    store = AnnotationStore.open(path)
    store.add(ann(70))
    store._journal.close()
    store._lock.release()
    shutil.copy(path.with_name("store.json.bak.1"), path)
    before = files(path)
    with pytest.raises(StoreCorruptError, match="does not belong"):
        AnnotationStore.open(path)
    assert files(path) == before


def test_crash_between_replace_and_truncate_replays_nothing_twice(path: Path) -> None:
    added = crashed_store(path)
    kept = journal(path).read_bytes()
    with AnnotationStore.open(path) as store:
        store.compact()
    journal(path).write_bytes(kept)  # as if the truncate never happened
    with AnnotationStore.open(path) as store:
        assert store.annotations() == added
        assert store.undo() and len(store) == 2  # history was not doubled either


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty \\(0 bytes\\)"),
        (b'{"reader": {"1": {"schema": "reader-annot', "line 1 column 42"),
        (b'{"reader": {"1": {}},\n "annotations": {"1": {"id": }}}', "line 2 column"),
        (b"[1, 2, 3]", "expected a TinyDB file"),
        (b'{"annotations": []}', "table 'annotations' is not an object"),
        (b'{"annotations": {"x": {}}}', "record 'x' is not a TinyDB record"),
        (b'{"_default": {}}', "not a reader store"),
    ],
)
def test_unreadable_snapshot_is_reported_and_left_alone(
    path: Path, content: bytes, message: str
) -> None:
    with AnnotationStore.open(path) as store:
        store.add(ann())
    path.write_bytes(content)
    before = files(path)
    with pytest.raises(StoreCorruptError, match=message) as info:
        AnnotationStore.open(path)
    assert str(path) in str(info.value) and "store.json.bak.1" in str(info.value)
    assert files(path) == before


def test_hand_edited_snapshot_is_loaded_when_valid_and_named_when_not(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        a = store.add(ann(note="before"))
        store.add(ann(20))
    data = orjson.loads(path.read_bytes())
    data["annotations"]["1"]["note"] = "edited by hand"
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    with AnnotationStore.open(path) as store:
        got = store.get(a.id)
        assert got is not None and got.note == "edited by hand"
    data = orjson.loads(path.read_bytes())
    data["annotations"]["2"]["start"] = 99
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(StoreCorruptError, match=r"table 'annotations' record 2: .*start"):
        AnnotationStore.open(path)


def test_snapshot_replaced_while_open_is_not_overwritten(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        store.add(ann(note="mine"))
    store = AnnotationStore.open(path)
    late = store.add(ann(30, note="late"))
    data = orjson.loads(path.read_bytes())
    data["annotations"]["1"]["note"] = "theirs"
    replacement = path.with_name("other.json")
    replacement.write_bytes(orjson.dumps(data))
    replacement.replace(path)  # another program swaps the file under us
    theirs = path.read_bytes()
    with pytest.raises(StoreChangedError, match=r"safe in store\.json\.journal"):
        store.close()
    assert path.read_bytes() == theirs
    # Reopening combines their edit with our journalled save.
    with AnnotationStore.open(path) as store:
        assert [x.note for x in store.annotations()] == ["theirs", "late"]
        assert store.get(late.id) == late


def test_size_triggered_compaction_does_not_fail_a_write_when_snapshot_changed(
    path: Path,
) -> None:
    with AnnotationStore.open(path, compact_bytes=1_000) as store:
        store.add(ann())
    store = AnnotationStore.open(path, compact_bytes=1_000)
    path.write_bytes(path.read_bytes() + b"\n")  # edited in place: size and mtime change
    added = [store.add(ann(i)) for i in range(1, 6)]
    assert all(store.get(a.id) == a for a in added)
    assert any("replaced or edited" in w for w in store.warnings)
    with pytest.raises(StoreChangedError):
        store.close()


def test_stale_temporary_snapshots_are_removed(path: Path) -> None:
    with AnnotationStore.open(path) as store:
        store.add(ann())
    leftover = path.with_name("store.json.tmp-123-abcd")
    leftover.write_bytes(b"{half a snaps")
    with AnnotationStore.open(path) as store:
        assert len(store) == 1
    assert not leftover.exists()


def test_deleted_snapshot_with_journal_from_the_start_is_rebuilt(path: Path) -> None:
    added = crashed_store(path)
    path.unlink()
    with AnnotationStore.open(path) as store:
        assert store.annotations() == added
    assert path.exists()
