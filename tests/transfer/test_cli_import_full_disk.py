"""An import saved in the journal but whose snapshot could not be written says so, and keeps it."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from tests.formats.formats_helpers import make_project


def test_an_import_whose_snapshot_hits_a_full_disk_reports_it_as_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fx = make_project(tmp_path / "project")
    plain = fx.corpus.get("plain")
    assert plain is not None
    store = fx.root / "annotations" / "store.json"
    with AnnotationStore.open(store):
        pass
    ann = annotation_from_document(plain, 0, 33, label="claim")
    file = tmp_path / "file.json"
    data = {"schema": "reader-annotations/1", "annotations": [ann.to_json()]}
    file.write_bytes(orjson.dumps(data))

    def full_disk(fd: int, buffers: Any) -> int:
        # The snapshot is written with writev; the journal's small record still fits.
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "writev", full_disk)
    result = CliRunner().invoke(cli, ["import", str(file), "--format", "json", str(fx.root)])
    monkeypatch.undo()
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1 imported")
    (line,) = result.stderr.splitlines()
    assert "No space left on device" in line and "store.json.journal" in line
    assert "next time" in line
    with AnnotationStore.open(store) as reopened:
        assert [a.id for a in reopened.annotations()] == [ann.id]
    with AnnotationStore.open(store, read_only=True) as after:  # the snapshot caught up on close
        assert after._journal.path.stat().st_size == 0 and len(after) == 1
