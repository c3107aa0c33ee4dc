"""The last line of `reader export` names what the format could not hold: exactly the fields an export
and re-import through that format loses."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.formats import EXPORT_FORMATS, IMPORT_FORMATS
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.store import AnnotationStore
from tests.formats.formats_helpers import Fixture, make_project

STAMP = "2001-02-03T04:05:06.789Z"
# How the summary names the Annotation attributes.
SHOWN_AS = {"id": "ids", "author": "annotator"}
COMPARED = ("id", "label", "tags", "note", "links", "origin", "author", "created", "modified")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def store_of(fx: Fixture) -> Path:
    return fx.root / "annotations" / "store.json"


def two_linked(fx: Fixture) -> list[Annotation]:
    """Two spans of one document, the second supporting the first, with every field set."""
    doc = fx.corpus.get("plain")
    assert doc is not None
    extra = {
        "tags": ["economy"],
        "note": "Check the figure.",
        "origin": "suggestion",
        "author": "Sam",
        "created": STAMP,
        "modified": STAMP,
    }
    first = annotation_from_document(doc, 0, 33, label="claim", **extra)
    second = annotation_from_document(
        doc, 34, 64, label="premise", links=[Link("supports", first.id)], **extra
    )
    return [first, second]


def left_out(line: str, fmt: str) -> set[str]:
    """The fields the summary line says `fmt` leaves out."""
    marker = f"; {fmt} leaves out "
    assert line.startswith("reader: exported ") and marker in line, line
    listed = line.split(marker, 1)[1].split(";", 1)[0]
    return set() if listed == "nothing" else set(listed.split(", "))


@pytest.mark.parametrize("fmt", IMPORT_FORMATS)
def test_summary_lists_exactly_what_a_round_trip_loses(tmp_path: Path, fmt: str) -> None:
    fx = make_project(tmp_path / "a")
    anns = two_linked(fx)
    with AnnotationStore.open(store_of(fx)) as store:
        store.add_many(anns)
    out = tmp_path / ("out" if fmt == "brat" else f"out.{fmt}")
    code, _, err = run("export", "--format", fmt, str(fx.root), "-o", str(out))
    assert code == 0, err
    summary = err.splitlines()[-1]
    assert "exported 2 annotations" in summary

    other = make_project(tmp_path / "b")
    code, _, err = run("import", str(out), "--format", fmt, str(other.root))
    assert code == 0, err
    with AnnotationStore.open(store_of(other)) as store:
        back = {(ann.start, ann.end): ann for ann in store.annotations()}
    new_id = {ann.id: back[ann.start, ann.end].id for ann in anns}
    lost = set()
    for ann in anns:
        got = back[ann.start, ann.end]
        for name in COMPARED:
            before = getattr(ann, name)
            if name == "links":  # compared by what they point at
                before = tuple(Link(link.type, new_id[link.to]) for link in before)
            if getattr(got, name) != before:
                lost.add(SHOWN_AS.get(name, name))
    assert left_out(summary, fmt) == lost


def test_jsonl_summary_names_the_dropped_fields_and_links(tmp_path: Path) -> None:
    fx = make_project(tmp_path / "a")
    first, second = two_linked(fx)
    doc = fx.corpus.get("plain")
    assert doc is not None
    # Relations in doccano join two spans of one line: a whole-document note has no span.
    whole = annotation_from_document(doc, None, None, note="Overall weak.")
    whole = whole.with_changes(links=[Link("attacks", first.id)])
    with AnnotationStore.open(store_of(fx)) as store:
        store.add_many([first, second, whole])
    code, out, err = run("export", "--format", "jsonl", str(fx.root))
    assert code == 0 and out.count("\n") == 1
    *details, summary = err.splitlines()
    assert left_out(summary, "jsonl") >= {"tags", "annotator", "origin", "created", "modified"}
    assert "exported 3 annotations" in summary and "1 annotation exported in part" in summary
    assert details == [
        f"reader: left out of {whole.id}: link attacks → {first.id} leaves the document's spans"
    ]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_ends_with_the_same_kind_of_summary(tmp_path: Path, fmt: str) -> None:
    fx = make_project(tmp_path / "a")
    with AnnotationStore.open(store_of(fx)) as store:
        store.add_many(two_linked(fx))
    out = tmp_path / "out"
    code, _, err = run("export", "--format", fmt, str(fx.root), "-o", str(out))
    assert code == 0, err
    summary = err.splitlines()[-1]
    assert summary.startswith(f"reader: exported 2 annotations to {out}; {fmt} leaves out ")
    if fmt == "md":
        assert left_out(summary, fmt)  # a report for reading: it shows no offsets
