"""Search results: `Hit` (an annotation or a document sentence, with its highlights) and `rank`, which
orders scored keys best first with ties in document order."""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from functools import cached_property
from itertools import compress
from typing import TYPE_CHECKING, Any

from reader.search.highlight import highlight_spans
from reader.search.query import TEXT_FIELD, Term

if TYPE_CHECKING:
    from reader.model.annotation import Annotation


class Hit:
    """One result: an annotation, or (for `text:` queries) a sentence of a document."""

    def __init__(
        self,
        doc_id: str,
        start: int | None,
        end: int | None,
        score: float,
        annotation: Annotation | None = None,
        sentence: str = "",
        query_terms: tuple[Term, ...] = (),
    ) -> None:
        self.doc_id, self.start, self.end, self.score = doc_id, start, end, score
        self.annotation, self.sentence, self.terms = annotation, sentence, query_terms

    @property
    def text(self) -> str:
        """The quote of an annotation hit, or the sentence of a text hit."""
        return self.annotation.quote if self.annotation is not None else self.sentence

    def spans(self, field: str) -> list[tuple[int, int]]:
        """Matched word spans in this hit's `field` ("quote", "note", "text"), relative to it."""
        text = self.sentence if field == TEXT_FIELD else getattr(self.annotation, field, "")
        wanted = (None, TEXT_FIELD) if field == TEXT_FIELD else (None, field)
        return highlight_spans(text, [t for t in self.terms if t.field in wanted])

    @cached_property
    def highlights(self) -> dict[str, list[tuple[int, int]]]:
        """Spans per field; `doc` holds the quote or sentence spans as document offsets."""
        fields = ("quote", "note") if self.annotation is not None else (TEXT_FIELD,)
        out = {name: self.spans(name) for name in fields}
        base = self.start or 0
        out["doc"] = [(base + s, base + e) for s, e in out[fields[0]]]
        return out

    def __repr__(self) -> str:
        what = self.annotation.id if self.annotation else "sentence"
        return f"Hit({what} in {self.doc_id} {self.start}-{self.end}, score={self.score:.3f})"


def rank(scores: dict[str, float], order: Mapping[str, Any], limit: int | None) -> list[str]:
    """Keys best first, ties in `order`; only the first `limit` are fully sorted."""

    def best_first(key: str) -> tuple[float, Any]:
        return (-scores[key], order[key])

    if limit is None or len(scores) <= limit:
        return sorted(scores, key=best_first)
    if limit <= 0:
        return []
    cutoff = heapq.nlargest(limit, scores.values())[-1]
    keys, values = list(scores), list(scores.values())
    above = list(compress(keys, map(cutoff.__lt__, values)))
    tied = compress(keys, map(cutoff.__eq__, values))
    # Among equal scores document order decides; only the first few of them are needed.
    chosen = above + heapq.nsmallest(limit - len(above), tied, key=order.__getitem__)
    return sorted(chosen, key=best_first)
