"""Export orchestration: choose the format, refuse destinations that would destroy the store or a
document, write atomically (a file beside the destination renamed into place, a brat folder built
aside and moved in), and say what the format left out.

`export(fmt, annotations, corpus, dest, progress)` is the plain function the CLI and the app call.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING

from reader.collector import collector_paused
from reader.corpus.documents import Corpus
from reader.errors import FormatError
from reader.formats import EXPORT_FORMATS, FOLDER_FORMATS, FORMATS, module
from reader.formats.common import (
    Dropped,
    Progress,
    no_progress,
)
from reader.model.annotation import Annotation
from reader.store import AnnotationStore
from reader.store.annotation_store import open_store_paths
from reader.store.journal import store_exists
from reader.text import plural
from reader.transfer import files as export_files
from reader.transfer.checking import reanchored
from reader.transfer.guard import check_destination

if TYPE_CHECKING:
    from reader.search.query import Query


# Formats whose annotations are spans and nothing else: an orphan (its text gone from the document)
# cannot go out without one, so it is listed as left out. The others write it with its quote and
# no offsets.
SPAN_ONLY = ("brat", "jsonl")
ORPHAN_REASON = "orphaned: its text is no longer in the document (`reader check` lists it)"


@dataclass
class ExportResult:
    format: str
    path: Path | None
    written: int
    dropped: list[Dropped] = field(default_factory=list)  # what the format could not hold, and why
    leaves_out: tuple[str, ...] = ()  # the fields the format never holds, as users name them

    def summary(self) -> str:
        """One line: how many were written, where, the fields the format never holds, and how many
        annotations it could hold only in part or not at all (`dropped` says which and why)."""
        where = f" to {self.path}" if self.path else ""
        line = (
            f"exported {plural(self.written, 'annotation')}{where}; {self.format} leaves out "
            f"{', '.join(self.leaves_out) or 'nothing'}"
        )
        whole = {item.id for item in self.dropped if item.whole}
        part = {item.id for item in self.dropped if not item.whole} - whole
        if whole:
            line += f"; {plural(len(whole), 'annotation')} not exported"
        if part:
            line += f"; {plural(len(part), 'annotation')} exported in part"
        return line


def export(
    fmt: str,
    annotations: Sequence[Annotation],
    corpus: Corpus,
    dest: Path | IO[bytes],
    progress: Progress = no_progress,
    option: str | None = "-o",
    store: Path | None = None,
) -> ExportResult:
    """Write `annotations` in format `fmt` to a file or folder path (atomically) or a binary stream.

    `progress(n)` is called as n more annotations are done. brat needs a folder path. `option` is
    how the user gives the destination, for the advice in errors ("choose another -o path"); None
    where it is typed into a box ("choose another path"). A path that is (or would replace, or
    would hold) a corpus document or a file of `store` or of any store open in this process is
    refused before anything is written.
    """
    if fmt not in EXPORT_FORMATS:
        raise FormatError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    ask = _Ask(option)
    if isinstance(dest, Path):
        check_export_destination(fmt, dest, corpus, store, option)
    with collector_paused():
        # Never offsets that do not hold the quote: annotations of documents that changed are
        # re-anchored here as `reader check` would, and those of a renamed or moved document go
        # out under the id it has now, without writing to the store.
        annotations = reanchored(annotations, corpus, follow_renames=True)
        left_out: list[Dropped] = []
        if fmt in SPAN_ONLY:
            left_out = [Dropped(ann.id, ORPHAN_REASON) for ann in annotations if ann.orphaned]
            if left_out:
                annotations = [ann for ann in annotations if not ann.orphaned]
        result = _export(fmt, annotations, corpus, dest, progress, ask)
        if left_out:
            result.dropped[:0] = left_out
            progress(len(left_out))
        return result


def check_export_destination(
    fmt: str, dest: Path, corpus: Corpus, store: Path | None = None, option: str | None = "-o"
) -> None:
    """Raise FormatError if `export` would refuse to write format `fmt` to `dest`: over a file of
    an annotation store or a corpus document (the app asks this before "Replace it?")."""
    ask = _Ask(option)
    stores = [*open_store_paths(), *([store] if store is not None else [])]
    folder = fmt in FOLDER_FORMATS
    advice = f"choose another {ask.folder if folder else ask.path}"
    check_destination(dest, folder, corpus, stores, advice)


@dataclass(frozen=True)
class _Ask:
    """The words for the destination in an error's advice: `-o path`, or `path` without an option."""

    option: str | None

    @property
    def path(self) -> str:
        return f"{self.option} path" if self.option else "path"

    @property
    def folder(self) -> str:
        return f"{self.option} FOLDER" if self.option else "folder"


