"""The annotation data model: `Annotation`, `Link`, `LabelScheme` and their JSON shape.

Annotations are frozen dataclasses whose collections are tuples, so an annotation handed out by the store
can be shared freely: nobody can change the store's copy by mutating it. Changes go through
`dataclasses.replace` (or `Annotation.with_changes`), which re-runs validation.

Conventions chosen here and relied on elsewhere:
- tags are normalised to lower case, runs of whitespace become "-", duplicates are dropped, and the result
  is sorted, so two annotations with the same tags compare equal and exports are deterministic;
- timestamps are ISO-8601 UTC with millisecond precision and a "Z" suffix;
- ids are 26-character ULIDs (Crockford base32), sortable by creation time, monotonic within a process.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from reader.errors import AnnotationError
from reader.model.labels import brief

__all__ = [
    "ANCHOR_STATUSES",
    "EXPORT_SCHEMA",
    "MAX_NOTE_CHARS",
    "SCHEMA_VERSION",
    "Annotation",
    "Link",
    "annotation_for",
    "annotation_from_document",
    "check_note_length",
    "new_id",
    "normalise_tags",
    "trusted_annotation",
]

SCHEMA_VERSION = "reader-annotations/1"  # the store's; exports that name people carry EXPORT_SCHEMA
# Exports name every person unambiguously: `annotator` (who made an annotation), `byline` (who wrote
# the document). Version 1 called both `author`.
EXPORT_SCHEMA = "reader-annotations/2"
CONTEXT_CHARS = 32
# A note is a paragraph or a page, not a book. The one limit for notes written in the app, by the
# store and by imports, so that anything reader exports it can import again.
MAX_NOTE_CHARS = 1_000_000
ORIGINS = ("manual", "suggestion")
# What re-anchoring found when the document's text changed (reader/anchoring/). None: never
# re-anchored, or confirmed by the user since. An orphan keeps its quote, prefix and suffix but has no
# offsets (start and end null); an approximate match keeps the quote it was made on in `old_quote`.
ANCHOR_STATUSES = ("unchanged", "moved", "approximate", "orphaned")

_FIELDS = (
    "id",
    "doc",
    "doc_sha256",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "label",
    "tags",
    "note",
    "links",
    "origin",
    "author",
    "created",
    "modified",
    "anchor_status",
    "old_quote",
)
_REQUIRED = ("id", "doc", "doc_sha256", "start", "end", "created", "modified")
_FIELD_SET = frozenset(_FIELDS)
_REQUIRED_SET = frozenset(_REQUIRED)
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_LINK_TYPE = re.compile(r"[a-z][a-z0-9_-]*")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.:-]*")


def now_iso() -> str:
    """The current time as ISO-8601 UTC with milliseconds and a "Z" suffix."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def now_after(stamp: str) -> str:
    """Now, or a millisecond after `stamp` if the clock has not passed it: a change always makes an
    annotation newer, so an import of a copy exported in the same millisecond never wins over it."""
    now = now_iso()
    if now > stamp:
        return now
    try:
        then = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:  # a stamp without milliseconds, from another tool
        return now
    return (then + timedelta(milliseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


_id_lock = threading.Lock()
_last_ms = -1
_last_rand = 0


def new_id() -> str:
    """A ULID: 48-bit millisecond time + 80 random bits, base32; later ids sort after earlier ones.

    Within one millisecond the random part is incremented instead of redrawn, so ids made by one process
    are strictly increasing even when the clock does not move.
    """
    global _last_ms, _last_rand
    with _id_lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            rand = _last_rand + 1
        else:
            # What secrets.randbits(80) returns, without importing secrets (and hashlib with it)
            # before the first frame of the app.
            rand = int.from_bytes(os.urandom(10))
        _last_ms, _last_rand = ms, rand
    value = (ms << 80) | (rand & ((1 << 80) - 1))
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def default_author() -> str:
    """The annotator name when the config gives none: $USER (or $USERNAME), else the login name of
    the process's user (cron jobs, containers and `env -i` often set no $USER), else "unknown"."""
    return os.environ.get("USER") or os.environ.get("USERNAME") or _login_name()


@functools.cache
def _login_name() -> str:
    import getpass

    try:
        # $LOGNAME and $LNAME, then the password database for the process's user id.
        return getpass.getuser() or "unknown"
    except (ImportError, KeyError, OSError):  # no pwd module, or a uid with no entry
        return "unknown"


def check_note_length(note: Any, where: str) -> None:
    """Refuse a note over MAX_NOTE_CHARS, saying how long it is and what to do."""
    if isinstance(note, str) and len(note) > MAX_NOTE_CHARS:
        raise AnnotationError(
            f"{where}: the note has {len(note):,} characters, more than the {MAX_NOTE_CHARS:,} a "
            "note may have; shorten it (or keep the long text in a file and link to it)"
        )


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Lower-case, whitespace to "-", empty and duplicate tags dropped, in the order given (the
    user's order: the first tag is often the main one)."""
    if isinstance(tags, str):
        raise AnnotationError(f"tags must be a list of strings, not the string {brief(tags)}")
    out: dict[str, None] = {}  # a dict keeps the first occurrence's place
    for tag in tags:
        if not isinstance(tag, str):
            raise AnnotationError(f"tag {brief(tag)} is not a string")
        norm = "-".join(tag.lower().split())
        if norm:
            out[norm] = None
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Link:
    """A typed, directed relation from the annotation that holds it to another annotation."""

    type: str
    to: str

    def __post_init__(self) -> None:
        if not isinstance(self.type, str) or not _LINK_TYPE.fullmatch(self.type):
            raise AnnotationError(
                f"link type {brief(self.type)} must be a lower-case word such as 'supports'"
            )
        if not isinstance(self.to, str) or not self.to:
            raise AnnotationError(f"link target {brief(self.to)} must be an annotation id")

    def to_json(self) -> dict[str, str]:
        return {"type": self.type, "to": self.to}

    @classmethod
    def from_json(cls, data: Any) -> Link:
        if not isinstance(data, Mapping) or set(data) != {"type", "to"}:
            raise AnnotationError(
                f"a link must be an object with 'type' and 'to', got {brief(data)}"
            )
        return cls(type=data["type"], to=data["to"])


@dataclass(frozen=True, slots=True)
class Annotation:
    """One note on a span of a document (or on the whole document when start and end are None)."""

    id: str
    doc: str
    doc_sha256: str
    start: int | None
    end: int | None
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    label: str | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    links: tuple[Link, ...] = ()
    origin: str = "manual"
    author: str = field(default_factory=default_author)
    created: str = field(default_factory=now_iso)
    modified: str = field(default_factory=now_iso)
    anchor_status: str | None = None
    old_quote: str = ""

    @property
    def orphaned(self) -> bool:
        """Its text is no longer in its document: it keeps its quote but has no span to draw."""
        return self.anchor_status == "orphaned"

    @property
    def needs_review(self) -> bool:
        """Placed on text that only resembles its quote, until the user confirms it."""
        return self.anchor_status == "approximate"

    def __post_init__(self) -> None:
        # Normalise before checking so that callers may pass lists; frozen needs object.__setattr__.
        if self.tags:
            tags = normalise_tags(self.tags)
            if tags != self.tags:
                object.__setattr__(self, "tags", tags)
        elif not isinstance(self.tags, tuple):
            object.__setattr__(self, "tags", ())
        if self.links and not (
            type(self.links) is tuple and all(type(link) is Link for link in self.links)
        ):
            if isinstance(self.links, str | bytes | Mapping) or not isinstance(
                self.links, Iterable
            ):
                raise AnnotationError(f"annotation {brief(self.id)}: links must be a list")
            links = tuple(
                link if isinstance(link, Link) else Link.from_json(link) for link in self.links
            )
            object.__setattr__(self, "links", links)
        elif not isinstance(self.links, tuple):
            object.__setattr__(self, "links", ())
        self._check()

    def _check(self) -> None:
        # Built for every annotation, so cheap for the usual string id.
        where = (
            f"annotation {self.id!r:.40}"
            if type(self.id) is str
            else f"annotation {brief(self.id)}"
        )
        if not isinstance(self.id, str) or not _ID.fullmatch(self.id):
            raise AnnotationError(
                f"annotation id {brief(self.id)} must be a non-empty word (a ULID)"
            )
        if not isinstance(self.doc, str) or not self.doc or self.doc.startswith("/"):
            raise AnnotationError(
                f"{where}: doc {brief(self.doc)} must be a document id like 'dir/name'"
            )
        if not isinstance(self.doc_sha256, str) or not _SHA256.fullmatch(self.doc_sha256):
            raise AnnotationError(f"{where}: doc_sha256 must be 64 lower-case hex digits")
        if not all(
            type(v) is str
            for v in (self.quote, self.prefix, self.suffix, self.note, self.author, self.old_quote)
        ):
            for name in ("quote", "prefix", "suffix", "note", "author", "old_quote"):
                if not isinstance(getattr(self, name), str):
                    raise AnnotationError(f"{where}: {name} must be a string")
        if (self.start is None) != (self.end is None):
            raise AnnotationError(f"{where}: start and end must both be numbers or both null")
        if self.start is not None and self.end is not None:
            ints = all(type(v) is int for v in (self.start, self.end))
            if not ints or not 0 <= self.start <= self.end:
                raise AnnotationError(
                    f"{where}: need 0 <= start <= end, got start={brief(self.start)} "
                    f"end={brief(self.end)}"
                )
            if len(self.quote) != self.end - self.start:
                raise AnnotationError(
                    f"{where}: quote has {len(self.quote)} characters but the span "
                    f"{self.start}-{self.end} has {self.end - self.start}"
                )
        elif (self.quote or self.prefix or self.suffix) and self.anchor_status != "orphaned":
            raise AnnotationError(f"{where}: a whole-document note has no quote, prefix or suffix")
        if self.label is not None and (not isinstance(self.label, str) or not self.label):
            raise AnnotationError(f"{where}: label must be a non-empty string or null")
        if self.anchor_status is not None and self.anchor_status not in ANCHOR_STATUSES:
            raise AnnotationError(
                f"{where}: anchor_status {brief(self.anchor_status)} must be null or one of "
                f"{ANCHOR_STATUSES}"
            )
        if self.anchor_status == "orphaned" and self.start is not None:
            raise AnnotationError(f"{where}: an orphaned annotation has no span (start/end null)")
        if self.origin not in ORIGINS:
            raise AnnotationError(f"{where}: origin {brief(self.origin)} must be one of {ORIGINS}")
        for link in self.links:
            if not isinstance(link, Link):
                raise AnnotationError(f"{where}: links must hold Link objects, got {brief(link)}")
        for name in ("created", "modified"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
                raise AnnotationError(
                    f"{where}: {name} {brief(value)} must be ISO-8601 UTC like "
                    "2024-05-01T12:00:00.000Z"
                )

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Document order: by document, whole-document notes first, then by span, then by id."""
        if self.start is None or self.end is None:
            return (self.doc, -1, -1, self.id)
        return (self.doc, self.start, self.end, self.id)

    def with_changes(self, **changes: Any) -> Annotation:
        """A validated copy with `changes` applied and `modified` set to now (unless given)."""
        for name in ("id", "doc", "created"):
            if name in changes and changes[name] != getattr(self, name):
                raise AnnotationError(f"annotation {self.id!r}: {name} cannot be changed")
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise AnnotationError(f"annotation {self.id!r}: unknown field(s) {sorted(unknown)}")
        # Checked where notes are written (here and annotation_for), not in _check: a store saved
        # before the limit existed must still open with every note it holds.
        if "note" in changes:
            check_note_length(changes["note"], f"annotation {self.id!r:.40}")
        changes.setdefault("modified", now_after(self.modified))
        return dataclasses.replace(self, **changes)

    def moved_to(self, doc: str, **changes: Any) -> Annotation:
        """A copy on document `doc` with `changes` applied (`with_changes`): the one way an
        annotation changes document, when its file was renamed or moved and its id changed."""
        return dataclasses.replace(self, doc=doc).with_changes(**changes)

    def check_text(self, text: str) -> None:
        """Raise AnnotationError unless the span lies inside `text` and the quote matches it."""
        if self.start is None or self.end is None:
            return
        if self.end > len(text):
            raise AnnotationError(
                f"annotation {self.id!r}: span {self.start}-{self.end} is past the end of "
                f"{self.doc!r} ({len(text)} characters)"
            )
        if text[self.start : self.end] != self.quote:
            raise AnnotationError(
                f"annotation {self.id!r}: quote {self.quote[:40]!r} does not match the text of "
                f"{self.doc!r} at {self.start}-{self.end}; the document may have changed"
            )

    def to_json(self) -> dict[str, Any]:
        # The same keys, in the same order, as orjson writes the dataclass (the store, JSON export).
        return {
            "id": self.id,
            "doc": self.doc,
            "doc_sha256": self.doc_sha256,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "label": self.label,
            "tags": list(self.tags),
            "note": self.note,
            "links": [link.to_json() for link in self.links],
            "origin": self.origin,
            "author": self.author,
            "created": self.created,
            "modified": self.modified,
            "anchor_status": self.anchor_status,
            "old_quote": self.old_quote,
        }

    @classmethod
    def from_json(cls, data: Any, where: str = "") -> Annotation:
        """Build and validate an annotation from its JSON form; `where` prefixes error messages."""
        prefix = f"{where}: " if where else ""
        if not isinstance(data, Mapping):
            raise AnnotationError(f"{prefix}an annotation must be a JSON object, got {brief(data)}")
        keys = data.keys()
        if not keys >= _REQUIRED_SET:
            missing = [name for name in _REQUIRED if name not in data]
            raise AnnotationError(f"{prefix}annotation is missing field(s) {missing}")
        if not keys <= _FIELD_SET:
            unknown = sorted(set(keys) - _FIELD_SET)
            raise AnnotationError(f"{prefix}annotation has unknown field(s) {unknown}")
        values = dict(data)
        try:
            tags = values.get("tags", ())
            if not isinstance(tags, list | tuple):
                raise AnnotationError(f"tags must be a list, got {brief(tags)}")
            links = values.get("links", ())
            if not isinstance(links, list | tuple):
                raise AnnotationError(f"links must be a list, got {brief(links)}")
            if links:
                values["links"] = tuple(Link.from_json(link) for link in links)
            return cls(**values)
        except AnnotationError as exc:
            raise AnnotationError(f"{prefix}{exc}") from None


_new = object.__new__
(
    _set_id, _set_doc, _set_sha, _set_start, _set_end, _set_quote, _set_prefix, _set_suffix,
    _set_label, _set_tags, _set_note, _set_links, _set_origin, _set_author, _set_created,
    _set_modified, _set_anchor_status, _set_old_quote,
) = (getattr(Annotation, name).__set__ for name in _FIELDS)  # fmt: skip


def trusted_annotation(data: dict[str, Any]) -> Annotation:
    """Rebuild an annotation from the JSON form this program wrote itself, without validating it.

    Only for records whose bytes are proven unchanged since they were written from validated
    annotations (the store's checksummed snapshot, reader/store/snapshot.py); anything else goes
    through `Annotation.from_json`. Filling the slots directly skips `__init__` and `__post_init__`,
    which is most of the cost of opening a large store.
    """
    ann: Annotation = _new(Annotation)
    _set_id(ann, data["id"])
    _set_doc(ann, data["doc"])
    _set_sha(ann, data["doc_sha256"])
    _set_start(ann, data["start"])
    _set_end(ann, data["end"])
    _set_quote(ann, data["quote"])
    _set_prefix(ann, data["prefix"])
    _set_suffix(ann, data["suffix"])
    _set_label(ann, data["label"])
    _set_tags(ann, tuple(data["tags"]))
    _set_note(ann, data["note"])
    links = data["links"]
    _set_links(ann, tuple(Link(link["type"], link["to"]) for link in links) if links else ())
    _set_origin(ann, data["origin"])
    _set_author(ann, data["author"])
    _set_created(ann, data["created"])
    _set_modified(ann, data["modified"])
    _set_anchor_status(ann, data.get("anchor_status"))
    _set_old_quote(ann, data.get("old_quote", ""))
    return ann


def context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Quote, prefix and suffix of text[start:end], as the model stores them."""
    return (
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
    )


def annotation_for(
    doc_id: str, text: str, sha256: str, start: int | None, end: int | None, **fields: Any
) -> Annotation:
    """A new annotation on text[start:end] with quote, 32-character prefix/suffix and hash filled in.

    Pass start=end=None for a note on the whole document. Other fields (label, tags, note, ...) come from
    `fields`; id, author and timestamps are generated unless given.
    """
    if start is None or end is None:
        if start is not None or end is not None:
            raise AnnotationError(f"{doc_id}: start and end must both be numbers or both None")
        quote = prefix = suffix = ""
    else:
        if not 0 <= start <= end <= len(text):
            raise AnnotationError(
                f"{doc_id}: span {start}-{end} is outside the document ({len(text)} characters)"
            )
        quote, prefix, suffix = context(text, start, end)
    check_note_length(fields.get("note"), doc_id)
    stamp = now_iso()
    if "id" not in fields:  # not setdefault: a new id costs more than the check
        fields["id"] = new_id()
    fields.setdefault("created", stamp)
    fields.setdefault("modified", stamp)
    return Annotation(
        doc=doc_id,
        doc_sha256=sha256,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        **fields,
    )


def annotation_from_document(
    document: Any, start: int | None, end: int | None, **fields: Any
) -> Annotation:
    """`annotation_for` taking a corpus Document (anything with .id, .text and .sha256)."""
    return annotation_for(document.id, document.text, document.sha256, start, end, **fields)


def document_notes(annotations: Iterable[Annotation]) -> list[Annotation]:
    """The notes on the whole document (no span) that have text, in the order given."""
    return [a for a in annotations if a.start is None and a.note.strip()]
