"""The in-memory side of the annotation store: contents, per-document order, meta, undo/redo.

`StoreState` is the base of `AnnotationStore` (reader/store.py). A write is first *planned* against the
current state (which validates it), then journalled by the store, then *executed*; replaying the journal
on open runs the same plan/execute pair, so live writes and recovery cannot drift apart. It also converts
the state from and to the TinyDB snapshot tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from reader.journal import SnapshotStorage, SnapshotTable, StoreCorruptError, StoreError
from reader.model import SCHEMA_VERSION, Annotation, AnnotationError

UNDO_LIMIT = 200
UNDO_PAIRS = 10_000

Pair = tuple[Annotation | None, Annotation | None]


class StoreState:
    path: Path
    _storage: SnapshotStorage

    def _reset(self) -> None:
        self._seq = 0
        self._anns: dict[str, Annotation] = {}
        self._by_doc: dict[str, dict[str, Annotation]] = {}
        self._sorted: dict[str, list[Annotation]] = {}
        self._meta: dict[str, bytes] = {}
        self._undo: list[list[Pair]] = []
        self._redo: list[list[Pair]] = []

    def _load_snapshot(self, db: TinyDB) -> None:
        if db.storage.read() is None:
            return
        where = str(self.path)
        hint = self._storage.restore_hint()
        header = db.table("reader").get(doc_id=1)
        if header is None or header.get("schema") != SCHEMA_VERSION:
            found = None if header is None else header.get("schema")
            raise StoreCorruptError(
                f"{where}: not a reader store (table 'reader' record 1 has schema {found!r}, "
                f"expected {SCHEMA_VERSION!r}); the files were left as they are. {hint}"
            )
        seq = header.get("seq")
        if type(seq) is not int or seq < 0:
            raise StoreCorruptError(f"{where}: table 'reader' record 1 has a bad seq. {hint}")
        try:
            table = db.table("annotations")
            assert isinstance(table, SnapshotTable)
            for doc_id, record in table.records():
                ann = Annotation.from_json(record, where=f"table 'annotations' record {doc_id}")
                if ann.id in self._anns:
                    raise AnnotationError(f"annotation id {ann.id!r} appears twice")
                self._put(ann)
            meta: dict[str, Any] = db.table("meta").get(doc_id=1) or {}
            self._meta = {key: orjson.dumps(value) for key, value in meta.items()}
            history: dict[str, Any] = db.table("history").get(doc_id=1) or {}
            self._undo = [self._pairs(entry) for entry in history.get("undo", [])]
            self._redo = [self._pairs(entry) for entry in history.get("redo", [])]
        except (AnnotationError, TypeError, ValueError, AttributeError) as exc:
            raise StoreCorruptError(
                f"{where}: {exc}; the files were left as they are. Fix the record by hand, "
                f"or {hint[0].lower()}{hint[1:]}"
            ) from None
        self._seq = seq

    @staticmethod
    def _pairs(entry: list[list[Any]]) -> list[Pair]:
        return [
            (
                None if b is None else Annotation.from_json(b, where="table 'history'"),
                None if a is None else Annotation.from_json(a, where="table 'history'"),
            )
            for b, a in entry
        ]

    def _doc_sorted(self, doc: str) -> list[Annotation]:
        cached = self._sorted.get(doc)
        if cached is None:
            cached = sorted(self._by_doc.get(doc, {}).values(), key=lambda a: a.sort_key)
            self._sorted[doc] = cached
        return cached

    def _require(self, id: str) -> Annotation:
        ann = self._anns.get(id)
        if ann is None:
            raise StoreError(f"{self.path}: there is no annotation {id!r} (was it deleted?)")
        return ann

    def _plan(self, op: str, data: Any) -> tuple[str, list[Pair], Any]:
        """What a record changes, checked against the current state; shared by writes and replay."""
        if op == "add":
            pairs: list[Pair] = []
            seen: set[str] = set()
            for item in data:
                ann = item if isinstance(item, Annotation) else Annotation.from_json(item)
                if ann.id in self._anns or ann.id in seen:
                    raise StoreError(f"{self.path}: annotation {ann.id!r} already exists")
                seen.add(ann.id)
                pairs.append((None, ann))
            return "push", pairs, None
        if op == "update":
            new = data if isinstance(data, Annotation) else Annotation.from_json(data)
            current = self._require(new.id)
            if new.doc != current.doc or new.created != current.created:
                raise StoreError(f"{self.path}: update of {new.id!r} changes its doc or created")
            return "push", [(current, new)], None
        if op == "delete":
            return "push", [(self._require(data), None)], None
        if op == "undo":
            if not self._undo:
                raise StoreError("nothing to undo")
            return "undo", [(a, b) for b, a in reversed(self._undo[-1])], None
        if op == "redo":
            if not self._redo:
                raise StoreError("nothing to redo")
            return "redo", list(self._redo[-1]), None
        if op == "meta":
            key = data["key"]
            return "meta", [], (key, orjson.dumps(data["value"]) if "value" in data else None)
        raise StoreError(f"unknown operation {op!r}")

    def _execute(self, plan: tuple[str, list[Pair], Any]) -> list[tuple[str, Any, Any]]:
        history, pairs, meta = plan
        events: list[tuple[str, Any, Any]] = []
        for before, after in pairs:
            if after is None:
                assert before is not None
                self._drop(before.id)
                events.append(("delete", before, None))
            else:
                self._put(after)
                events.append(("add" if before is None else "update", before, after))
        if history == "push":
            self._undo.append(pairs)
            del self._undo[:-UNDO_LIMIT]
            # Big imports make big steps; keep the snapshot small but always the newest step.
            while len(self._undo) > 1 and sum(map(len, self._undo)) > UNDO_PAIRS:
                del self._undo[0]
            self._redo.clear()
        elif history == "undo":
            self._redo.append(self._undo.pop())
        elif history == "redo":
            self._undo.append(self._redo.pop())
        elif history == "meta":
            key, value = meta
            if value is None:
                self._meta.pop(key, None)
            else:
                self._meta[key] = value
        return events

    def _put(self, ann: Annotation) -> None:
        old = self._anns.get(ann.id)
        if old is not None and old.doc != ann.doc:
            self._drop(ann.id)
        self._anns[ann.id] = ann
        self._by_doc.setdefault(ann.doc, {})[ann.id] = ann
        self._sorted.pop(ann.doc, None)

    def _drop(self, id: str) -> None:
        ann = self._anns.pop(id, None)
        if ann is None:
            return
        in_doc = self._by_doc[ann.doc]
        del in_doc[id]
        if not in_doc:
            del self._by_doc[ann.doc]
        self._sorted.pop(ann.doc, None)

    def _tables(self) -> dict[str, dict[str, Any]]:
        # orjson serialises the (slotted) dataclasses in field order, exactly as Annotation.to_json.
        return {
            "reader": {"1": {"schema": SCHEMA_VERSION, "seq": self._seq}},
            "annotations": {str(n): a for n, a in enumerate(self._all_sorted(), start=1)},
            "meta": {"1": {key: orjson.Fragment(value) for key, value in self._meta.items()}},
            "history": {"1": {"undo": self._undo, "redo": self._redo}},
        }

    def _all_sorted(self) -> list[Annotation]:
        out: list[Annotation] = []
        for name in sorted(self._by_doc):
            out.extend(self._doc_sorted(name))
        return out
