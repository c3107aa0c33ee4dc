"""brat standoff: brat's own parser (bratsubset, from the PyPI package bratiaa) reads the export back
with the same spans, relations, attributes and notes; import restores every field brat carries."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bratsubset import annotation as brat_annotation
from bratsubset.projectconfig import ProjectConfiguration
from hypothesis import HealthCheck, given, settings

from reader.corpus.documents import sha256_text
from reader.errors import FormatError
from reader.formats.brat import attributes, brat_name, fragments
from reader.formats.brat_names import attribute_name
from reader.model.annotation import Annotation, annotation_for, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export, import_file
from tests.formats.formats_helpers import annotation_sets, make_project, round_trip

FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-brat-")))


def carried(ann: Annotation, by_id: dict[str, Annotation]) -> tuple[Any, ...]:
    """What brat keeps of an annotation; links are named by their target's span and label."""
    own = (ann.doc, ann.start, ann.end, ann.quote, ann.label, ann.tags, ann.note)
    # "" for no label: None and a label in the same position cannot be sorted together.
    links = sorted(
        (link.type, by_id[link.to].start, by_id[link.to].label or "") for link in ann.links
    )
    return (*own, tuple(links))


def parse_with_brat(folder: Path, doc_id: str) -> Any:
    brat_annotation.Messager.clear() if hasattr(brat_annotation.Messager, "clear") else None
    return brat_annotation.TextAnnotations(str(folder / doc_id), read_only=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus, whole_doc=False, brat_spans=True))
def test_brats_own_parser_reads_the_same_spans_and_relations(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "brat"
        result = export("brat", anns, FIXTURE.corpus, folder)
        assert all("leaves the document" in item.reason for item in result.dropped)
        config = ProjectConfiguration(str(folder))
        for doc_id in {ann.doc for ann in anns}:
            parsed = parse_with_brat(folder, doc_id)
            assert parsed.failed_lines == []
            text = parsed.get_document_text()
            doc = FIXTURE.corpus.get(doc_id)
            assert doc is not None and text == doc.text
            mine = [a for a in anns if a.doc == doc_id]
            bounds = list(parsed.get_textbounds())
            assert len(bounds) == len(mine)
            by_tid = {}
            for bound, ann in zip(bounds, sorted(mine, key=lambda a: a.sort_key), strict=True):
                by_tid[bound.id] = ann
                assert bound.spans == fragments(text, ann.start or 0, ann.end or 0)
                assert bound.text == " ".join(text[s:e] for s, e in bound.spans)
                assert bound.type == brat_name(ann.label or "unlabelled")
                assert bound.type in config.get_entity_types()
            kinds = {bound.id: bound.type for bound in bounds}
            for relation in parsed.get_relations():
                # annotation.conf allows every written relation between the two spans' types.
                allowed = config.relation_types_from_to(kinds[relation.arg1], kinds[relation.arg2])
                assert relation.type in allowed
            relations = Counter(
                (r.type, by_tid[r.arg1].id, by_tid[r.arg2].id) for r in parsed.get_relations()
            )
            assert relations == Counter(
                (brat_name(link.type), ann.id, link.to)
                for ann in mine
                for link in ann.links
                if any(o.id == link.to and o.doc == doc_id for o in anns)
            )
            # Each tag an attribute of its own: name:value tags valued, the others binary.
            got = Counter((by_tid[a.target].id, a.type, a.value) for a in parsed.get_attributes())
            valued = {n for a in anns for n, v in attributes(a.tags) if v is not None}
            assert got == Counter(
                (ann.id, attribute_name(name), True if value is None else brat_name(value))
                for ann in mine
                for name, value in attributes(ann.tags, valued)
            )
            for a in parsed.get_attributes():
                assert a.type in config.get_attribute_types(), a.type
            notes = {by_tid[c.target].id for c in parsed.get_oneline_comments()}
            assert notes == {ann.id for ann in mine if ann.note}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus, whole_doc=False, brat_spans=True))
def test_every_field_brat_carries_survives_export_and_import(anns: list[Annotation]) -> None:
    # Links across documents cannot be written in brat; keep the ones inside a document.
    by_id = {ann.id: ann for ann in anns}
    anns = [
        ann.with_changes(
            links=[ln for ln in ann.links if by_id[ln.to].doc == ann.doc], modified=ann.modified
        )
        for ann in anns
    ]
    by_id = {ann.id: ann for ann in anns}
    with tempfile.TemporaryDirectory() as tmp:
        back = round_trip(FIXTURE, "brat", anns, Path(tmp), "x")
    back_by_id = {ann.id: ann for ann in back}
    assert Counter(carried(a, back_by_id) for a in back) == Counter(carried(a, by_id) for a in anns)


def test_whole_document_notes_and_cross_document_links_are_reported_as_left_out(
    tmp_path: Path,
) -> None:
    plain, specials = FIXTURE.corpus.get("plain"), FIXTURE.corpus.get("specials")
    assert plain is not None and specials is not None
    other = annotation_from_document(specials, 0, 4)
    whole = annotation_from_document(plain, None, None, note="overall")
    span = annotation_from_document(plain, 0, 3, links=[{"type": "supports", "to": other.id}])
    result = export("brat", [other, whole, span], FIXTURE.corpus, tmp_path / "b")
    assert result.written == 2
    assert [(item.id, item.whole) for item in result.dropped] == [
        (whole.id, True),
        (span.id, False),
    ]
    assert "leaves the document" in result.dropped[1].reason


def test_a_doc_id_that_escapes_the_folder_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    # Made on a text no corpus document holds, so it cannot be taken for a document renamed since
    # (whose annotations an export writes under the id it has now).
    text = "A text that is nowhere in the corpus."
    evil = annotation_for("../../escaped", text, sha256_text(text), 0, 3)
    with pytest.raises(FormatError, match="outside"):
        export("brat", [evil], FIXTURE.corpus, tmp_path / "out" / "b")
    assert not (tmp_path / "escaped.ann").exists() and not (tmp_path / "out").exists()


def test_files_linked_from_outside_the_folder_are_refused(tmp_path: Path) -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    folder = tmp_path / "b"
    export("brat", [annotation_from_document(doc, 0, 3)], FIXTURE.corpus, folder)
    secret = tmp_path / "secret.txt"
    secret.write_text("The economy grew\n", encoding="utf-8")
    (folder / "plain.txt").unlink()
    os.symlink(secret, folder / "plain.txt")
    with AnnotationStore.open(tmp_path / "s.json") as store:
        with pytest.raises(FormatError, match="outside"):
            import_file(folder, "brat", FIXTURE.corpus, store)
        assert store.annotations() == []


def test_a_quote_that_does_not_match_the_txt_is_an_error(tmp_path: Path) -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    folder = tmp_path / "b"
    export("brat", [annotation_from_document(doc, 0, 3)], FIXTURE.corpus, folder)
    ann_file = folder / "plain.ann"
    ann_file.write_text(ann_file.read_text(encoding="utf-8").replace("The", "Tha"), "utf-8")
    with AnnotationStore.open(tmp_path / "s.json") as store:
        with pytest.raises(FormatError, match=r"plain\.ann: line 1"):
            import_file(folder, "brat", FIXTURE.corpus, store)
        assert store.annotations() == []
