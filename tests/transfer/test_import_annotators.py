"""Every imported annotation belongs to an annotator: the file's own (native `author`, W3C
`creator`), else the one the import names, else the current user. Annotations of different
annotators never merge, even in formats without reader's ids."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reader.model.annotation import Annotation, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export, import_file
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project")


def spans(fx: Fixture, author: str, **fields: object) -> list[Annotation]:
    plain = fx.corpus.get("plain")
    assert plain is not None
    return [
        annotation_from_document(plain, 0, 3, label="claim", author=author, **fields),
        annotation_from_document(plain, 4, 11, label="premise", author=author),
    ]


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_the_files_own_annotator_wins_over_the_one_named(fx: Fixture, fmt: str) -> None:
    path = fx.root / f"x.{fmt}"
    export(fmt, spans(fx, "zoe"), fx.corpus, path)
    with AnnotationStore.open(fx.root / "s.json") as store:
        import_file(path, fmt, fx.corpus, store, annotator="bo")
        assert {a.author for a in store.annotations()} == {"zoe"}


@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_the_same_span_from_two_annotators_stays_two_annotations(fx: Fixture, fmt: str) -> None:
    path = fx.root / ("b" if fmt == "brat" else f"x.{fmt}")
    export(fmt, spans(fx, "whoever", note="first"), fx.corpus, path)
    with AnnotationStore.open(fx.root / "s.json") as store:
        first = import_file(path, fmt, fx.corpus, store, annotator="ann")
        second = import_file(path, fmt, fx.corpus, store, annotator="bo")
        again = import_file(path, fmt, fx.corpus, store, annotator="bo")
        anns = store.annotations()
    assert (first.imported, second.imported, again.imported, again.skipped) == (2, 2, 0, 2)
    assert Counter(a.author for a in anns) == {"ann": 2, "bo": 2}


def test_without_a_name_the_import_is_credited_to_the_current_user(
    fx: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "ada")
    path = fx.root / "x.jsonl"
    export("jsonl", spans(fx, "whoever"), fx.corpus, path)
    with AnnotationStore.open(fx.root / "s.json") as store:
        import_file(path, "jsonl", fx.corpus, store)
        assert {a.author for a in store.annotations()} == {"ada"}
