"""`reader export --by NAME`: only that annotator's layer (gold included), in every format."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.formats import EXPORT_FORMATS, FOLDER_FORMATS
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    fixture = make_project(tmp_path / "project")
    plain = fixture.corpus.get("plain")
    assert plain is not None
    text = plain.text
    we = text.index("We disagree.")
    with AnnotationStore.open(fixture.root / "annotations" / "store.json") as store:
        store.add_many(
            [
                annotation_from_document(plain, 0, 33, label="claim", author="ana"),
                annotation_from_document(plain, 34, 65, label="premise", author="goldsmith"),
                annotation_from_document(plain, we, we + 12, label="evidence", author="gold"),
                annotation_from_document(plain, 4, 11, label="claim", author="ben"),
            ]
        )
    return fixture


def export_json(fx: Fixture, *args: str) -> tuple[list[str], str]:
    result = CliRunner().invoke(cli, ["export", "--format", "json", str(fx.root), *args])
    assert result.exit_code == 0, result.stderr
    data = orjson.loads(result.stdout)
    return [a["annotator"] for a in data["annotations"]], result.stderr


def test_by_exports_exactly_that_layer_and_is_repeatable(fx: Fixture) -> None:
    assert export_json(fx, "--by", "gold")[0] == ["gold"]  # not goldsmith's: names are exact
    assert sorted(export_json(fx, "--by", "ana", "--by", "ben")[0]) == ["ana", "ben"]
    assert export_json(fx, "--by", "ana", "--query", "label:premise")[0] == []


def test_a_name_no_annotator_has_is_refused_naming_the_annotators_there(
    fx: Fixture, tmp_path: Path
) -> None:
    # A typo (names match exactly) would otherwise write an export that silently lacks a layer.
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        cli,
        ["export", "--format", "json", str(fx.root), "--by", "Ana", "--by", "ben", "-o", str(out)],
    )
    assert result.exit_code == 2
    assert "--by 'Ana': no annotator of that name" in result.stderr
    assert "annotators: ana, ben, gold, goldsmith" in result.stderr
    assert not out.exists()


def test_an_annotator_with_nothing_in_the_selection_is_a_warning(fx: Fixture) -> None:
    authors, err = export_json(fx, "--by", "ana", "--by", "ben", "--query", "label:premise")
    assert "ana" not in authors
    assert "--by 'ana': no annotations of that layer" in err


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_the_gold_layer_exports_in_every_format(fx: Fixture, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"gold-{fmt}"
    result = CliRunner().invoke(
        cli, ["export", "--format", fmt, str(fx.root), "--by", "gold", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert "exported 1 annotation" in result.stderr
    files = sorted(out.rglob("*")) if fmt in FOLDER_FORMATS else [out]
    written = "".join(p.read_text(encoding="utf-8") for p in files if p.is_file())
    assert "We disagree" in written  # gold's, the one annotation exported
