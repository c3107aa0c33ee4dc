"""The byte layout of the snapshot the store writes, which lets an intact snapshot open without parsing.

The snapshot is a plain TinyDB JSON file (`TinyDB(path)` opens it) written one table per line, with the
annotations table split into one line per document, in document order:

    {"reader":{"1":{"schema":..,"seq":..,"docs":[[doc,count,"id id .."],..],"next_key":..,"crc32":..}},
    "meta":{"1":{..}},
    "history":{"1":{"undo":[..],"redo":[..]}},
    "annotations":{
    "1":{..},"2":{..},
    "3":{..}
    }}

JSON allows the newlines, and orjson never writes a raw newline inside a string, so the lines can be
found with a byte search. `crc32` covers the rest of the header and every byte after the first line. When
it matches, the file is exactly what reader wrote (and validated) at compaction, so the store trusts it:
it parses each document's line only when that document is first asked for, and builds those annotations
without validating them again. When it does not match (a hand edit, another program's write, an older
layout, damage), the store parses and validates every record as before and names any bad one.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

ANNOTATIONS_OPEN = b'"annotations":{'
END = b"}}"


@dataclass
class DocChunk:
    """One document's run of records: bytes `start:end` of the snapshot, its count and ids in order."""

    start: int
    end: int
    count: int
    ids: str


@dataclass
class FastSnapshot:
    """What an intact snapshot says without parsing its annotations or history."""

    raw: bytes
    seq: int
    next_key: int
    meta: dict[str, Any]
    history_line: memoryview  # `"history":{...},`, parsed only when undo or redo is needed
    docs: dict[str, DocChunk]
    doc_of: dict[str, str]  # annotation id -> document id, for every annotation


def _crc(check: dict[str, Any], parts: Iterable[bytes | memoryview]) -> int:
    crc = zlib.crc32(orjson.dumps(check))
    for part in parts:
        crc = zlib.crc32(part, crc)
    return crc


def _lines(raw: bytes, start: int) -> list[tuple[int, int]]:
    """(start, end) of every line from `start` on, without the newlines."""
    out: list[tuple[int, int]] = []
    while True:
        end = raw.find(b"\n", start)
        if end < 0:
            out.append((start, len(raw)))
            return out
        out.append((start, end))
        start = end + 1


def read_fast(raw: bytes, schema: str) -> FastSnapshot | None:
    """The snapshot's contents if its checksum matches and it has this layout, else None.

    None is never an error by itself: the caller then parses and validates the whole file.
    """
    first = raw.find(b"\n")
    if first < 2 or raw[first - 1 : first] != b"," or not raw.startswith(b'{"reader":'):
        return None
    try:
        top = orjson.loads(raw[: first - 1] + b"}")
        header = top["reader"]["1"]
        if list(top) != ["reader"] or list(top["reader"]) != ["1"] or header["schema"] != schema:
            return None
        crc = header["crc32"]
        check = {key: value for key, value in header.items() if key != "crc32"}
        seq, next_key, doc_list = header["seq"], header["next_key"], header["docs"]
    except (orjson.JSONDecodeError, TypeError, KeyError):
        return None
    view = memoryview(raw)
    if type(crc) is not int or _crc(check, [view[first + 1 :]]) != crc:
        return None
    if type(seq) is not int or seq < 0 or type(next_key) is not int or type(doc_list) is not list:
        return None
    lines = _lines(raw, first + 1)
    if len(lines) != len(doc_list) + 4:
        return None
    (meta_at, meta_end), (hist_at, hist_end), (open_at, open_end) = lines[:3]
    if (
        not raw.startswith(b'"meta":', meta_at)
        or not raw.startswith(b'"history":', hist_at)
        or raw[open_at:open_end] != ANNOTATIONS_OPEN
        or raw[lines[-1][0] : lines[-1][1]] != END
    ):
        return None
    try:
        meta = orjson.loads(b"{" + view[meta_at : meta_end - 1] + b"}")["meta"]["1"]
    except (orjson.JSONDecodeError, TypeError, KeyError):
        return None
    docs: dict[str, DocChunk] = {}
    doc_of: dict[str, str] = {}
    total = 0
    for entry, (start, end) in zip(doc_list, lines[3:-1], strict=True):
        # The checksum matched, so these only fail if a reader release wrote a bad index: then the
        # full parse decides, rather than trusting it.
        if not (type(entry) is list and len(entry) == 3 and type(entry[0]) is str):
            return None
        doc: str = entry[0]
        count, ids = entry[1], entry[2]
        if type(count) is not int or type(ids) is not str or doc in docs:
            return None
        id_list = ids.split(" ")
        if len(id_list) != count:
            return None
        total += count
        doc_of.update(dict.fromkeys(id_list, doc))
        if raw[end - 1 : end] == b",":
            end -= 1
        docs[doc] = DocChunk(start, end, count, ids)
    if len(doc_of) != total or not isinstance(meta, dict):
        return None
    return FastSnapshot(raw, seq, next_key, meta, view[hist_at:hist_end], docs, doc_of)


def parse_chunk(raw: bytes | memoryview, chunk: DocChunk) -> dict[str, Any]:
    """The TinyDB records (key -> record) of one document's line."""
    records: dict[str, Any] = orjson.loads(b"{" + memoryview(raw)[chunk.start : chunk.end] + b"}")
    return records


def parse_history(line: memoryview) -> dict[str, Any]:
    history: dict[str, Any] = orjson.loads(b"{" + line[:-1] + b"}")["history"]["1"]
    return history


def write_snapshot(
    schema: str,
    seq: int,
    meta: bytes,
    history: bytes | memoryview,
    docs: list[tuple[str, bytes | memoryview, int, str]],
    next_key: int,
) -> list[bytes | memoryview]:
    """The snapshot, in parts to be written one after the other. `meta` and `history` are table lines as made by `meta_line`/`history_line`
    (or kept from the last snapshot); `docs` is (doc, records line without its comma, count, ids)."""
    rest: list[bytes | memoryview] = [meta, b"\n", history, b"\n", ANNOTATIONS_OPEN, b"\n"]
    for n, (_doc, line, _count, _ids) in enumerate(docs):
        rest.append(line)
        rest.append(b",\n" if n < len(docs) - 1 else b"\n")
    rest.append(END)
    header: dict[str, Any] = {
        "schema": schema,
        "seq": seq,
        "docs": [[doc, count, ids] for doc, _line, count, ids in docs],
        "next_key": next_key,
    }
    header["crc32"] = _crc(header, rest)
    first = b'{"reader":{"1":' + orjson.dumps(header) + b"},\n"
    return [first, *rest]


def meta_line(meta: dict[str, bytes]) -> bytes:
    return b'"meta":' + orjson.dumps({"1": {k: orjson.Fragment(v) for k, v in meta.items()}}) + b","


def history_line(history: dict[str, Any]) -> bytes:
    return b'"history":' + orjson.dumps({"1": history}) + b","


def records_line(records: dict[str, Any]) -> memoryview:
    """`"key":{record},...` for one document: the records object without its braces."""
    return memoryview(orjson.dumps(records))[1:-1]
