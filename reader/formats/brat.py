"""brat standoff: a folder with each document's `.txt` (the normalised text, LF only) and `.ann`, plus an
`annotation.conf` (and `visual.conf` with the label colours) so the folder opens in brat and INCEpTION.

`.ann` lines: `T` text-bound annotations (label as type, code-point offsets, the quote), `R` relations
for links (`supports Arg1:T3 Arg2:T1`: T3 supports T1), `A` attributes for tags, `#` AnnotatorNotes
for notes with `\\`, newlines and tabs escaped, and `N` normalisations for the note's `brat N:` lines
(which an import of brat's `N` lines wrote). A span that crosses line breaks is written as fragments
split at the breaks (brat cannot draw across lines), with their texts joined by one space as brat
expects. Names brat cannot hold (spaces, `:`, `|`, ...) are percent-encoded.

Tags and attributes: brat keeps one value per attribute per span, so each tag is an attribute of its
own. A tag `name:value` is the attribute `name` with that value (`stance:for` → `Stance T3 For`), the
first such tag of a name on a span; any other tag is a binary attribute named after the whole tag
(`economy` → `economy T3`). Several tags on one span are several attributes, which brat's client keeps
when the span is edited there. Tags are lower case in reader; the names and values are spelled as the
corpus's own `annotation.conf` (a brat project's, kept at the corpus root) declares them, if it does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from urllib.parse import unquote

from reader.corpus.documents import Corpus
from reader.errors import CorpusError, FormatError
from reader.formats.brat_names import (
    NORMALISATION,
    TAG_ATTRIBUTE,
    attribute_name,
    brat_name,
    escape_note,
    tag_name,
)
from reader.formats.brat_read import read_folder
from reader.formats.common import UNLABELLED, Dropped, Progress
from reader.model.annotation import EXPORT_SCHEMA, Annotation

CARRIES = frozenset({"label", "tags", "note", "links", "quote"})
__all__ = ["CARRIES", "attributes", "brat_name", "fragments", "read_folder", "write_folder"]


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


class Spelling:
    """How attribute names and values are spelled in brat: as the corpus's `annotation.conf`
    [attributes] declares them (`Stance Arg:Claim, Value:For|Against`), else as the tag has them."""

    def __init__(self, conf: Path | None = None) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[tuple[str, str], str] = {}
        try:
            lines = conf.read_text(encoding="utf-8").splitlines() if conf else []
        except (OSError, UnicodeDecodeError):
            lines = []  # an unreadable conf only costs the spelling
        section = ""
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
            elif section == "attributes" and line:
                name, _, rest = line.partition(" ")
                tag = tag_name(name).lower()
                self.names[tag] = name
                for part in rest.split(","):
                    key, _, values = part.strip().partition(":")
                    if key == "Value":
                        for value in values.split("|"):
                            self.values[(tag, unquote(value).lower())] = value

    def name(self, name: str) -> str:
        return self.names.get(name) or attribute_name(name)

    def value(self, name: str, value: str) -> str:
        return self.values.get((name, value)) or brat_name(value)


def attributes(tags: Sequence[str], valued: set[str] | None = None) -> list[tuple[str, str | None]]:
    """A span's tags as (attribute, value) pairs in reader's spelling; None for a binary attribute.
    The first `name:value` tag of a name is that attribute's value (brat holds one per span); a name
    in `valued` (used with values elsewhere in the export) cannot also be a binary attribute, so
    such a tag is written as reader's older `Tag` attribute."""
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for tag in tags:
        name, colon, value = tag.partition(":")
        if colon and name and value and name not in seen:
            seen.add(name)
            out.append((name, value))
        elif valued is not None and tag in valued:
            out.append((TAG_ATTRIBUTE, tag))
        else:
            out.append((tag, None))
    return out


def write_folder(
    annotations: Sequence[Annotation], corpus: Corpus, folder: Path, progress: Progress
) -> list[Dropped]:
    ordered = sorted(annotations, key=lambda a: a.sort_key)
    groups = [(doc_id, list(group)) for doc_id, group in groupby(ordered, key=lambda a: a.doc)]
    for doc_id, _ in groups:  # refuse before writing anything
        _target(folder, doc_id, ".ann")
    dropped: list[Dropped] = []
    conf = corpus.root / "annotation.conf"
    spelling = Spelling(conf if conf.is_file() else None)
    valued = {name for ann in ordered for name, value in attributes(ann.tags) if value is not None}
    used: dict[str, set[str]] = {"types": {brat_name(label) for label in corpus.scheme.names}}
    used["relations"] = {relation.name for relation in corpus.scheme.relations}
    declared: dict[str, set[str] | None] = {}  # attribute -> its values; None: binary
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
        lines = _document_lines(anns, text, dropped, _Writer(spelling, valued, used, declared))
        txt = _target(folder, doc_id, ".txt")
        txt.parent.mkdir(parents=True, exist_ok=True)
        with txt.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        with _target(folder, doc_id, ".ann").open("w", encoding="utf-8", newline="") as handle:
            handle.write("".join(lines))
        progress(len(anns))
    folder.mkdir(parents=True, exist_ok=True)
    text = _conf(used["types"], used["relations"], declared)
    (folder / "annotation.conf").write_text(text, encoding="utf-8")
    (folder / "visual.conf").write_text(_visual(corpus), encoding="utf-8")
    return dropped


