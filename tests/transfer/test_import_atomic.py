"""An import is one durable write and one undo step: undo takes all of it back, a crash keeps all or none."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.model.annotation import Annotation, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export, import_file
from tests.conftest import REPO
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project")


def spans(fx: Fixture, count: int, **fields: object) -> list[Annotation]:
    plain = fx.corpus.get("plain")
    assert plain is not None
    return [
        annotation_from_document(plain, n % 30, n % 30 + 3, note=f"n{n}", **fields)
        for n in range(count)
    ]


def prepare(fx: Fixture, tmp_path: Path) -> tuple[list[Annotation], Path]:
    """A store with 4 annotations, and a file that changes all 4 and adds 6 more."""
    anns = spans(fx, 10)
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        store.add_many(anns[:4])
    changed = [a.with_changes(note=a.note + " edited") for a in anns]
    export("json", changed, fx.corpus, tmp_path / "file.json")
    return anns[:4], tmp_path / "file.json"


def test_one_undo_reverts_a_whole_import(fx: Fixture, tmp_path: Path) -> None:
    original, file = prepare(fx, tmp_path)
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        report = import_file(file, "json", fx.corpus, store)
        assert (report.imported, report.updated) == (6, 4) and len(store) == 10
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        assert store.undo()
        assert store.annotations() == sorted(original, key=lambda a: a.sort_key)
        assert store.redo() and len(store) == 10


def notes(path: Path) -> list[str]:
    with AnnotationStore.open(path, read_only=True) as store:
        return sorted(a.note for a in store.annotations())


def test_a_torn_import_record_leaves_none_of_it(fx: Fixture, tmp_path: Path) -> None:
    original, file = prepare(fx, tmp_path)
    path = fx.root / "annotations" / "store.json"
    journal = path.with_name("store.json.journal")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    with AnnotationStore.open(path) as store:
        size = journal.stat().st_size if journal.exists() else 0
        import_file(file, "json", fx.corpus, store)
        # What a crash would leave on disk: the snapshot and the journal as synced so far.
        shutil.copy(path, crashed / "store.json")
        shutil.copy(journal, crashed / "store.json.journal")
    after = notes(path)
    before = sorted(a.note for a in original)
    whole = (crashed / "store.json.journal").read_bytes()
    assert whole.count(b"\n", size) == 1  # the import is one journal record
    for cut in sorted({size, size + 1, (size + len(whole)) // 2, len(whole) - 1, len(whole)}):
        trial = tmp_path / f"cut-{cut}"
        shutil.copytree(crashed, trial)
        (trial / "store.json.journal").write_bytes(whole[:cut])
        assert notes(trial / "store.json") == (after if cut == len(whole) else before), cut


CHILD = """
import sys
from pathlib import Path
from reader.corpus.documents import Corpus
from reader.store import AnnotationStore
from reader.transfer import import_file
root, file = Path(sys.argv[1]), Path(sys.argv[2])
corpus = Corpus.load(root / "corpus")
with AnnotationStore.open(root / "annotations" / "store.json") as store:
    print("importing", flush=True)
    import_file(file, "json", corpus, store)
    print("done", flush=True)
"""


def test_killing_an_import_keeps_all_or_none(fx: Fixture, tmp_path: Path) -> None:
    anns = spans(fx, 3000)
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        store.add_many(anns[:1000])
    before = sorted(a.note for a in anns[:1000])
    changed = [a.with_changes(note=a.note + " edited") for a in anns]
    export("json", changed, fx.corpus, tmp_path / "file.json")
    after = sorted(a.note for a in changed)
    rng = random.Random(7)
    for trial in range(6):
        root = tmp_path / f"trial{trial}"
        shutil.copytree(fx.root, root)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(root), str(tmp_path / "file.json")],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert child.stdout is not None and child.stdout.readline() == "importing\n"
        time.sleep(rng.uniform(0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        found = notes(root / "annotations" / "store.json")
        assert found in (before, after), trial
