"""An export that fails or is killed part-way leaves neither a partial export nor temporary files."""

from __future__ import annotations

import errno
import io
import os
import pathlib
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader.errors import FormatError
from reader.model.annotation import Annotation, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export
from tests.conftest import REPO
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project")


def annotations(fx: Fixture) -> list[Annotation]:
    out = []
    for doc in fx.corpus:
        out += [annotation_from_document(doc, 0, 5, label="claim", note="n" * 300)]
    return out


class _Full(io.TextIOBase):
    """A text file on a disk with `room` bytes left: writing past them fails as the system does."""

    def __init__(self, handle: Any, disk: FullDisk) -> None:
        self.handle, self.disk = handle, disk

    def write(self, text: str) -> int:
        self.disk.room -= len(text.encode())
        if self.disk.room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.handle.name)
        return int(self.handle.write(text))

    def close(self) -> None:
        self.handle.close()
        super().close()


class FullDisk:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, room: int) -> None:
        self.room = room
        real_open = pathlib.Path.open

        def open_(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_open(path, mode, *args, **kwargs)
            return _Full(handle, self) if "w" in mode else handle

        monkeypatch.setattr(pathlib.Path, "open", open_)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_brat_export_on_a_full_disk_leaves_the_previous_export_as_it_was(
    fx: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "exports" / "brat"
    anns = annotations(fx)
    export("brat", anns[:1], fx.corpus, out)
    before = tree(out)
    FullDisk(monkeypatch, room=200)
    with pytest.raises(FormatError, match="No space left on device"):
        export("brat", anns, fx.corpus, out)
    monkeypatch.undo()
    assert tree(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["brat"]  # no temporary folder left


def test_a_new_brat_export_on_a_full_disk_is_not_created(
    fx: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    FullDisk(monkeypatch, room=200)
    with pytest.raises(FormatError, match="No space left on device") as info:
        export("brat", annotations(fx), fx.corpus, tmp_path / "exports" / "brat")
    assert "reader-export" not in str(info.value)  # names the export, not its temporary folder
    assert not (tmp_path / "exports").exists()


# A child that exports and stops part-way, as if the machine were busy, for the test to kill.
CHILD = """
import sys, time
from pathlib import Path
from reader.corpus.documents import Corpus
from reader.store import AnnotationStore
from reader.transfer import export

root, dest = Path(sys.argv[1]), Path(sys.argv[2])
with AnnotationStore.open(root / "annotations" / "store.json", read_only=True) as store:
    anns = store.annotations()

def progress(done):
    print("writing", flush=True)
    time.sleep(3600)

export(sys.argv[3], anns, Corpus.load(root / "corpus"), dest, progress)
"""


def stopped_export(fx: Fixture, dest: Path, fmt: str) -> subprocess.Popen[str]:
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        if not len(store):
            store.add_many(annotations(fx))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(fx.root), str(dest), fmt],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    return child


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def reader_export(fx: Fixture, fmt: str, dest: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reader", "export", str(fx.root), "--format", fmt, "-o", str(dest)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("fmt", "name"), [("md", "report.md"), ("brat", "brat")])
def test_the_next_export_removes_what_a_killed_one_left(
    fx: Fixture, tmp_path: Path, fmt: str, name: str
) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    (out / ".notes.txt.tmp").write_text("not ours")  # a file of another program stays
    child = stopped_export(fx, out / name, fmt)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert len(temporaries(out)) == 2  # the killed export's, and the other program's
    reader_export(fx, "csv", out / "table.csv")
    assert temporaries(out) == [".notes.txt.tmp"]
    assert sorted(p.name for p in out.iterdir()) == [".notes.txt.tmp", "table.csv"]


def test_an_export_still_running_keeps_its_temporary_file(fx: Fixture, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    child = stopped_export(fx, out / "report.md", "md")
    try:
        (running,) = temporaries(out)
        reader_export(fx, "csv", out / "table.csv")
        assert temporaries(out) == [running]
    finally:
        child.kill()
        child.wait()
