"""Import orchestration: read a file, match every annotation to a corpus document, re-anchor it by
quote where the offsets disagree with the text, and go through the store API (`write_many`), so an
import is one durable write and one undo step. Stable ids make re-imports update rather than
duplicate; for formats without reader's ids (brat, doccano) an annotation with the same document, span,
label and annotator counts as the same one.

Every annotation belongs to an annotator: the file's own (native `author`, W3C `creator`), else the
`annotator` the import is given, else the current user's. Annotations of different annotators never
merge, so three annotators' folders imported into one store keep three layers, and re-importing one
annotator's file updates that annotator's annotations only. `label_map` renames the file's labels
(`MajorClaim` → `claim`) before they are checked against the scheme. An import with unmatched
annotations changes nothing unless `allow_unmatched` is set, so nothing is ever dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.anchoring import AnchorMemo, anchor
from reader.collector import collector_paused
from reader.corpus.documents import Corpus, Document
from reader.errors import AnnotationError, FormatError
from reader.formats import FOLDER_FORMATS, IMPORT_FORMATS, module
from reader.formats.common import (
    ANNOTATION_URN,
    SKIP_NEWER,
    SKIP_UNCHANGED,
    DocumentMatcher,
    ImportReport,
    Incoming,
    Progress,
    Unmatched,
    no_progress,
    utc_timestamp,
)
from reader.model.annotation import (
    Annotation,
    Link,
    annotation_from_document,
    context,
    default_author,
    new_id,
)
from reader.model.labels import LabelScheme
from reader.store import AnnotationStore


def read_import(
    path: Path,
    fmt: str,
    corpus: Corpus | None = None,
    warnings: list[Unmatched] | None = None,
) -> list[Incoming]:
    """The records of an import file. A folder format may read texts it lacks from `corpus` (brat
    `.ann` files without their `.txt`) and adds what it read differently or left out to `warnings`."""
    if fmt not in IMPORT_FORMATS:
        raise FormatError(f"cannot import {fmt!r}; use one of {', '.join(IMPORT_FORMATS)}")
    mod = module(fmt)
    with collector_paused():
        records: list[Incoming] = (
            mod.read_folder(path, corpus, warnings if warnings is not None else [])
            if fmt in FOLDER_FORMATS
            else mod.read(path)
        )
    seen: set[str] = set()
    for rec in records:
        if rec.key in seen:
            raise FormatError(f"{rec.where}: id {rec.key!r} appears twice in the file")
        seen.add(rec.key)
        for name in ("created", "modified"):
            if isinstance(rec.fields.get(name), str):
                rec.fields[name] = utc_timestamp(rec.fields[name])
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
    annotator: str | None = None,
    label_map: dict[str, str] | None = None,
) -> ImportReport:
    """Import `path`; see the module docstring. With dry_run the store is only read."""
    warnings: list[Unmatched] = []
    records = read_import(path, fmt, corpus, warnings)
    return import_records(
        path,
        fmt,
        records,
        corpus,
        store,
        dry_run=dry_run,
        allow_unmatched=allow_unmatched,
        annotator=annotator,
        label_map=label_map,
        warnings=warnings,
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
    annotator: str | None = None,
    label_map: dict[str, str] | None = None,
    warnings: list[Unmatched] | None = None,
) -> ImportReport:
    """`import_file` for records already read from `path` by `read_import` (with the `warnings` it
    collected); `progress(n)` is called as n more records are matched to the corpus (the bulk of
    the work)."""
    report = ImportReport(path, len(records), dry_run=dry_run, allow_unmatched=allow_unmatched)
    report.warnings = list(warnings or [])
    mapping = label_mapping(label_map or {}, corpus.scheme)
    who = annotator or default_author()
    for rec in records:
        # The file's own annotator wins; else the one the import names; else the current user.
        if not isinstance(rec.fields.get("author"), str):
            rec.fields["author"] = who
        label = rec.fields.get("label")
        if isinstance(label, str) and label.casefold() in mapping:
            rec.fields["label"] = mapping[label.casefold()]
    with collector_paused():
        return _import_records(fmt, records, corpus, store, report, progress)


def label_mapping(label_map: dict[str, str], scheme: LabelScheme) -> dict[str, str]:
    """`--map` as file label (case-folded) → scheme label; a target the scheme lacks is refused
    here, before anything is read into the store. Targets match the scheme's names case-blind."""
    out: dict[str, str] = {}
    for source, target in label_map.items():
        target = target.strip()
        found = scheme.matching(target)
        if found is None:
            raise FormatError(
                f"--map {source}={target}: {target!r} is not a label of the corpus "
                f"({', '.join(scheme.names) or 'no labels defined'}); map to one of them or "
                "declare it in corpus.toml [[labels]]"
            )
        out[source.strip().casefold()] = found.name
    return out


