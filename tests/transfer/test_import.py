"""Import: matching to documents, re-anchoring, no duplicates on re-import, dry run, undo, hostile files,
and the `reader export` / `reader import` commands."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import FormatError
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export, import_file
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project")


def sample(fx: Fixture) -> list[Annotation]:
    plain = fx.corpus.get("plain")
    assert plain is not None
    claim = annotation_from_document(plain, 0, 33, label="claim", tags=["economy"], note="n")
    premise = annotation_from_document(
        plain, 34, 65, label="premise", links=[Link("attacks", claim.id)]
    )
    return [claim, premise]


def store_of(fx: Fixture) -> AnnotationStore:
    return AnnotationStore.open(fx.root / "annotations" / "store.json")


def test_reimport_updates_and_never_duplicates(fx: Fixture, tmp_path: Path) -> None:
    anns = sample(fx)
    for fmt in ("json", "csv", "w3c", "jsonl", "brat"):
        out = tmp_path / f"out-{fmt}"
        export(fmt, anns, fx.corpus, out)
        with store_of(fx) as store:
            first = import_file(out, fmt, fx.corpus, store)
            again = import_file(out, fmt, fx.corpus, store)
            assert len(store.annotations()) == 2, fmt
        assert (again.imported, again.updated, again.skipped) == (0, 0, 2), fmt
        assert first.imported in (0, 2)


def test_a_changed_note_is_an_update_and_undo_reverts_it(fx: Fixture, tmp_path: Path) -> None:
    anns = sample(fx)
    with store_of(fx) as store:
        store.add_many(anns)
    changed = [anns[0].with_changes(note="new thought"), anns[1]]
    export("json", changed, fx.corpus, tmp_path / "x.json")
    with store_of(fx) as store:
        report = import_file(tmp_path / "x.json", "json", fx.corpus, store)
        assert (report.imported, report.updated, report.skipped) == (0, 1, 1)
        assert store.get(anns[0].id) == changed[0]
        assert store.undo()
        assert store.get(anns[0].id) == anns[0]


def test_the_store_keeps_its_newer_copy(fx: Fixture, tmp_path: Path) -> None:
    anns = sample(fx)
    export("json", anns, fx.corpus, tmp_path / "old.json")
    with store_of(fx) as store:
        store.add_many(anns)
        edited = store.update(anns[0].id, note="edited after the export")
        report = import_file(tmp_path / "old.json", "json", fx.corpus, store)
        assert report.kept_newer == 1 and store.get(anns[0].id) == edited


def test_offsets_that_disagree_are_re_anchored_by_quote(fx: Fixture, tmp_path: Path) -> None:
    claim = sample(fx)[0]
    data = {"schema": "reader-annotations/1", "annotations": [claim.to_json()]}
    data["annotations"][0].update(start=5, end=38)  # shifted, e.g. the file gained a headline
    (tmp_path / "a.json").write_bytes(orjson.dumps(data))
    with store_of(fx) as store:
        report = import_file(tmp_path / "a.json", "json", fx.corpus, store)
        assert report.reanchored == 1
        assert store.get(claim.id) == claim


def test_documents_match_by_file_name_and_by_source(fx: Fixture, tmp_path: Path) -> None:
    claim = sample(fx)[0]
    export("w3c", [claim], fx.corpus, tmp_path / "a.jsonld")
    text = (tmp_path / "a.jsonld").read_text(encoding="utf-8")
    for source in ("https://example.org/archive/plain.txt", "file:///home/me/corpus/plain.txt"):
        (tmp_path / "b.jsonld").write_text(text.replace("urn:reader:doc:plain", source), "utf-8")
        with AnnotationStore.open(tmp_path / f"{len(source)}.json") as store:
            report = import_file(tmp_path / "b.jsonld", "w3c", fx.corpus, store)
            assert report.unmatched == [] and store.get(claim.id) == claim


def test_unmatched_annotations_are_listed_and_nothing_changes(fx: Fixture, tmp_path: Path) -> None:
    anns = sample(fx)
    data = {"schema": "reader-annotations/1", "annotations": [a.to_json() for a in anns]}
    data["annotations"][1]["quote"] = "x" * len(anns[1].quote)  # not in the text
    data["annotations"][1].update(start=10_000, end=10_000 + len(anns[1].quote))  # past the end
    (tmp_path / "a.json").write_bytes(orjson.dumps(data))
    with store_of(fx) as store:
        report = import_file(tmp_path / "a.json", "json", fx.corpus, store)
        assert [u.reason for u in report.unmatched] == [
            "the quote 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is not in the text of 'plain'"
        ]
        assert not report.applied and store.annotations() == []
        report = import_file(tmp_path / "a.json", "json", fx.corpus, store, allow_unmatched=True)
        assert report.applied and store.annotations() == [anns[0]]


def test_unknown_documents_and_labels_are_unmatched(fx: Fixture, tmp_path: Path) -> None:
    anns = sample(fx)
    data = {"schema": "reader-annotations/1", "annotations": [a.to_json() for a in anns]}
    data["annotations"][0]["doc"] = "../../etc/passwd"
    data["annotations"][1]["label"] = "sarcasm"
    (tmp_path / "a.json").write_bytes(orjson.dumps(data))
    with store_of(fx) as store:
        report = import_file(tmp_path / "a.json", "json", fx.corpus, store)
        reasons = [u.reason for u in report.unmatched]
        assert "no document '../../etc/passwd' in the corpus" in reasons[0]
        assert "label 'sarcasm' is not in the corpus's label scheme" in reasons[1]
        assert store.annotations() == []


def test_dry_run_counts_but_changes_nothing(fx: Fixture, tmp_path: Path) -> None:
    export("csv", sample(fx), fx.corpus, tmp_path / "a.csv")
    with store_of(fx) as store:
        report = import_file(tmp_path / "a.csv", "csv", fx.corpus, store, dry_run=True)
        assert (report.imported, report.applied) == (2, False)
        assert store.annotations() == [] and not store.can_undo


HOSTILE = {
    "truncated.json": lambda good: good[: len(good) // 2],
    "wrong-schema.json": lambda good: good.replace(
        b"reader-annotations/2", b"reader-annotations/9"
    ),
    "not-an-export.json": lambda good: b'{"rows": []}',
    "huge-note.json": lambda good: good.replace(
        b'"note":"n"', b'"note":"' + b"x" * 10_000_001 + b'"'
    ),
    "bad-utf8.json": lambda good: good.replace(b"economy", b"econ\xffmy"),
    "bad-link.json": lambda good: good.replace(b'"attacks"', b'"Not A Type"'),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_give_a_clear_error_and_change_nothing(
    fx: Fixture, tmp_path: Path, name: str
) -> None:
    export("json", sample(fx), fx.corpus, tmp_path / "good.json")
    good = orjson.dumps(orjson.loads((tmp_path / "good.json").read_bytes()))
    path = tmp_path / name
    path.write_bytes(HOSTILE[name](good))
    with store_of(fx) as store:
        with pytest.raises(FormatError, match=str(path).replace(".", r"\.")):
            import_file(path, "json", fx.corpus, store)
        assert store.annotations() == [] and not store.can_undo


def test_hostile_csv_jsonl_and_w3c_files_are_refused(fx: Fixture, tmp_path: Path) -> None:
    cases = {
        "csv": b'"id","doc"\n"a","plain"\n',
        "jsonl": b'{"id": "plain", "text": "abc", "entities": [{"id": 1, "label": "claim", '
        b'"start_offset": 0, "end_offset": 99}]}\n',
        "w3c": b'{"type": "AnnotationCollection", "first": {"items": [{"id": 3}]}}',
    }
    for fmt, content in cases.items():
        (tmp_path / f"bad.{fmt}").write_bytes(content)
        with store_of(fx) as store, pytest.raises(FormatError, match=f"bad.{fmt}"):
            import_file(tmp_path / f"bad.{fmt}", fmt, fx.corpus, store)


# -- the commands ----------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_export_and_import_commands(fx: Fixture, tmp_path: Path) -> None:
    with store_of(fx) as store:
        store.add_many(sample(fx))
    root = str(fx.root)
    code, out, err = run("export", "--format", "csv", root)
    assert code == 0 and out.startswith('"id","doc"') and "exported 2 annotations" in err
    code, _, err = run(
        "export", "--format", "w3c", root, "--doc", "plain", "-o", str(tmp_path / "a")
    )
    assert code == 0 and (tmp_path / "a").is_file()
    code, _, err = run("export", "--format", "brat", root)
    assert code == 2 and "-o FOLDER" in err
    code, _, err = run("export", "--format", "json", root, "--doc", "nope")
    assert code == 2 and "'nope'" in err
    code, out, _ = run("export", "--format", "json", root, "--query", "label:premise")
    assert [a["label"] for a in orjson.loads(out)["annotations"]] == ["premise"]

    other = tmp_path / "other.json"
    code, out, _ = run(
        "import", str(tmp_path / "a"), "--format", "w3c", root, "--store", str(other), "--dry-run"
    )
    assert code == 0 and "2 to import" in out and not other.exists()
    code, out, _ = run(
        "import", str(tmp_path / "a"), "--format", "w3c", root, "--store", str(other)
    )
    assert code == 0 and out.strip() == "2 imported, 0 updated, 0 skipped, 0 unmatched"
    code, out, _ = run(
        "import", str(tmp_path / "a"), "--format", "w3c", root, "--store", str(other)
    )
    assert out.strip() == "0 imported, 0 updated, 2 skipped, 0 unmatched"


def test_import_command_with_unmatched_annotations_exits_2(fx: Fixture, tmp_path: Path) -> None:
    ann = sample(fx)[0]
    data = {"schema": "reader-annotations/1", "annotations": [ann.to_json()]}
    data["annotations"][0]["doc"] = "missing\x1b[31m"
    (tmp_path / "a.json").write_bytes(orjson.dumps(data))
    code, out, err = run("import", str(tmp_path / "a.json"), "--format", "json", str(fx.root))
    assert code == 2 and "1 unmatched" in out
    assert "no document 'missing\\x1b[31m'" in err and "\x1b" not in err
    assert "the one annotation in" in err and "--allow-unmatched" not in err  # no others


def test_export_benchmark_runs_every_format_at_a_tiny_size(tmp_path: Path) -> None:
    from benchmarks.export import make_annotations, measure

    fx = make_project(tmp_path / "p")
    anns = make_annotations(fx.corpus, 30)
    times = measure(anns, fx.corpus, runs=1, folder=tmp_path)
    assert set(times) == {"baseline", "json", "csv", "md", "jsonl", "w3c", "brat", "argdown", "aif"}
    assert all(len(values) == 1 for values in times.values())
    assert len(orjson.loads((tmp_path / "run0-json").read_bytes())["annotations"]) == 30
    assert sum(len(ann.links) for ann in anns) == 15  # half, by default
    assert sum(len(ann.links) for ann in make_annotations(fx.corpus, 30, links=7)) == 7
