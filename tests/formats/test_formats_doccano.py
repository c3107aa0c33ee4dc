"""doccano JSONL: the shape doccano's relation examples use, its invariants, and a round trip."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings

from reader.model.annotation import SCHEMA_VERSION, Annotation, Link, annotation_from_document
from reader.transfer import export
from tests.formats.formats_helpers import annotation_sets, make_project, round_trip

FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-doccano-")))


def lines(anns: list[Annotation], tmp: Path) -> list[dict[str, Any]]:
    export("jsonl", anns, FIXTURE.corpus, tmp / "out.jsonl")
    raw = (tmp / "out.jsonl").read_bytes()
    assert raw.endswith(b"\n")
    return [orjson.loads(line) for line in raw.splitlines()]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_each_line_is_a_valid_doccano_relation_example(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        got = lines(anns, Path(tmp))
    assert sorted(line["id"] for line in got) == sorted({ann.doc for ann in anns})
    for line in got:
        doc = FIXTURE.corpus.get(line["id"])
        assert doc is not None and line["text"] == doc.text
        assert line["schema"] == SCHEMA_VERSION
        entity_ids = [entity["id"] for entity in line["entities"]]
        assert len(set(entity_ids)) == len(entity_ids)
        assert all(isinstance(i, int) for i in entity_ids)
        for entity in line["entities"]:
            assert set(entity) == {"id", "label", "start_offset", "end_offset"}
            assert 0 <= entity["start_offset"] <= entity["end_offset"] <= len(line["text"])
        relation_ids = [relation["id"] for relation in line["relations"]]
        assert len(set(relation_ids)) == len(relation_ids)
        for relation in line["relations"]:
            assert {relation["from_id"], relation["to_id"]} <= set(entity_ids)
        for comment in line["Comments"]:
            assert comment["entity_id"] is None or comment["entity_id"] in entity_ids
        spans = [a for a in anns if a.doc == line["id"] and a.start is not None]
        assert Counter(
            (e["start_offset"], e["end_offset"], e["label"]) for e in line["entities"]
        ) == Counter((a.start, a.end, a.label or "unlabelled") for a in spans)


def carried(ann: Annotation, by_id: dict[str, Annotation]) -> tuple[Any, ...]:
    links = sorted(
        (link.type, by_id[link.to].start, by_id[link.to].label or "")
        for link in ann.links
        if by_id[link.to].doc == ann.doc and by_id[link.to].start is not None
    )
    kept = tuple(links) if ann.start is not None else ()
    return (ann.doc, ann.start, ann.end, ann.quote, ann.label, ann.note, kept)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_every_field_doccano_carries_survives_export_and_import(anns: list[Annotation]) -> None:
    check_round_trip(anns)


def test_links_to_spans_that_differ_only_in_label_survive() -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    bare = annotation_from_document(doc, 0, 3)
    labelled = annotation_from_document(doc, 0, 3, label="claim")
    links = [Link("supports", bare.id), Link("supports", labelled.id)]
    check_round_trip([bare, labelled, annotation_from_document(doc, 4, 11, links=links)])


def check_round_trip(anns: list[Annotation]) -> None:
    by_id = {ann.id: ann for ann in anns}
    with tempfile.TemporaryDirectory() as tmp:
        back = round_trip(FIXTURE, "jsonl", anns, Path(tmp), "x")
    back_by_id = {ann.id: ann for ann in back}
    expected = Counter(carried(a, by_id) for a in anns)
    assert Counter(carried(a, back_by_id) for a in back) == expected