def _import_records(
    fmt: str,
    records: list[Incoming],
    corpus: Corpus,
    store: AnnotationStore,
    report: ImportReport,
    progress: Progress,
) -> ImportReport:
    carries: frozenset[str] = module(fmt).CARRIES
    dry_run = report.dry_run
    placed = _place(records, corpus, store, report, progress)
    key_map = {item.rec.key: item.id for item in placed}
    new: list[Annotation] = []
    updates: list[tuple[str, dict[str, Any]]] = []
    for item in placed:
        try:
            links = _links(item.rec, key_map, corpus.scheme, store, report)
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
    # Same document, span, label and annotator: the same annotation (for files without reader ids).
    by_span: dict[tuple[str, int | None, int | None, str | None, str], list[Annotation]] = {}
    if any(rec.id is None for rec in records):
        for ann in store.annotations():
            by_span.setdefault(
                (ann.doc, *_trimmed(ann.start, ann.end, ann.quote), ann.label, ann.author), []
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
            target = _likely(label, scheme.names)
            report.unmatched.append(
                Unmatched(
                    rec.where,
                    f"label {label!r} is not in the corpus's label scheme "
                    f"({', '.join(scheme.names) or 'no labels defined'}); map it with "
                    f"--map {label}={target}, or declare it in corpus.toml [[labels]]",
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
            same = by_span.get((doc.id, *_trimmed(*span, quote), label, rec.fields["author"]))
            existing = same.pop(0) if same else None
            ann_id = existing.id if existing is not None else new_id()
            if existing is not None:
                span = (existing.start, existing.end)  # may hold line breaks brat leaves out
        placed.append(_Placed(rec, doc, span[0], span[1], ann_id, existing))
    progress(len(records) % 1000)
    return placed


def _likely(label: str, names: tuple[str, ...]) -> str:
    """The scheme label a foreign one most likely means (`MajorClaim` → `claim`), for the advice."""
    folded = label.casefold()
    for name in sorted(names, key=len, reverse=True):
        if name.casefold() in folded:
            return name
    return names[0] if names else "LABEL"


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


def _links(
    rec: Incoming,
    key_map: dict[str, str],
    scheme: LabelScheme,
    store: AnnotationStore,
    report: ImportReport,
) -> tuple[Link, ...]:
    links: list[Link] = []
    for kind, ref in rec.links:
        if scheme.relations and scheme.relation(kind) is None:
            # As for labels: a type the corpus does not declare is named, not taken in silently.
            names = ", ".join(r.name for r in scheme.relations)
            raise AnnotationError(
                f"link type {kind!r} is not among the corpus's relation types ({names}); "
                "add it to corpus.toml's [[relations]] first"
            )
        target = key_map.get(ref)
        if target is None and rec.id is not None:
            # Formats with stable ids may link to annotations already in the store.
            target = ref.removeprefix(ANNOTATION_URN)
            if store.get(target) is None:  # nor there (left out as unmatched): no link to nothing
                report.warnings.append(
                    Unmatched(
                        rec.where,
                        f"its {kind} link to {target} is left out: that annotation is neither "
                        "imported nor in the store",
                    )
                )
                target = None
        if target is not None:
            links.append(Link(kind, target))
    return tuple(links)


def _build(item: _Placed, links: tuple[Link, ...]) -> Annotation:
    fields = {k: v for k, v in item.rec.fields.items() if v is not None or k == "label"}
    return annotation_from_document(
        item.doc, item.start, item.end, id=item.id, links=links, **fields
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
