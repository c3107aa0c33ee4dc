"""`reader agree` end to end: a real store in a project folder, the command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.agreement import make_team_project
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store.annotation_store import AnnotationStore

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


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_team_project(tmp_path_factory.mktemp("agree") / "team", 3, docs=4, spans=8, seed=2)


def test_json_has_the_documented_shape(team: Path) -> None:
    result = reader("agree", "--format", "json", cwd=team)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["annotators"] == ["annotator1", "annotator2", "annotator3"]
    assert data["documents"] == 4
    assert set(data["by_label"]) == {"MajorClaim", "Claim", "Premise"}
    for figures in [*data["by_label"].values(), data["overall"], *data["by_document"].values()]:
        assert set(figures) == {"exact", "overlap"}
        assert all(set(figures[k]) == {"mean", "sd"} for k in ("exact", "overlap"))
    assert [(p["a"], p["b"]) for p in data["pairs"]] == [
        ("annotator1", "annotator2"),
        ("annotator1", "annotator3"),
        ("annotator2", "annotator3"),
    ]
    assert all(
        set(p) == {"a", "b", "exact", "overlap", "kappa", "relations"} for p in data["pairs"]
    )
    assert 0 < data["alpha"] < 1 and data["sentences"] > 0
    assert set(data["relations"]) == {"exact", "overlap", "by_type"}
    assert data["overall"]["exact"]["mean"] < data["overall"]["overlap"]["mean"]


def test_by_and_doc_narrow_and_table_and_md_show_the_same_figures(team: Path) -> None:
    doc = json.loads(reader("agree", "--format", "json", cwd=team).stdout)["document_ids"][0]
    args = ("agree", "--by", "annotator1", "--by", "annotator3", "--doc", doc)
    data = json.loads(reader(*args, "--format", "json", cwd=team).stdout)
    assert data["annotators"] == ["annotator1", "annotator3"] and data["documents"] == 1
    overall = f"{data['overall']['exact']['mean']:.3f}"
    table = reader(*args, cwd=team)
    assert table.returncode == 0 and "Agreement per label" in table.stdout
    overall_row = next(line for line in table.stdout.splitlines() if line.startswith("Overall"))
    assert overall in overall_row.split()
    md = reader(*args, "--format", "md", cwd=team).stdout
    assert md.startswith("# Inter-annotator agreement") and f"| Overall | {overall} |" in md


def test_errors_are_one_line_with_exit_2(team: Path, tmp_path: Path) -> None:
    unknown = reader("agree", "--by", "annotator1", "--by", "nobody", cwd=team)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("reader: --by nobody: no labelled spans")
    assert len(unknown.stderr.splitlines()) == 1
    no_doc = reader("agree", "--doc", "missing", cwd=team)
    assert no_doc.returncode == 2 and "--doc missing: no such document" in no_doc.stderr
    # a project with one annotator
    single = make_team_project(tmp_path / "one", 1, docs=2, spans=3)
    alone = reader("agree", cwd=single)
    assert alone.returncode == 2 and "needs two annotators" in alone.stderr
    # a second annotator, on a document the first did not annotate
    second = list(Corpus.load(single / "corpus"))[1]
    with AnnotationStore.open(single / "annotations" / "store.json") as store:
        for annotation in store.annotations(second.id):
            store.delete(annotation.id)
        store.add(annotation_from_document(second, 0, 5, label="Claim", author="second"))
    apart = reader("agree", cwd=single)
    assert apart.returncode == 2
    assert apart.stderr.strip() == (
        "reader: no document has labelled spans by all of annotator1, second; "
        "name fewer annotators with --by, or documents with --doc"
    )


def test_a_merge_conflict_copy_among_the_compared_is_warned_of(tmp_path: Path) -> None:
    # reader merge keeps both versions of a conflict: agree counts both, and says so.
    import dataclasses

    from reader.model.annotation import new_id
    from reader.transfer.merging import CONFLICT_TAG

    team = make_team_project(tmp_path / "team", 2, docs=2, spans=4, seed=3)
    assert "merge-conflict" not in reader("agree", cwd=team).stderr
    with AnnotationStore.open(team / "annotations" / "store.json") as store:
        first = next(a for a in store.annotations() if a.label)
        store.add(dataclasses.replace(first, id=new_id(), tags=(*first.tags, CONFLICT_TAG)))
    result = reader("agree", cwd=team)
    assert result.returncode == 0, result.stderr
    assert f"1 annotation tagged {CONFLICT_TAG}" in result.stderr
    assert f"reader search tag:{CONFLICT_TAG}" in result.stderr
