"""`reader stats`: every number agrees with what `reader search` finds and what the exports write."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from reader.corpus.documents import Corpus
from reader.store.annotation_store import AnnotationStore
from reader.user_state import dismissed_key, dismissed_value
from tests.test_stats import PEACE, make_annotations

REPO = Path(__file__).resolve().parents[2]


def reader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def reader_json(*args: str, cwd: Path) -> Any:
    result = reader(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def annotated(project: Path) -> Path:
    corpus = Corpus.load(project / "corpus")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(make_annotations(corpus))
        sha = corpus.get(PEACE).sha256  # type: ignore[union-attr]
        store.set_meta(dismissed_key(PEACE), dismissed_value(sha, {"0-9", "10-19"}))
    return project


def hits(query: str, cwd: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = reader_json(
        "search", query, "--format", "json", "--limit", "1000", cwd=cwd
    )
    return found


def test_stats_agree_with_search_and_the_json_export(annotated: Path) -> None:
    stats = reader_json("stats", "--format", "json", cwd=annotated)
    total = stats["total"]
    exported = reader_json("export", "--format", "json", cwd=annotated)["annotations"]
    assert total["annotations"] == len(exported) == 6
    for label, count in total["by_label"].items():
        assert len(hits(f"label:{label}", annotated)) == count
    assert sum(total["by_label"].values()) == len(hits("has:label", annotated))
    assert total["notes"] == len(hits("has:note", annotated)) == 2
    assert total["tags"] == len(hits("has:tag", annotated)) == 2
    assert sum(total["links"].values()) == len([1 for a in exported for _ in a["links"]])
    assert total["links"] == dict(Counter(link["type"] for a in exported for link in a["links"]))
    assert total["suggestions"]["accepted"] == len(hits("origin:suggestion", annotated)) == 1
    assert total["suggestions"]["dismissed"] == 2
    assert total["suggestions"]["shown"] > 0
    assert total["unsupported_claims"] == 2
    for group in stats["groups"]:  # per document, the search's doc: field finds the same
        if group["annotations"]:
            assert len(hits(f'doc:"{group["key"]}"', annotated)) == group["annotations"]


def test_stats_by_annotator_agree_with_search_by(annotated: Path) -> None:
    stats = reader_json(
        "stats", "--by", "annotator", "--no-shown", "--format", "json", cwd=annotated
    )
    assert stats["by"] == "annotator"
    for group in stats["groups"]:
        assert len(hits(f"by:{group['key']}", annotated)) == group["annotations"]
        assert group["suggestions"]["shown"] is None and group["suggestions"]["dismissed"] is None
    assert stats["total"]["suggestions"]["shown"] is None


def test_stats_by_party_agree_with_search_party(annotated: Path) -> None:
    stats = reader_json("stats", "--by", "party", "--format", "json", cwd=annotated)
    for group in stats["groups"]:
        assert len(hits(f"party:{group['key']}", annotated)) == group["annotations"]


def test_csv_has_a_row_per_group_and_the_total(annotated: Path) -> None:
    result = reader("stats", "--by", "tag", "--format", "csv", cwd=annotated)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["key"] for r in rows] == ["", "a", "b", "total"]
    assert rows[1]["annotations"] == "2" and rows[1]["suggestions_shown"] == ""
    assert rows[-1]["row"] == "total" and rows[-1]["label:claim"] == "3"


def test_table_names_groups_and_the_total(annotated: Path) -> None:
    result = reader("stats", "--doc", PEACE, cwd=annotated)
    assert result.returncode == 0, result.stderr
    assert "Total" in result.stdout and "rebuttal" in result.stdout
    assert "peace-2019" in result.stdout and "rowley" not in result.stdout


def test_unknown_document_is_one_line_and_exit_2(annotated: Path) -> None:
    result = reader("stats", "--doc", "nope", cwd=annotated)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no document with id 'nope'" in result.stderr


def test_without_a_store_every_document_counts_with_no_annotations(project: Path) -> None:
    stats = reader_json("stats", "--format", "json", "--no-shown", cwd=project)
    assert stats["total"]["documents"] == 4 and stats["total"]["annotations"] == 0
    assert not (project / "annotations" / "store.json").exists()


def test_on_a_narrow_terminal_every_figure_and_column_is_shown_whole(annotated: Path) -> None:
    # Squeezed to the terminal, the table cut figures ("152" as "15", "1,028" as "1,0…") and
    # dropped its last columns off the edge. Every figure of the JSON must appear whole.
    import re

    from tests.tui.pty_app import PtyApp

    figures = reader_json("stats", "--format", "json", cwd=annotated)
    app = PtyApp(["stats", str(annotated)], {}, cols=64, rows=60)
    assert app.close() == 0
    shown = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", app.output.decode())
    numbers = set(re.findall(r"(?<![\w,])\d[\d,]*(?![\w,…])", shown))
    total = figures["total"]
    wanted = [total[key] for key in ("documents", "words", "annotations", "notes", "tags")]
    wanted += [*total["by_label"].values(), *total["suggestions"].values()]
    for group in figures["groups"]:
        wanted += [group["words"], group["suggestions"]["shown"]]
    for figure in wanted:
        assert f"{figure:,}" in numbers, (figure, shown)
    assert all(head in shown for head in ("Shown", "Acc.", "Dism.", *total["by_label"]))
    assert all(len(line) <= 64 for line in shown.splitlines())
