"""`reader search` takes queries that begin with a negation (`-word`) as the query, not as an option."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore

PEACE = "peace-2019-09-winning-back-labours-heartlands"
NOTES = ["Brexit in marginal seats", "Brexit cost votes", "Brexit and the red wall", "marginal"]


@pytest.fixture
def ids(project: Path) -> dict[str, str]:
    """The id of an annotation with each of NOTES."""
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    anns = [
        annotation_from_document(doc, 10 * n, 10 * n + 5, note=note) for n, note in enumerate(NOTES)
    ]
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(anns)
    return {ann.note: ann.id for ann in anns}


def search(project: Path, *args: str) -> tuple[int, list[str], str]:
    """Run `reader search --format json --corpus C --store S ARGS...`; the notes of the hits."""
    options = ["--format", "json", "--corpus", str(project / "corpus")]
    options += ["--store", str(project / "annotations" / "store.json")]
    result = CliRunner().invoke(cli, ["search", *options, *args])
    hits = orjson.loads(result.stdout) if result.exit_code == 0 else []
    return result.exit_code, [hit["note"] for hit in hits], result.stderr or result.stdout


def test_a_query_starting_with_a_negation(project: Path, ids: dict[str, str]) -> None:
    code, notes, err = search(project, "-marg", str(project))
    assert code == 0, err
    assert sorted(notes) == sorted(n for n in NOTES if "marginal" not in n)


def test_a_negation_inside_the_query_with_options_after_it(
    project: Path, ids: dict[str, str]
) -> None:
    code, notes, err = search(project, "brexit -marg", "--limit", "2")
    assert code == 0, err
    assert sorted(notes) == ["Brexit and the red wall", "Brexit cost votes"]
    code, notes, err = search(project, "brexit -marg", "--limit", "1")
    assert code == 0 and len(notes) == 1, err
    code, notes, err = search(project, "-marg", "--limit", "1", str(project))
    assert code == 0 and len(notes) == 1, err


def test_double_dash_ends_the_options(project: Path, ids: dict[str, str]) -> None:
    code, notes, err = search(project, "--", "-marg")
    assert code == 0, err
    assert sorted(notes) == sorted(n for n in NOTES if "marginal" not in n)


def test_real_options_still_work_and_bad_ones_are_still_refused(
    project: Path, ids: dict[str, str]
) -> None:
    result = CliRunner().invoke(cli, ["search", "--limit", "0", "brexit", str(project)])
    assert result.exit_code == 2 and "--limit" in result.stderr
    result = CliRunner().invoke(cli, ["search", "brexit", str(project), "--limt", "2"])
    assert result.exit_code == 2 and "No such option '--limt'" in result.stderr
    result = CliRunner().invoke(cli, ["search", "--help"])
    assert result.exit_code == 0 and "--" in result.stdout and "-word" in result.stdout
