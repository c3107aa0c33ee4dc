"""Where an export must never write: the annotation store's files and the corpus's documents.

An export replaces its destination, so `-o annotations/store.json` would swap the user's work for the
report and `-o corpus/op-ed.txt` a document for it. Paths are compared as the system resolves them
(symlinks, `..`, relative paths), and an existing destination also by device and inode, which catches
hard links and symlinked documents that live outside the corpus folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from reader.corpus.documents import Corpus
from reader.errors import FormatError
from reader.store.journal import is_store_file


def check_destination(
    dest: Path, folder: bool, corpus: Corpus, stores: Iterable[Path], advice: str
) -> None:
    """Raise FormatError if writing the export to `dest` (a folder for `folder` formats) could
    replace or add to the store's files or the corpus; `advice` ends the message."""
    target = Path(os.path.realpath(dest))
    corpus_root = Path(os.path.realpath(corpus.root))
    store_paths = list(dict.fromkeys(Path(os.path.abspath(p)) for p in stores))
    store_dirs = {Path(os.path.realpath(p.parent)) for p in store_paths}
    if folder:
        for kept, what in [(corpus_root, "the corpus folder")] + [
            (d, "the annotation store's folder") for d in store_dirs
        ]:
            if target == kept or kept.is_relative_to(target):
                _refuse(dest, f"is or holds {what} {kept}", advice)
        if target.is_relative_to(corpus_root):
            _refuse(dest, f"is inside the corpus folder {corpus_root}", advice)
        return
    if target.is_relative_to(corpus_root):
        _refuse(dest, f"is inside the corpus folder {corpus_root}", advice)
    for store in store_paths:
        names = {store.name, Path(os.path.realpath(store)).name}
        same_folder = target.parent == Path(os.path.realpath(store.parent))
        if same_folder and any(is_store_file(target.name, name) for name in names):
            _refuse(dest, f"is a file of the annotation store {store}", advice)
    other = _any_store(target)
    if other is not None:  # another project's store (or its journal, lock, backup)
        _refuse(dest, f"is a file of the annotation store {other}", advice)
    try:
        st = os.stat(target)
    except OSError:
        return  # nothing there yet: only the names above can matter
    here = (st.st_dev, st.st_ino)
    for store in store_paths:
        for kept in _store_files(store):
            if _identity(kept) == here:
                _refuse(dest, f"is the same file as {kept}, part of the annotation store", advice)
    for doc in corpus:
        if _identity(doc.path) == here:
            _refuse(dest, f"is the same file as the corpus document {doc.path}", advice)


# How a store's file begins (reader/store/state.py writes it): enough to know one from an export.
_STORE_HEAD = b'{"reader":{"1":{"schema":"reader-annotations/'


def _any_store(target: Path) -> Path | None:
    """The store `target` belongs to, whichever project's: `target` itself when it is a store's
    file, or a store beside it whose journal, lock or backup it is."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return None
    for name in names:
        if (name == target.name or is_store_file(target.name, name)) and _is_store(
            target.parent / name
        ):
            return target.parent / name
    return None


def _is_store(path: Path) -> bool:
    try:
        if not path.is_file():  # a pipe would block the open; a folder is no store
            return False
        with open(path, "rb") as file:
            return file.read(len(_STORE_HEAD)) == _STORE_HEAD
    except OSError:
        return False


def _store_files(store: Path) -> list[Path]:
    folder = store.parent
    try:
        names = os.listdir(folder)
    except OSError:
        return [store]
    return [folder / name for name in names if is_store_file(name, store.name)]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _refuse(dest: Path, why: str, advice: str) -> None:
    raise FormatError(f"{dest}: {why}, so the export was not written there; {advice}")