class _Writer:
    """What the lines of every document share: the spelling, and what annotation.conf declares."""

    def __init__(
        self,
        spelling: Spelling,
        valued: set[str],
        used: dict[str, set[str]],
        declared: dict[str, set[str] | None],
    ) -> None:
        self.spelling, self.valued, self.used, self.declared = spelling, valued, used, declared

    def attribute(self, name: str, value: str | None) -> str:
        """The line's `NAME` or `NAME VALUE` part (without the target), declared on the way."""
        spelled = TAG_ATTRIBUTE if name == TAG_ATTRIBUTE else self.spelling.name(name)
        if value is None:
            self.declared[spelled] = None
            return spelled
        value_spelled = (
            brat_name(value) if name == TAG_ATTRIBUTE else self.spelling.value(name, value)
        )
        values = self.declared.setdefault(spelled, set())
        if values is not None:
            values.add(value_spelled)
        return f"{spelled} {{}} {value_spelled}"


def _document_lines(
    anns: list[Annotation], text: str, dropped: list[Dropped], writer: _Writer
) -> list[str]:
    lines: list[str] = []
    tid: dict[str, str] = {}
    counts = {"A": 0, "#": 0, "N": 0}
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
        tid[ann.id] = ident = f"T{len(tid) + 1}"
        kind = brat_name(ann.label or UNLABELLED)
        writer.used["types"].add(kind)
        offsets = ";".join(f"{s} {e}" for s, e in parts)
        quote = " ".join(text[s:e] for s, e in parts)
        lines.append(f"{ident}\t{kind} {offsets}\t{quote}\n")
        for name, value in attributes(ann.tags, writer.valued):
            counts["A"] += 1
            part = writer.attribute(name, value)
            body = part.format(ident) if value is not None else f"{part} {ident}"
            lines.append(f"A{counts['A']}\t{body}\n")
        note, normalisations = split_note(ann.note)
        if note:
            counts["#"] += 1
            lines.append(f"#{counts['#']}\tAnnotatorNotes {ident}\t{escape_note(note)}\n")
        for kind_ref, tail in normalisations:
            counts["N"] += 1
            norm_kind, _, ref = kind_ref.partition(" ")
            lines.append(
                f"N{counts['N']}\t{norm_kind} {ident} {ref}" + (f"\t{tail}\n" if tail else "\n")
            )
    relations = 0
    for ann in anns:
        for link in ann.links:
            if ann.id not in tid or link.to not in tid:
                reason = f"link {link.type} → {link.to} leaves the document's spans"
                dropped.append(Dropped(ann.id, reason, False))
                continue
            relations += 1
            kind = brat_name(link.type)
            writer.used["relations"].add(kind)
            lines.append(f"R{relations}\t{kind} Arg1:{tid[ann.id]} Arg2:{tid[link.to]}\n")
    return lines


_NORMALISATION_LINE = re.compile(r"(\S+ \S+?:\S+)(?:\t(.*))?")


def split_note(note: str) -> tuple[str, list[tuple[str, str]]]:
    """The note without its `brat N:` lines, and those lines as (`TYPE DB:ID`, text) pairs."""
    if NORMALISATION not in note:
        return note, []
    kept: list[str] = []
    found: list[tuple[str, str]] = []
    for line in note.split("\n"):
        match = _NORMALISATION_LINE.fullmatch(line.removeprefix(NORMALISATION))
        if line.startswith(NORMALISATION) and match is not None:
            found.append((match.group(1), match.group(2) or ""))
        else:
            kept.append(line)
    return "\n".join(kept), found


def _conf(types: set[str], relations: set[str], declared: dict[str, set[str] | None]) -> str:
    lines = [f"# Written by reader ({EXPORT_SCHEMA}).", "[entities]", *sorted(types)]
    lines += ["", "[relations]"]
    lines += [f"{name} Arg1:<ENTITY>, Arg2:<ENTITY>" for name in sorted(relations)]
    lines += ["<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", ""]
    lines += ["[attributes]"]
    for name, values in sorted(declared.items()):
        if values is None:
            lines.append(f"{name} Arg:<ENTITY>")
        else:
            lines.append(f"{name} Arg:<ENTITY>, Value:{'|'.join(sorted(values))}")
    return "\n".join(lines) + "\n"


def _visual(corpus: Corpus) -> str:
    scheme = corpus.scheme
    lines = ["[labels]", *(brat_name(label.name) for label in scheme), "", "[drawing]"]
    lines += [f"{brat_name(lb.name)}\tbgColor:{lb.color}" for lb in scheme if lb.color]
    return "\n".join(lines) + "\n"
