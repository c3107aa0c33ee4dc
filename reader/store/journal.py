"""The files behind an annotation store: the lock, the append-only journal and the TinyDB snapshot.

`AnnotationStore` (reader/store/annotation_store.py) combines them; this module knows nothing about annotations.

- `StoreLock`: an exclusive `fcntl.flock` on `PATH.lock` (never on the data file, which `os.replace`
  swaps), with the holder's pid and host written into it for the error message.
- `Journal`: one line per write, `<crc32 hex> <json>\\n`, synced with `fdatasync` before a write is
  acknowledged. A damaged final line was never acknowledged (the line is written in one call and synced
  before the caller hears of it), so it is dropped; a damaged line with intact ones after it is corruption.
- `SnapshotStorage`: a TinyDB `Storage` that reads with orjson and writes atomically (temporary file,
  fsync, `os.replace`, fsync of the folder), keeps the last three snapshots as backups and remembers the
  inode/size/mtime it saw, so a snapshot replaced or edited behind our back is noticed before overwriting.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import socket
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage
from tinydb.table import Table

from reader.descriptors import write_all
from reader.errors import (
    READ_ONLY_OPTION,
    StoreCorruptError,
    StoreLockedError,
    access_error,
    access_errors,
)

BACKUPS = 3

# The files beside `store.json` that belong to it: journal, lock, backups, temporary snapshots.
_STORE_FILE = r"(?:\.journal|\.lock|\.bak\.\d+|\.tmp-.*)?"


def is_store_file(name: str, store_name: str) -> bool:
    """Whether a file called `name` in the store's folder is one of the store's own files."""
    return re.fullmatch(re.escape(store_name) + _STORE_FILE, name, re.DOTALL) is not None


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_parts(fd: int, parts: Sequence[bytes | memoryview]) -> None:
    """Write the parts in order with few system calls and without joining them into one copy."""
    for at in range(0, len(parts), 512):
        batch = parts[at : at + 512]
        written = os.writev(fd, batch)
        for part in batch:
            if written >= len(part):
                written -= len(part)
            else:  # a short write: finish this batch one part at a time
                write_all(fd, memoryview(part)[written:])
                written = 0


class StoreLock:
    """An exclusive, non-blocking lock held for as long as the store is open for writing."""

    def __init__(self, store_path: Path) -> None:
        self.path = store_path.with_name(store_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        with access_errors(self.path, "create the store's lock file"):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = b""
            with contextlib.suppress(OSError):
                holder = os.pread(fd, 512, 0)
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise access_error(self.path, "lock the store", exc) from None
            who = holder.decode("utf-8", "replace").strip() or "another process"
            raise StoreLockedError(
                f"{self.path.with_suffix('')} is open for writing in {who}; close that reader, "
                f"or open the store read-only ({READ_ONLY_OPTION})",
                store=self.path.with_suffix(""),
                holder=who,
            ) from None
        # Only the holder rewrites the file, so the text is never a mix of two holders.
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        text = f"reader pid {os.getpid()} on {socket.gethostname()} (since {stamp})\n"
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, text.encode(), 0)
        except OSError as exc:
            os.close(fd)  # closing also drops the lock
            raise access_error(self.path, "write the lock file", exc) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            # The lock file stays: deleting it would let a third process lock a different inode.
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@dataclass
class JournalScan:
    """What reading a journal found: intact records, where they end, and any dropped torn tail."""

    records: list[tuple[int, str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    valid_bytes: int = 0
    torn: str | None = None


def _parse_line(line: bytes) -> tuple[int, str, Any] | str:
    """The record on one journal line, or the reason it is not one."""
    if len(line) < 10 or line[8:9] != b" ":
        return "too short or no checksum"
    payload = line[9:]
    try:
        crc = int(line[:8], 16)
    except ValueError:
        return "bad checksum field"
    if zlib.crc32(payload) != crc:
        return "checksum mismatch"
    try:
        record = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        return f"not JSON ({exc})"
    if (
        not isinstance(record, dict)
        or type(record.get("seq")) is not int
        or not isinstance(record.get("op"), str)
        or "data" not in record
    ):
        return "not a journal record"
    return record["seq"], record["op"], record["data"]


def journal_path(store_path: Path) -> Path:
    """The journal beside a store: its writes since the last snapshot."""
    return store_path.with_name(store_path.name + ".journal")


def store_exists(store_path: Path) -> bool:
    """Whether the store has been created (its journal alone holds saves after a crash)."""
    return store_path.exists() or journal_path(store_path).exists()


class Journal:
    """The append-only log of writes since the last snapshot."""

    def __init__(self, store_path: Path) -> None:
        self.path = journal_path(store_path)
        self._fd: int | None = None
        self.size = 0

    def scan(self) -> JournalScan:
        """Read every intact record; raise StoreCorruptError if a bad record precedes good ones."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return JournalScan()
        except OSError as exc:
            raise access_error(self.path, "read the journal", exc, writing=False) from None
        scan = JournalScan()
        bad: tuple[int, int, str] | None = None
        offset = 0
        number = 0
        while offset < len(data):
            number += 1
            end = data.find(b"\n", offset)
            if end < 0:
                # A line without its newline was cut short while being written: never acknowledged.
                bad = bad or (number, offset, "incomplete last line")
                break
            parsed = _parse_line(data[offset:end])
            if isinstance(parsed, str):
                bad = bad or (number, offset, parsed)
            elif bad is not None:
                line, at, reason = bad
                raise StoreCorruptError(
                    f"{self.path}: record on line {line} (byte {at}) is damaged ({reason}) but "
                    f"line {number} after it is intact, so this is not an interrupted save. The "
                    "files were left as they are. Keep a copy of the journal, then either delete "
                    f"line {line} from it to keep the later records, or move it aside to fall back "
                    "to the last snapshot"
                )
            else:
                scan.records.append(parsed)
                scan.lines.append(number)
                scan.valid_bytes = end + 1
            offset = end + 1
        if bad is not None:
            line, at, reason = bad
            dropped = len(data) - scan.valid_bytes
            scan.torn = (
                f"{self.path}: dropped an unfinished save at the end (line {line}, byte {at}, "
                f"{dropped} bytes: {reason}); it was never confirmed, so no saved work is lost"
            )
        return scan

    def open_for_append(self, valid_bytes: int) -> None:
        """Open for writing, cutting off a torn tail so new records never follow a damaged one."""
        existed = self.path.exists()
        fd = None
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            size = os.fstat(fd).st_size
            if size != valid_bytes:
                os.ftruncate(fd, valid_bytes)
                os.fsync(fd)
            if not existed:
                fsync_dir(self.path.parent)
        except OSError as exc:
            if fd is not None:
                os.close(fd)
            raise access_error(self.path, "open the journal for saving", exc) from None
        self._fd = fd
        self.size = valid_bytes

    def append(self, seq: int, op: str, data: Any) -> None:
        """Write one record and sync it; when this returns the record survives a crash."""
        assert self._fd is not None, "journal is not open for writing"
        payload = orjson.dumps({"seq": seq, "op": op, "data": data})
        line = b"%08x %s\n" % (zlib.crc32(payload), payload)
        try:
            write_all(self._fd, line)
            os.fdatasync(self._fd)
        except OSError as exc:
            # Cut the partial record off so the journal stays replayable, then report.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self.size)
                os.fsync(self._fd)
            raise access_error(self.path, "save", exc, ", so the change was not made") from None
        self.size += len(line)

    def truncate(self) -> None:
        assert self._fd is not None, "journal is not open for writing"
        # On failure the snapshot records the last save it holds, so old records are skipped on replay.
        with access_errors(self.path, "empty the journal after writing the snapshot"):
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
        self.size = 0

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


