"""W3C Web Annotation: every exported annotation passes the W3C test suite's own schemas.

The harness follows the suite's recipe (tests/data/w3c, vendored): the six definition files are
registered under their bare ids, each assertion file is compiled on its own with draft-04 and format
checking, and an assertion passes when "is valid" equals its expectedResult. The suite's own samples
check the harness: every incorrect sample fails a MUST, every current correct one passes them all.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from reader.model.annotation import Annotation
from reader.transfer import export
from tests.formats.formats_helpers import annotation_sets, make_project, round_trip

W3C = Path(__file__).parents[1] / "data" / "w3c"
# The suite registers six files for annotations; collections.json joins them for the collection checks.
DEFINITIONS = (
    "collections",
    "specificResource",
    "choiceSet",
    "bodyTarget",
    "annotations",
    "otherProperties",
    "id",
)
FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-w3c-")))
# The optional features reader's export claims to implement.
CLAIMED = (
    "3.3.1-annotationCreatedImplemented.json",
    "3.3.1-annotationModifiedImplemented.json",
    "3.3.1-annotationCreatorImplemented.json",
    "3.3.5-annotationMotivationImplemented.json",
    "3.3.2-annotationCreatorAgentNameImplemented.json",
    "3.3.2-annotationCreatorAgentTypeImplemented.json",
)


@cache
def registry() -> Registry[Any]:
    resources = []
    for name in DEFINITIONS:
        schema = json.loads((W3C / "definitions" / f"{name}.json").read_text(encoding="utf-8"))
        resources.append((f"{name}.json", Resource.from_contents(schema, DRAFT4)))
    return Registry().with_resources(resources)


@cache
def assertions(test_file: str) -> list[tuple[str, Draft4Validator, str]]:
    listed = json.loads((W3C / test_file).read_text(encoding="utf-8"))["assertions"]
    out = []
    for relative in listed:
        schema = json.loads((W3C / relative).read_text(encoding="utf-8"))
        validator = Draft4Validator(
            schema, registry=registry(), format_checker=Draft4Validator.FORMAT_CHECKER
        )
        out.append((relative, validator, schema.get("expectedResult", "valid")))
    return out


def failures(document: dict[str, Any], test_file: str) -> list[str]:
    return [
        name
        for name, validator, expected in assertions(test_file)
        if validator.is_valid(document) != (expected == "valid")
    ]


def exported(anns: list[Annotation], tmp: Path) -> dict[str, Any]:
    export("w3c", anns, FIXTURE.corpus, tmp / "out.jsonld")
    data: dict[str, Any] = orjson.loads((tmp / "out.jsonld").read_bytes())
    return data


def test_the_harness_rejects_every_incorrect_sample_and_accepts_the_correct_ones() -> None:
    incorrect = sorted((W3C / "tools" / "samples" / "incorrect").glob("*.json"))
    assert len(incorrect) > 30
    for path in incorrect:
        try:
            sample = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue  # not even JSON: rejected before any schema
        assert failures(sample, "annotations/annotationMusts.test"), path.name
    # anno11-13 use target forms the final specification dropped.
    for path in sorted((W3C / "tools" / "samples" / "correct").glob("anno*.json")):
        if path.stem in ("anno11", "anno12", "anno13"):
            continue
        sample = json.loads(path.read_text(encoding="utf-8"))
        assert failures(sample, "annotations/annotationMusts.test") == [], path.name


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_every_exported_annotation_passes_the_w3c_musts(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = exported(anns, Path(tmp))
    assert failures(data, "collections/collectionMusts.test") == []
    items = data["first"]["items"]
    assert len(items) == data["total"] == len(anns)
    for item in items:
        assert failures(item, "annotations/annotationMusts.test") == []
        passed = {
            name.rsplit("/", 1)[-1]
            for name, v, _ in assertions("annotations/annotationOptionals.test")
            + assertions("annotations/annotationsAgentOptionals.test")
            if v.is_valid(item)
        }
        assert set(CLAIMED) <= passed


def test_selectors_bodies_and_ids_have_the_documented_shape(tmp_path: Path) -> None:
    from reader.model.annotation import Link, annotation_from_document

    doc = FIXTURE.corpus.get("sub/emoji doc")
    assert doc is not None
    first = annotation_from_document(doc, 0, 8, label="claim")
    ann = annotation_from_document(
        doc, 2, 8, label="claim", tags=["a", "b"], note="*x*", links=[Link("supports", first.id)]
    )
    (_, item) = exported([first, ann], tmp_path)["first"]["items"]
    assert item["id"] == f"urn:reader:annotation:{ann.id}"
    assert item["target"]["source"] == "urn:reader:doc:sub/emoji%20doc"
    assert item["target"]["selector"] == [
        {"type": "TextQuoteSelector", "exact": ann.quote, "prefix": "🚀 ", "suffix": ann.suffix},
        {"type": "TextPositionSelector", "start": 2, "end": 8},
    ]
    purposes = [(body.get("purpose"), body.get("value")) for body in item["body"]]
    assert purposes[:4] == [
        ("commenting", "*x*"),
        ("tagging", "a"),
        ("tagging", "b"),
        ("classifying", "claim"),
    ]
    assert item["body"][0]["format"] == "text/markdown"
    assert item["body"][4]["source"] == f"urn:reader:annotation:{first.id}"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_every_field_survives_export_and_import(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        back = round_trip(FIXTURE, "w3c", anns, Path(tmp), "x")
    assert sorted(back, key=lambda a: a.id) == sorted(anns, key=lambda a: a.id)


@pytest.mark.parametrize("name", ["anno1.json", "anno7.json"])
def test_importing_a_foreign_annotation_without_a_matching_document_reports_it(
    name: str, tmp_path: Path
) -> None:
    from reader.store import AnnotationStore
    from reader.transfer import import_file

    with AnnotationStore.open(tmp_path / "s.json") as store:
        report = import_file(
            W3C / "tools" / "samples" / "correct" / name, "w3c", FIXTURE.corpus, store
        )
        assert len(report.unmatched) == 1 and "no document" in report.unmatched[0].reason
        assert not report.applied and store.annotations() == []
