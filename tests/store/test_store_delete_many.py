"""Deleting several annotations at once (a decision taken back in adjudication): the links to any of
them leave their sources, all in one write and one undo step."""

from __future__ import annotations

from pathlib import Path

from reader.model.annotation import Link
from reader.store.annotation_store import AnnotationStore
from tests.store.test_store import ann


def test_delete_many_with_links_is_one_undo_step(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    a, b, keep = ann(start=0), ann(start=10), ann(start=20)
    linker = ann(
        start=30, links=(Link("supports", a.id), Link("attacks", b.id), Link("supports", keep.id))
    )
    between = a.with_changes(links=(Link("supports", b.id),))
    with AnnotationStore.open(path) as store:
        store.add_many([between, b, keep, linker])
        changed = store.delete_many_with_links([between.id, b.id, b.id])
        assert [c.id for c in changed] == [linker.id]  # not `between`, which goes itself
        assert store.get(linker.id).links == (Link("supports", keep.id),)  # type: ignore[union-attr]
        assert between.id not in store and b.id not in store
    with AnnotationStore.open(path) as store:
        assert store.undo()
        assert store.get(between.id) == between and store.get(b.id) == b
        assert store.get(linker.id) == linker
        step = store.undo_step()  # what is left to undo: the first add, so it was one step
        assert step is not None and all(isinstance(c, tuple) and c[0] is None for c in step)
