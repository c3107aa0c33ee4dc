"""Batch writes: several adds and updates in one synced journal record and one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import AnnotationError
from reader.store import AnnotationStore, StoreError
from tests.store.test_store import ann


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations" / "store.json"


def journal_lines(path: Path) -> int:
    journal = path.with_name(path.name + ".journal")
    return journal.read_bytes().count(b"\n") if journal.exists() else 0


def test_update_many_is_one_write_and_one_undo_step(path: Path) -> None:
    anns = [ann(start=i) for i in range(0, 50, 10)]
    with AnnotationStore.open(path) as store:
        store.add_many(anns)
        before = journal_lines(path)
        result = store.update_many([(a.id, {"note": f"note {n}"}) for n, a in enumerate(anns)])
        assert journal_lines(path) == before + 1
        assert [a.note for a in result] == [f"note {n}" for n in range(5)]
        assert [store.get(a.id) for a in anns] == result
    with AnnotationStore.open(path) as store:  # durable, and undoable across a restart
        assert [store.get(a.id) for a in anns] == result
        assert store.undo()
        assert [store.get(a.id) for a in anns] == anns
        assert store.undo() and len(store) == 0  # the add_many before it: one step too
        assert store.redo() and store.redo()
        assert [store.get(a.id) for a in anns] == result


def test_write_many_adds_and_updates_in_one_step(path: Path) -> None:
    old = [ann(start=0), ann(start=10)]
    new = [ann(start=20), ann(start=30)]
    events: list[str] = []
    with AnnotationStore.open(path) as store:
        store.add_many(old)
        store.subscribe(lambda op, before, after: events.append(op))
        before = journal_lines(path)
        added, updated = store.write_many(add=new, update=[(old[1].id, {"tags": ["x"]})])
        assert journal_lines(path) == before + 1
        assert added == new and [a.tags for a in updated] == [("x",)]
        assert sorted(events) == ["add", "add", "update"]
        assert len(store) == 4
        assert store.undo()
        assert store.annotations() == old


def test_unchanged_updates_and_empty_batches_write_nothing(path: Path) -> None:
    first = ann(start=0, note="same")
    with AnnotationStore.open(path) as store:
        store.add(first)
        before = journal_lines(path)
        assert store.update_many([(first.id, {"note": "same"})]) == [first]
        assert store.write_many() == ([], [])
        assert journal_lines(path) == before
        assert store.undo() and len(store) == 0  # the add is still the last step


@pytest.mark.parametrize(
    "case",
    ["unknown id", "same id twice", "added and updated", "already exists", "bad change"],
)
def test_a_bad_batch_changes_nothing(path: Path, case: str) -> None:
    first, second = ann(start=0), ann(start=10)
    with AnnotationStore.open(path) as store:
        store.add(first)
        before = journal_lines(path)
        add, update = {
            "unknown id": ([second], [("01NOSUCHANNOTATION00000000", {"note": "x"})]),
            "same id twice": ([], [(first.id, {"note": "x"}), (first.id, {"note": "y"})]),
            "added and updated": ([second], [(second.id, {"note": "x"})]),
            "already exists": ([second, first], []),
            "bad change": ([second], [(first.id, {"start": 5, "end": 1})]),
        }[case]
        with pytest.raises((StoreError, AnnotationError)):
            store.write_many(add=add, update=update)
        assert store.annotations() == [first] and journal_lines(path) == before
        assert store.undo() and len(store) == 0
