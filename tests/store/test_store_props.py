"""Property: any sequence of operations leaves the store in the same state as a plain dict model."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.model.annotation import Annotation, annotation_for
from reader.store import AnnotationStore
from tests.store.store_child import SHA, TEXT

ABSENT = object()


@dataclass
class MetaSet:
    """An undoable meta change in the model's steps (a dismissed suggestion in the app)."""

    key: str
    old: Any
    new: Any


Step = list[tuple[Annotation | None, Annotation | None] | MetaSet]


def reverse(step: Step) -> Step:
    return [
        MetaSet(e.key, e.new, e.old) if isinstance(e, MetaSet) else (e[1], e[0])
        for e in reversed(step)
    ]


operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 2), st.integers(0, 300), st.integers(0, 30)),
        st.tuples(st.just("update"), st.integers(0, 50), st.text(max_size=10)),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
        st.tuples(
            st.just("meta"),
            st.sampled_from(["a", "b"]),
            st.integers(-(2**63), 2**63 - 1) | st.none(),
        ),
        st.tuples(
            st.just("undoable meta"), st.sampled_from(["b", "c"]), st.integers(0, 3) | st.none()
        ),
        st.tuples(st.just("reopen")),
        st.tuples(st.just("compact")),
    ),
    max_size=30,
)


class Model:
    """The obvious in-memory semantics: a dict, two stacks of steps, and a meta dict."""

    def __init__(self) -> None:
        self.anns: dict[str, Annotation] = {}
        self.undo: list[Step] = []
        self.redo: list[Step] = []
        self.meta: dict[str, Any] = {}

    def apply(self, step: Step) -> None:
        for entry in step:
            if isinstance(entry, MetaSet):
                if entry.new is ABSENT:
                    self.meta.pop(entry.key, None)
                else:
                    self.meta[entry.key] = entry.new
                continue
            _before, after = entry
            if after is None:
                del self.anns[_before.id]  # type: ignore[union-attr]
            else:
                self.anns[after.id] = after

    def change(self, step: Step) -> None:
        self.apply(step)
        self.undo.append(step)
        self.redo.clear()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, looks=st.lists(st.sampled_from(["all", "d0", "d1", "id"]), min_size=30))
def test_store_matches_dict_model(ops: list[tuple[Any, ...]], looks: list[str]) -> None:
    # Looking at one document (or one id) at a time leaves the others unparsed after a reopen, so
    # writes, undo and compaction also run against documents still waiting in the snapshot.
    model = Model()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.json"
        store = AnnotationStore.open(path, compact_bytes=1_500)
        try:
            for op, look in zip(ops, looks, strict=False):
                ids = sorted(model.anns)
                if op[0] == "add":
                    _, doc, start, length = op
                    a = annotation_for(f"d{doc}", TEXT, SHA, start, start + length)
                    store.add(a)
                    model.change([(None, a)])
                elif op[0] == "update" and ids:
                    target = ids[op[1] % len(ids)]
                    before = model.anns[target]
                    after = store.update(target, note=op[2])
                    if after != before:
                        model.change([(before, after)])
                elif op[0] == "delete" and ids:
                    target = ids[op[1] % len(ids)]
                    store.delete(target)
                    model.change([(model.anns[target], None)])
                elif op[0] == "undo":
                    assert store.undo() == bool(model.undo)
                    if model.undo:
                        step = model.undo.pop()
                        model.apply(reverse(step))
                        model.redo.append(step)
                elif op[0] == "redo":
                    assert store.redo() == bool(model.redo)
                    if model.redo:
                        step = model.redo.pop()
                        model.apply(step)
                        model.undo.append(step)
                elif op[0] == "meta":
                    _, key, value = op
                    store.meta[key] = value
                    model.meta[key] = value
                elif op[0] == "undoable meta":
                    _, key, value = op
                    store.set_meta(key, value, undoable=True)
                    old = model.meta.get(key, ABSENT)
                    if old is ABSENT or old != value:
                        model.change([MetaSet(key, old, value)])
                elif op[0] == "reopen":
                    store.close()
                    store = AnnotationStore.open(path, compact_bytes=1_500)
                elif op[0] == "compact":
                    store.compact()
                expected = sorted(model.anns.values(), key=lambda a: a.sort_key)
                if look == "all":
                    assert store.annotations() == expected
                elif look == "id":
                    assert all(store.get(a.id) == a for a in expected[::3])
                else:
                    assert store.annotations(look) == [a for a in expected if a.doc == look]
                assert len(store) == len(expected)
                assert store.counts() == dict(sorted(Counter(a.doc for a in expected).items()))
                assert dict(store.meta) == model.meta
        finally:
            store.close()
        with AnnotationStore.open(path, read_only=True) as reopened:
            assert reopened.annotations() == sorted(model.anns.values(), key=lambda a: a.sort_key)
