"""Shared pieces of the formats: errors, limits, the parsed form of an imported annotation, the report
of what an import did, and the matching of imported annotations to corpus documents (by id, file name
or source) with re-anchoring by quote when the offsets disagree with the text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

from reader.corpus.documents import Corpus, Document
from reader.errors import AnnotationError, CorpusError, FormatError
from reader.model.annotation import check_note_length
from reader.model.labels import UNLABELLED as UNLABELLED  # formats import it from here
from reader.model.labels import brief
from reader.text import plural

MAX_IMPORT_BYTES = 256 * 1024 * 1024
# UNLABELLED (reader.model.labels) is the type of a span without a label in formats that need one
# (brat, doccano), the name the app gives it too.
DOC_URN = "urn:reader:doc:"
ANNOTATION_URN = "urn:reader:annotation:"

Progress = Callable[[int], None]


class Dropped(NamedTuple):
    """Something an export could not hold: the whole annotation, or (whole=False) a part of it."""

    id: str
    reason: str
    whole: bool = True


def no_progress(done: int) -> None:
    """The default progress callback: says nothing."""


@dataclass
class Incoming:
    """One annotation as read from an import file, before it is matched to a corpus document.

    `key` is the file's own name for it (a stable id, or a local one like brat's "T3"); `links` point at
    such keys. `id` is set only when the format carries reader's stable id. `quote` is None when the file
    gives only offsets; `source_text` is the document text as the file has it, when it has one.
    """

    where: str
    key: str
    doc_ref: str
    start: int | None
    end: int | None
    quote: str | None = None
    prefix: str = ""
    suffix: str = ""
    id: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    source_text: str | None = None
    doc_sha256: str | None = None


def read_limited(path: Path, what: str) -> bytes:
    """The bytes of an import file, refusing directories, missing files and absurd sizes."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FormatError(f"{path}: not a file; pass the {what} file to import")
        if size > MAX_IMPORT_BYTES:
            raise FormatError(
                f"{path}: {size:,} bytes is more than an annotation file can sensibly hold "
                f"({MAX_IMPORT_BYTES:,}); split it or check it is the right file"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise FormatError(f"{path}: cannot read ({exc.strerror})") from None


def decode_utf8(data: bytes, path: Path) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"{path}: byte {exc.start} is not UTF-8; save the file as UTF-8 and import again"
        ) from None
    return text.removeprefix("\ufeff")


def check_note(note: Any, where: str) -> str:
    if not isinstance(note, str):
        raise FormatError(f"{where}: the note must be text, got {type(note).__name__}")
    try:
        check_note_length(note, where)
    except AnnotationError as exc:
        raise FormatError(str(exc)) from None
    return note


_OFFSET = re.compile(r"[0-9]{1,18}")


def parse_offset(cell: str, where: str, what: str = "offset") -> int:
    """A character offset written in a text format: ASCII digits only, no sign, at most 18 of them
    (int() would take other scripts' digits, signs, underscores and up to 4,300 digits)."""
    if not _OFFSET.fullmatch(cell):
        raise FormatError(
            f"{where}: {what} {brief(cell)} must be a whole number from 0, in at most 18 digits"
        )
    return int(cell)


# -- import reports --------------------------------------------------------------------------------


SKIP_UNCHANGED = "already in the store unchanged"
SKIP_NEWER = "kept as the store's copy was modified later"


@dataclass
class Unmatched:
    where: str
    reason: str


