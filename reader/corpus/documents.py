"""Documents and corpora: discovery, metadata, decoding, normalisation, ids and hashes.

Listing a corpus reads only what the library needs (file sizes, metadata, the first few kilobytes when a
file has no entry in corpus.toml); a document's full text is read when it is first asked for and cached.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from reader.corpus.metadata import (
    CORPUS_TOML,
    META_FIELDS,
    document_entries,
    label_scheme,
    load_config,
)
from reader.errors import CorpusError
from reader.model.labels import LabelScheme

MAX_BYTES = 50 * 1024 * 1024
EXTENSIONS = (".txt", ".md")
TITLE_MAX = 100
# Enough of a file to find its first line, and its front matter, without reading all of it.
TITLE_BYTES = 1024
HEAD_BYTES = 8192


class Status:
    """What the library shows for a document. Anything but OK or CP1252 cannot be opened."""

    OK = "ok"
    CP1252 = "cp1252"  # decoded as Windows-1252: readable, but check the characters
    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too large"
    BAD_FRONT_MATTER = "bad front matter"
    SYMLINK_LOOP = "symlink loop"

    READABLE = frozenset({OK, CP1252, BAD_FRONT_MATTER})


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warning: str | None = None

    @cached_property
    def sha256(self) -> str:
        """Hashed on first use and kept: the text never changes, and the app asks on every repaint."""
        return sha256_text(self.text)


def normalise(text: str) -> str:
    """Line endings to \\n and a leading BOM dropped; nothing else changes, so offsets match editors."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" not in text:  # one search rather than two replacements that find nothing
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_text(text: str) -> str:
    import hashlib  # not before the first document is hashed: start-up paints without it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode(data: bytes, path: Path) -> DecodedText:
    """Decode file bytes: UTF-8 (BOM dropped), UTF-16 with a BOM, else Windows-1252 with a warning."""
    if not data:
        raise CorpusError(
            f"{path}: the file is empty; add text to it or remove it from the corpus", Status.EMPTY
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return DecodedText(normalise(data.decode("utf-16")), "utf-16")
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"{path}: UTF-16 text broken at byte {exc.start}; re-save the file as UTF-8",
                Status.UNDECODABLE,
            ) from exc
    if b"\x00" in data:
        pos = data.index(b"\x00")
        raise CorpusError(
            f"{path}: looks like a binary file (NUL byte at offset {pos}); only text files can be read",
            Status.BINARY,
        )
    try:
        return DecodedText(normalise(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"{path}: not UTF-8 (byte {utf8_error.start}) nor Windows-1252 (byte {exc.start}); "
                "re-save the file as UTF-8",
                Status.UNDECODABLE,
            ) from exc
        warning = (
            f"{path}: not valid UTF-8 (byte {utf8_error.start}); read as Windows-1252, "
            "check accented characters and re-save as UTF-8"
        )
        return DecodedText(normalise(text), "cp1252", warning)


def read_text(path: Path) -> DecodedText:
    """Read and decode a document file, raising CorpusError with a message a user can act on."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CorpusError(
                f"{path}: {size / 1e6:.1f} MB is over the {MAX_BYTES // 2**20} MB limit; split the file",
                Status.TOO_LARGE,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > MAX_BYTES:  # the file grew after stat
        raise CorpusError(
            f"{path}: over the {MAX_BYTES // 2**20} MB limit; split the file", Status.TOO_LARGE
        )
    return decode(data, path)


def parse_front_matter(text: str) -> tuple[dict[str, str], int] | None:
    """Parse a leading `---` block of `key: value` lines.

    Returns (metadata, offset where the body starts), or None when the text has no front matter.
    Raises ValueError naming the line when the block is malformed.
    """
    if not text.startswith("---\n"):
        return None
    meta: dict[str, str] = {}
    offset = 4
    for number, line in enumerate(text[4:].split("\n"), start=2):
        end = offset + len(line) + 1
        if line.strip() in ("---", "..."):
            return meta, min(end, len(text))
        if line.strip():
            key, sep, value = line.partition(":")
            if not sep or not key.strip():
                raise ValueError(f"line {number}: expected 'key: value', found {line[:40]!r}")
            meta[key.strip().lower()] = value.strip().strip("\"'")
        offset = end
    raise ValueError("the '---' block at line 1 is never closed")


def _first_line_title(text: str) -> str:
    stripped = text.lstrip()
    return (
        stripped[: stripped.find("\n")].strip()[:TITLE_MAX]
        if "\n" in stripped
        else stripped.strip()[:TITLE_MAX]
    )


class Document:
    """One document of a corpus.

    Listing is lazy: a document without metadata in corpus.toml reads the head of its file (title,
    front matter, binary sniffing) only when one of those is first asked for, and its full text when the
    text is, then keeps both. A library of ten thousand files paints after reading a screenful of them.
    """

    def __init__(
        self,
        id: str,
        path: Path | str,
        size: int = 0,
        explicit: dict[str, str] | None = None,
        inspect: bool = False,
        status: str = Status.OK,
        message: str = "",
    ) -> None:
        self.id = id
        self._path = path  # a Path is made when first asked for: 10,000 of them cost a paint
        self.size = size
        self._explicit = explicit or {}  # from corpus.toml: wins over the file's own front matter
        self._meta: dict[str, str] = {}  # from the file's front matter
        self._status = status
        self._message = message  # why the status is not OK, naming the file
        self._body_start = 0  # offset after a front-matter block
        self._pending = inspect
        self._decoded: DecodedText | None = None
        # The library's counting worker and the UI thread both ask: each file is inspected (and
        # read) once, and nobody sees its metadata half filled in.
        self._inspect_lock = threading.Lock()
        self._load_lock = threading.Lock()

    @property
    def path(self) -> Path:
        if not isinstance(self._path, Path):
            self._path = Path(self._path)
        return self._path

    def __repr__(self) -> str:
        return f"Document(id={self.id!r}, path={str(self._path)!r})"

    def _settle(self) -> None:
        if self._pending:
            with self._inspect_lock:
                if self._pending:  # not done by another thread while this one waited
                    _inspect(self)
                    self._pending = False  # only now: other threads read without the lock

    def _field(self, key: str) -> str:
        if key not in self._explicit:
            self._settle()
        return self._explicit.get(key) or self._meta.get(key, "")

    @property
    def title(self) -> str:
        return self._field("title") or self.path.stem

    @property
    def author(self) -> str:
        return self._field("author")

    @property
    def party(self) -> str:
        return self._field("party")

    @property
    def outlet(self) -> str:
        return self._field("outlet")

    @property
    def date(self) -> str:
        return self._field("date")

    @property
    def summary(self) -> str:
        return self._field("summary")

    @property
    def url(self) -> str:
        """Where the text is published (corpus.toml `url`), or "". Only corpus.toml is read, never
        the file, so matching imports by URL over a large corpus opens no files."""
        return self._explicit.get("url", "")

    @property
    def status(self) -> str:
        self._settle()
        return self._status

    @property
    def message(self) -> str:
        self._settle()
        return self._message

    def set_status(self, status: str, message: str) -> None:
        self._status, self._message = status, message

    @property
    def body_start(self) -> int:
        self._settle()
        return self._body_start

    @property
    def readable(self) -> bool:
        return self.status in Status.READABLE

    def _load(self) -> DecodedText:
        decoded = self._decoded
        if decoded is not None:
            return decoded
        with self._load_lock:  # taken before the inspection lock, never after
            if self._decoded is not None:
                return self._decoded
            try:
                decoded = read_text(self.path)
            except CorpusError as exc:
                with self._inspect_lock:  # the whole file's verdict wins over the head's
                    self.set_status(exc.status, str(exc))
                    self._pending = False
                raise
            if decoded.warning and self.status == Status.OK:
                self.set_status(Status.CP1252, decoded.warning)
            self._decoded = decoded
        return decoded

    @property
    def text(self) -> str:
        """The normalised text (raises CorpusError when the file cannot be read)."""
        return self._load().text

    @property
    def sha256(self) -> str:
        return self._load().sha256

    @property
    def words(self) -> int:
        return len(self.text[self.body_start :].split()) if self.readable else 0

    def to_json(self) -> dict[str, Any]:
        readable = self.readable
        return {
            "id": self.id,
            "path": str(self.path),
            "title": self.title,
            "author": self.author,
            "party": self.party,
            "outlet": self.outlet,
            "date": self.date,
            "words": self.words if readable else None,
            "sha256": self.sha256 if readable else None,
            "status": self.status,
            "message": self.message,
        }


class _Found(NamedTuple):
    path: str
    id: str  # relative path without the extension: the id, unless another file shares it
    rel: str  # relative path as it is: the id when the short one is shared
    size: int
    problem: str | None


def _walk(root: Path) -> Iterator[_Found]:
    """Yield the candidate documents under root in sorted order, following symlinks once.

    Hidden files and folders are skipped. A symlinked folder that leads back to one already being walked is
    reported as a loop instead of being followed forever. Works on strings, not Paths: a corpus of ten
    thousand files is listed at start-up, and pathlib's parsing would be most of the cost.
    """

    def visit(folder: str, prefix: str, seen: frozenset[tuple[int, int]]) -> Iterator[_Found]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            stem, ext = os.path.splitext(name)
            try:
                st = entry.stat()
            except OSError as exc:
                # A dangling or self-referencing link: list it so the user sees why it is missing.
                if ext.lower() in EXTENSIONS:
                    looping = exc.errno == errno.ELOOP
                    problem = Status.SYMLINK_LOOP if looping else Status.UNREADABLE
                    yield _Found(entry.path, prefix + stem, prefix + name, 0, problem)
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    yield _Found(entry.path, prefix + name, prefix + name, 0, Status.SYMLINK_LOOP)
                    continue
                yield from visit(entry.path, f"{prefix}{name}/", seen | {key})
            elif stat.S_ISREG(st.st_mode) and ext.lower() in EXTENSIONS:
                yield _Found(entry.path, prefix + stem, prefix + name, st.st_size, None)

    st = root.stat()
    yield from visit(str(root), "", frozenset({(st.st_dev, st.st_ino)}))


def _unique_ids(found: list[_Found]) -> list[str]:
    """Each file's id: its path without the extension, or with it where that would be shared.

    `a.txt` beside `a.md` are `a.txt` and `a.md` (one must not take the other's annotations); a file
    alone under its name keeps the short id, so stores made before keep working. Relative paths are
    unique, so the loop ends: each round only moves more files to their full path.
    """
    full = [False] * len(found)
    while True:
        ids = [f.rel if use_full else f.id for f, use_full in zip(found, full, strict=True)]
        counts = Counter(ids)
        shared = [i for i, doc_id in enumerate(ids) if counts[doc_id] > 1 and not full[i]]
        if not shared:
            return ids
        for i in shared:
            full[i] = True


def _read_head(path: Path) -> bytes:
    """The first bytes of a file: enough for its title, more when it opens with front matter."""
    with path.open("rb") as handle:
        head = handle.read(TITLE_BYTES)
        if head.startswith(b"---") or head.startswith(b"\xef\xbb\xbf---"):
            head += handle.read(HEAD_BYTES - len(head))
    return head


def _inspect(doc: Document) -> None:
    """Fill status, title and front matter of a document without metadata in corpus.toml.

    Reads only the head of the file; the full text is checked when the document is opened.
    """
    try:
        head = _read_head(doc.path)
    except OSError as exc:
        doc.set_status(Status.UNREADABLE, f"{doc.path}: cannot read ({exc.strerror})")
        return
    complete = len(head) < TITLE_BYTES or doc.size == len(head)
    try:
        decoded = decode(head, doc.path)
    except CorpusError as exc:
        # A multi-byte character cut by the head boundary is not an error: only judge the full file.
        if exc.status != Status.UNDECODABLE or complete:
            doc.set_status(exc.status, str(exc))
        return
    if decoded.encoding == "cp1252" and complete:
        doc.set_status(Status.CP1252, decoded.warning or "")
    text = decoded.text
    try:
        parsed = parse_front_matter(text)
    except ValueError as exc:
        doc.set_status(Status.BAD_FRONT_MATTER, f"{doc.path}: front matter {exc}")
        parsed = None
    fields: dict[str, str] = {}
    body_start = 0
    if parsed is not None:
        meta, body_start = parsed
        fields = {key: meta[key] for key in META_FIELDS if meta.get(key)}
        if "title" in fields:
            fields["title"] = fields["title"][:TITLE_MAX]
    if not fields.get("title"):
        fields["title"] = _first_line_title(text[body_start:])
    doc._meta, doc._body_start = fields, body_start


def _size_problem(path: str, size: int) -> tuple[str, str] | None:
    """A status and message from the file's size, or None when it can be read.

    Permissions are not asked here (one system call per file at start-up): a file that cannot be
    read is marked unreadable when it is first inspected or opened.
    """
    if size == 0:
        return Status.EMPTY, f"{path}: the file is empty"
    if size > MAX_BYTES:
        return (
            Status.TOO_LARGE,
            f"{path}: {size / 1e6:.1f} MB is over the {MAX_BYTES // 2**20} MB limit",
        )
    return None


class Corpus:
    """The documents under a folder, with metadata from corpus.toml and the label scheme."""

    def __init__(
        self,
        root: Path,
        documents: list[Document],
        scheme: LabelScheme,
        described: Iterable[str] = (),
    ):
        self.root = root
        self.documents = documents
        self.scheme = scheme  # parsed once here; the app, imports and exports read it
        self._by_id = {doc.id: doc for doc in documents}
        # corpus.toml entries that describe no document here: a file renamed or moved since, whose
        # title, author and date are lost until the entry follows it.
        self.stale_entries = tuple(sorted(set(described) - set(self._by_id)))

    def get(self, doc_id: str) -> Document | None:
        return self._by_id.get(doc_id)

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    @classmethod
    def load(cls, root: Path) -> Corpus:
        root = Path(root)
        if not root.is_dir():
            raise CorpusError(
                f"{root}: no such corpus folder; pass --corpus DIR or a project folder"
            )
        config_path = root / CORPUS_TOML
        config = load_config(config_path)
        entries = document_entries(config, config_path)
        scheme = label_scheme(config, config_path)
        documents: list[Document] = []
        walked = list(_walk(root))
        for found, doc_id in zip(walked, _unique_ids(walked), strict=True):
            path = found.path
            entry = entries.get(doc_id)
            explicit = entry or {}
            if found.problem is not None:
                what = "a symlink loop" if found.problem == Status.SYMLINK_LOOP else found.problem
                status, message = found.problem, f"{path}: {what}"
                documents.append(Document(doc_id, path, 0, explicit, False, status, message))
                continue
            problem = _size_problem(path, found.size)
            if problem is not None:
                documents.append(Document(doc_id, path, found.size, explicit, False, *problem))
                continue
            # Front matter, a first-line title and binary sniffing, read when first needed; a .md
            # file listed in corpus.toml may still carry front matter that moves its body.
            inspect = entry is None or path.lower().endswith(".md")
            documents.append(Document(doc_id, path, found.size, explicit, inspect))
        documents.sort(key=lambda d: d.id)
        return cls(root, documents, scheme, entries)
