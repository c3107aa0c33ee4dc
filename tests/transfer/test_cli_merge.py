"""`reader merge` as a user runs it: teammates' real TinyDB store files and JSON exports merged into the
project's store, ids kept, conflicts reported with both versions kept, one undo step, dry runs, bad
input refused with one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from reader.model.annotation import Annotation, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export
from reader.transfer.merging import CONFLICT_TAG, conflict_tag
from tests.conftest import REPO
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project")


def reader(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "reader", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def annotation(fx: Fixture, start: int, end: int, **fields: object) -> Annotation:
    plain = fx.corpus.get("plain")
    assert plain is not None
    return annotation_from_document(plain, start, end, **{"label": "claim", **fields})


def write_store(path: Path, *anns: Annotation) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with AnnotationStore.open(path) as store:
        store.add_many(anns)
    return path


def stored(fx: Fixture) -> dict[str, Annotation]:
    with AnnotationStore.open(fx.root / "annotations" / "store.json", read_only=True) as store:
        return {a.id: a for a in store.annotations()}


def test_teammates_stores_merge_keeping_ids_and_annotators(fx: Fixture, tmp_path: Path) -> None:
    mine = annotation(fx, 0, 33, author="sam")
    write_store(fx.root / "annotations" / "store.json", mine)
    ana = annotation(fx, 34, 65, label="premise", author="ana")
    ben = annotation(fx, 67, 79, author="ben", note="a *note*")
    a_store = write_store(tmp_path / "ana" / "store.json", ana, mine)  # she had mine too
    b_store = write_store(tmp_path / "ben" / "store.json", ben)
    done = reader("merge", a_store, b_store, fx.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "3 annotations in 2 files: 2 added, 1 already in the store, 0 conflicts (both versions "
        "kept)"
    ]
    assert stored(fx) == {a.id: a for a in (mine, ana, ben)}
    again = reader("merge", a_store, b_store, fx.root)  # nothing new the second time
    assert "0 added, 3 already in the store" in again.stdout
    assert len(stored(fx)) == 3


def test_a_conflict_keeps_both_versions_says_what_differs_and_is_not_added_twice(
    fx: Fixture, tmp_path: Path
) -> None:
    mine = annotation(fx, 0, 33, author="sam", note="mine")
    write_store(fx.root / "annotations" / "store.json", mine)
    theirs = mine.with_changes(label="premise", note="theirs", tags=("economy",))
    other = write_store(tmp_path / "ana" / "store.json", theirs)
    done = reader("merge", other, fx.root)
    assert done.returncode == 0, done.stderr
    conflict, summary = done.stdout.splitlines()
    assert conflict.startswith(
        f"conflict: {mine.id}: differs in label claim → premise, tags, note;"
    )
    assert "store.json's version kept as " in conflict and conflict_tag(mine.id) in conflict
    assert summary.endswith("1 added, 0 already in the store, 1 conflict (both versions kept)")
    after = stored(fx)
    assert after[mine.id] == mine  # the project's version is untouched
    [copy] = [a for a in after.values() if a.id != mine.id]
    assert copy.id in conflict
    assert (copy.label, copy.note, copy.author) == ("premise", "theirs", "sam")
    assert copy.tags == ("economy", CONFLICT_TAG, conflict_tag(mine.id))
    again = reader("merge", other, fx.root)
    assert again.stdout.splitlines() == [
        "1 annotation in 1 file: 0 added, 0 already in the store, 0 conflicts (both versions "
        "kept), 1 conflicting already merged"
    ]
    assert len(stored(fx)) == 2


def test_a_native_json_export_merges_and_so_does_a_schema_1_one(
    fx: Fixture, tmp_path: Path
) -> None:
    ana = annotation(fx, 34, 65, author="ana")
    ben = annotation(fx, 67, 79, author="ben")
    export("json", [ana], fx.corpus, tmp_path / "ana.json")
    old = {"schema": "reader-annotations/1", "annotations": [ben.to_json()]}
    (tmp_path / "ben.json").write_bytes(orjson.dumps(old))
    done = reader("merge", tmp_path / "ana.json", tmp_path / "ben.json", fx.root)
    assert done.returncode == 0, done.stderr
    assert stored(fx) == {ana.id: ana, ben.id: ben}


def test_a_merge_is_one_undo_step(fx: Fixture, tmp_path: Path) -> None:
    mine = annotation(fx, 0, 33, author="sam")
    write_store(fx.root / "annotations" / "store.json", mine)
    other = write_store(
        tmp_path / "t" / "store.json",
        annotation(fx, 34, 65, author="ana"),
        annotation(fx, 67, 79, author="ana"),
        mine.with_changes(note="changed"),
    )
    assert reader("merge", other, fx.root).returncode == 0
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        assert len(store.annotations()) == 4
        store.undo()
        assert store.annotations() == [mine]


def test_dry_run_reports_and_changes_nothing(fx: Fixture, tmp_path: Path) -> None:
    mine = annotation(fx, 0, 33, author="sam")
    write_store(fx.root / "annotations" / "store.json", mine)
    other = write_store(tmp_path / "t" / "store.json", annotation(fx, 34, 65, author="ana"))
    before = (fx.root / "annotations" / "store.json").read_bytes()
    done = reader("merge", "--dry-run", other, fx.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("dry run, nothing changed: 1 annotation in 1 file: 1 to add")
    assert (fx.root / "annotations" / "store.json").read_bytes() == before
    assert list(stored(fx)) == [mine.id]


def test_a_dry_run_into_a_project_without_a_store_creates_none(fx: Fixture, tmp_path: Path) -> None:
    other = write_store(tmp_path / "t" / "store.json", annotation(fx, 34, 65, author="ana"))
    done = reader("merge", "--dry-run", other, fx.root)
    assert done.returncode == 0, done.stderr
    assert "1 to add" in done.stdout
    assert not (fx.root / "annotations" / "store.json").exists()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("missing.json", None, "no such file"),
        ("cut.json", b'{"schema": "reader-annotations/2", "annotations": [', "not valid JSON"),
        ("other.json", b'{"rows": []}', "not a reader store nor a reader JSON export"),
        ("text.json", b"hello", "not a reader store nor a reader JSON export"),
        ("future.json", b'{"schema": "reader-annotations/9", "annotations": []}', "schema"),
    ],
)
def test_bad_input_is_one_line_naming_the_file_and_nothing_changes(
    fx: Fixture, tmp_path: Path, name: str, content: bytes | None, says: str
) -> None:
    mine = annotation(fx, 0, 33, author="sam")
    write_store(fx.root / "annotations" / "store.json", mine)
    good = write_store(tmp_path / "t" / "store.json", annotation(fx, 34, 65, author="ana"))
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    done = reader("merge", good, bad, fx.root)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert str(bad) in line and says in line, line
    assert "backup" not in line and "empty store" not in line, line  # advice for one's own store
    assert list(stored(fx)) == [mine.id]


def test_annotations_of_documents_outside_the_corpus_are_merged_with_a_warning(
    fx: Fixture, tmp_path: Path
) -> None:
    elsewhere = annotation(fx, 34, 65, author="ana")
    elsewhere = Annotation.from_json({**elsewhere.to_json(), "doc": "gone/essay"})
    other = write_store(tmp_path / "t" / "store.json", elsewhere)
    done = reader("merge", other, fx.root)
    assert done.returncode == 0, done.stderr
    assert "1 annotation of documents not in the corpus (gone/essay)" in done.stderr
    assert elsewhere.id in stored(fx)


def test_a_store_open_for_writing_elsewhere_is_not_merged_into(fx: Fixture, tmp_path: Path) -> None:
    other = write_store(tmp_path / "t" / "store.json", annotation(fx, 34, 65, author="ana"))
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as held:
        done = reader("merge", other, fx.root)
        assert done.returncode == 2
        [line] = done.stderr.splitlines()
        assert "is open for writing in" in line and "nothing was merged" in line
        assert held.annotations() == []


def test_teammates_who_imported_the_same_brat_folders_merge_without_duplicates(
    tmp_path: Path,
) -> None:
    # Each teammate imported the published annotators' folders into their own store: the same
    # annotations under other ids. Merging adds nothing but what one of them changed since.
    from benchmarks.brat_essays import make_essays
    from reader.corpus.documents import Corpus
    from reader.transfer import import_file

    essays = make_essays(tmp_path / "essays", essays=3, annotators=2)
    corpus = Corpus.load(essays.corpus)
    mine = essays.root / "annotations" / "store.json"
    theirs = tmp_path / "teammate" / "store.json"
    theirs.parent.mkdir()
    for path in (mine, theirs):
        with AnnotationStore.open(path) as store:
            for name in ("annotator1", "annotator2"):
                import_file(essays.folders[name], "brat", corpus, store, annotator=name)
    with AnnotationStore.open(theirs) as store:
        anns = store.annotations()
        changed = next(a for a in anns if a.label == "Premise")
        store.update(changed.id, note="The boundary is wrong here.")
    with AnnotationStore.open(mine, read_only=True) as store:
        before = {a.id: a for a in store.annotations()}
    assert len(before) == len(anns)

    done = reader("merge", theirs, essays.root)
    assert done.returncode == 0, done.stderr
    assert f"{len(anns) - 1} already there under other ids" in done.stdout
    assert "1 conflict (both versions kept)" in done.stdout
    with AnnotationStore.open(mine, read_only=True) as store:
        after = {a.id: a for a in store.annotations()}
    [new] = [a for a in after.values() if a.id not in before]
    assert new.note == "The boundary is wrong here." and CONFLICT_TAG in new.tags
    twin = next(
        a
        for a in before.values()
        if (a.doc, a.start, a.end, a.author)
        == (changed.doc, changed.start, changed.end, changed.author)
        and a.label == changed.label
    )
    assert conflict_tag(twin.id) in new.tags
