"""Documents and corpora: discovery, metadata, decoding, normalisation, ids and hashes.

Listing a corpus reads only what the library needs (file sizes, metadata, the first few kilobytes when a
file has no entry in corpus.toml); a document's full text is read when it is first asked for and cached.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.errors import CorpusError

MAX_BYTES = 50 * 1024 * 1024
EXTENSIONS = (".txt", ".md")
CORPUS_TOML = "corpus.toml"
TITLE_MAX = 100
# Enough of a file to find its front matter and first line without reading all of it.
HEAD_BYTES = 8192

_DEFAULT_LABELS = Path(__file__).with_name("labels.toml")


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

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


def normalise(text: str) -> str:
    """Line endings to \\n and a leading BOM dropped; nothing else changes, so offsets match editors."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_text(text: str) -> str:
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
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:TITLE_MAX]
    return ""


@dataclass(eq=False)
class Document:
    """One document of a corpus. Its text is read on first use and cached."""

    id: str
    path: Path
    title: str = ""
    author: str = ""
    party: str = ""
    outlet: str = ""
    date: str = ""
    summary: str = ""
    status: str = Status.OK
    message: str = ""  # why the status is not OK, naming the file
    size: int = 0
    body_start: int = 0  # offset after a front-matter block
    _decoded: DecodedText | None = field(default=None, repr=False)

    @property
    def readable(self) -> bool:
        return self.status in Status.READABLE

    def _load(self) -> DecodedText:
        if self._decoded is None:
            try:
                self._decoded = read_text(self.path)
            except CorpusError as exc:
                self.status, self.message = exc.status, str(exc)
                raise
            if self._decoded.warning and self.status == Status.OK:
                self.status, self.message = Status.CP1252, self._decoded.warning
        return self._decoded

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


_META_FIELDS = ("title", "author", "party", "outlet", "date", "summary")


def _walk(root: Path) -> Iterator[tuple[Path, str | None]]:
    """Yield (file, problem) for candidate documents under root, sorted, following symlinks once.

    Hidden files and folders are skipped. A symlinked folder that leads back to one already being walked is
    reported as a loop instead of being followed forever.
    """

    def visit(folder: Path, seen: frozenset[tuple[int, int]]) -> Iterator[tuple[Path, str | None]]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                try:
                    st = path.stat()
                except OSError:
                    continue
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    yield path, Status.SYMLINK_LOOP
                    continue
                yield from visit(path, seen | {key})
            elif is_file:
                if path.suffix.lower() in EXTENSIONS:
                    yield path, None
            elif entry.is_symlink() and path.suffix.lower() in EXTENSIONS:
                # A dangling or self-referencing link: list it so the user sees why it is missing.
                try:
                    path.stat()
                except OSError as exc:
                    looping = exc.errno == 40  # ELOOP
                    yield path, Status.SYMLINK_LOOP if looping else Status.UNREADABLE

    st = root.stat()
    yield from visit(root, frozenset({(st.st_dev, st.st_ino)}))


def _doc_id(root: Path, path: Path) -> str:
    return path.relative_to(root).with_suffix("").as_posix()


def _inspect(doc: Document) -> None:
    """Fill status, title and front matter of a document without metadata in corpus.toml.

    Reads only the first HEAD_BYTES; the full text is checked when the document is opened.
    """
    try:
        with doc.path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        doc.status, doc.message = Status.UNREADABLE, f"{doc.path}: cannot read ({exc.strerror})"
        return
    try:
        decoded = decode(head, doc.path)
    except CorpusError as exc:
        # A multi-byte character cut by the head boundary is not an error: only judge the full file.
        if exc.status != Status.UNDECODABLE or len(head) < HEAD_BYTES:
            doc.status, doc.message = exc.status, str(exc)
        return
    if decoded.encoding == "cp1252" and len(head) < HEAD_BYTES:
        doc.status, doc.message = Status.CP1252, decoded.warning or ""
    text = decoded.text
    try:
        parsed = parse_front_matter(text)
    except ValueError as exc:
        doc.status, doc.message = Status.BAD_FRONT_MATTER, f"{doc.path}: front matter {exc}"
        parsed = None
    if parsed is not None:
        meta, doc.body_start = parsed
        for key in _META_FIELDS:
            if meta.get(key):
                setattr(doc, key, meta[key][: TITLE_MAX if key == "title" else None])
    if not doc.title:
        doc.title = _first_line_title(text[doc.body_start :]) or doc.path.stem


def _check_size(doc: Document) -> bool:
    """Set the status from the file's size; False when the file cannot be opened at all."""
    try:
        size = doc.path.stat().st_size
    except OSError as exc:
        doc.status, doc.message = Status.UNREADABLE, f"{doc.path}: cannot read ({exc.strerror})"
        return False
    doc.size = size
    if size == 0:
        doc.status, doc.message = Status.EMPTY, f"{doc.path}: the file is empty"
    elif size > MAX_BYTES:
        doc.status = Status.TOO_LARGE
        doc.message = f"{doc.path}: {size / 1e6:.1f} MB is over the {MAX_BYTES // 2**20} MB limit"
    elif not os.access(doc.path, os.R_OK):
        doc.status, doc.message = Status.UNREADABLE, f"{doc.path}: permission denied"
    else:
        return True
    return False


class Corpus:
    """The documents under a folder, with metadata from corpus.toml and the label scheme."""

    def __init__(self, root: Path, documents: list[Document], labels: list[dict[str, Any]]):
        self.root = root
        self.documents = documents
        self.labels = labels
        self._by_id = {doc.id: doc for doc in documents}

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
        config = load_config(root / CORPUS_TOML)
        entries: dict[str, dict[str, Any]] = config.get("documents", {})
        documents: list[Document] = []
        for path, problem in _walk(root):
            doc = Document(id=_doc_id(root, path), path=path)
            if problem is not None:
                doc.status, doc.title = problem, path.stem
                doc.message = (
                    f"{path}: {'a symlink loop' if problem == Status.SYMLINK_LOOP else problem}"
                )
                documents.append(doc)
                continue
            entry = entries.get(doc.id)
            if _check_size(doc) and (entry is None or path.suffix.lower() == ".md"):
                _inspect(doc)  # front matter and first-line title; also sniffs binary files
            if entry is not None:
                for key in _META_FIELDS:
                    if entry.get(key):
                        setattr(doc, key, str(entry[key]))
            if not doc.title:
                doc.title = path.stem
            documents.append(doc)
        documents.sort(key=lambda d: d.id)
        labels = config.get("labels") or load_config(_DEFAULT_LABELS)["labels"]
        return cls(root, documents, labels)


def load_config(path: Path) -> dict[str, Any]:
    """Read a TOML file; a missing file is an empty config, a broken one a CorpusError naming the line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: {exc}; fix the TOML syntax there") from exc
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from exc
