"""The temporary files and folders an export is written into before it is renamed into place.

Each is named `.NAME.reader-export-XXXXXXXX.tmp` beside the destination and holds an exclusive
`flock` while it is written, so a run killed mid-write (whose lock the system drops) leaves one that
the next export into the same folder recognises and removes, while another export still writing its
own is left alone. Nothing else is ever removed: only names of exactly this scheme.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from reader.errors import FormatError
from reader.formats.common import Dropped

_TEMPORARY = re.compile(r"\..+\.reader-export-[0-9a-f]{8}\.tmp", re.DOTALL)


def _name(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.reader-export-{secrets.token_hex(4)}.tmp"


def _locked(fd: int) -> bool:
    """Take the lock that marks a temporary as being written; False if another process has it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def temporary_file(dest: Path, advice: str) -> tuple[int, Path]:
    """A new, locked file beside `dest` with the permissions the export itself should get.

    Not `tempfile.mkstemp`: its files are private (0600), and the rename would hand that to the
    export. A new file gets the user's umask, as any file the user saves; one that replaces an
    existing export keeps the mode the user gave that file. The lock lasts until `fd` is closed.
    """
    try:
        mode = stat.S_IMODE(dest.stat().st_mode)
    except OSError:
        mode = None
    for _attempt in range(100):
        temporary = _name(dest)
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise FormatError(
                f"{dest}: cannot write the export there ({exc.strerror}); {advice}"
            ) from None
        _locked(fd)  # new and ours alone: it cannot be held by anyone else
        if mode is not None:
            os.fchmod(fd, mode)
        return fd, temporary
    raise FormatError(f"{dest.parent}: cannot create a temporary file for the export")


def temporary_folder(dest: Path, advice: str) -> tuple[int, Path]:
    """A new, locked, empty folder beside `dest`; close the returned descriptor to unlock it."""
    for _attempt in range(100):
        temporary = _name(dest)
        try:
            os.mkdir(temporary)
        except FileExistsError:
            continue
        except OSError as exc:
            raise FormatError(
                f"{dest}: cannot write the export there ({exc.strerror}); {advice}"
            ) from None
        fd = os.open(temporary, os.O_RDONLY | os.O_DIRECTORY)
        _locked(fd)
        return fd, temporary
    raise FormatError(f"{dest.parent}: cannot create a temporary folder for the export")


def move_into(staging: Path, dest: Path) -> None:
    """Put the files of `staging` in place in `dest`: the whole folder by one rename when `dest`
    does not exist, else each file by its own rename (files of other names in `dest` stay)."""
    try:
        os.rename(staging, dest)
        return
    except OSError:
        if not dest.is_dir():
            raise
    for folder, _dirs, files in os.walk(staging):
        target = dest / Path(folder).relative_to(staging)
        target.mkdir(exist_ok=True)
        for name in files:
            os.replace(Path(folder, name), target / name)
    shutil.rmtree(staging)


def remove_stale(folder: Path) -> None:
    """Remove the temporaries of exports into `folder` that were killed mid-write."""
    try:
        names = [name for name in os.listdir(folder) if _TEMPORARY.fullmatch(name)]
    except OSError:
        return
    for name in names:
        path = folder / name
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
            try:
                if _locked(fd):  # no live export holds it
                    if os.path.isdir(path) and not os.path.islink(path):
                        shutil.rmtree(path)
                    else:
                        os.unlink(path)
            finally:
                os.close(fd)


def write_folder(write: Callable[[Path], list[Dropped]], dest: Path, advice: str) -> list[Dropped]:
    """Run `write(folder)` on a temporary folder beside `dest`, then move the files into place, so
    a full disk or a kill leaves no half-written export in `dest`. Returns what `write` returns."""
    staging: Path | None = None
    made = [p for p in (dest.parent, *dest.parent.parents) if not p.exists()]
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(dest.parent)
        fd, staging = temporary_folder(dest, advice)
        try:
            dropped = write(staging)
            move_into(staging, dest)
        finally:
            os.close(fd)
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException as exc:
        for folder in made:  # a refused or failed export leaves no folders behind either
            with contextlib.suppress(OSError):
                folder.rmdir()
        if not isinstance(exc, OSError):
            raise
        where = Path(exc.filename) if exc.filename else dest
        if staging is not None and where.is_relative_to(staging):
            where = dest / where.relative_to(staging)  # the file as the user will look for it
        elif not where.is_relative_to(dest):
            where = dest
        raise FormatError(
            f"{where}: could not write the brat export ({exc.strerror}); {advice}"
        ) from None
    return dropped
