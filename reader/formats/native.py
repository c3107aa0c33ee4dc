"""The native JSON format: full fidelity, with the documents' metadata and hashes.

{"schema": "reader-annotations/2", "exported": "...Z", "documents": [...], "annotations": [...]}

Schema 2 names every person unambiguously: an annotation's annotator is `annotator`, a document's
author is `byline`. Schema 1 files (`author` for both) are still read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from reader.corpus.documents import Corpus, Document
from reader.errors import AnnotationError, CorpusError, FormatError
from reader.formats.common import Dropped, Incoming, Progress, check_note, decode_utf8, read_limited
from reader.model.annotation import EXPORT_SCHEMA, Annotation, now_iso
from reader.model.labels import brief

# Schema 1 called the annotator and the document's author both `author`.
OLD_SCHEMAS = ("reader-annotations/1",)

CARRIES = frozenset(
    {"label", "tags", "note", "links", "origin", "author", "created", "modified", "quote"}
)


def document_json(doc: Document | None, doc_id: str) -> dict[str, Any]:
    if doc is None:
        return {"id": doc_id}
    try:
        sha256: str | None = doc.sha256
    except CorpusError:
        sha256 = None
    return {
        "id": doc.id,
        "path": doc.path.name,
        "title": doc.title,
        "byline": doc.author,
        "party": doc.party,
        "outlet": doc.outlet,
        "date": doc.date,
        "sha256": sha256,
    }


def write(
    annotations: Sequence[Annotation], corpus: Corpus, out: IO[bytes], progress: Progress
) -> list[Dropped]:
    doc_ids = sorted({ann.doc for ann in annotations})
    payload = {
        "schema": EXPORT_SCHEMA,
        "exported": now_iso(),
        "documents": [document_json(corpus.get(doc_id), doc_id) for doc_id in doc_ids],
        "annotations": [export_json(ann) for ann in annotations],
    }
    out.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    progress(len(annotations))
    return []


def export_json(ann: Annotation) -> dict[str, Any]:
    """An annotation as schema 2 writes it: the store's JSON with `author` named `annotator`."""
    return {("annotator" if k == "author" else k): v for k, v in ann.to_json().items()}


def import_json(item: Any, schema: str, where: str) -> Any:
    """An annotation object of a file of `schema` in the store's JSON (`annotator` → `author`)."""
    if schema in OLD_SCHEMAS or not isinstance(item, dict):
        return item  # schema 1, or not an annotation object: from_json says what is wrong
    if "author" in item:
        raise FormatError(
            f"{where}: 'author' is schema 1's name for the annotator; schema 2 calls it "
            "'annotator' (rename it, or set the file's schema to reader-annotations/1)"
        )
    return {("author" if k == "annotator" else k): v for k, v in item.items()}


def read(path: Path) -> list[Incoming]:
    return [from_annotation(ann, where) for ann, where in read_annotations(path)]


def read_annotations(path: Path) -> list[tuple[Annotation, str]]:
    """Every annotation of a native export (schema 2, or 1), with where it is in the file."""
    try:
        data = orjson.loads(decode_utf8(read_limited(path, "JSON"), path))
    except orjson.JSONDecodeError as exc:
        raise FormatError(
            f"{path}: not valid JSON ({exc}); was the export cut short? Export it again"
        ) from None
    if not isinstance(data, dict) or "annotations" not in data:
        raise FormatError(
            f"{path}: not a reader JSON export (no 'annotations' list); use --format w3c or "
            "aif for other JSON files"
        )
    schema = data.get("schema")
    if schema != EXPORT_SCHEMA and schema not in OLD_SCHEMAS:
        raise FormatError(
            f"{path}: schema {brief(schema)} is not {EXPORT_SCHEMA!r} (nor the older "
            f"{', '.join(map(repr, OLD_SCHEMAS))}); this reader cannot read it (export it again "
            "with this version)"
        )
    items = data["annotations"]
    if not isinstance(items, list):
        raise FormatError(f"{path}: 'annotations' must be a list, got {brief(items)}")
    # The documents' metadata is informative only (import matches by the corpus), but a file
    # that has it in another shape is not one this program wrote.
    documents = data.get("documents") if data.get("documents") is not None else []
    if not isinstance(documents, list) or not all(isinstance(d, dict) for d in documents):
        raise FormatError(f"{path}: 'documents' must be a list of objects, got {brief(documents)}")
    out: list[tuple[Annotation, str]] = []
    for number, item in enumerate(items, start=1):
        where = f"{path}: annotation {number}"
        if isinstance(item, dict) and "note" in item:
            check_note(item["note"], where)
        try:
            ann = Annotation.from_json(import_json(item, schema, where), where=where)
        except AnnotationError as exc:
            raise FormatError(str(exc)) from None
        out.append((ann, where))
    return out


def from_annotation(ann: Annotation, where: str) -> Incoming:
    return Incoming(
        where=where,
        key=ann.id,
        id=ann.id,
        doc_ref=ann.doc,
        start=ann.start,
        end=ann.end,
        quote=ann.quote if ann.start is not None else None,
        prefix=ann.prefix,
        suffix=ann.suffix,
        links=[(link.type, link.to) for link in ann.links],
        doc_sha256=ann.doc_sha256,
        fields={
            "label": ann.label,
            "tags": ann.tags,
            "note": ann.note,
            "origin": ann.origin,
            "author": ann.author,
            "created": ann.created,
            "modified": ann.modified,
        },
    )
