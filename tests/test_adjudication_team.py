"""The team workflow end to end: two annotators' brat folders imported into one store, each keeping its
layer, adjudicated into gold, and gold exported as brat again."""

from __future__ import annotations

from pathlib import Path

from reader.adjudication import Adjudication, gold_id
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export, import_file
from tests.formats.formats_helpers import make_project


def test_brat_folders_of_two_annotators_adjudicated_and_exported(tmp_path: Path) -> None:
    fx = make_project(tmp_path / "project")
    plain = fx.corpus.get("plain")
    assert plain is not None
    one = [
        annotation_from_document(plain, 0, 3, label="claim", author="x"),
        annotation_from_document(plain, 4, 11, label="premise", author="x"),
    ]
    two = [
        annotation_from_document(plain, 0, 3, label="premise", author="x"),
        annotation_from_document(plain, 4, 11, label="premise", author="x"),
    ]
    export("brat", one, fx.corpus, fx.root / "ann")
    export("brat", two, fx.corpus, fx.root / "bob")
    with AnnotationStore.open(fx.root / "s.json") as store:
        import_file(fx.root / "ann", "brat", fx.corpus, store, annotator="ann")
        import_file(fx.root / "bob", "brat", fx.corpus, store, annotator="bob")
        adj = Adjudication(store)
        assert adj.annotators == ["ann", "bob"]
        assert [(d.kind, d.start, d.end) for d in adj.items] == [("label", 0, 3)]
        assert adj.open_agreements() == 1
        [claim] = adj.take(0, ["ann"])
        adj.take_agreements()
        gold = [a for a in store.annotations() if a.author == "gold"]
        assert sorted((a.start, a.label) for a in gold) == [(0, "claim"), (4, "premise")]
        assert claim.id == gold_id(adj.items[0].versions[0].annotations[0].id)
        result = export("brat", gold, fx.corpus, fx.root / "gold")
    assert result.written == 2 and not result.dropped
    ann_lines = (fx.root / "gold" / "plain.ann").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("\t")[1].split()[0] for line in ann_lines if line.startswith("T")) == [
        "claim",
        "premise",
    ]