Fingerprint = tuple[int, int, int]


def _fingerprint(st: os.stat_result) -> Fingerprint:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class SnapshotStorage(Storage):
    """A TinyDB storage for the snapshot file: orjson, atomic replace, backups, change detection.

    Usable on its own: `TinyDB(path, storage=SnapshotStorage)` gives a TinyDB whose every write is atomic.
    """

    def __init__(self, path: str | Path, backups: int = BACKUPS) -> None:
        super().__init__()
        self.path = Path(path)
        self.backups = backups
        self.fingerprint: Fingerprint | None = None
        self.size = 0
        self._cache: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._cache is None:
            raw = self.read_raw()
            self._cache = None if raw is None else self.parse(raw)
        return self._cache

    def adopt(self, data: dict[str, dict[str, Any]]) -> None:
        """Serve `data` (from `parse` of bytes already read by `read_raw`) without reading again."""
        self._cache = data

    def forget(self) -> None:
        """Drop the parsed file from memory once its contents have been taken over."""
        self._cache = None

    def read_raw(self) -> bytes | None:
        """The file's bytes (None if missing), remembering what was read for `changed_since_read`."""
        path = self.path
        try:
            with path.open("rb") as handle:
                st = os.fstat(handle.fileno())
                raw = handle.read()
        except FileNotFoundError:
            self.fingerprint = None
            return None
        except OSError as exc:
            raise access_error(path, "read the store", exc, writing=False) from None
        self.fingerprint = _fingerprint(st)
        self.size = len(raw)
        if not raw:
            raise StoreCorruptError(
                f"{path}: the store file is empty (0 bytes), so it was cut short by a crash or "
                f"another program; the files were left as they are. {self.restore_hint()}"
            )
        return raw

    def parse(self, raw: bytes) -> dict[str, dict[str, Any]]:
        """Parse the file's bytes, checking they are a TinyDB file (tables of numbered records)."""
        path = self.path
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise StoreCorruptError(
                f"{path}: line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg}); the "
                f"files were left as they are. {self.restore_hint()}"
            ) from None
        if not isinstance(data, dict):
            raise StoreCorruptError(
                f"{path}: expected a TinyDB file (an object of tables), found "
                f"{type(data).__name__}; the files were left as they are. {self.restore_hint()}"
            )
        for name, table in data.items():
            if not isinstance(table, dict):
                raise StoreCorruptError(
                    f"{path}: table {name!r} is not an object of records. {self.restore_hint()}"
                )
            for key, record in table.items():
                if not key.isdigit() or not isinstance(record, dict):
                    raise StoreCorruptError(
                        f"{path}: table {name!r} record {key!r} is not a TinyDB record "
                        f"(a numeric key holding an object). {self.restore_hint()}"
                    )
        return data

    def restore_hint(self, fix: str = "the file") -> str:
        """What to do about a damaged snapshot (`fix` what by hand). Each backup is named with its
        date and number of annotations: the oldest may be the empty store made on first use."""
        backups = [_backup_summary(p) for p in self.backup_paths() if p.exists()]
        if backups:
            return f"Fix {fix} by hand, or copy a backup over it: {'; '.join(backups)}"
        return f"Fix {fix} by hand, or move the file aside to start an empty store"

    def backup_paths(self) -> list[Path]:
        return [
            self.path.with_name(f"{self.path.name}.bak.{n}") for n in range(1, self.backups + 1)
        ]

    def changed_since_read(self) -> bool:
        try:
            now: Fingerprint | None = _fingerprint(os.stat(self.path))
        except FileNotFoundError:
            now = None
        except OSError as exc:
            raise access_error(self.path, "check the store", exc, writing=False) from None
        return now != self.fingerprint

    def write(self, data: Mapping[str, Mapping[str, Any]]) -> None:
        cached = self._cache is not None
        self.write_bytes(orjson.dumps(data))
        if cached:
            self._cache = {name: dict(table) for name, table in data.items()}

    def write_bytes(self, payload: bytes | Sequence[bytes | memoryview]) -> None:
        """Replace the file with `payload` (or its parts, in order) atomically, keeping the old file as
        the newest backup."""
        parts = [payload] if isinstance(payload, bytes) else payload
        self._cache = None
        folder = self.path.parent
        tmp = folder / f"{self.path.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}"
        with access_errors(tmp, "create the new snapshot"):
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            try:
                _write_parts(fd, parts)
                os.fsync(fd)
            finally:
                os.close(fd)
            self._rotate_backups()
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise access_error(self.path, "write the snapshot", exc) from None
        with access_errors(folder, "sync the folder after writing the snapshot"):
            self.fingerprint = _fingerprint(os.stat(self.path))
            self.size = sum(len(part) for part in parts)
            fsync_dir(folder)

    def _rotate_backups(self) -> None:
        if not self.path.exists() or self.backups < 1:
            return
        paths = self.backup_paths()
        for older, newer in zip(reversed(paths[1:]), reversed(paths[:-1]), strict=True):
            if newer.exists():
                os.replace(newer, older)
        paths[0].unlink(missing_ok=True)
        try:
            # A hard link costs nothing and the replace below leaves it holding the old snapshot.
            os.link(self.path, paths[0])
        except OSError:
            shutil.copy2(self.path, paths[0])

    def close(self) -> None:
        self._cache = None

    def remove_stale_temporaries(self) -> None:
        """Delete temporary snapshots left by a crash mid-compaction (call while holding the lock)."""
        with access_errors(self.path.parent, "remove a temporary snapshot from"):
            for tmp in self.path.parent.glob(f"{self.path.name}.tmp-*"):
                tmp.unlink(missing_ok=True)