def _export(
    fmt: str,
    annotations: Sequence[Annotation],
    corpus: Corpus,
    dest: Path | IO[bytes],
    progress: Progress,
    ask: _Ask,
) -> ExportResult:
    mod = module(fmt)
    if fmt in FOLDER_FORMATS:
        if not isinstance(dest, Path):
            raise FormatError(f"{fmt} export writes a folder; give its path with {ask.folder}")
        if dest.exists() and not dest.is_dir():
            raise FormatError(f"{dest}: is a file; brat export needs a folder (new or existing)")
        dropped: list[Dropped] = export_files.write_folder(
            lambda staging: mod.write_folder(annotations, corpus, staging, progress),
            dest,
            f"choose another {ask.folder}",
        )
        return _result(fmt, mod, dest, annotations, dropped)
    if not isinstance(dest, Path):
        dropped = mod.write(annotations, corpus, dest, progress)
        return _result(fmt, mod, None, annotations, dropped)
    if dest.is_dir():
        raise FormatError(f"{dest}: is a folder; give a file name for the {fmt} export")
    if not dest.parent.is_dir():
        raise FormatError(f"{dest.parent}: no such folder for the export")
    if dest.exists() and not dest.is_file():
        # A pipe or a device (-o /dev/stdout): renaming a file over it would replace it.
        try:
            with dest.open("wb") as handle:
                dropped = mod.write(annotations, corpus, handle, progress)
        except OSError as exc:
            raise FormatError(f"{dest}: could not write the export ({exc.strerror})") from None
        return _result(fmt, mod, dest, annotations, dropped)
    # Write beside the target and rename, so an interrupted export never leaves half a file.
    export_files.remove_stale(dest.parent)
    fd, temporary = export_files.temporary_file(dest, f"choose another {ask.path}")
    try:
        with os.fdopen(fd, "wb") as handle:
            dropped = mod.write(annotations, corpus, handle, progress)
            handle.flush()
            os.replace(temporary, dest)  # still locked, so no other run takes it for stale
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FormatError(f"{dest}: could not write the export ({exc.strerror})") from None
        raise
    return _result(fmt, mod, dest, annotations, dropped)


def _result(
    fmt: str,
    mod: ModuleType,
    path: Path | None,
    annotations: Sequence[Annotation],
    dropped: list[Dropped],
) -> ExportResult:
    written = len(annotations) - len({item.id for item in dropped if item.whole})
    return ExportResult(fmt, path, written, dropped, FORMATS[fmt].leaves_out)


def annotations_to_export(
    store_path: Path,
    corpus: Corpus,
    docs: Sequence[str] = (),
    query: Query | None = None,
    by: Sequence[str] = (),
) -> list[Annotation]:
    """The store's annotations, or those of `docs` (in that order), narrowed to the layers of the
    annotators `by` (exact names; `gold` is the adjudicated layer) and to those matching `query`.
    A store not created yet has none: a project nobody has annotated exports an empty file, and
    exporting does not create the store."""
    if not store_exists(store_path):
        return []
    with AnnotationStore.open(store_path, read_only=True) as store:
        if docs:
            found = [ann for doc_id in dict.fromkeys(docs) for ann in store.annotations(doc_id)]
        else:
            found = store.annotations()
    if by:
        wanted_by = set(by)
        found = [ann for ann in found if ann.author in wanted_by]
    if query is None or not found:
        return found
    from reader.search.engine import SearchIndex

    index = SearchIndex(corpus)
    index.add_many(found)
    wanted = {ann.id for ann in index.matching(query)}
    return [ann for ann in found if ann.id in wanted]
