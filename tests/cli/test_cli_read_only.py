"""`--read-only` on the commands that open the store, and advice that matches what each can do."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import ReadOnlyStoreError, StoreError, StoreLockedError, access_error
from reader.model.annotation import Annotation, annotation_from_document
from reader.store import AnnotationStore
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project")


def store_path(fx: Fixture) -> Path:
    return fx.root / "annotations" / "store.json"


def claim(fx: Fixture) -> Annotation:
    plain = fx.corpus.get("plain")
    assert plain is not None
    return annotation_from_document(plain, 0, 33, label="claim", note="growth")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def native_file(fx: Fixture, tmp_path: Path) -> Path:
    path = tmp_path / "file.json"
    data = {"schema": "reader-annotations/1", "annotations": [claim(fx).to_json()]}
    path.write_bytes(orjson.dumps(data))
    return path


def test_import_with_read_only_is_refused_and_imports_nothing(fx: Fixture, tmp_path: Path) -> None:
    code, out, err = run(
        "import", str(native_file(fx, tmp_path)), "--format", "json", str(fx.root), "--read-only"
    )
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert "cannot run with --read-only" in line and "--dry-run" in line
    assert not store_path(fx).exists()


def test_a_dry_run_import_may_be_read_only(fx: Fixture, tmp_path: Path) -> None:
    with AnnotationStore.open(store_path(fx)):
        pass
    file = native_file(fx, tmp_path)
    code, out, _ = run(
        "import", str(file), "--format", "json", str(fx.root), "--read-only", "--dry-run"
    )
    assert code == 0 and "1 to import" in out


def test_search_and_export_accept_read_only_while_another_reader_writes(fx: Fixture) -> None:
    with AnnotationStore.open(store_path(fx)) as holder:
        holder.add(claim(fx))
        code, out, _ = run("search", "growth", str(fx.root), "--read-only")
        assert code == 0 and "growth" in out
        code, out, _ = run("export", "--format", "csv", str(fx.root), "--read-only")
        assert code == 0 and "growth" in out


@pytest.fixture
def read_only_disk(fx: Fixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """The annotations folder as on a read-only disk: the system refuses every open for writing."""
    with AnnotationStore.open(store_path(fx)) as store:
        store.add(claim(fx))
    folder = str(fx.root / "annotations")
    real_open = os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & writing and os.fspath(path).startswith(folder):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)


def test_import_on_a_read_only_disk_says_what_an_import_can_do(
    fx: Fixture, tmp_path: Path, read_only_disk: None
) -> None:
    code, out, err = run("import", str(native_file(fx, tmp_path)), "--format", "json", str(fx.root))
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert "Read-only file system" in line and "--store" in line and "nothing was imported" in line
    assert "open the store read-only" not in line  # an import cannot


def test_a_failed_read_does_not_advise_opening_read_only(tmp_path: Path) -> None:
    denied = OSError(errno.EACCES, "Permission denied")
    reading = access_error(tmp_path / "store.json", "read the store", denied, writing=False)
    assert "read-only" not in str(reading) and not reading.readable
    writing = access_error(tmp_path / "store.json.lock", "create the store's lock file", denied)
    assert "reader --read-only" in str(writing) and writing.readable


def test_a_store_opened_read_only_says_how_to_save(fx: Fixture) -> None:
    with AnnotationStore.open(store_path(fx)):
        pass
    with (
        AnnotationStore.open(store_path(fx), read_only=True) as store,
        pytest.raises(ReadOnlyStoreError, match="without --read-only"),
    ):
        store.add(claim(fx))


def test_a_missing_store_opened_read_only_says_how_to_create_it(fx: Fixture) -> None:
    with pytest.raises(StoreError, match="without --read-only once to create it"):
        AnnotationStore.open(store_path(fx), read_only=True)
    assert not store_path(fx).exists()


def test_a_store_in_use_names_the_option_that_opens_it_read_only(fx: Fixture) -> None:
    with (
        AnnotationStore.open(store_path(fx)),
        pytest.raises(StoreLockedError, match=r"open the store read-only \(reader --read-only\)"),
    ):
        AnnotationStore.open(store_path(fx))
