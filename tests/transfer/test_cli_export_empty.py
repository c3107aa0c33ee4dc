"""`reader export` on a project nobody has annotated yet: an empty, valid export, no store made."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from reader import formats
from tests.conftest import REPO
from tests.formats.formats_helpers import make_project


@pytest.mark.parametrize("fmt", formats.EXPORT_FORMATS)
def test_an_empty_project_exports_an_empty_file(tmp_path: Path, fmt: str) -> None:
    fx = make_project(tmp_path / "project")
    out = tmp_path / ("brat" if fmt in formats.FOLDER_FORMATS else f"out.{fmt}")
    done = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--format", fmt, "-o", str(out)],
        cwd=fx.root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "no annotations yet in" in done.stderr and "exported 0 annotations" in done.stderr
    assert list((fx.root / "annotations").iterdir()) == []  # the store was not created
    if fmt in ("json", "w3c"):
        assert orjson.loads(out.read_bytes())
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(out.read_text())))) == 1  # the header alone
    elif fmt == "jsonl":
        assert out.read_bytes() == b""
    elif fmt == "brat":
        assert (out / "annotation.conf").exists()
    else:
        assert out.exists()
