"""brat standoff: a folder with each document's `.txt` (the normalised text, LF only) and `.ann`, plus an
`annotation.conf` (and `visual.conf` with the label colours) so the folder opens in brat and INCEpTION.

`.ann` lines: `T` text-bound annotations (label as type, code-point offsets, the quote), `R` relations
for links (`supports Arg1:T3 Arg2:T1`: T3 supports T1), `A` attributes for tags (`Tag T1 economy`),
`#` AnnotatorNotes for notes with `\\`, newlines and tabs escaped. A span that crosses line breaks is
written as fragments split at the breaks (brat cannot draw across lines), with their texts joined by one
space as brat expects. Names brat cannot hold (spaces, `:`, `|`, ...) are percent-encoded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from reader.corpus.documents import Corpus
from reader.errors import CorpusError, FormatError
from reader.formats.common import (
    UNLABELLED,
    Dropped,
    Incoming,
    Progress,
    check_note,
    decode_utf8,
    parse_offset,
    read_limited,
)
from reader.model.annotation import SCHEMA_VERSION, Annotation
from reader.model.labels import brief
from reader.text import plural

CARRIES = frozenset({"label", "tags", "note", "links", "quote"})
TAG_ATTRIBUTE = "Tag"
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPE = re.compile(r"\\(.)")
_SPAN = re.compile(r"([0-9]+) ([0-9]+)")


def brat_name(name: str) -> str:
    """A type or value brat can hold: letters, digits and `_-.` (not first) kept, the rest %-encoded."""
    out = []
    for n, ch in enumerate(name):
        if ch.isalnum() or (n > 0 and ch in "_-."):
            out.append(ch)
        else:
            out.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")))
    return "".join(out)


def escape_note(note: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in note) if note else note


def unescape_note(text: str) -> str:
    table = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    return _UNESCAPE.sub(lambda m: table.get(m.group(1), m.group(0)), text)


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of text[start:end] between line breaks, leaving out empty ones."""
    out: list[tuple[int, int]] = []
    at = start
    while at < end:
        stop = text.find("\n", at, end)
        stop = end if stop == -1 else stop
        if stop > at:
            out.append((at, stop))
        at = stop + 1
    return out


def _target(folder: Path, doc_id: str, suffix: str) -> Path:
    path = (folder / (doc_id + suffix)).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise FormatError(
            f"document id {doc_id!r} would be written outside {folder}; nothing was exported"
        )
    return path


def write_folder(
    annotations: Sequence[Annotation], corpus: Corpus, folder: Path, progress: Progress
) -> list[Dropped]:
    ordered = sorted(annotations, key=lambda a: a.sort_key)
    groups = [(doc_id, list(group)) for doc_id, group in groupby(ordered, key=lambda a: a.doc)]
    for doc_id, _ in groups:  # refuse before writing anything
        _target(folder, doc_id, ".ann")
    dropped: list[Dropped] = []
    types: set[str] = {brat_name(label) for label in corpus.scheme.names}
    relations: set[str] = {relation.name for relation in corpus.scheme.relations}
    values: set[str] = set()
    for doc_id, anns in groups:
        doc = corpus.get(doc_id)
        try:
            text = doc.text if doc is not None else None
        except CorpusError:
            text = None
        if text is None:
            dropped += [Dropped(a.id, f"document {doc_id!r} is not readable") for a in anns]
            progress(len(anns))
            continue
        lines, used = _document_lines(anns, text, dropped)
        types.update(used["types"])
        relations.update(used["relations"])
        values.update(used["values"])
        txt = _target(folder, doc_id, ".txt")
        txt.parent.mkdir(parents=True, exist_ok=True)
        with txt.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        with _target(folder, doc_id, ".ann").open("w", encoding="utf-8", newline="") as handle:
            handle.write("".join(lines))
        progress(len(anns))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "annotation.conf").write_text(_conf(types, relations, values), encoding="utf-8")
    (folder / "visual.conf").write_text(_visual(corpus), encoding="utf-8")
    return dropped


def _document_lines(
    anns: list[Annotation], text: str, dropped: list[Dropped]
) -> tuple[list[str], dict[str, set[str]]]:
    lines: list[str] = []
    used: dict[str, set[str]] = {"types": set(), "relations": set(), "values": set()}
    tid: dict[str, str] = {}
    attributes = notes = 0
    for ann in anns:
        if ann.start is None or ann.end is None:
            dropped.append(Dropped(ann.id, "a note on the whole document has no span for brat"))
            continue
        parts = fragments(text, ann.start, ann.end)
        if not parts:
            dropped.append(Dropped(ann.id, f"span {ann.start}-{ann.end} is only line breaks"))
            continue
        if parts[0][0] != ann.start or parts[-1][1] != ann.end:
            dropped.append(Dropped(ann.id, "line breaks at the ends of the span left out", False))
        tid[ann.id] = f"T{len(tid) + 1}"
        kind = brat_name(ann.label or UNLABELLED)
        used["types"].add(kind)
        offsets = ";".join(f"{s} {e}" for s, e in parts)
        quote = " ".join(text[s:e] for s, e in parts)
        lines.append(f"{tid[ann.id]}\t{kind} {offsets}\t{quote}\n")
        for tag in ann.tags:
            attributes += 1
            value = brat_name(tag)
            used["values"].add(value)
            lines.append(f"A{attributes}\t{TAG_ATTRIBUTE} {tid[ann.id]} {value}\n")
        if ann.note:
            notes += 1
            lines.append(f"#{notes}\tAnnotatorNotes {tid[ann.id]}\t{escape_note(ann.note)}\n")
    relations = 0
    for ann in anns:
        for link in ann.links:
            if ann.id not in tid or link.to not in tid:
                reason = f"link {link.type} → {link.to} leaves the document's spans"
                dropped.append(Dropped(ann.id, reason, False))
                continue
            relations += 1
            kind = brat_name(link.type)
            used["relations"].add(kind)
            lines.append(f"R{relations}\t{kind} Arg1:{tid[ann.id]} Arg2:{tid[link.to]}\n")
    return lines, used