@dataclass
class ImportReport:
    """What an import did or, in a dry run, would do."""

    source: Path | None = None
    records: int = 0  # annotations in the file
    imported: int = 0
    updated: int = 0
    skips: list[Unmatched] = field(default_factory=list)  # matched, left as they are, and why
    unmatched: list[Unmatched] = field(default_factory=list)
    # Read differently from the file (a discontinuous span as its cover) or left out of it (an
    # event, a note on an id the file does not have): imported anyway, but said.
    warnings: list[Unmatched] = field(default_factory=list)
    reanchored: int = 0  # placed by their quote because the offsets did not fit the text
    applied: bool = False
    dry_run: bool = False
    allow_unmatched: bool = False

    @property
    def skipped(self) -> int:
        return len(self.skips)

    @property
    def kept_newer(self) -> int:
        return sum(skip.reason == SKIP_NEWER for skip in self.skips)

    def problem(self) -> str | None:
        """Why nothing was (or would be) imported, and what to do; None if the import goes ahead."""
        would = "would be" if self.dry_run else "was"
        count = len(self.unmatched)
        if self.records == 0:
            return (
                f"{self.source}: the file holds no annotations, so nothing {would} imported; "
                "check it is the right file and --format"
            )
        if count == self.records:
            which = (
                f"none of the {count} annotations in {self.source} could"
                if count > 1
                else f"the one annotation in {self.source} could not"
            )
            return (
                f"{which} be matched to the corpus, so nothing {would} imported; the lines "
                "above say why"
            )
        if count and not self.allow_unmatched:
            return (
                f"{plural(count, 'annotation')} could not be matched to the corpus, so nothing "
                f"{would} imported; fix them, or pass --allow-unmatched to import the others"
            )
        return None

    def summary(self) -> str:
        """One line: the counts of what happened (or would happen)."""
        unmatched = len(self.unmatched)
        if self.dry_run:
            parts = [
                f"{self.imported} to import",
                f"{self.updated} to update",
                f"{self.skipped} to skip",
                f"{unmatched} unmatched",
            ]
            line = "dry run, nothing changed: " + ", ".join(parts)
        elif not self.applied:
            return (
                f"nothing imported: {unmatched} unmatched (of {plural(self.records, 'annotation')})"
            )
        else:
            parts = [
                f"{self.imported} imported",
                f"{self.updated} updated",
                f"{self.skipped} skipped",
                f"{unmatched} unmatched" + (" (left out)" if unmatched else ""),
            ]
            line = ", ".join(parts)
        if self.reanchored:
            line += f"; {self.reanchored} re-anchored by quote"
        if self.warnings:
            line += f"; {plural(len(self.warnings), 'warning')} (above)"
        return line

    def warning_lines(self) -> list[str]:
        """A line per warning, with its position relative to the imported folder."""
        return [f"warning: {self._short(w.where)}: {w.reason}" for w in self.warnings]

    def skip_lines(self, shown: int = 3) -> list[str]:
        """A line per reason annotations were skipped, with the first `shown` positions."""
        return [
            f"skipped {len(places)} {reason}: {_first(places, shown)}"
            for reason, places in self._by_reason(self.skips).items()
        ]

    def unmatched_lines(self, shown: int = 3) -> list[str]:
        """A line per annotation that could not be matched, except that a reason shared by more
        than `shown` (every `Premise` of a brat folder whose scheme lacks it) is one line naming
        the first `shown` positions and how many more: what to do is said once."""
        lines = []
        for reason, places in self._by_reason(self.unmatched).items():
            if len(places) <= shown:
                lines += [f"unmatched: {place}: {reason}" for place in places]
            else:
                lines.append(
                    f"unmatched: {len(places)} annotations ({_first(places, shown)}): {reason}"
                )
        return lines

    def _by_reason(self, items: list[Unmatched]) -> dict[str, list[str]]:
        """Each reason with the positions it was given for, in order, relative to the folder."""
        by_reason: dict[str, list[str]] = {}
        for item in items:
            by_reason.setdefault(item.reason, []).append(self._short(item.where))
        return by_reason

    def _short(self, where: str) -> str:
        """A position relative to the imported file's folder: `file.json: annotation 3`."""
        if self.source is None:
            return where
        # Folder formats name files by their resolved path; the user may have given a relative one.
        for parent in (self.source.parent, self.source.resolve().parent):
            if where.startswith(str(parent) + os.sep):
                return where.removeprefix(str(parent) + os.sep)
        return where


def _first(places: list[str], shown: int) -> str:
    """`a, b, c, and 4 more`: the first `shown` of `places` and how many are left out."""
    more = f", and {len(places) - shown} more" if len(places) > shown else ""
    return ", ".join(places[:shown]) + more


# -- documents -------------------------------------------------------------------------------------


class DocumentMatcher:
    """Finds the corpus document an imported annotation refers to: by id, by file name, by source IRI."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._by_name: dict[str, list[Document]] = {}
        # Published URLs (corpus.toml `url`), which W3C exports name as the target's source.
        self._by_url = {doc.url: doc for doc in corpus.documents if doc.url}
        for doc in corpus.documents:
            for name in {doc.path.name, doc.path.stem, doc.id.rsplit("/", 1)[-1]}:
                self._by_name.setdefault(name, []).append(doc)

    def find(self, ref: str) -> tuple[Document | None, str]:
        """The document and "" when found, else None and why not (for the unmatched report)."""
        if ref in self._by_url:
            return self._readable(self._by_url[ref])
        for candidate in _ref_forms(ref):
            doc = self.corpus.get(candidate)
            if doc is not None:
                return self._readable(doc)
        name = ref.rstrip("/").rsplit("/", 1)[-1]
        for candidate in (unquote(name), name):
            hits = self._by_name.get(candidate) or self._by_name.get(candidate.rsplit(".", 1)[0])
            if hits and len(hits) == 1:
                return self._readable(hits[0])
            if hits:
                ids = ", ".join(doc.id for doc in hits[:3])
                return None, f"document {ref!r} is ambiguous (could be {ids})"
        return None, f"no document {ref!r} in the corpus"

    @staticmethod
    def _readable(doc: Document) -> tuple[Document | None, str]:
        try:
            doc.text  # noqa: B018 - loads (and caches) the text, or says why it cannot
        except CorpusError as exc:
            return None, f"document {doc.id!r} cannot be read: {exc}"
        return doc, ""


def _ref_forms(ref: str) -> Iterable[str]:
    yield ref
    if ref.startswith(DOC_URN):
        yield unquote(ref[len(DOC_URN) :])
    if ref.startswith("file:"):
        yield unquote(ref.split(":", 1)[1].lstrip("/"))
    stem = re.sub(r"\.(txt|md|ann)$", "", ref)
    if stem != ref:
        yield stem


# -- anchoring -------------------------------------------------------------------------------------


def utc_timestamp(value: str) -> str:
    """An ISO-8601 time as the model keeps it (UTC, milliseconds, "Z"). Other tools write offsets
    and microseconds (Hypothesis: 2024-03-01T10:00:00.123456+00:00); a value that is no time at all is
    returned as it is, for the model's own check to name."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value  # no zone: which time it means is not known, so the model refuses it
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
