"""The native JSON format: full fidelity, with the documents' metadata and hashes.

{"schema": "reader-annotations/1", "exported": "...Z", "documents": [...], "annotations": [...]}
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from reader.corpus.documents import Corpus, Document
from reader.errors import AnnotationError, CorpusError, FormatError
from reader.formats.common import Dropped, Incoming, Progress, check_note, decode_utf8, read_limited
from reader.model.annotation import SCHEMA_VERSION, Annotation, now_iso
from reader.model.labels import brief

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
        "author": doc.author,
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
        "schema": SCHEMA_VERSION,
        "exported": now_iso(),
        "documents": [document_json(corpus.get(doc_id), doc_id) for doc_id in doc_ids],
        # orjson writes the slotted dataclasses in field order, exactly as Annotation.to_json.
        "annotations": list(annotations),
    }
    out.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    progress(len(annotations))
    return []


def read(path: Path) -> list[Incoming]:
    try:
        data = orjson.loads(decode_utf8(read_limited(path, "JSON"), path))
    except orjson.JSONDecodeError as exc:
        raise FormatError(
            f"{path}: not valid JSON ({exc}); was the export cut short? Export it again"
        ) from None
    if not isinstance(data, dict) or "annotations" not in data:
        raise FormatError(
            f"{path}: not a reader JSON export (no 'annotations' list); use --format w3c or "
            "jsonl for other JSON files"
        )
    if data.get("schema") != SCHEMA_VERSION:
        raise FormatError(
            f"{path}: schema {brief(data.get('schema'))} is not {SCHEMA_VERSION!r}; this reader "
            "cannot read it (export it again with this version)"
        )
    items = data["annotations"]
    if not isinstance(items, list):
        raise FormatError(f"{path}: 'annotations' must be a list, got {brief(items)}")
    # The documents' metadata is informative only (import matches by the corpus), but a file
    # that has it in another shape is not one this program wrote.
    documents = data.get("documents") if data.get("documents") is not None else []
    if not isinstance(documents, list) or not all(isinstance(d, dict) for d in documents):
        raise FormatError(f"{path}: 'documents' must be a list of objects, got {brief(documents)}")
    out: list[Incoming] = []
    for number, item in enumerate(items, start=1):
        where = f"{path}: annotation {number}"
        if isinstance(item, dict) and "note" in item:
            check_note(item["note"], where)
        try:
            ann = Annotation.from_json(item, where=where)
        except AnnotationError as exc:
            raise FormatError(str(exc)) from None
        out.append(from_annotation(ann, where))
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
