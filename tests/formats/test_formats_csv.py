"""CSV: read back with the csv module it equals the input; formula injection is defused and undone."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from reader.formats.table import COLUMNS, defuse, restore
from reader.model.annotation import Annotation, annotation_for, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export, import_file
from tests.formats.formats_helpers import annotation_sets, make_project, round_trip

FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-csv-")))
PAYLOADS = ["=cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0", "+1", "-2", "\tx", "\rx", "\0x"]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_every_field_survives_export_and_import(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        back = round_trip(FIXTURE, "csv", anns, Path(tmp), "x")
    assert sorted(back, key=lambda a: a.id) == sorted(anns, key=lambda a: a.id)


def test_the_document_author_is_the_byline_column_and_an_old_author_column_still_imports(
    tmp_path: Path,
) -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    ann = annotation_for(doc.id, doc.text, doc.sha256, 4, 11, label="claim", author="ana")
    path = tmp_path / "new.csv"
    export("csv", [ann], FIXTURE.corpus, path)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert '"byline"' in header and '"author"' not in header and '"annotator"' in header
    old = tmp_path / "old.csv"
    old.write_text(path.read_text(encoding="utf-8").replace('"byline"', '"author"', 1), "utf-8")
    with AnnotationStore.open(tmp_path / "store.json") as store:
        import_file(old, "csv", FIXTURE.corpus, store)
        assert store.annotations() == [ann]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_the_csv_module_reads_back_what_was_exported(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.csv"
        export("csv", anns, FIXTURE.corpus, path)
        got = rows(path)
    assert len(got) == len(anns)
    for row, ann in zip(got, anns, strict=True):
        assert tuple(row) == COLUMNS
        values = {key: restore(value) for key, value in row.items()}
        assert values["id"] == ann.id and values["doc"] == ann.doc
        assert values["quote"] == ann.quote and values["note"] == ann.note
        assert values["start"] == ("" if ann.start is None else str(ann.start))
        assert values["tags"].split("; ") == (list(ann.tags) or [""])
        assert values["annotator"] == ann.author and values["label"] == (ann.label or "")
        # No cell a spreadsheet would run as a formula.
        assert not any(
            value.startswith(("=", "+", "-", "@", "\t", "\r", "\0")) for value in row.values()
        )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_payloads_get_a_leading_quote_and_import_removes_it(
    payload: str, tmp_path: Path
) -> None:
    doc = FIXTURE.corpus.get("specials")
    assert doc is not None
    ann = annotation_from_document(doc, 0, 18, note=payload, author=payload)
    assert ann.quote == "=cmd|' /C calc'!A0"
    export("csv", [ann], FIXTURE.corpus, tmp_path / "out.csv")
    (row,) = rows(tmp_path / "out.csv")
    assert row["note"] == "'" + payload and row["quote"] == "'" + ann.quote
    raw = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert raw.startswith('"id","doc","title"')  # every field quoted
    from tests.formats.formats_helpers import round_trip

    assert round_trip(FIXTURE, "csv", [ann], tmp_path, "p") == [ann]


def test_defuse_is_undone_exactly_even_for_cells_that_start_with_a_quote() -> None:
    for cell in ["'already", "''", "plain", "", "=1", "'=1"]:
        assert restore(defuse(cell)) == cell


def test_broken_csv_messages_count_correctly(tmp_path: Path) -> None:
    from reader.errors import FormatError
    from reader.transfer import read_import

    cases = {
        '"id","doc","start","end"\n': "no column 'quote'",
        '"id","doc","start"\n': "no columns 'end', 'quote'",
        '"id","doc","start","end","quote"\n"x"\n': ": 1 field where the header has 5;",
    }
    for content, message in cases.items():
        (tmp_path / "bad.csv").write_text(content, encoding="utf-8")
        with pytest.raises(FormatError) as info:
            read_import(tmp_path / "bad.csv", "csv")
        assert message in str(info.value), str(info.value)


def test_errors_name_the_line_a_multi_line_record_starts_on(tmp_path: Path) -> None:
    from reader.errors import FormatError
    from reader.transfer import read_import

    header = '"id","doc","start","end","quote","note"\n'
    cases = {
        # Line 2 starts a record whose note spans lines 2-4, and its start is not a number.
        header + '"a","plain","x","3","The","one\ntwo\nthree"\n': "bad.csv: line 2: start 'x'",
        # Line 2 is fine over two lines; the record on line 4 has too few fields.
        header + '"a","plain","0","3","The","one\ntwo"\n"b","plain"\n': "bad.csv: line 4: 2 fields",
        # A quote opened on line 2 is never closed.
        header + '"a","plain","0","3","The","one\ntwo\nthree': "record starting on line 2",
    }
    for content, message in cases.items():
        (tmp_path / "bad.csv").write_text(content, encoding="utf-8")
        with pytest.raises(FormatError) as info:
            read_import(tmp_path / "bad.csv", "csv")
        assert message in str(info.value), str(info.value)


def test_unmatched_records_are_named_by_the_line_they_start_on(tmp_path: Path) -> None:
    from reader.corpus.documents import Corpus
    from reader.store import AnnotationStore
    from reader.transfer import import_file

    content = (
        '"id","doc","start","end","quote","note"\n'
        '"a","plain","0","3","The","one\ntwo\nthree"\n'
        '"b","nowhere","0","3","The","x\ny"\n'
    )
    (tmp_path / "in.csv").write_text(content, encoding="utf-8")
    with AnnotationStore.open(tmp_path / "store.json") as store:
        report = import_file(
            tmp_path / "in.csv", "csv", Corpus.load(FIXTURE.root / "corpus"), store
        )
    assert [item.where for item in report.unmatched] == [f"{tmp_path / 'in.csv'}: line 5"]
