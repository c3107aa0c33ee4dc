"""Native JSON: full fidelity, schema version, hostile files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from reader.errors import FormatError
from reader.model.annotation import EXPORT_SCHEMA, Annotation
from reader.transfer import export
from tests.formats.formats_helpers import Fixture, annotation_sets, make_project, round_trip

FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-native-")))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_every_field_survives_export_and_import(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        back = round_trip(FIXTURE, "json", anns, Path(tmp), "x")
    assert sorted(back, key=lambda a: a.id) == sorted(anns, key=lambda a: a.id)


def test_export_carries_schema_version_and_document_hashes(tmp_path: Path) -> None:
    fixture: Fixture = FIXTURE
    doc = fixture.corpus.get("plain")
    assert doc is not None
    from reader.model.annotation import annotation_from_document

    ann = annotation_from_document(doc, 4, 11, label="claim")
    export("json", [ann], fixture.corpus, tmp_path / "out.json")
    data = orjson.loads((tmp_path / "out.json").read_bytes())
    assert data["schema"] == EXPORT_SCHEMA == "reader-annotations/2"
    assert data["documents"] == [
        {
            "id": "plain",
            "path": "plain.txt",
            "title": doc.title,
            "byline": "",
            "party": "",
            "outlet": "",
            "date": "",
            "sha256": doc.sha256,
        }
    ]
    # The annotator is `annotator` (schema 1 called it `author`, like the document's author).
    expected = {("annotator" if k == "author" else k): v for k, v in ann.to_json().items()}
    assert data["annotations"] == [expected]
    assert list(data["annotations"][0]).index("annotator") == list(ann.to_json()).index("author")


def test_a_schema_1_export_still_imports_with_its_annotators(tmp_path: Path) -> None:
    from reader.formats.native import read_annotations
    from reader.model.annotation import annotation_from_document

    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    ann = annotation_from_document(doc, 4, 11, label="claim", author="ana")
    old = {
        "schema": "reader-annotations/1",
        "exported": "2026-01-01T00:00:00Z",
        "documents": [{"id": "plain", "path": "plain.txt", "title": "", "author": "Someone"}],
        "annotations": [ann.to_json()],
    }
    path = tmp_path / "old.json"
    path.write_bytes(orjson.dumps(old))
    [(back, _where)] = read_annotations(path)
    assert back == ann and back.author == "ana"
    # Schema 2 with the old name is not taken for the new one.
    old["schema"] = "reader-annotations/2"
    path.write_bytes(orjson.dumps(old))
    with pytest.raises(FormatError, match="schema 2 calls it 'annotator'"):
        read_annotations(path)


def test_an_export_to_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such folder"):
        export("json", [], FIXTURE.corpus, tmp_path / "nowhere" / "out.json")
    with pytest.raises(FormatError, match="unknown export format"):
        export("xml", [], FIXTURE.corpus, tmp_path / "out.xml")