def _backup_summary(path: Path) -> str:
    """`store.json.bak.1 (saved 2026-01-31 14:02 UTC, 12 annotations)`, as far as it can be read."""
    try:
        saved = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(path.stat().st_mtime))
        raw = path.read_bytes()
    except OSError as exc:
        return f"{path.name} (cannot be read: {exc.strerror})"
    count = _annotation_count(raw)
    what = "unreadable" if count is None else f"{count} annotation{'' if count == 1 else 's'}"
    return f"{path.name} (saved {saved}, {what})"


def _annotation_count(raw: bytes) -> int | None:
    """The number of annotations in a snapshot: from the header reader writes, else by parsing."""
    first = raw.find(b"\n")
    with contextlib.suppress(orjson.JSONDecodeError, TypeError, KeyError, IndexError, ValueError):
        if first > 1 and raw.startswith(b'{"reader":'):
            docs = orjson.loads(raw[: first - 1] + b"}")["reader"]["1"]["docs"]
            return sum(int(entry[1]) for entry in docs)
    try:
        data = orjson.loads(raw)
        table = data.get("annotations", {}) if isinstance(data, dict) else None
    except orjson.JSONDecodeError:
        return None
    return len(table) if isinstance(table, dict) else None


class SnapshotTable(Table):
    """A TinyDB table that hands out its records with their TinyDB ids, for error messages."""

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for document in self:
            yield int(document.doc_id), document
