"""Copies of annotators' annotations in the gold layer: each with author `gold` and the id
`<source id>.gold`, links going to the gold copies of their targets."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from reader.model.annotation import Annotation, Link, now_iso
from reader.model.layers import GOLD
from reader.store.annotation_store import AnnotationStore

GOLD_SUFFIX = ".gold"


def gold_id(source_id: str) -> str:
    """The id of the gold copy of annotation `source_id`."""
    return source_id + GOLD_SUFFIX


def copy_into_gold(store: AnnotationStore, sources: Sequence[Annotation]) -> list[Annotation]:
    """Add gold copies of `sources` (those not in gold yet) as one store write and one undo step.

    A copy links to the gold copies of its source's targets that exist or come now; a gold copy
    already there whose source links to one of `sources` gets that link to the new copy. Returns the
    copies added.
    """
    taking = {gold_id(a.id) for a in sources if gold_id(a.id) not in store}
    if not taking:
        return []
    stamp = now_iso()
    copies = [
        _copy(a, stamp, lambda i: i in store or i in taking)
        for a in sources
        if gold_id(a.id) in taking
    ]
    taken_from = {a.id for a in sources}
    updates = []
    for doc in sorted({a.doc for a in sources}):
        # Links within a document are the rule; scanning its annotations finds every gold copy
        # whose source links to a source taken now without a look at the whole store.
        in_doc = {a.id: a for a in store.annotations(doc)}
        for ann in in_doc.values():
            if ann.author != GOLD or not ann.id.endswith(GOLD_SUFFIX):
                continue
            source = in_doc.get(ann.id.removesuffix(GOLD_SUFFIX))
            if source is None:
                continue
            extra = [
                Link(link.type, gold_id(link.to))
                for link in source.links
                if link.to in taken_from and Link(link.type, gold_id(link.to)) not in ann.links
            ]
            if extra:
                updates.append((ann.id, {"links": (*ann.links, *extra)}))
    store.write_many(add=copies, update=updates)
    return copies


def _copy(source: Annotation, stamp: str, in_gold: Any) -> Annotation:
    links = tuple(
        Link(link.type, gold_id(link.to)) for link in source.links if in_gold(gold_id(link.to))
    )
    return dataclasses.replace(
        source,
        id=gold_id(source.id),
        author=GOLD,
        links=links,
        created=stamp,
        modified=stamp,
    )
