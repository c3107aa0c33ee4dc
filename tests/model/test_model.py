"""The annotation data model: validation, JSON round trip, ids, tags, label scheme."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pwd
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.errors import AnnotationError, ReaderError
from reader.model.annotation import (
    SCHEMA_VERSION,
    Annotation,
    Link,
    annotation_for,
    annotation_from_document,
    new_id,
    normalise_tags,
    trusted_annotation,
)
from reader.model.labels import LabelScheme
from tests.conftest import REPO

TEXT = "The council cut bus routes by 40% in 2018. That was a mistake, and voters noticed it."
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
ROOT = Path(__file__).resolve().parents[2]


def make(start: int | None = 0, end: int | None = 41, **fields: object) -> Annotation:
    return annotation_for("op-eds/bus", TEXT, SHA, start, end, **fields)


def test_annotation_for_fills_quote_context_and_hash() -> None:
    start = TEXT.index("That was")
    ann = make(start, start + 15, label="claim")
    assert ann.quote == "That was a mist"
    assert ann.prefix == TEXT[start - 32 : start] and len(ann.prefix) == 32
    assert ann.suffix == TEXT[start + 15 : start + 47]
    assert ann.doc_sha256 == SHA
    assert ann.created == ann.modified and ann.created.endswith("Z")
    ann.check_text(TEXT)


def test_context_is_clipped_at_document_edges() -> None:
    ann = make(0, 3)
    assert ann.prefix == "" and ann.quote == "The"
    end = make(len(TEXT) - 3, len(TEXT))
    assert end.suffix == ""


def test_whole_document_note_has_no_span() -> None:
    ann = make(None, None, note="A one-sided piece.")
    assert (ann.start, ann.end, ann.quote) == (None, None, "")
    assert ann.sort_key[1] == -1


def test_annotation_from_document_uses_document_fields() -> None:
    doc = SimpleNamespace(id="op-eds/bus", text=TEXT, sha256=SHA)
    ann = annotation_from_document(doc, 4, 11)
    assert (ann.doc, ann.quote) == ("op-eds/bus", "council")


@pytest.mark.parametrize(
    ("start", "end"), [(-1, 3), (5, 3), (0, len(TEXT) + 1), (0, None), (None, 3)]
)
def test_bad_spans_are_rejected(start: int | None, end: int | None) -> None:
    with pytest.raises(AnnotationError):
        make(start, end)


def test_quote_must_match_span_length_and_text() -> None:
    ann = make(4, 11)
    with pytest.raises(AnnotationError, match="quote has 3 characters"):
        dataclasses.replace(ann, quote="cou")
    with pytest.raises(AnnotationError, match="does not match"):
        ann.check_text("X" * len(TEXT))
    with pytest.raises(AnnotationError, match="past the end"):
        ann.check_text("short")


def test_annotations_are_immutable() -> None:
    ann = make(tags=["a"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        ann.note = "changed"  # type: ignore[misc]
    assert isinstance(ann.tags, tuple)


def test_tags_are_normalised_lowercase_hyphenated_unique_in_the_users_order() -> None:
    ann = make(tags=["Economy", "bus  routes", "economy", " ", "Austerity"])
    assert ann.tags == ("economy", "bus-routes", "austerity")
    with pytest.raises(AnnotationError):
        normalise_tags("economy")


def test_json_round_trip_and_shape() -> None:
    ann = make(label="evidence", tags=["x"], links=[Link("supports", new_id())], note="**n**")
    data = ann.to_json()
    assert list(data) == [
        "id", "doc", "doc_sha256", "start", "end", "quote", "prefix", "suffix", "label",
        "tags", "note", "links", "origin", "author", "created", "modified", "anchor_status",
        "old_quote",
    ]  # fmt: skip
    assert data["links"] == [{"type": "supports", "to": ann.links[0].to}]
    assert Annotation.from_json(data) == ann


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": "0"}, "start <= end"),
        ({"label": ""}, "label"),
        ({"origin": "robot"}, "origin"),
        ({"created": "2024-05-01 12:00"}, "ISO-8601"),
        ({"doc_sha256": "abc"}, "doc_sha256"),
        ({"tags": "economy"}, "tags must be a list"),
        ({"links": [{"type": "Supports!", "to": "x"}]}, "link type"),
        ({"lable": "claim"}, "unknown field"),
    ],
)
def test_from_json_reports_what_is_wrong(change: dict[str, object], message: str) -> None:
    data = make().to_json() | change
    with pytest.raises(AnnotationError, match=message) as info:
        Annotation.from_json(data, where="store.json record 7")
    assert str(info.value).startswith("store.json record 7: ")
    assert isinstance(info.value, ReaderError)


def test_from_json_requires_core_fields() -> None:
    data = make().to_json()
    del data["doc_sha256"]
    with pytest.raises(AnnotationError, match="missing field"):
        Annotation.from_json(data)
    with pytest.raises(AnnotationError, match="JSON object"):
        Annotation.from_json([1, 2])


def test_with_changes_bumps_modified_and_protects_identity() -> None:
    ann = make(created="2020-01-01T00:00:00.000Z", modified="2020-01-01T00:00:00.000Z")
    changed = ann.with_changes(note="new", tags=["B"])
    assert (changed.note, changed.tags) == ("new", ("b",))
    assert changed.modified > ann.modified and changed.created == ann.created
    with pytest.raises(AnnotationError, match="cannot be changed"):
        ann.with_changes(id="other")
    with pytest.raises(AnnotationError, match="unknown field"):
        ann.with_changes(colour="red")


def test_ids_are_sortable_and_unique() -> None:
    ids = [new_id() for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 26 for i in ids)


def test_sort_key_is_document_order() -> None:
    a, b, c = make(10, 12), make(0, 41), make(None, None)
    assert sorted([a, b, c], key=lambda x: x.sort_key) == [c, b, a]


def test_label_scheme_from_shipped_corpus() -> None:
    scheme = LabelScheme.from_toml(ROOT / "corpus" / "corpus.toml")
    assert scheme.names[:2] == ("claim", "premise")
    label = scheme.by_key("1")
    assert label is not None and label.name == "claim"
    assert scheme.by_name("premise") is not None and "evidence" in scheme
    scheme.validate(make(label="claim"))
    scheme.validate(make(label=None))
    with pytest.raises(AnnotationError, match="not in the label scheme"):
        scheme.validate(make(label="opinion"))


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"name": "claim"}, {"name": "claim"}], "defined twice"),
        ([{"name": "a", "key": "1"}, {"name": "b", "key": "1"}], "already used"),
        ([{"name": "a", "key": "12"}], "single character"),
        ([{"name": "a", "color": "orange"}], "color"),
        ([{"key": "1"}], "needs a name"),
        ([{"name": "a", "colour": "#ffffff"}], "unknown field"),
    ],
)
def test_label_scheme_errors_name_the_entry(entries: list[dict[str, str]], message: str) -> None:
    with pytest.raises(AnnotationError, match=message) as info:
        LabelScheme.from_config(entries)
    assert "corpus.toml: [[labels]] entry" in str(info.value)


def test_label_scheme_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "corpus.toml"
    bad.write_text("[[labels]\nname=", encoding="utf-8")
    with pytest.raises(AnnotationError, match=str(bad)):
        LabelScheme.from_toml(bad)


def test_schema_version_is_named() -> None:
    assert SCHEMA_VERSION == "reader-annotations/1"


@given(
    tags=st.lists(st.text(max_size=8), max_size=6),
    note=st.text(max_size=40),
    span=st.tuples(st.integers(0, len(TEXT)), st.integers(0, len(TEXT))),
)
def test_json_round_trip_property(tags: list[str], note: str, span: tuple[int, int]) -> None:
    start, end = sorted(span)
    ann = make(start, end, tags=tags, note=note)
    assert Annotation.from_json(ann.to_json()) == ann
    assert normalise_tags(ann.tags) == ann.tags


@given(
    tags=st.lists(st.text(max_size=8), max_size=6),
    note=st.text(max_size=40),
    span=st.one_of(st.none(), st.tuples(st.integers(0, len(TEXT)), st.integers(0, len(TEXT)))),
    links=st.lists(st.sampled_from(["supports", "attacks"]), max_size=2),
    label=st.none() | st.sampled_from(["claim", "premise"]),
)
def test_trusted_rebuild_equals_the_validated_annotation(
    tags: list[str], note: str, span: tuple[int, int] | None, links: list[str], label: str | None
) -> None:
    # The store's checksummed snapshot skips validation through trusted_annotation; every field must
    # come back exactly as Annotation.from_json would give it.
    start, end = sorted(span) if span is not None else (None, None)
    link_data = [{"type": kind, "to": new_id()} for kind in links]
    ann = make(start, end, tags=tags, note=note, links=link_data, label=label)
    stored = orjson.loads(orjson.dumps(ann))
    rebuilt = trusted_annotation(stored)
    assert rebuilt == ann == Annotation.from_json(stored)
    assert type(rebuilt.tags) is tuple and all(type(link) is Link for link in rebuilt.links)
    assert [f.name for f in dataclasses.fields(Annotation)] == list(stored)


def test_default_annotator_is_the_login_name_when_no_user_variable_is_set() -> None:
    script = (
        "from reader.model.annotation import annotation_for\n"
        "from reader.corpus.documents import sha256_text\n"
        "text = 'We must act now.'\n"
        "print(annotation_for('doc', text, sha256_text(text), 0, 2).author)\n"
    )
    # As under cron, in a container or after `env -i`: no USER, USERNAME, LOGNAME or LNAME.
    done = subprocess.run(
        [sys.executable, "-c", script], env={}, cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == pwd.getpwuid(os.getuid()).pw_name


def test_a_change_in_the_same_millisecond_still_makes_the_annotation_newer() -> None:
    ann = annotation_for("doc", TEXT, SHA, 0, 4)
    future = Annotation.from_json({**ann.to_json(), "modified": "2999-01-01T00:00:00.000Z"})
    assert future.with_changes(note="x").modified == "2999-01-01T00:00:00.001Z"
    # Fast enough to land in one millisecond: the stamp still moves on.
    first = ann.with_changes(note="a")
    second = first.with_changes(note="b")
    assert second.modified > first.modified >= ann.modified
