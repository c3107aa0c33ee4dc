"""An export never writes over the annotation store's files or the corpus's documents."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.corpus.documents import Corpus
from reader.errors import FormatError
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export
from tests.conftest import REPO
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    fx = make_project(tmp_path / "project")
    plain = fx.corpus.get("plain")
    assert plain is not None
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        store.add(annotation_from_document(plain, 0, 33, label="claim"))
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        store.add(
            annotation_from_document(plain, 34, 65, label="premise")
        )  # makes store.json.bak.1
    return fx


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the project, with its bytes (the lock's text is rewritten by every writer)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def assert_refused(fx: Fixture, before: dict[str, bytes], done: subprocess.CompletedProcess[str]):
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "export was not written there" in lines[0], done.stderr
    assert snapshot(fx.root) == before  # nothing written, nothing left behind


@pytest.mark.parametrize(
    "output",
    [
        "annotations/store.json",
        "annotations/store.json.bak.1",
        "annotations/store.json.journal",
        "annotations/store.json.lock",
        "annotations/../annotations/store.json",
        "corpus/plain.txt",
        "corpus/new-report.md",
    ],
)
def test_an_export_over_the_store_or_a_document_is_refused(fx: Fixture, output: str) -> None:
    before = snapshot(fx.root)
    done = cli(fx.root, "export", "--format", "md", "-o", output)
    assert_refused(fx, before, done)
    with AnnotationStore.open(fx.root / "annotations" / "store.json", read_only=True) as store:
        assert len(store) == 2


def test_a_symlink_to_the_store_is_refused(fx: Fixture, tmp_path: Path) -> None:
    (fx.root / "report.md").symlink_to(fx.root / "annotations" / "store.json")
    before = snapshot(fx.root)
    assert_refused(fx, before, cli(fx.root, "export", "--format", "md", "-o", "report.md"))


def test_a_hard_link_to_a_document_is_refused(fx: Fixture, tmp_path: Path) -> None:
    os.link(fx.root / "corpus" / "plain.txt", fx.root / "report.txt")
    before = snapshot(fx.root)
    assert_refused(fx, before, cli(fx.root, "export", "--format", "csv", "-o", "report.txt"))


def test_a_store_given_with_store_is_protected_too(fx: Fixture, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "mine.json"
    elsewhere.parent.mkdir()
    os.replace(fx.root / "annotations" / "store.json", elsewhere)
    done = cli(
        fx.root, "export", "--store", str(elsewhere), "--format", "json", "-o", str(elsewhere)
    )
    assert done.returncode == 2 and "annotation store" in done.stderr
    with AnnotationStore.open(elsewhere, read_only=True) as store:
        assert len(store) == 2


@pytest.mark.parametrize("output", ["corpus", ".", "annotations", "corpus/sub"])
def test_a_brat_folder_that_is_or_holds_the_corpus_or_the_store_is_refused(
    fx: Fixture, output: str
) -> None:
    before = snapshot(fx.root)
    assert_refused(fx, before, cli(fx.root, "export", "--format", "brat", "-o", output))


def test_an_export_elsewhere_still_works(fx: Fixture) -> None:
    done = cli(fx.root, "export", "--format", "brat", "-o", "exports/brat")
    assert done.returncode == 0, done.stderr
    assert (fx.root / "exports" / "brat" / "plain.ann").exists()
    done = cli(fx.root, "export", "--format", "md", "-o", "annotations/report.md")
    assert done.returncode == 0, done.stderr


def test_the_apps_export_refuses_the_store_it_has_open(fx: Fixture) -> None:
    # The app's Export… dialog calls transfer.export with the annotations, not the store.
    path = fx.root / "annotations" / "store.json"
    corpus = Corpus.load(fx.root / "corpus")
    with AnnotationStore.open(path) as store:
        before = path.read_bytes()
        with pytest.raises(FormatError, match="annotation store"):
            export("md", store.annotations(), corpus, path, option=None)
        assert path.read_bytes() == before
        assert len(store) == 2


@pytest.mark.parametrize("name", ["store.json", "store.json.bak.1", "store.json.journal"])
def test_another_projects_store_is_refused_too(fx: Fixture, tmp_path: Path, name: str) -> None:
    # Exporting project A from inside project B onto B's store: the store is not A's, but it is
    # a store all the same, and replacing it would lose B's annotations.
    other = make_project(tmp_path / "other")
    plain = other.corpus.get("plain")
    assert plain is not None
    for start, end in ((0, 33), (34, 65)):  # the second write leaves store.json.bak.1
        with AnnotationStore.open(other.root / "annotations" / "store.json") as store:
            store.add(annotation_from_document(plain, start, end, label="claim"))
    before = snapshot(other.root)
    done = cli(other.root, "export", str(fx.root), "--format", "csv", "-o", f"annotations/{name}")
    assert done.returncode == 2, done.stderr
    assert "annotation store" in done.stderr and "not written there" in done.stderr
    assert snapshot(other.root) == before
