"""Export and import orchestration: choose the format, write atomically, match imports to the corpus.

`export(fmt, annotations, corpus, dest, progress)` is the plain function the CLI and the app call.
`import_file(path, fmt, corpus, store, dry_run=...)` reads a file, matches every annotation to a corpus
document, re-anchors it by quote where the offsets disagree with the text, and goes through the store API
(`write_many`), so an import is one durable write and one undo step. Stable ids make re-imports update
rather than duplicate; for formats without reader's ids (brat, doccano) an annotation with the same
document, span and label counts as the same one. An import with unmatched annotations changes nothing
unless `allow_unmatched` is set, so nothing is ever dropped silently.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from reader.anchoring import AnchorMemo, anchor, context
from reader.corpus.documents import Corpus, Document
from reader.errors import AnnotationError, FormatError
from reader.formats import EXPORT_FORMATS, FOLDER_FORMATS, FORMATS, IMPORT_FORMATS, module
from reader.formats.common import (
    ANNOTATION_URN,
    SKIP_NEWER,
    SKIP_UNCHANGED,
    DocumentMatcher,
    Dropped,
    ImportReport,
    Incoming,
    Progress,
    Unmatched,
    no_progress,
)
from reader.model.annotation import Annotation, Link, annotation_for, new_id
from reader.store.annotation_store import AnnotationStore, open_store_paths
from reader.text import plural
from reader.transfer import files as export_files
from reader.transfer.guard import check_destination

__all__ = [
    "ExportResult",
    "ImportReport",
    "Unmatched",
    "export",
    "import_file",
    "import_records",
    "read_import",
]


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
        stores = [*open_store_paths(), *([store] if store is not None else [])]
        folder = fmt in FOLDER_FORMATS
        advice = f"choose another {ask.folder if folder else ask.path}"
        check_destination(dest, folder, corpus, stores, advice)
    # An export builds hundreds of thousands of short-lived containers, which sets off the cyclic
    # garbage collector again and again for nothing (none of them form cycles); pausing it halves the
    # time of the larger formats.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _export(fmt, annotations, corpus, dest, progress, ask)
    finally:
        if paused:
            gc.enable()


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


# -- import ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import builds its records and annotations:
    hundreds of thousands of objects, none in cycles, set it off again and again for nothing."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def read_import(path: Path, fmt: str) -> list[Incoming]:
    if fmt not in IMPORT_FORMATS:
        raise FormatError(f"cannot import {fmt!r}; use one of {', '.join(IMPORT_FORMATS)}")
    mod = module(fmt)
    with _collector_paused():
        records: list[Incoming] = mod.read_folder(path) if fmt in FOLDER_FORMATS else mod.read(path)
    seen: set[str] = set()
    for rec in records:
        if rec.key in seen:
            raise FormatError(f"{rec.where}: id {rec.key!r} appears twice in the file")
        seen.add(rec.key)
    return records


@dataclass
class _Placed:
    rec: Incoming
    doc: Document
    start: int | None
    end: int | None
    id: str
    existing: Annotation | None


def import_file(
    path: Path,
    fmt: str,
    corpus: Corpus,
    store: AnnotationStore,
    *,
    dry_run: bool = False,
    allow_unmatched: bool = False,
) -> ImportReport:
    """Import `path`; see the module docstring. With dry_run the store is only read."""
    records = read_import(path, fmt)
    return import_records(
        path, fmt, records, corpus, store, dry_run=dry_run, allow_unmatched=allow_unmatched
    )


def import_records(
    path: Path,
    fmt: str,
    records: list[Incoming],
    corpus: Corpus,
    store: AnnotationStore,
    *,
    dry_run: bool = False,
    allow_unmatched: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """`import_file` for records already read from `path` by `read_import`; `progress(n)` is
    called as n more records are matched to the corpus (the bulk of the work)."""
    with _collector_paused():
        return _import_records(
            path, fmt, records, corpus, store, dry_run, allow_unmatched, progress
        )


def _import_records(
    path: Path,
    fmt: str,
    records: list[Incoming],
    corpus: Corpus,
    store: AnnotationStore,
    dry_run: bool,
    allow_unmatched: bool,
    progress: Progress,
) -> ImportReport:
    carries: frozenset[str] = module(fmt).CARRIES
    report = ImportReport(path, len(records), dry_run=dry_run, allow_unmatched=allow_unmatched)
    placed = _place(records, corpus, store, report, progress)
    key_map = {item.rec.key: item.id for item in placed}
    new: list[Annotation] = []
    updates: list[tuple[str, dict[str, Any]]] = []
    for item in placed:
        try:
            links = _links(item.rec, key_map)
            if item.existing is None:
                new.append(_build(item, links))
            else:
                if item.rec.id is None:
                    # The file only knows links among its own annotations; keep the others.
                    imported = set(key_map.values())
                    kept = tuple(ln for ln in item.existing.links if ln.to not in imported)
                    links = kept + tuple(ln for ln in links if ln not in kept)
                change = _changes(item, links, carries, report)
                if change:
                    updates.append((item.id, change))
        except AnnotationError as exc:
            report.unmatched.append(Unmatched(item.rec.where, str(exc)))
    report.imported, report.updated = len(new), len(updates)
    if dry_run or report.problem() is not None:
        return report
    # One journal record and one undo step: a crash keeps all of the import or none of it.
    _added, changed = store.write_many(add=new, update=updates)
    report.updated = len(changed)
    report.applied = True
    return report


def _place(
    records: list[Incoming],
    corpus: Corpus,
    store: AnnotationStore,
    report: ImportReport,
    progress: Progress,
) -> list[_Placed]:
    """Match each record to a document and a span; unmatched ones go to the report."""
    scheme = corpus.scheme
    matcher = DocumentMatcher(corpus)
    by_span: dict[tuple[str, int | None, int | None, str | None], list[Annotation]] = {}
    if any(rec.id is None for rec in records):
        for ann in store.annotations():
            by_span.setdefault(
                (ann.doc, *_trimmed(ann.start, ann.end, ann.quote), ann.label), []
            ).append(ann)
    placed: list[_Placed] = []
    memos: dict[str, AnchorMemo] = {}  # what re-anchoring learned, per document
    for number, rec in enumerate(records, start=1):
        if number % 1000 == 0:
            progress(1000)
        doc, why = matcher.find(rec.doc_ref)
        if doc is None:
            report.unmatched.append(Unmatched(rec.where, why))
            continue
        memo = memos.get(doc.id)
        if memo is None:
            memo = memos[doc.id] = AnchorMemo()
        span = _span(rec, doc.text, memo)
        if isinstance(span, str):
            report.unmatched.append(Unmatched(rec.where, f"{span} of {doc.id!r}"))
            continue
        if span != (rec.start, rec.end):
            report.reanchored += 1
        label = rec.fields.get("label")
        if label is not None and label not in scheme:
            report.unmatched.append(
                Unmatched(
                    rec.where,
                    f"label {label!r} is not in the corpus's label scheme "
                    f"({', '.join(scheme.names)}); add it to corpus.toml first",
                )
            )
            continue
        existing: Annotation | None
        if rec.id is not None:
            ann_id, existing = rec.id, store.get(rec.id)
            if existing is not None and existing.doc != doc.id:
                report.unmatched.append(
                    Unmatched(rec.where, f"id {rec.id!r} belongs to {existing.doc!r} in the store")
                )
                continue
        else:
            quote = doc.text[span[0] : span[1]] if span[0] is not None else ""
            same = by_span.get((doc.id, *_trimmed(*span, quote), label))
            existing = same.pop(0) if same else None
            ann_id = existing.id if existing is not None else new_id()
            if existing is not None:
                span = (existing.start, existing.end)  # may hold line breaks brat leaves out
        placed.append(_Placed(rec, doc, span[0], span[1], ann_id, existing))
    progress(len(records) % 1000)
    return placed


def _trimmed(start: int | None, end: int | None, quote: str) -> tuple[int | None, int | None]:
    """The span without line breaks at its ends, as brat writes it."""
    if start is None or end is None:
        return start, end
    inner_start = start + len(quote) - len(quote.lstrip("\n"))
    inner_end = end - (len(quote) - len(quote.rstrip("\n")))
    return (inner_start, inner_end) if inner_start < inner_end else (start, end)


def _span(rec: Incoming, text: str, memo: AnchorMemo) -> tuple[int | None, int | None] | str:
    if rec.start is None and rec.end is None and rec.quote is None:
        return None, None
    quote, prefix, suffix = rec.quote, rec.prefix, rec.suffix
    if quote is None:
        source = rec.source_text if rec.source_text is not None else text
        if rec.start is None or rec.end is None or not 0 <= rec.start <= rec.end <= len(source):
            return f"offsets {rec.start}-{rec.end} are outside the text"
        quote, prefix, suffix = context(source, rec.start, rec.end)
    return anchor(text, rec.start, rec.end, quote, prefix, suffix, memo)


def _links(rec: Incoming, key_map: dict[str, str]) -> tuple[Link, ...]:
    links: list[Link] = []
    for kind, ref in rec.links:
        target = key_map.get(ref)
        if target is None and rec.id is not None:
            # Formats with stable ids may link to annotations already in the store (or not imported).
            target = ref.removeprefix(ANNOTATION_URN)
        if target is not None:
            links.append(Link(kind, target))
    return tuple(links)


def _build(item: _Placed, links: tuple[Link, ...]) -> Annotation:
    fields = {k: v for k, v in item.rec.fields.items() if v is not None or k == "label"}
    doc = item.doc
    return annotation_for(
        doc.id, doc.text, doc.sha256, item.start, item.end, id=item.id, links=links, **fields
    )


def _changes(
    item: _Placed, links: tuple[Link, ...], carries: frozenset[str], report: ImportReport
) -> dict[str, Any]:
    """The fields the file changes on the stored annotation; {} when it changes nothing."""
    existing = item.existing
    assert existing is not None
    incoming_modified = item.rec.fields.get("modified")
    if "modified" in carries and incoming_modified and existing.modified > incoming_modified:
        report.skips.append(Unmatched(item.rec.where, SKIP_NEWER))
        return {}
    fresh = _build(item, links)
    change: dict[str, Any] = {}
    for name in ("start", "end", "quote", "prefix", "suffix", "doc_sha256"):
        change[name] = getattr(fresh, name)
    for name in carries - {"quote", "created"}:
        change[name] = getattr(fresh, name)
    if "modified" not in carries:
        change.pop("modified", None)
    unchanged = all(getattr(existing, k) == v for k, v in change.items() if k != "modified")
    if unchanged:
        report.skips.append(Unmatched(item.rec.where, SKIP_UNCHANGED))
        return {}
    return change
