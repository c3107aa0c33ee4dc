"""The annotation store on TinyDB: journal, lock, snapshot, undo/redo history.

`AnnotationStore` and the store's errors are importable from here, as other tools do.
"""

from __future__ import annotations

from reader.errors import (
    ReadOnlyStoreError,
    StoreAccessError,
    StoreChangedError,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
)
from reader.store.annotation_store import AnnotationStore
from reader.store.history import Change, MetaChange
from reader.store.journal import journal_path, store_exists

__all__ = [
    "AnnotationStore",
    "Change",
    "MetaChange",
    "ReadOnlyStoreError",
    "StoreAccessError",
    "StoreChangedError",
    "StoreCorruptError",
    "StoreError",
    "StoreLockedError",
    "journal_path",
    "store_exists",
]
