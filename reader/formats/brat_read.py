"""Reading brat standoff folders as brat's own parser reads them (brat's annotation.py).

- A `T` line's text is compared as brat compares it: the span texts joined by one space (or, as brat
  still accepts, by nothing) must begin the text after the tab, and whatever follows must begin with
  whitespace, so a trailing tab or space is not part of the text; a `T` line without text takes it
  from the document.
- An `.ann` file without its `.txt` beside it is read against the corpus document of the same name
  (an annotator's folder often holds only `.ann` files).
- Attributes become tags: `A1 Stance T3 For` the tag `stance:for`, a binary attribute (`A1 Negated
  T3`, or an old `M` line) the tag `negated`, and reader's older `A1 Tag T3 economy` the tag `economy`.
- `N` normalisations are kept as lines of the note (`brat N: Reference Wikipedia:534366<tab>Barack
  Obama`), which an export writes back as `N` lines.
- What the model cannot hold is said, never dropped silently: a discontinuous span is imported as
  its covering span with a warning naming it; events, equivalences and notes, attributes,
  normalisations or relations on ids the file does not have are warnings (file, line).
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from reader.corpus.documents import Corpus, normalise
from reader.errors import FormatError
from reader.formats.brat_names import NORMALISATION, TAG_ATTRIBUTE, tag_name, unescape_note
from reader.formats.common import (
    UNLABELLED,
    DocumentMatcher,
    Incoming,
    Unmatched,
    check_note,
    decode_utf8,
    parse_offset,
    read_limited,
)
from reader.model.labels import brief
from reader.text import plural

_SPAN = re.compile(r"([0-9]+) ([0-9]+)")
# brat's own test of an id: letters (or # and letters), digits, anything; or a lone `*`.
_ID = re.compile(r"([A-Za-z]+|#[A-Za-z]*)([0-9]+).*")
_NORMALISATION = re.compile(r"(\S+) (\S+) (\S+?):(\S+)")
_LEFT_OUT = {
    "E": "events have no counterpart in reader",
    "*": "equivalences have no counterpart in reader",
}


def read_folder(
    folder: Path, corpus: Corpus | None = None, warnings: list[Unmatched] | None = None
) -> list[Incoming]:
    if not folder.is_dir():
        raise FormatError(f"{folder}: a brat import is a folder of .ann files (and their .txt)")
    said = warnings if warnings is not None else []
    root = folder.resolve()
    matcher = DocumentMatcher(corpus) if corpus is not None else None
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
                if (path.exists() or path.is_symlink()) and not path.resolve().is_relative_to(root):
                    raise FormatError(
                        f"{path}: points outside {folder} (a link to {path.resolve()}); "
                        "brat files must be inside the folder"
                    )
            if txt_path.is_file():
                text = normalise(decode_utf8(read_limited(txt_path, "brat text"), txt_path))
            else:
                doc, why = matcher.find(doc_id) if matcher is not None else (None, "")
                if doc is None:
                    raise FormatError(
                        f"{ann_path}: no {txt_path.name} beside it"
                        + (f", and {why}" if why else "")
                        + "; put the text beside it, or import into the project whose corpus "
                        "has it"
                    )
                text, doc_id = doc.text, doc.id
            ann_text = decode_utf8(read_limited(ann_path, "brat .ann"), ann_path)
            out.extend(_Document(text, doc_id, ann_path, said).parse(ann_text))
    if not found:
        raise FormatError(f"{folder}: no .ann files here; is this a brat folder?")
    return out


@dataclass
class _Document:
    text: str
    doc_id: str
    path: Path
    warnings: list[Unmatched]
    records: dict[str, Incoming] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def warn(self, where: str, reason: str) -> None:
        self.warnings.append(Unmatched(where, reason))

    def parse(self, ann_text: str) -> list[Incoming]:
        later: list[tuple[str, str, str]] = []
        # brat reads with universal newlines: \r\n and a lone \r end a line, as \n does.
        lines = ann_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{self.path}: line {number}"
            ident, tab, rest = line.partition("\t")
            if not tab or not (ident == "*" or _ID.fullmatch(ident)):
                raise FormatError(f"{where}: expected 'ID<tab>...', got {brief(line)}")
            if ident[0] == "T":
                if ident in self.records:
                    raise FormatError(f"{where}: id {ident} appears twice in the file")
                self.records[ident] = self._textbound(ident, rest, where)
            elif ident[0] in "RAMN#":
                later.append((ident, rest, where))
            else:
                reason = _LEFT_OUT.get(ident[0], f"brat has no {ident[0]!r} lines")
                self.warn(where, f"{ident} left out: {reason}")
        for ident, rest, where in later:
            data, _, tail = rest.partition("\t")
            handler = {"R": self._relation, "A": self._attribute, "M": self._modifier}
            handler.get(ident[0], self._note)(ident, data, tail, where)
        for ident, parts in self.notes.items():
            record = self.records[ident]
            # The notes as written, then the normalisations: the order an export writes them in.
            parts.sort(key=lambda part: part.startswith(NORMALISATION))
            record.fields["note"] = check_note("\n".join(parts), record.where)
        return list(self.records.values())

    def _known(self, ident: str, target: str, where: str, what: str) -> Incoming | None:
        record = self.records.get(target)
        if record is None:
            self.warn(where, f"{ident} left out: {what} on {target}, which is no span in the file")
        return record

    def _textbound(self, ident: str, rest: str, where: str) -> Incoming:
        data, tab, tail = rest.partition("\t")
        kind, _, offsets = data.partition(" ")
        spans: list[tuple[int, int]] = []
        for part in offsets.split(";"):
            match = _SPAN.fullmatch(part.rstrip())
            if match is None:
                raise FormatError(
                    f"{where}: offsets {brief(offsets)} must be 'START END[;START END]'"
                )
            spans.append((parse_offset(match.group(1), where), parse_offset(match.group(2), where)))
        text = self.text
        if any(s > e or e > len(text) for s, e in spans):
            raise FormatError(
                f"{where}: offsets {offsets} are outside the text "
                f"({plural(len(text), 'character')})"
            )
        ordered = sorted(spans)
        if any(b[0] < a[1] for a, b in itertools.pairwise(ordered)):
            raise FormatError(f"{where}: the fragments {offsets} overlap; brat refuses that too")
        self._check_text(tail if tab else "", spans, offsets, where)
        start, end = ordered[0][0], max(e for _, e in spans)
        gaps = [text[a[1] : b[0]] for a, b in itertools.pairwise(ordered)]
        # Fragments split only at line breaks are how brat draws one span across lines.
        if any(gap.strip("\n") for gap in gaps):
            self.warn(
                where,
                f"{ident} is a discontinuous span ({offsets}); imported as the span {start}-{end} "
                "that covers it, gaps included",
            )
        label = unquote(kind)
        fields: dict[str, Any] = {"label": None if label == UNLABELLED else label}
        fields.update(tags=[], note="")
        return Incoming(
            where=where,
            key=f"{self.doc_id}:{ident}",
            doc_ref=self.doc_id,
            start=start,
            end=end,
            source_text=text,
            fields=fields,
        )

    def _check_text(
        self, tail: str, spans: list[tuple[int, int]], offsets: str, where: str
    ) -> None:
        """As brat does: the text must begin with the fragments joined by one space (or, as brat
        once wrote them, by nothing) and end there or at whitespace; no text at all is accepted."""
        if not tail.strip():
            return
        parts = [self.text[s:e] for s, e in spans]
        length = sum(map(len, parts)) + len(parts) - 1
        quote, after = tail[:length], tail[length:]
        if quote != " ".join(parts) and not quote.startswith("".join(parts)):
            raise FormatError(
                f"{where}: the text {tail[:40]!r} is not what the .txt has at {offsets}; "
                "the .txt may have been edited"
            )
        if after and not after[0].isspace():
            raise FormatError(
                f"{where}: the text {tail[:40]!r} runs on past the span {offsets} without a "
                "space or tab; brat refuses that too"
            )

    def _relation(self, ident: str, data: str, tail: str, where: str) -> None:
        kind, _, rest = data.partition(" ")
        args = [word.split(":", 1) for word in rest.split()]
        if not kind or len(args) != 2 or any(len(arg) != 2 for arg in args):
            raise FormatError(f"{where}: a relation is 'TYPE Arg1:T1 Arg2:T2', got {brief(data)}")
        named = dict(args)
        source, target = (
            (named["Arg1"], named["Arg2"])
            if {"Arg1", "Arg2"} <= named.keys()
            else (args[0][1], args[1][1])
        )
        record = self._known(ident, source, where, "a relation")
        if record is not None and self._known(ident, target, where, "a relation") is not None:
            record.links.append((unquote(kind), f"{self.doc_id}:{target}"))

    def _attribute(self, ident: str, data: str, tail: str, where: str) -> None:
        words = data.split(" ", 2)
        if len(words) < 2 or not all(words):
            raise FormatError(f"{where}: an attribute is 'NAME T1 [VALUE]', got {brief(data)}")
        record = self._known(ident, words[1], where, "an attribute")
        if record is None:
            return
        name = tag_name(words[0])
        if len(words) == 2:
            tag = name  # a binary attribute: present or not
        elif words[0] == TAG_ATTRIBUTE:
            tag = unquote(words[2])  # how reader wrote tags before attributes kept their names
        else:
            tag = f"{name}:{unquote(words[2])}"
        record.fields["tags"].append(tag)

    def _modifier(self, ident: str, data: str, tail: str, where: str) -> None:
        self._attribute(ident, " ".join(data.split()[:2]), tail, where)

    def _note(self, ident: str, data: str, tail: str, where: str) -> None:
        if ident[0] == "N":
            match = _NORMALISATION.match(data)
            if match is None:
                raise FormatError(f"{where}: a normalisation is 'TYPE T1 DB:ID', got {brief(data)}")
            kind, target, db, key = match.groups()
            if self._known(ident, target, where, "a normalisation") is not None:
                line = f"{NORMALISATION}{kind} {db}:{key}" + (f"\t{tail}" if tail else "")
                self.notes.setdefault(target, []).append(line)
            return
        words = data.split()
        if len(words) != 2:
            raise FormatError(f"{where}: a note is '#1<tab>AnnotatorNotes T1<tab>text'")
        if self._known(ident, words[1], where, "a note") is not None:
            self.notes.setdefault(words[1], []).append(unescape_note(tail))
