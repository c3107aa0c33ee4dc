"""The in-memory side of the annotation store: contents, per-document order, meta, undo/redo.

`StoreState` is the base of `AnnotationStore` (reader/store/annotation_store.py). A write is first *planned* against the
current state (which validates it), then journalled by the store, then *executed*; replaying the journal
on open runs the same plan/execute pair, so live writes and recovery cannot drift apart. It also converts
the state from and to the snapshot (layout in reader/store/snapshot.py).

Opening is lazy when the snapshot's checksum matches: only the index (which annotation ids belong to which
document) is read; a document's annotations are parsed the first time anything touches that document, the
undo history the first time undo or redo needs it, and documents nobody touched are copied byte for byte
into the next snapshot. Any other snapshot is parsed and validated record by record at open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from reader.collector import collector_paused
from reader.errors import AnnotationError, StoreCorruptError, StoreError
from reader.model.annotation import SCHEMA_VERSION, Annotation, trusted_annotation
from reader.store.history import (
    Change,
    MetaChange,
    parse_step,
    reverse_change,
    step_json,
    trusted_step,
)
from reader.store.journal import SnapshotStorage, SnapshotTable
from reader.store.snapshot import (
    DocChunk,
    history_line,
    meta_line,
    parse_chunk,
    parse_history,
    read_fast,
    records_line,
    write_snapshot,
)

UNDO_LIMIT = 200
UNDO_PAIRS = 10_000


# About a thousand annotations' worth of history, the size at which _load_doc pauses the collector.
_LARGE_HISTORY = 500_000


class StoreState:
    path: Path
    _storage: SnapshotStorage

    def _reset(self) -> None:
        self._seq = 0
        self._fast = False  # the snapshot was taken over through its checksum, not parsed
        self._doc_of: dict[str, str] = {}  # id -> document, for every annotation
        self._by_doc: dict[str, dict[str, Annotation]] = {}  # documents parsed so far
        # Target id -> the ids of the parsed annotations with a link to it (a dict as an ordered
        # set): moving onto an annotation asks for its incoming links, which must not cost a walk
        # through every annotation of the store.
        self._linked_from: dict[str, dict[str, None]] = {}
        self._pending: dict[str, DocChunk] = {}  # documents still unparsed in `_raw`
        self._raw = b""  # the checksummed snapshot that pending documents and history point into
        self._keys: dict[str, int] = {}  # TinyDB record numbers of parsed annotations (see below)
        self._next_key = 1
        self._sorted: dict[str, list[Annotation]] = {}
        self._meta: dict[str, bytes] = {}
        self._history: memoryview | None = None  # the unparsed history table line
        self._undo_steps: list[list[Change]] = []
        self._redo_steps: list[list[Change]] = []

    @property
    def _undo(self) -> list[list[Change]]:
        if self._history is not None:
            self._load_history()
        return self._undo_steps

    @property
    def _redo(self) -> list[list[Change]]:
        if self._history is not None:
            self._load_history()
        return self._redo_steps

    def _load_fast(self, raw: bytes) -> bool:
        """Take over a snapshot whose checksum matches, parsing nothing but its index and meta."""
        fast = read_fast(raw, SCHEMA_VERSION)
        if fast is None:
            return False
        self._seq = fast.seq
        self._next_key = fast.next_key
        self._raw = raw
        self._pending = fast.docs
        self._doc_of = fast.doc_of
        self._meta = {key: orjson.dumps(value) for key, value in fast.meta.items()}
        self._history = fast.history_line
        self._fast = True
        return True

    def _bad_index(self, what: str) -> StoreCorruptError:
        # Reaching this means the checksum matched but reader itself wrote an inconsistent snapshot.
        return StoreCorruptError(
            f"{self.path}: {what} does not match the snapshot's index; the files were left as they "
            f"are. {self._storage.restore_hint()}"
        )

    def _load_doc(self, doc: str, chunk: DocChunk) -> dict[str, Annotation]:
        try:
            with collector_paused(chunk.count >= 1_000):
                records = parse_chunk(self._raw, chunk)
                anns = [trusted_annotation(record) for record in records.values()]
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise self._bad_index(f"the records of document {doc!r} ({exc})") from None
        if [a.id for a in anns] != chunk.ids.split(" ") or any(a.doc != doc for a in anns):
            raise self._bad_index(f"the records of document {doc!r}")
        del self._pending[doc]
        self._release_raw()
        self._keys.update(zip([a.id for a in anns], map(int, records), strict=True))
        in_doc = {a.id: a for a in anns}
        self._by_doc[doc] = in_doc
        for ann in anns:
            self._index_links(ann)
        self._sorted[doc] = anns  # compaction wrote them in document order
        return in_doc

    def _load_history(self) -> None:
        assert self._history is not None
        try:
            # An import's undo step holds every annotation it added: as many as a large document.
            with collector_paused(len(self._history) >= _LARGE_HISTORY):
                history = parse_history(self._history)
                self._undo_steps = [trusted_step(step) for step in history["undo"]]
                self._redo_steps = [trusted_step(step) for step in history["redo"]]
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise self._bad_index(f"the undo history ({exc})") from None
        self._history = None
        self._release_raw()

    def _release_raw(self) -> None:
        if not self._pending and self._history is None:
            self._raw = b""

    def _load_snapshot(self, db: TinyDB) -> None:
        if db.storage.read() is None:
            return
        where = str(self.path)
        hint = self._storage.restore_hint  # called only on error: it reads every backup
        header = db.table("reader").get(doc_id=1)
        if header is None or header.get("schema") != SCHEMA_VERSION:
            found = None if header is None else header.get("schema")
            raise StoreCorruptError(
                f"{where}: not a reader store (table 'reader' record 1 has schema {found!r}, "
                f"expected {SCHEMA_VERSION!r}); the files were left as they are. {hint()}"
            )
        seq = header.get("seq")
        if type(seq) is not int or seq < 0:
            raise StoreCorruptError(f"{where}: table 'reader' record 1 has a bad seq. {hint()}")
        try:
            table = db.table("annotations")
            assert isinstance(table, SnapshotTable)
            for doc_id, record in table.records():
                ann = Annotation.from_json(record, where=f"table 'annotations' record {doc_id}")
                if ann.id in self._doc_of:
                    raise AnnotationError(f"annotation id {ann.id!r} appears twice")
                self._put(ann)
            meta: dict[str, Any] = db.table("meta").get(doc_id=1) or {}
            self._meta = {key: orjson.dumps(value) for key, value in meta.items()}
            history: dict[str, Any] = db.table("history").get(doc_id=1) or {}
            self._undo_steps = _steps(history, "undo")
            self._redo_steps = _steps(history, "redo")
        except (AnnotationError, TypeError, ValueError, AttributeError) as exc:
            raise StoreCorruptError(
                f"{where}: {exc}; the files were left as they are. {hint('the record')}"
            ) from None
        self._seq = seq

    def _doc(self, doc: str) -> dict[str, Annotation] | None:
        """The annotations of `doc` by id (parsing them on first use), or None if it has none."""
        in_doc = self._by_doc.get(doc)
        if in_doc is None:
            chunk = self._pending.get(doc)
            if chunk is not None:
                in_doc = self._load_doc(doc, chunk)
        return in_doc

    def _get(self, id: str) -> Annotation | None:
        doc = self._doc_of.get(id)
        if doc is None:
            return None
        in_doc = self._doc(doc)
        assert in_doc is not None
        return in_doc[id]

    def _doc_sorted(self, doc: str) -> list[Annotation]:
        cached = self._sorted.get(doc)
        if cached is None:
            in_doc = self._doc(doc) or {}
            cached = self._sorted.get(doc)
            if cached is None:
                cached = sorted(in_doc.values(), key=lambda a: a.sort_key)
                self._sorted[doc] = cached
        return cached

    def _linking_to(self, id: str) -> list[Annotation]:
        """The annotations with a link to `id`, in any document. A document not parsed yet is parsed
        only if its raw records hold the id at all."""
        needle = id.encode()
        for doc, chunk in list(self._pending.items()):
            if self._raw.find(needle, chunk.start, chunk.end) >= 0:
                self._doc(doc)
        sources = [self._require(source) for source in self._linked_from.get(id, ())]
        return sorted(sources, key=lambda ann: (ann.doc, ann.sort_key))

    def _index_links(self, ann: Annotation) -> None:
        for link in ann.links:
            self._linked_from.setdefault(link.to, {})[ann.id] = None

    def _unindex_links(self, ann: Annotation) -> None:
        for link in ann.links:
            sources = self._linked_from.get(link.to)
            if sources is not None:
                sources.pop(ann.id, None)
                if not sources:
                    del self._linked_from[link.to]

    def _require(self, id: str) -> Annotation:
        ann = self._get(id)
        if ann is None:
            raise StoreError(f"{self.path}: there is no annotation {id!r} (was it deleted?)")
        return ann

    def _plan(self, op: str, data: Any) -> tuple[str, list[Change], Any]:
        """What a record changes, checked against the current state; shared by writes and replay."""
        if op == "add":
            return "push", self._plan_batch(data, []), None
        if op == "update":
            return "push", self._plan_batch([], [data]), None
        if op == "batch":  # an import: adds and updates as one write and one undo step
            pairs = self._plan_batch(data["add"], data["update"])
            # A deletion with the links to it taken out of their sources (one undo step).
            return (
                "push",
                pairs + [(self._require(id), None) for id in data.get("delete", ())],
                None,
            )
        if op == "relink":  # a renamed or moved document: its annotations change `doc`
            pairs = self._plan_batch([], data["update"], relink=True)
            metas: list[Change] = [
                MetaChange(
                    key,
                    self._meta.get(key),
                    None if value is None else orjson.dumps(value),
                )
                for key, value in data.get("meta", {}).items()
            ]
            return "push", pairs + metas, None
        if op == "delete":
            return "push", [(self._require(data), None)], None
        if op == "undo":
            if not self._undo:
                raise StoreError("nothing to undo")
            return "undo", [reverse_change(c) for c in reversed(self._undo[-1])], None
        if op == "redo":
            if not self._redo:
                raise StoreError("nothing to redo")
            return "redo", list(self._redo[-1]), None
        if op == "meta":
            key = data["key"]
            value = orjson.dumps(data["value"]) if "value" in data else None
            if data.get("undo"):  # a change the user makes (a dismissal): one undo step
                return "push", [MetaChange(key, self._meta.get(key), value)], None
            return "meta", [], (key, value)
        raise StoreError(f"unknown operation {op!r}")

    def _plan_batch(self, add: list[Any], update: list[Any], relink: bool = False) -> list[Change]:
        pairs: list[Change] = []
        seen: set[str] = set()
        for item in add:
            ann = item if isinstance(item, Annotation) else Annotation.from_json(item)
            if ann.id in self._doc_of or ann.id in seen:
                raise StoreError(f"{self.path}: annotation {ann.id!r} already exists")
            seen.add(ann.id)
            pairs.append((None, ann))
        for item in update:
            new = item if isinstance(item, Annotation) else Annotation.from_json(item)
            if new.id in seen:
                raise StoreError(f"{self.path}: annotation {new.id!r} is changed twice in one save")
            seen.add(new.id)
            current = self._require(new.id)
            if (new.doc != current.doc and not relink) or new.created != current.created:
                raise StoreError(f"{self.path}: update of {new.id!r} changes its doc or created")
            pairs.append((current, new))
        return pairs

    def _execute(self, plan: tuple[str, list[Change], Any]) -> list[tuple[str, Any, Any]]:
        history, pairs, meta = plan
        events: list[tuple[str, Any, Any]] = []
        for change in pairs:
            if isinstance(change, MetaChange):
                self._set_meta_value(change.key, change.after)
                continue
            before, after = change
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
            self._set_meta_value(*meta)
        return events

    def _set_meta_value(self, key: str, value: bytes | None) -> None:
        if value is None:
            self._meta.pop(key, None)
        else:
            self._meta[key] = value

    def _put(self, ann: Annotation) -> None:
        old = self._doc_of.get(ann.id)
        if old is not None and old != ann.doc:
            self._drop(ann.id)
        in_doc = self._doc(ann.doc)
        if in_doc is None:
            in_doc = self._by_doc[ann.doc] = {}
        before = in_doc.get(ann.id)
        if before is not None:
            self._unindex_links(before)
        in_doc[ann.id] = ann
        self._index_links(ann)
        self._doc_of[ann.id] = ann.doc
        self._sorted.pop(ann.doc, None)

    def _drop(self, id: str) -> None:
        doc = self._doc_of.pop(id, None)
        if doc is None:
            return
        in_doc = self._doc(doc)
        assert in_doc is not None
        self._unindex_links(in_doc.pop(id))
        if not in_doc:
            del self._by_doc[doc]
        self._sorted.pop(doc, None)

    def _all_sorted(self) -> list[Annotation]:
        out: list[Annotation] = []
        with collector_paused(len(self._pending) > 1):
            for name in sorted(self._by_doc.keys() | self._pending.keys()):
                out.extend(self._doc_sorted(name))
        return out

    def _counts(self) -> dict[str, int]:
        counts = {doc: len(in_doc) for doc, in_doc in self._by_doc.items()}
        counts.update((doc, chunk.count) for doc, chunk in self._pending.items())
        return dict(sorted(counts.items()))

    def _snapshot_bytes(self) -> list[bytes | memoryview]:
        """The next snapshot; documents never parsed since the last one are copied as they are.

        While such copies exist their TinyDB record numbers stay, so parsed annotations keep theirs
        and new ones are numbered from `_next_key` (above every number in the file); once every
        document is parsed, the records are simply numbered 1, 2, ... in document order.
        """
        renumber = not self._pending
        key = 1 if renumber else self._next_key
        raw = memoryview(self._raw)
        docs: list[tuple[str, bytes | memoryview, int, str]] = []
        for doc in sorted(self._by_doc.keys() | self._pending.keys()):
            chunk = self._pending.get(doc)
            if chunk is not None:
                docs.append((doc, raw[chunk.start : chunk.end], chunk.count, chunk.ids))
                continue
            anns = self._doc_sorted(doc)
            records: dict[str, Annotation] = {}
            for ann in anns:
                number = None if renumber else self._keys.get(ann.id)
                if number is None:
                    number = key
                    key += 1
                    if not renumber:
                        self._keys[ann.id] = number
                records[str(number)] = ann
            docs.append((doc, records_line(records), len(anns), " ".join(a.id for a in anns)))
        self._next_key = key
        history = (
            self._history
            if self._history is not None
            else history_line(
                {
                    "undo": [step_json(step) for step in self._undo_steps],
                    "redo": [step_json(step) for step in self._redo_steps],
                }
            )
        )
        return write_snapshot(
            SCHEMA_VERSION, self._seq, meta_line(self._meta), history, docs, self._next_key
        )


def _steps(history: dict[str, Any], side: str) -> list[list[Change]]:
    """The undo (or redo) steps of the `history` table's record, each validated and any bad one
    named by its place, as the annotations table names a bad record."""
    steps = history.get(side, [])
    if not isinstance(steps, list):
        raise TypeError(
            f"table 'history' record 1 {side}: must be a list of steps, found "
            f"{type(steps).__name__}"
        )
    return [
        parse_step(step, f"table 'history' record 1 {side} step {n}")
        for n, step in enumerate(steps, start=1)
    ]
