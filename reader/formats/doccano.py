"""doccano JSONL for relation extraction: one line per document.

    {"id": DOC, "text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
     "relations": [{"id", "from_id", "to_id", "type"}], "Comments": [{"entity_id", "text"(, "label")}],
     "schema": "reader-annotations/1"}

Entity and relation ids are whole numbers unique within the line, as doccano writes them. Notes go in
"Comments" (entity_id null and the label for a note on the whole document). Extra keys such as "schema" become example
metadata in doccano. Unlabelled spans get the label "unlabelled", which import reads back as no label.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import IO, Any

import orjson

from reader.corpus.documents import Corpus
from reader.errors import CorpusError, FormatError
from reader.formats.common import (
    UNLABELLED,
    Dropped,
    Incoming,
    Progress,
    check_note,
    decode_utf8,
    read_limited,
)
from reader.model.annotation import SCHEMA_VERSION, Annotation
from reader.model.labels import brief
from reader.text import plural

CARRIES = frozenset({"label", "note", "links", "quote"})


def write(
    annotations: Sequence[Annotation], corpus: Corpus, out: IO[bytes], progress: Progress
) -> list[Dropped]:
    dropped: list[Dropped] = []
    ordered = sorted(annotations, key=lambda a: a.sort_key)
    for doc_id, group in groupby(ordered, key=lambda a: a.doc):
        anns = list(group)
        doc = corpus.get(doc_id)
        try:
            text = doc.text if doc is not None else None
        except CorpusError:
            text = None
        if text is None:
            dropped += [Dropped(a.id, f"document {doc_id!r} is not readable") for a in anns]
            progress(len(anns))
            continue
        spans = [ann for ann in anns if ann.start is not None]
        number = {ann.id: n for n, ann in enumerate(spans, start=1)}
        entities: list[dict[str, Any]] = []
        relations: list[dict[str, Any]] = []
        comments: list[dict[str, Any]] = []
        for ann in anns:
            if ann.start is not None:
                entities.append(
                    {
                        "id": number[ann.id],
                        "label": ann.label or UNLABELLED,
                        "start_offset": ann.start,
                        "end_offset": ann.end,
                    }
                )
            for link in ann.links:
                if link.to not in number or ann.id not in number:
                    # Relations join entities of one line: a whole-document note has none, and
                    # an annotation of another document is on another line.
                    reason = f"link {link.type} → {link.to} leaves the document's spans"
                    dropped.append(Dropped(ann.id, reason, False))
                    continue
                relations.append(
                    {
                        "id": len(relations) + 1,
                        "from_id": number[ann.id],
                        "to_id": number[link.to],
                        "type": link.type,
                    }
                )
            if ann.start is None:  # a note on the whole document keeps its label here
                comments.append({"entity_id": None, "text": ann.note, "label": ann.label})
            elif ann.note:
                comments.append({"entity_id": number[ann.id], "text": ann.note})
        line = {
            "id": doc_id,
            "text": text,
            "entities": entities,
            "relations": relations,
            "Comments": comments,
            "schema": SCHEMA_VERSION,
        }
        out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
        progress(len(anns))
    return dropped


def read(path: Path) -> list[Incoming]:
    text = decode_utf8(read_limited(path, "JSONL"), path)
    out: list[Incoming] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        where = f"{path}: line {number}"
        try:
            line = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise FormatError(f"{where}: not valid JSON ({exc}); was the file cut short?") from None
        out.extend(_line(line, where, f"{number}:"))
    return out


def _line(line: Any, where: str, scope: str) -> list[Incoming]:
    """The line's annotations; keys are prefixed with `scope` so they are unique in the file."""
    if not isinstance(line, dict) or not isinstance(line.get("text"), str):
        raise FormatError(f"{where}: a doccano line must be an object with a 'text'")
    doc_ref = line.get("id")
    if not isinstance(doc_ref, str | int) or isinstance(doc_ref, bool):
        raise FormatError(f"{where}: 'id' must name the document")
    text: str = line["text"]
    records: dict[str, Incoming] = {}
    for entity in _list(line, "entities", where):
        key, label = entity.get("id"), entity.get("label")
        start, end = entity.get("start_offset"), entity.get("end_offset")
        if (
            not isinstance(key, int)
            or not isinstance(start, int)
            or not isinstance(end, int)
            or any(type(v) is bool for v in (key, start, end))
            or not isinstance(label, str)
        ):
            raise FormatError(
                f"{where}: entity {brief(entity)} needs whole-number id, start_offset, end_offset "
                "and a label"
            )
        if not 0 <= start <= end <= len(text):
            raise FormatError(
                f"{where}: entity {key} has offsets {start}-{end} outside the line's text "
                f"({plural(len(text), 'character')})"
            )
        if str(key) in records:
            raise FormatError(f"{where}: entity id {key} is used twice")
        records[str(key)] = Incoming(
            where=f"{where}: entity {key}",
            key=scope + str(key),
            doc_ref=str(doc_ref),
            start=start,
            end=end,
            source_text=text,
            fields={"label": None if label == UNLABELLED else label, "note": ""},
        )
    for relation in _list(line, "relations", where):
        ends = (relation.get("from_id"), relation.get("to_id"))
        kind = relation.get("type")
        if not isinstance(kind, str) or any(str(e) not in records for e in ends):
            raise FormatError(
                f"{where}: relation {brief(relation)} must join two entities of the line"
            )
        records[str(ends[0])].links.append((kind, scope + str(ends[1])))
    for number, comment in enumerate(_list(line, "Comments", where), start=1):
        target = comment.get("entity_id")
        note = check_note(comment.get("text"), f"{where}: comment {number}")
        if target is None:
            key = f"{scope}comment-{number}"
            records[key] = Incoming(
                where=f"{where}: comment {number}",
                key=key,
                doc_ref=str(doc_ref),
                start=None,
                end=None,
                fields={"label": _label(comment.get("label"), where), "note": note},
            )
        elif str(target) in records:
            records[str(target)].fields["note"] = note
        else:
            raise FormatError(
                f"{where}: comment {number} is on entity {target}, which is not there"
            )
    return list(records.values())


def _label(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise FormatError(f"{where}: a comment's label must be text or null")
    return value or None


def _list(line: dict[str, Any], name: str, where: str) -> list[dict[str, Any]]:
    items = line.get(name, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise FormatError(f"{where}: {name!r} must be a list of objects")
    return items
