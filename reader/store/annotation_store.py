"""The annotation store: a TinyDB snapshot plus a synced journal, one writer, undo/redo across restarts.

Every write is appended to `PATH.journal` and synced before the method returns, then applied in memory;
the snapshot `PATH` (a plain TinyDB JSON file) is rewritten only on compaction: on close, when idle
(`maybe_compact`, called from a timer) and when the journal outgrows the snapshot. See reader/store/journal.py
for the files and annotations/README.md for what users see on disk.

Snapshot tables: `reader` (schema version, the last applied journal sequence number and the checksummed
index that makes opening lazy, see reader/store/snapshot.py), `annotations` (in document order), `meta`
(the app's key/value area) and `history` (the undo and redo stacks: each step a list of
[before, after] annotation pairs and `{"meta": key, "before", "after"}` meta changes).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson
from tinydb import TinyDB

from reader.errors import (
    AnnotationError,
    ReadOnlyStoreError,
    StoreAccessError,
    StoreChangedError,
    StoreCorruptError,
    StoreError,
    access_errors,
)
from reader.model.annotation import Annotation
from reader.store.history import Change
from reader.store.journal import Journal, SnapshotStorage, SnapshotTable, StoreLock
from reader.store.state import StoreState

__all__ = ["AnnotationStore", "open_store_paths"]

log = logging.getLogger(__name__)

COMPACT_BYTES = 8 * 1024 * 1024
IDLE_SECONDS = 5.0
READ_ATTEMPTS = 5

Listener = Callable[[str, Annotation | None, Annotation | None], None]

# Every store opened in this process, so an export can refuse to write over any of their files.
_opened: weakref.WeakSet[AnnotationStore] = weakref.WeakSet()


def open_store_paths() -> list[Path]:
    """The paths of the stores open in this process (read-only ones too)."""
    return [store.path for store in list(_opened) if not store._closed]


class _SnapshotDB(TinyDB):
    table_class = SnapshotTable


class StoreMeta(MutableMapping[str, Any]):
    """The app's small key/value area; every assignment is journalled and synced like an annotation.

    Values are JSON data; reading returns a fresh copy, so mutating it does not change the store.
    """

    def __init__(self, store: AnnotationStore) -> None:
        self._store = store

    def __getitem__(self, key: str) -> Any:
        return orjson.loads(self._store._meta[key])

    def __setitem__(self, key: str, value: Any) -> None:
        self._store._set_meta(key, value, delete=False)

    def __delitem__(self, key: str) -> None:
        if key not in self._store._meta:
            raise KeyError(key)
        self._store._set_meta(key, None, delete=True)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._store._meta))

    def __len__(self) -> int:
        return len(self._store._meta)


class AnnotationStore(StoreState):
    """Open with `AnnotationStore.open(path)`; use as a context manager or call `close()`."""

    def __init__(
        self,
        path: Path,
        read_only: bool,
        compact_bytes: int = COMPACT_BYTES,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.warnings: list[str] = []
        self.compact_bytes = compact_bytes
        self.idle_seconds = idle_seconds
        self._lock = StoreLock(path)
        self._journal = Journal(path)
        self._storage = SnapshotStorage(path)
        self._mutex = threading.RLock()
        self._listeners: list[Listener] = []
        self._closed = False
        self._last_write = time.monotonic()
        self._reset()

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        read_only: bool = False,
        *,
        compact_bytes: int = COMPACT_BYTES,
        idle_seconds: float = IDLE_SECONDS,
    ) -> AnnotationStore:
        """Open (creating if missing, unless read-only) the store at `path`."""
        store = cls(Path(path), read_only, compact_bytes, idle_seconds)
        if read_only:
            store._open_read_only()
        else:
            store._open_for_writing()
        _opened.add(store)
        for warning in store.warnings:
            log.warning("%s", warning)
        return store

    def _open_for_writing(self) -> None:
        with access_errors(self.path.parent, "create the store's folder"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock.acquire()
        try:
            self._storage.remove_stale_temporaries()
            valid_bytes = self._load()
            self._journal.open_for_append(valid_bytes)
            if self._storage.fingerprint is None:
                self.compact()  # a missing store is created, so plain TinyDB can open it too
            elif not self._fast and not self._storage.changed_since_read():
                # An older layout or another program's edit: rewrite it with the checksum now, so
                # that the next open is fast again (the old file becomes the newest backup).
                self.compact()
        except BaseException:
            self._journal.close()
            self._lock.release()
            raise

    def _open_read_only(self) -> None:
        if not self.path.exists() and not self._journal.path.exists():
            raise StoreError(
                f"{self.path}: no annotation store here yet; check the --store path, or open it "
                "without --read-only once to create it"
            )
        for _attempt in range(READ_ATTEMPTS):
            try:
                self._load()
            except StoreCorruptError:
                if not self._storage.changed_since_read():
                    raise
            else:
                # A writer compacting while we read would give an old snapshot and a new journal.
                if not self._storage.changed_since_read():
                    return
            self._reset()
            self.warnings.clear()
        raise StoreError(f"{self.path}: the store kept changing while being read; try again")

    def _load(self) -> int:
        """Read the snapshot and replay the journal; returns the length of the intact journal."""
        storage = self._storage = SnapshotStorage(self.path)
        raw = storage.read_raw()
        if raw is not None and not self._load_fast(raw):
            # Not the checksummed snapshot reader wrote: parse it through TinyDB and check every record.
            storage.adopt(storage.parse(raw))
            try:
                self._load_snapshot(_SnapshotDB(storage=lambda: storage))
            finally:
                storage.forget()
            del raw
        scan = self._journal.scan()
        snapshot_seq = self._seq
        previous = 0
        for (seq, op, data), line in zip(scan.records, scan.lines, strict=True):
            where = f"{self._journal.path}: line {line}"
            if seq <= previous:
                raise StoreCorruptError(f"{where}: save number {seq} is out of order")
            previous = seq
            if seq <= snapshot_seq:
                continue  # already in the snapshot: the crash came between replace and truncate
            if seq != self._seq + 1:
                raise StoreCorruptError(
                    f"{where}: save number {seq} follows {self._seq}, so the journal does not "
                    f"belong to {self.path.name} (was it replaced by an older copy?). The files "
                    "were left as they are; move the journal aside to open the snapshot alone"
                )
            try:
                self._execute(self._plan(op, data))
            except (StoreError, AnnotationError, KeyError, TypeError, ValueError) as exc:
                raise StoreCorruptError(f"{where}: cannot replay this save: {exc}") from None
            self._seq = seq
        if scan.torn:
            self.warnings.append(scan.torn)
        return scan.valid_bytes

    # -- reading -------------------------------------------------------------------------------

    def get(self, id: str) -> Annotation | None:
        """The annotation with this id. Annotations are immutable, so sharing them is safe."""
        with self._mutex:  # the first look at a document parses it
            return self._get(id)

    def annotations(self, doc: str | None = None) -> list[Annotation]:
        """All annotations (or those of one document) in document order, as a new list."""
        with self._mutex:
            if doc is not None:
                return list(self._doc_sorted(doc))
            return self._all_sorted()

    @property
    def version(self) -> int:
        """A number that grows with every write: what was read at one version is still true while
        it stays the same."""
        return self._seq

    def linking_to(self, id: str) -> list[Annotation]:
        """The annotations, in any document, with a link to annotation `id`, by document and place."""
        with self._mutex:
            return self._linking_to(id)

    def counts(self) -> dict[str, int]:
        """The number of annotations of each document that has any, by document id.

        Cheap even right after opening: unlike `annotations()`, it builds no annotations.
        """
        with self._mutex:
            return self._counts()

    def __len__(self) -> int:
        return len(self._doc_of)

    def __bool__(self) -> bool:
        # An open store is a resource, not just a container: `if store:` must not mean "non-empty".
        return True

    def __contains__(self, id: object) -> bool:
        return id in self._doc_of

    @property
    def meta(self) -> StoreMeta:
        return StoreMeta(self)

    @property
    def can_undo(self) -> bool:
        with self._mutex:  # the first look parses the undo history
            return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        with self._mutex:
            return bool(self._redo)

    def undo_step(self) -> list[Change] | None:
        """What `undo` would take back, as it was done: (before, after) annotation pairs and
        `MetaChange`s, in the order they were made; None when there is nothing to undo."""
        with self._mutex:
            return list(self._undo[-1]) if self._undo else None

    def redo_step(self) -> list[Change] | None:
        """What `redo` would make again, as `undo_step` describes it; None when there is nothing."""
        with self._mutex:
            return list(self._redo[-1]) if self._redo else None

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call `callback(op, before, after)` after every applied change; returns an unsubscriber.

        `op` is "add", "update" or "delete" as seen from the store's contents, so an undone add is a
        "delete". The change is durable before listeners run; a listener that raises is logged.
        """
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    # -- writing -------------------------------------------------------------------------------

    def add(self, annotation: Annotation) -> Annotation:
        """Add a new annotation; durable when this returns."""
        return self.add_many([annotation])[0]

    def add_many(self, annotations: Iterable[Annotation]) -> list[Annotation]:
        """Add several annotations with one sync and one undo step (for imports)."""
        anns = list(annotations)
        self._commit("add", anns)
        return anns

    def update(self, id: str, **changes: Any) -> Annotation:
        """Change fields of an annotation (modified is set to now); durable when this returns."""
        with self._mutex:
            new = self._changed(id, changes)
            if new is None:
                return self._require(id)
            self._commit("update", new)
            return new

    def update_many(self, changes: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Annotation]:
        """`update` for each (id, changes), with one sync and one undo step; the results in order."""
        items = list(changes)
        with self._mutex:
            updated = {ann.id: ann for ann in self.write_many(update=items)[1]}
            return [updated.get(id) or self._require(id) for id, _fields in items]

    def write_many(
        self,
        add: Iterable[Annotation] = (),
        update: Iterable[tuple[str, Mapping[str, Any]]] = (),
    ) -> tuple[list[Annotation], list[Annotation]]:
        """Add annotations and change others as one durable write and one undo step (an import).

        All or nothing: a bad item raises before anything is written, and a crash leaves the
        whole batch or none of it. Changes that would alter nothing but `modified` are left out.
        Returns the added annotations and the changed ones (as they are now).
        """
        with self._mutex:
            added = list(add)
            changed: list[Annotation] = []
            for id, fields in update:
                new = self._changed(id, fields)
                if new is not None:
                    changed.append(new)
            if changed:
                self._commit("batch", {"add": added, "update": changed})
            elif added:
                self._commit("add", added)
            return added, changed

    def relink(
        self,
        update: Iterable[tuple[str, Mapping[str, Any]]],
        meta: Mapping[str, Any] | None = None,
    ) -> list[Annotation]:
        """Change annotations, their `doc` too (a document renamed or moved: its annotations follow
        it to its new id), and set meta keys (None removes one: a reading position kept under the
        old id), as one durable write and one undo step. Returns the changed annotations."""
        with self._mutex:
            changed: list[Annotation] = []
            for id, fields in update:
                new = self._changed(id, fields, relink=True)
                if new is not None:
                    changed.append(new)
            metas = {
                key: value
                for key, value in (meta or {}).items()
                if self._meta.get(key) != (None if value is None else orjson.dumps(value))
            }
            if changed or metas:
                self._commit("relink", {"update": changed, "meta": metas})
            return changed

    def _changed(
        self, id: str, fields: Mapping[str, Any], relink: bool = False
    ) -> Annotation | None:
        """Annotation `id` with `fields` changed (modified set to now), or None if nothing but the
        timestamp would change. Only `relink` may change its `doc`."""
        current = self._require(id)
        if relink and "doc" in fields:
            rest = {name: value for name, value in fields.items() if name != "doc"}
            new = current.moved_to(fields["doc"], **rest)
        else:
            new = current.with_changes(**fields)
        return None if new == current.with_changes(modified=new.modified) else new

    def delete(self, id: str) -> None:
        """Delete an annotation; durable when this returns."""
        self._commit("delete", id)

    def delete_with_links(self, id: str) -> list[Annotation]:
        """Delete an annotation and the links other annotations have to it, as one durable write and
        one undo step; returns the annotations whose links changed (as they are now)."""
        with self._mutex:
            self._require(id)
            changed = [
                ann.with_changes(links=tuple(link for link in ann.links if link.to != id))
                for ann in self._linking_to(id)
                if ann.id != id
            ]
            if not changed:
                self._commit("delete", id)
            else:
                self._commit("batch", {"add": [], "update": changed, "delete": [id]})
            return changed

    def delete_many_with_links(self, ids: Iterable[str]) -> list[Annotation]:
        """`delete_with_links` for several annotations, as one durable write and one undo step (a
        decision taken back in adjudication); returns the annotations whose links changed."""
        with self._mutex:
            gone = list(dict.fromkeys(ids))
            for id in gone:
                self._require(id)
            dropped = set(gone)
            sources = {a.id: a for id in gone for a in self._linking_to(id) if a.id not in dropped}
            changed = [
                ann.with_changes(links=tuple(link for link in ann.links if link.to not in dropped))
                for ann in sources.values()
            ]
            if gone:
                self._commit("batch", {"add": [], "update": changed, "delete": gone})
            return changed

    def set_meta(self, key: str, value: Any, *, undoable: bool = False) -> None:
        """`store.meta[key] = value`; with `undoable` the change is an undo step like an annotation
        change (a dismissed suggestion), so `undo` restores the previous value, also after a restart."""
        self._set_meta(key, value, delete=False, undoable=undoable)

    def undo(self) -> bool:
        """Undo the last step: an add, update or delete, a batch, or an undoable meta change (also one
        made before a restart)."""
        with self._mutex:
            if not self._undo:
                return False
            self._commit("undo", None)
            return True

    def redo(self) -> bool:
        with self._mutex:
            if not self._redo:
                return False
            self._commit("redo", None)
            return True

    def _set_meta(self, key: str, value: Any, delete: bool, undoable: bool = False) -> None:
        if not isinstance(key, str):
            raise TypeError(f"meta keys are strings, not {type(key).__name__}")
        with self._mutex:
            if not delete and self._meta.get(key) == orjson.dumps(value):
                return
            data: dict[str, Any] = {"key": key} if delete else {"key": key, "value": value}
            if undoable:
                data["undo"] = True
            self._commit("meta", data)

    def _commit(self, op: str, data: Any) -> None:
        """Validate, append and sync the record, then apply it: the single path of every write."""
        with self._mutex:
            self._check_writable()
            plan = self._plan(op, data)
            self._journal.append(self._seq + 1, op, data)
            self._seq += 1
            self._last_write = time.monotonic()
            events = self._execute(plan)
            if self._journal.size > max(self.compact_bytes, self._storage.size):
                self._compact_quietly()
        for kind, before, after in events:
            for listener in list(self._listeners):
                try:
                    listener(kind, before, after)
                except Exception:
                    log.exception("annotation store listener %r failed", listener)

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed")
        if self.read_only:
            raise ReadOnlyStoreError(
                f"{self.path}: opened read-only, so changes cannot be saved; to save, open it "
                "for writing (without --read-only, once no other reader holds it)"
            )

    # -- compaction and closing ----------------------------------------------------------------

    def compact(self) -> None:
        """Write the snapshot atomically, then empty the journal."""
        with self._mutex:
            self._check_writable()
            if self._storage.changed_since_read():
                raise StoreChangedError(
                    f"{self.path}: the snapshot was replaced or edited by another program since "
                    f"reader opened it, so it was not overwritten. Your changes are safe in "
                    f"{self._journal.path.name}; close reader and reopen the store to combine them"
                )
            try:
                self._storage.write_bytes(self._snapshot_bytes())
            except StoreAccessError as exc:
                raise StoreAccessError(
                    f"{exc}. Nothing is lost: the changes are kept in {self._journal.path.name}",
                    exc.readable,
                    exc.what,
                    in_journal=True,
                ) from None
            self._journal.truncate()

    def maybe_compact(self) -> bool:
        """Compact if there are unsnapshotted writes and none for `idle_seconds`; for a timer."""
        with self._mutex:
            if self._closed or self.read_only or self._journal.size == 0:
                return False
            if time.monotonic() - self._last_write < self.idle_seconds:
                return False
            self.compact()
            return True

    def _compact_quietly(self) -> None:
        try:
            self.compact()
        except (StoreChangedError, StoreAccessError) as exc:
            # The write that triggered this is already safe; close() will report the problem.
            if str(exc) not in self.warnings:
                self.warnings.append(str(exc))
                log.warning("%s", exc)

    def close(self) -> None:
        """Compact if anything changed, then release the lock. Safe to call twice."""
        with self._mutex:
            if self._closed:
                return
            try:
                if not self.read_only and self._journal.size > 0:
                    self.compact()
            finally:
                self._closed = True
                self._journal.close()
                self._lock.release()

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