def _conf(types: set[str], relations: set[str], values: set[str]) -> str:
    lines = [f"# Written by reader ({SCHEMA_VERSION}).", "[entities]", *sorted(types)]
    lines += ["", "[relations]"]
    lines += [f"{name} Arg1:<ENTITY>, Arg2:<ENTITY>" for name in sorted(relations)]
    lines += ["<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", ""]
    lines += ["[attributes]"]
    if values:
        lines.append(f"{TAG_ATTRIBUTE} Arg:<ENTITY>, Value:{'|'.join(sorted(values))}")
    return "\n".join(lines) + "\n"


def _visual(corpus: Corpus) -> str:
    scheme = corpus.scheme
    lines = ["[labels]", *(brat_name(label.name) for label in scheme), "", "[drawing]"]
    lines += [f"{brat_name(lb.name)}\tbgColor:{lb.color}" for lb in scheme if lb.color]
    return "\n".join(lines) + "\n"


# -- import ----------------------------------------------------------------------------------------


def read_folder(folder: Path) -> list[Incoming]:
    if not folder.is_dir():
        raise FormatError(f"{folder}: a brat import is a folder of .txt and .ann files")
    root = folder.resolve()
    out: list[Incoming] = []
    found = False
    for current, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".ann"):
                continue
            found = True
            ann_path = Path(current) / name
            doc_id = ann_path.relative_to(root).with_suffix("").as_posix()
            txt_path = ann_path.with_suffix(".txt")
            for path in (ann_path, txt_path):
                if not path.resolve().is_relative_to(root):
                    raise FormatError(
                        f"{path}: points outside {folder} (a link to {path.resolve()}); "
                        "brat files must be inside the folder"
                    )
            if not txt_path.is_file():
                raise FormatError(f"{ann_path}: no {txt_path.name} beside it with the text")
            text = decode_utf8(read_limited(txt_path, "brat text"), txt_path).replace("\r\n", "\n")
            ann_text = decode_utf8(read_limited(ann_path, "brat .ann"), ann_path)
            out.extend(_parse(ann_text, text, doc_id, ann_path))
    if not found:
        raise FormatError(f"{folder}: no .ann files here; is this a brat folder?")
    return out


def _parse(ann_text: str, text: str, doc_id: str, path: Path) -> list[Incoming]:
    records: dict[str, Incoming] = {}
    later: list[tuple[str, str, str]] = []
    # Only \n ends a line, as in brat (str.splitlines would also split at U+2028 inside a quote).
    for number, line in enumerate(ann_text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {number}"
        ident, _, rest = line.partition("\t")
        if not ident or not rest:
            raise FormatError(f"{where}: expected 'ID<tab>...', got {brief(line)}")
        if ident[0] == "T":
            records[ident] = _textbound(ident, rest, text, doc_id, where)
        elif ident[0] in "RA#":
            later.append((ident, rest, where))
        # E, N, M and * lines (events, normalisations, equivalences) have no counterpart here.
    for ident, rest, where in later:
        data, _, tail = rest.partition("\t")
        words = data.split()
        if ident[0] == "R":
            args = dict(word.split(":", 1) for word in words[1:] if ":" in word)
            source, target = records.get(args.get("Arg1", "")), args.get("Arg2", "")
            if source is None or target not in records or not words:
                raise FormatError(f"{where}: the relation must join two T annotations")
            source.links.append((unquote(words[0]), f"{doc_id}:{target}"))
        elif ident[0] == "A":
            if len(words) < 2 or words[1] not in records:
                raise FormatError(f"{where}: the attribute must name a T annotation")
            tag = unquote(words[2]) if words[0] == TAG_ATTRIBUTE and len(words) > 2 else None
            if tag is None:
                tag = unquote(words[0]) + (f":{unquote(words[2])}" if len(words) > 2 else "")
            records[words[1]].fields["tags"].append(tag)
        elif len(words) == 2 and words[0] == "AnnotatorNotes" and words[1] in records:
            note = unescape_note(tail)
            records[words[1]].fields["note"] = check_note(note, where)
    return list(records.values())


def _textbound(ident: str, rest: str, text: str, doc_id: str, where: str) -> Incoming:
    data, _, quote = rest.partition("\t")
    kind, _, offsets = data.partition(" ")
    spans: list[tuple[int, int]] = []
    for part in offsets.split(";"):
        match = _SPAN.fullmatch(part.strip())
        if match is None:
            raise FormatError(f"{where}: offsets {brief(offsets)} must be 'START END[;START END]'")
        spans.append((parse_offset(match.group(1), where), parse_offset(match.group(2), where)))
    start, end = spans[0][0], spans[-1][1]
    if any(s > e for s, e in spans) or end > len(text) or start > end:
        raise FormatError(
            f"{where}: offsets {offsets} are outside the text ({plural(len(text), 'character')})"
        )
    if " ".join(text[s:e] for s, e in spans) != quote:
        raise FormatError(
            f"{where}: the text {quote[:40]!r} is not what the .txt has at {offsets}; "
            "the .txt may have been edited"
        )
    label = unquote(kind)
    fields: dict[str, Any] = {"label": None if label == UNLABELLED else label}
    fields.update(tags=[], note="")
    return Incoming(
        where=where,
        key=f"{doc_id}:{ident}",
        doc_ref=doc_id,
        start=start,
        end=end,
        source_text=text,
        fields=fields,
    )
