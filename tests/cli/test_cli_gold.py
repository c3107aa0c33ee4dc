"""The gold layer adjudication builds is a layer of ordinary annotations: every export format takes it
(`--by gold` selects it), with the annotators' own annotations left out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.adjudication import Adjudication
from reader.cli import cli
from reader.formats import EXPORT_FORMATS, FOLDER_FORMATS
from reader.store.annotation_store import AnnotationStore

from ..tui.adjudication_data import write_team_store


def decide(project: Path) -> None:
    write_team_store(project)
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        adj = Adjudication(store)
        adj.take(0, ["ann"])  # one copy
        adj.take(1, adj.annotators)  # both overlapping spans
        adj.reject(2)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_exports_the_gold_layer(project: Path, tmp_path: Path, fmt: str) -> None:
    decide(project)
    out = tmp_path / ("gold" if fmt in FOLDER_FORMATS else f"gold.{fmt}")
    result = CliRunner().invoke(
        cli, ["export", str(project), "--by", "gold", "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert "exported 3 annotations" in result.stderr
    assert "not exported" not in result.stderr


def test_the_native_export_holds_gold_copies_only(project: Path) -> None:
    decide(project)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            "export",
            str(project),
            "--by",
            "gold",
            "--format",
            "json",
        ],
        capture_output=True,
        check=True,
    )
    exported = json.loads(done.stdout)
    anns = exported["annotations"] if isinstance(exported, dict) else exported
    assert sorted(a["id"] for a in anns) == ["01TEAM01.gold", "01TEAM03.gold", "01TEAM04.gold"]
    assert {a["annotator"] for a in anns} == {"gold"}
