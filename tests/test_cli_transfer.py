"""`reader export` / `reader import` as a user sees them: messages, exit status, files written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.model import Annotation, annotation_from_document
from reader.store import AnnotationStore
from tests.conftest import REPO
from tests.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def claim(fx: Fixture, start: int = 0, end: int = 33, **fields: object) -> Annotation:
    plain = fx.corpus.get("plain")
    assert plain is not None
    return annotation_from_document(plain, start, end, **{"label": "claim", **fields})


def store_path(fx: Fixture) -> Path:
    return fx.root / "annotations" / "store.json"


def add(fx: Fixture, *anns: Annotation) -> None:
    with AnnotationStore.open(store_path(fx)) as store:
        store.add_many(anns)


def test_the_default_export_folder_is_git_ignored() -> None:
    # The app's Export… writes PROJECT/exports/ by default; in a checkout that is the repository.
    for path in ("exports/annotations.csv", "exports/brat/plain.ann"):
        done = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", path], cwd=REPO, check=False
        )
        assert done.returncode == 0, path


def test_export_messages_use_the_singular_for_one(fx: Fixture) -> None:
    add(fx, claim(fx))
    code, _, err = run("export", "--format", "csv", str(fx.root))
    assert code == 0 and "exported 1 annotation\n" in err and "(s)" not in err
    add(fx, claim(fx, 34, 65))
    code, _, err = run("export", "--format", "csv", str(fx.root))
    assert code == 0 and "exported 2 annotations\n" in err
