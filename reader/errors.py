"""The project's own exception types for errors a user can cause.

Every message names the file (and position where there is one) and says what to do; the CLI prints it
on one line without a traceback and the app shows it as a notification or an error screen.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# How a user opens the store read-only from the command line (the app also offers a key for it).
READ_ONLY_OPTION = "reader --read-only"


class ReaderError(Exception):
    """Base for user-facing errors."""


class ProjectError(ReaderError):
    """A project folder, corpus folder or option that cannot be used."""


class CorpusError(ReaderError):
    """A document that cannot be read or decoded; `status` is the short form the library shows."""

    def __init__(self, message: str, status: str = "unreadable") -> None:
        super().__init__(message)
        self.status = status


class AnnotationError(ReaderError):
    """An annotation, link or label scheme that does not satisfy the data model."""


class FormatError(ReaderError):
    """A file that cannot be read as the format it claims to be, or cannot be written."""


class QueryError(ReaderError):
    """A query that strict parsing refuses; the message names the position and what to change."""


class LexiconError(ReaderError):
    """A lexicon file that cannot be loaded."""


class StoreError(ReaderError):
    """Base for annotation store errors."""


class StoreAccessError(StoreError):
    """A store file or folder the system will not let reader use: no permission, a folder where a
    file belongs (or the reverse), a read-only or full disk. The message names the path.

    `readable` is set when only writing failed (a read-only disk, no write permission), so opening
    the store read-only would work: the app offers it, and a command that must write (an import)
    words its own advice from `what` (the message up to the advice). `in_journal` is set when
    only the snapshot failed: every change is safe in the journal and is replayed at the next open.
    """

    def __init__(
        self, message: str, readable: bool = False, what: str = "", in_journal: bool = False
    ) -> None:
        super().__init__(message)
        self.readable = readable
        self.what = what or message
        self.in_journal = in_journal


class StoreLockedError(StoreError):
    """Another process holds the store's write lock.

    `store` and `holder` (who has it open, as its lock file says) let each command word its own
    advice: the app offers to open the store read-only, an import can only wait.
    """

    def __init__(self, message: str, store: Path | None = None, holder: str = "") -> None:
        super().__init__(message)
        self.store = store
        self.holder = holder


class StoreCorruptError(StoreError):
    """A store or journal file that cannot be read safely; the files were left untouched."""


class StoreChangedError(StoreError):
    """The snapshot was replaced or edited by someone else since this store read it."""


class ReadOnlyStoreError(StoreError):
    """A write to a store opened read-only."""


def access_error(
    path: Path, doing: str, exc: OSError, after: str = "", writing: bool = True
) -> StoreAccessError:
    """The store's error for an OSError on `path`: the path, what failed, and what to do.

    Opening read-only is advised only where `writing` failed: it cannot help a failed read.
    """
    code = exc.errno
    readable = writing and code in (errno.EACCES, errno.EPERM, errno.EROFS)
    if code == errno.EISDIR:
        hint = (
            f"{path.name} is a folder where reader keeps a file; move it aside or give the store "
            "another path"
        )
    elif code in (errno.ENOTDIR, errno.EEXIST):
        hint = (
            "part of the path is a file where a folder should be; move it aside or give the "
            "store another path"
        )
    elif code in (errno.EACCES, errno.EPERM) and not readable:
        hint = f"check the permissions of {path} and the folders above it"
    elif code in (errno.EACCES, errno.EPERM):
        hint = (
            f"check the permissions of {path.parent} and its files; to only read the store, "
            f"open it read-only ({READ_ONLY_OPTION})"
        )
    elif code == errno.EROFS:
        hint = (
            f"the disk is read-only; open the store read-only ({READ_ONLY_OPTION}) or copy it "
            "somewhere writable"
        )
    elif code in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some disk space and try again"
    else:
        hint = "check the disk and the path, then try again"
    reason = exc.strerror or type(exc).__name__
    what = f"{path}: cannot {doing} ({reason}){after}"
    return StoreAccessError(f"{what}; {hint}", readable, what)


@contextmanager
def access_errors(path: Path, doing: str) -> Iterator[None]:
    """Raise an OSError inside the block as `access_error(path, doing, ...)`."""
    try:
        yield
    except OSError as exc:
        raise access_error(path, doing, exc) from None
