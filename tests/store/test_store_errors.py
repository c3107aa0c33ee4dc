"""Files the store cannot use (a folder where a file belongs, no permission, a full disk) give the
store's own error naming the path and what to do, never a raw OSError; the CLI prints it on one line."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import ReaderError, StoreAccessError, StoreError
from reader.store import AnnotationStore
from tests.store.test_store import ann


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations" / "store.json"


def blocked(path: Path, what: str) -> Path:
    """Make `what` of the store at `path` unusable; return the path the error should name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if what == "store is a folder":
        path.mkdir()
        return path
    if what == "lock is a folder":
        path.with_name("store.json.lock").mkdir()
        return path.with_name("store.json.lock")
    if what == "journal is a folder":
        path.with_name("store.json.journal").mkdir()
        return path.with_name("store.json.journal")
    if what == "folder is a file":
        path.parent.rmdir()
        path.parent.write_text("not a folder")
        return path.parent
    raise AssertionError(what)


CASES = ["store is a folder", "lock is a folder", "journal is a folder", "folder is a file"]


@pytest.mark.parametrize("what", CASES)
def test_unusable_paths_give_a_store_error_naming_the_path(path: Path, what: str) -> None:
    named = blocked(path, what)
    with pytest.raises(StoreError) as info:
        AnnotationStore.open(path)
    message = str(info.value)
    assert str(named) in message and ";" in message  # the path, then what to do
    assert "Errno" not in message


@pytest.mark.parametrize("what", CASES)
def test_the_cli_prints_store_errors_on_one_line(path: Path, what: str, tmp_path: Path) -> None:
    named = blocked(path, what)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("One document.\n")
    (tmp_path / "a.json").write_text('{"schema": "reader-annotations/1", "annotations": []}')
    commands = [
        ["export", "--format", "json"],
        ["search", "anything"],
        ["import", str(tmp_path / "a.json"), "--format", "json"],
    ]
    for command in commands:
        result = CliRunner().invoke(cli, [*command, "--corpus", str(corpus), "--store", str(path)])
        if what == "lock is a folder" and command[0] != "import":
            continue  # reading needs no lock
        if (what, command[0]) == ("folder is a file", "search"):
            assert result.exit_code == 0 and "No annotations yet" in result.stdout
            continue  # no store, so nothing to search
        if (what, command[0]) == ("folder is a file", "export"):
            assert result.exit_code == 0 and "no annotations yet" in result.stderr
            continue  # no store, so an empty export
        assert result.exit_code == 2, (command, result.output, result.exception)
        assert result.stderr.startswith("reader: ") and str(named) in result.stderr, command
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_a_folder_the_user_cannot_write_to(path: Path) -> None:
    path.parent.mkdir(parents=True)
    if os.geteuid() == 0:
        # root writes anywhere, so permissions prove nothing; a folder where the lock file goes
        # fails for root too, through the same code path.
        path.with_name("store.json.lock").mkdir()
    else:
        path.parent.chmod(0o555)
    try:
        with pytest.raises(StoreAccessError, match=str(path.parent)) as info:
            AnnotationStore.open(path)
        assert "read-only" in str(info.value) or "move it aside" in str(info.value)
    finally:
        path.parent.chmod(0o755)


def failing(name: str, code: int) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code), name)

    return fail


def test_a_full_disk_on_save_changes_nothing_and_says_so(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with AnnotationStore.open(path) as store:
        first = store.add(ann(start=0))
        monkeypatch.setattr("reader.store.journal.os.write", failing("write", errno.ENOSPC))
        with pytest.raises(StoreAccessError, match="free some disk space") as info:
            store.add(ann(start=10))
        assert str(path.with_name("store.json.journal")) in str(info.value)
        monkeypatch.undo()
        assert store.annotations() == [first]
        second = store.add(ann(start=20))
    with AnnotationStore.open(path) as store:
        assert store.annotations() == [first, second]


@pytest.mark.parametrize("call", ["open", "replace", "fsync", "ftruncate"])
def test_a_failed_compaction_keeps_the_changes_in_the_journal(
    path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    with AnnotationStore.open(path) as store:
        store.add(ann(start=0))
    store = AnnotationStore.open(path)
    added = store.add(ann(start=10))
    monkeypatch.setattr(f"reader.store.journal.os.{call}", failing(call, errno.EIO))
    with pytest.raises(StoreAccessError) as info:
        store.close()
    assert "Errno" not in str(info.value)
    monkeypatch.undo()
    with AnnotationStore.open(path) as store:  # the journal still holds the save
        assert added in store.annotations() and len(store) == 2


def test_a_save_that_outgrows_the_journal_succeeds_even_if_compaction_fails(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The save is durable once the journal is synced; a failed compaction after it must not
    # tell the caller it failed (the app would think the note was lost).
    store = AnnotationStore.open(path, compact_bytes=1)
    monkeypatch.setattr("reader.store.journal.os.replace", failing("replace", errno.ENOSPC))
    added = store.add(ann(start=0))
    assert store.warnings and "free some disk space" in store.warnings[-1]
    monkeypatch.undo()
    store.close()
    with AnnotationStore.open(path) as store:
        assert store.annotations() == [added]


def test_store_errors_are_reader_errors() -> None:
    assert issubclass(StoreAccessError, StoreError) and issubclass(StoreError, ReaderError)
