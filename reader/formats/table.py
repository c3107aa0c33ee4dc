"""CSV for pandas and R: UTF-8, a header row, one row per annotation, every field quoted.

Formula injection (OWASP): a cell that begins with `=`, `+`, `-`, `@`, tab, carriage return or NUL
gets a leading `'` so a spreadsheet shows it as text instead of running it. A cell that already begins
with `'` gets one too, so that import can strip exactly one `'` from any cell that starts with it and
always recover the original.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from reader.corpus.documents import Corpus
from reader.errors import AnnotationError, FormatError
from reader.formats.common import (
    Dropped,
    Incoming,
    Progress,
    check_note,
    decode_utf8,
    parse_offset,
    read_limited,
)
from reader.model.annotation import Annotation, Link, normalise_tags
from reader.text import plural

COLUMNS = (
    "id",
    "doc",
    "title",
    "byline",  # the document's author; `annotator` is the annotation's
    "party",
    "label",
    "tags",
    "start",
    "end",
    "quote",
    "note",
    "links",
    "origin",
    "annotator",
    "created",
    "modified",
)
CARRIES = frozenset(
    {"label", "tags", "note", "links", "origin", "author", "created", "modified", "quote"}
)
_RISKY = ("=", "+", "-", "@", "\t", "\r", "\0", "'")
SEPARATOR = "; "  # tags and links hold no whitespace, so "; " never occurs inside one


def defuse(cell: str) -> str:
    return "'" + cell if cell.startswith(_RISKY) else cell


def restore(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def write(
    annotations: Sequence[Annotation], corpus: Corpus, out: IO[bytes], progress: Progress
) -> list[Dropped]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    meta: dict[str, tuple[str, str, str]] = {}
    for number, ann in enumerate(annotations, start=1):
        info = meta.get(ann.doc)
        if info is None:
            doc = corpus.get(ann.doc)
            info = ("", "", "") if doc is None else (doc.title, doc.author, doc.party)
            meta[ann.doc] = info
        row = (
            ann.id,
            ann.doc,
            *info,
            ann.label or "",
            SEPARATOR.join(ann.tags),
            "" if ann.start is None else str(ann.start),
            "" if ann.end is None else str(ann.end),
            ann.quote,
            ann.note,
            SEPARATOR.join(f"{link.type}:{link.to}" for link in ann.links),
            ann.origin,
            ann.author,
            ann.created,
            ann.modified,
        )
        writer.writerow([defuse(cell) for cell in row])
        if number % 10_000 == 0:
            progress(10_000)
    out.write(buffer.getvalue().encode("utf-8"))
    progress(len(annotations) % 10_000)
    return []


def read(path: Path) -> list[Incoming]:
    text = decode_utf8(read_limited(path, "CSV"), path)
    # The csv module refuses fields over 128 KB by default; notes may be longer (up to the note limit,
    # which check_note enforces with a clearer message).
    csv.field_size_limit(max(csv.field_size_limit(), sys.maxsize >> 1))
    # strict: a quote never closed (a file cut short inside a note) is an error, not a field that
    # silently runs to the end of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    first_line = 1
    try:
        header = next(reader, None)
        if header is None:
            raise FormatError(f"{path}: empty file; export the CSV again")
        missing = [name for name in ("id", "doc", "start", "end", "quote") if name not in header]
        if missing:
            names = ", ".join(repr(name) for name in missing)
            raise FormatError(
                f"{path}: the header has no column{'s' if len(missing) > 1 else ''} {names}; "
                "is this a reader CSV export?"
            )
        index = {name: header.index(name) for name in COLUMNS if name in header}
        out: list[Incoming] = []
        while True:
            # A quoted field may hold line breaks: name the line its record starts on, not the
            # line the reader stopped at.
            first_line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            where = f"{path}: line {first_line}"
            if not row:
                continue
            if len(row) != len(header):
                raise FormatError(
                    f"{where}: {plural(len(row), 'field')} where the header has {len(header)}; "
                    "the file may be cut short"
                )
            out.append(_incoming({k: restore(row[i]) for k, i in index.items()}, where))
    except csv.Error as exc:
        where = f"line {first_line}"
        if reader.line_num > first_line:
            where = f"the record starting on line {first_line} (read to line {reader.line_num})"
        raise FormatError(f"{path}: {where}: {exc}") from None
    return out


def _incoming(cells: dict[str, str], where: str) -> Incoming:
    start = parse_offset(cells["start"].strip(), where, "start") if cells["start"] else None
    end = parse_offset(cells["end"].strip(), where, "end") if cells["end"] else None
    fields: dict[str, Any] = {}
    if "label" in cells:
        fields["label"] = cells["label"] or None
    if "note" in cells:
        fields["note"] = check_note(cells["note"], where)
    try:
        if "tags" in cells:
            fields["tags"] = normalise_tags(cells["tags"].split(SEPARATOR))
        links: list[tuple[str, str]] = []
        for item in filter(None, cells.get("links", "").split(SEPARATOR)):
            kind, _, to = item.partition(":")
            link = Link(kind.strip(), to.strip())
            links.append((link.type, link.to))
    except AnnotationError as exc:
        raise FormatError(f"{where}: {exc}") from None
    if "annotator" in cells:
        fields["author"] = cells["annotator"]  # may be empty: that is a value too
    for name in ("origin", "created", "modified"):
        if cells.get(name):
            fields[name] = cells[name]
    return Incoming(
        where=where,
        key=cells["id"] or where,
        id=cells["id"] or None,
        doc_ref=cells["doc"],
        start=start,
        end=end,
        quote=cells["quote"] if start is not None else None,
        links=links,
        fields=fields,
    )
