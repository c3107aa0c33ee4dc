"""Adjudication: the disagreements between annotators, document by document, and the decisions that
build the `gold` layer from them.

A *disagreement* is a cluster of one document's spans: the annotations of the chosen annotators that
overlap each other, directly or through a chain (brat's and INCEpTION's "position"). A cluster where every
annotator has the same spans with the same labels and links is an agreement: it needs no decision, and
`take_agreements` copies every one gold lacks in one step. Any other is one of four kinds, checked in
this order:
- "only": some annotators have nothing there;
- "span": they marked overlapping but different spans;
- "label": the same spans with different labels;
- "links": the same spans and labels, different links (type and the span linked to).

Deciding copies versions into the gold layer, and never touches an annotator's annotation:
- taking annotator A's version adds a copy of each of A's annotations in the cluster with author `gold`
  and the id `<A's id>.gold` (so a copy knows where it came from, across restarts, exports and
  merges); links go to the gold copies of their targets where those exist, and gold copies already
  linking to the taken annotation's source get the link to the new copy (one store write, one undo step);
- "neither" is kept in the store's meta area, under the document's adjudication key (one undoable
  change), as the cluster's key: the sorted ids of its annotations.

A disagreement is decided when a gold annotation overlaps it (a copy taken here, or a gold layer
imported from elsewhere) or its key was rejected. The list depends only on the annotators' layers, which
deciding never changes, so it is built once; deciding refreshes one document's flags.

walk.py finds the clusters of one document, gold.py makes the gold copies, decisions.py holds a whole
store's disagreements and the decisions on them.
"""

from __future__ import annotations

from reader.adjudication.decisions import Adjudication, adjudication_doc
from reader.adjudication.gold import GOLD_SUFFIX, copy_into_gold, gold_id
from reader.adjudication.walk import (
    KINDS,
    Agreement,
    Disagreement,
    Version,
    annotators_of,
    find_disagreements,
    walk_document,
)
from reader.model.layers import GOLD

__all__ = [
    "GOLD",
    "GOLD_SUFFIX",
    "KINDS",
    "Adjudication",
    "Agreement",
    "Disagreement",
    "Version",
    "adjudication_doc",
    "annotators_of",
    "copy_into_gold",
    "find_disagreements",
    "gold_id",
    "walk_document",
]
