"""The annotation model: Annotation, Link, the label scheme and their JSON shape.

`Annotation`, `Link` and `LabelScheme` are importable from here, as other tools do.
"""

from __future__ import annotations

from reader.errors import AnnotationError
from reader.model.annotation import (
    MAX_NOTE_CHARS,
    SCHEMA_VERSION,
    Annotation,
    Link,
    annotation_for,
    annotation_from_document,
    new_id,
)
from reader.model.labels import Label, LabelScheme, RelationType

__all__ = [
    "MAX_NOTE_CHARS",
    "SCHEMA_VERSION",
    "Annotation",
    "AnnotationError",
    "Label",
    "LabelScheme",
    "Link",
    "RelationType",
    "annotation_for",
    "annotation_from_document",
    "new_id",
]
