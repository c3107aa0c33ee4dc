"""One limit for notes: refused where they are written, still read where they were stored before."""

from __future__ import annotations

import pytest

from reader.errors import AnnotationError
from reader.model.annotation import MAX_NOTE_CHARS, Annotation, annotation_for

TEXT = "The economy grew."
SHA = "0" * 64


def test_a_note_over_the_limit_is_refused_when_written() -> None:
    ann = annotation_for("doc", TEXT, SHA, 0, 3, note="short")
    with pytest.raises(AnnotationError, match="1,000,001 characters, more than the 1,000,000"):
        ann.with_changes(note="x" * (MAX_NOTE_CHARS + 1))
    with pytest.raises(AnnotationError, match="more than the 1,000,000"):
        annotation_for("doc", TEXT, SHA, 0, 3, note="x" * (MAX_NOTE_CHARS + 1))
    assert len(ann.with_changes(note="x" * MAX_NOTE_CHARS).note) == MAX_NOTE_CHARS


def test_a_long_note_stored_before_the_limit_still_loads() -> None:
    record = annotation_for("doc", TEXT, SHA, 0, 3).to_json()
    record["note"] = "x" * (MAX_NOTE_CHARS + 1)
    assert len(Annotation.from_json(record).note) == MAX_NOTE_CHARS + 1
