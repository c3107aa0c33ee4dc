"""The advice to restore a backup says what each backup holds, so nobody restores the empty one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from reader.errors import StoreCorruptError
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from tests.conftest import REPO
from tests.formats.formats_helpers import make_project


def test_a_damaged_store_names_each_backups_date_and_annotation_count(tmp_path: Path) -> None:
    fx = make_project(tmp_path / "project")
    plain = fx.corpus.get("plain")
    assert plain is not None
    path = fx.root / "annotations" / "store.json"
    with AnnotationStore.open(path) as store:  # the first open writes the empty store
        store.add(annotation_from_document(plain, 0, 33, label="claim"))
        store.add(annotation_from_document(plain, 34, 65, label="premise"))
    with AnnotationStore.open(path) as store:
        store.add(annotation_from_document(plain, 67, 79, label="claim"))
    os.utime(path.with_name("store.json.bak.2"), (0, 0))  # 1970-01-01 00:00 UTC
    path.write_text("# exported annotations\n")  # what an export over the store left
    done = subprocess.run(
        [sys.executable, "-m", "reader", "search", "claim"],
        cwd=fx.root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert done.returncode == 2
    assert "store.json.bak.2 (saved 1970-01-01 00:00 UTC, 0 annotations)" in done.stderr
    assert re.search(
        r"store\.json\.bak\.1 \(saved \d{4}-\d\d-\d\d \d\d:\d\d UTC, 2 annotations\)", done.stderr
    )


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda h: h["undo"][0][0][1].update(start=-5), "undo step 1 change 1 (after)"),
        (lambda h: h["undo"][0].__setitem__(0, [1, 2, 3]), "undo step 1 change 1: expected"),
        (lambda h: h["undo"].append([{"x": 1}]), "undo step 2 change 1: a meta change"),
        (lambda h: h.update(redo=5), "redo: must be a list of steps"),
    ],
)
def test_a_bad_history_entry_is_named_by_record_and_step(
    tmp_path: Path, edit: Callable[[dict[str, Any]], object], named: str
) -> None:
    fx = make_project(tmp_path / "project")
    plain = fx.corpus.get("plain")
    assert plain is not None
    path = fx.root / "annotations" / "store.json"
    with AnnotationStore.open(path) as store:
        store.add(annotation_from_document(plain, 0, 33, label="claim"))
    data = orjson.loads(path.read_bytes())
    edit(data["history"]["1"])
    path.write_bytes(orjson.dumps(data))  # a hand edit: the checksum no longer matches
    with pytest.raises(StoreCorruptError) as info:
        AnnotationStore.open(path)
    message = str(info.value)
    assert f"table 'history' record 1 {named}" in message
    assert message.count("by hand") == 1
