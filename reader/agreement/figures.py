"""Agreement between annotators over the documents they share: span F1 (exact and token overlap) per
label, per document and overall, Cohen's κ and Krippendorff's α on sentence labels, and link agreement.

Who and what is compared:
- annotators: the `author`s with labelled spans, except `gold` (adjudication's layer, compared only when
  named); `by` names them instead;
- documents: those every compared annotator has labelled spans in (bratiaa compares the `.ann` files all
  annotators have); `docs` names them instead, and then an annotator without spans there counts as
  having marked nothing;
- annotations: labelled spans that still have their place in the text (document notes, unlabelled spans
  and orphans say nothing about where a label goes).

A pair's F1 on a label pools every document (and a pair's F1 on a document pools every label), then the
mean and standard deviation (population, as numpy's default) are taken over pairs: bratiaa's figures.
A pair where neither annotator has anything for a label has no F1 there and is left out of the mean
(bratiaa reports nan for the whole label instead).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from reader.agreement.sentences import cohen_kappa, krippendorff_alpha, sentence_labels
from reader.agreement.spans import (
    Counts,
    Relation,
    Span,
    Tokens,
    exact_counts,
    overlap_counts,
    relation_counts,
    token_runs,
)
from reader.errors import ProjectError
from reader.model.annotation import Annotation
from reader.model.layers import GOLD

# (text, where its body starts) of a document; None when it cannot be read.
TextOf = Callable[[str], tuple[str, int] | None]


@dataclass(frozen=True, slots=True)
class MeanSd:
    mean: float | None
    sd: float | None

    @classmethod
    def of(cls, values: Iterable[float | None]) -> MeanSd:
        known = [v for v in values if v is not None]
        if not known:
            return cls(None, None)
        mean = math.fsum(known) / len(known)
        return cls(mean, math.sqrt(math.fsum((v - mean) ** 2 for v in known) / len(known)))

    def to_json(self) -> dict[str, float | None]:
        return {"mean": self.mean, "sd": self.sd}


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    exact: float | None
    overlap: float | None
    kappa: float | None
    relations: float | None  # exact link agreement

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "exact": self.exact,
            "overlap": self.overlap,
            "kappa": self.kappa,
            "relations": self.relations,
        }


@dataclass
class Agreement:
    annotators: list[str]
    documents: list[str]
    by_label: dict[str, tuple[MeanSd, MeanSd]]  # (exact, overlap)
    by_document: dict[str, tuple[MeanSd, MeanSd]]
    overall: tuple[MeanSd, MeanSd]
    pairs: list[Pair]
    alpha: float | None
    sentences: int
    relations: tuple[MeanSd, MeanSd]
    relations_by_type: dict[str, tuple[MeanSd, MeanSd]]
    skipped: list[str] = field(default_factory=list)  # documents without readable text

    def to_json(self) -> dict[str, Any]:
        def both(figures: tuple[MeanSd, MeanSd]) -> dict[str, Any]:
            return {"exact": figures[0].to_json(), "overlap": figures[1].to_json()}

        return {
            "annotators": self.annotators,
            "documents": len(self.documents),
            "by_label": {label: both(f) for label, f in self.by_label.items()},
            "overall": both(self.overall),
            "pairs": [pair.to_json() for pair in self.pairs],
            "alpha": self.alpha,
            "relations": {
                **both(self.relations),
                "by_type": {kind: both(f) for kind, f in self.relations_by_type.items()},
            },
            "by_document": {doc: both(f) for doc, f in self.by_document.items()},
            "sentences": self.sentences,
            "document_ids": self.documents,
            "skipped": self.skipped,
        }


def _counted(annotation: Annotation) -> bool:
    return (
        annotation.label is not None
        and annotation.start is not None
        and annotation.end is not None
        and annotation.start < annotation.end
        and not annotation.orphaned
    )


def select(
    annotations: Iterable[Annotation], by: Sequence[str] = (), docs: Sequence[str] = ()
) -> tuple[list[str], list[str], list[Annotation]]:
    """(annotators, documents, their counted annotations), or a ProjectError saying what to do."""
    counted = [a for a in annotations if _counted(a)]
    present: dict[str, set[str]] = {}
    for annotation in counted:
        present.setdefault(annotation.author, set()).add(annotation.doc)
    if by:
        unknown = [name for name in by if name not in present]
        if unknown:
            known = ", ".join(sorted(present)) or "nobody"
            raise ProjectError(
                f"--by {unknown[0]}: no labelled spans by this annotator; annotators here: {known}"
            )
        annotators = sorted(set(by))
    else:
        annotators = sorted(name for name in present if name != GOLD)
    if len(annotators) < 2:
        found = ", ".join(annotators) or "none"
        # Worded for the app's screen too: commands to run, not options of this one.
        hint = "import another annotator's annotations (reader import FILE --annotator NAME)"
        if GOLD in present and not by:
            hint += f", or count the gold layer as one (reader agree --by NAME,{GOLD})"
        raise ProjectError(
            f"agreement needs two annotators with labelled spans, found {len(annotators)} "
            f"({found}); {hint}"
        )
    if docs:
        documents = sorted(set(docs))
    else:
        documents = sorted(set.intersection(*(present[name] for name in annotators)))
        if not documents:
            raise ProjectError(
                f"no document has labelled spans by all of {', '.join(annotators)}; "
                "name fewer annotators with --by, or documents with --doc"
            )
    wanted_docs, wanted_people = set(documents), set(annotators)
    chosen = [a for a in counted if a.doc in wanted_docs and a.author in wanted_people]
    return annotators, documents, chosen


def _relations(annotations: Sequence[Annotation]) -> dict[tuple[str, str], set[Relation]]:
    """Per (annotator, document), the links between the annotator's own labelled spans."""
    span_of: dict[str, tuple[str, str, Span]] = {
        a.id: (a.author, a.doc, (a.start, a.end, a.label))  # type: ignore[misc]
        for a in annotations
    }
    out: dict[tuple[str, str], set[Relation]] = {}
    for annotation in annotations:
        for link in annotation.links:
            author, doc, source = span_of[annotation.id]
            target = span_of.get(link.to)
            if target is not None and target[:2] == (author, doc):
                out.setdefault((author, doc), set()).add((link.type, source, target[2]))
    return out


def compute(
    annotations: Iterable[Annotation],
    text_of: TextOf,
    by: Sequence[str] = (),
    docs: Sequence[str] = (),
    sentences_of: Callable[[str, int], list[tuple[int, int]]] | None = None,
) -> Agreement:
    """Every figure of `reader agree`. `sentences_of(text, body_start)` splits a text into sentence
    spans (the app's sentences by default)."""
    annotators, documents, chosen = select(annotations, by, docs)
    split = sentences_of or _app_sentences
    spans: dict[tuple[str, str], set[Span]] = {}
    for ann in chosen:
        spans.setdefault((ann.author, ann.doc), set()).add((ann.start, ann.end, ann.label))  # type: ignore[arg-type]
    links = _relations(chosen)
    pairs = list(combinations(annotators, 2))
    # Each table is [exact, overlap], mapping (pair index, label / document / link type) to counts;
    # "" stands for all of them (labels, ids and link types are never empty).
    zero: Callable[[], dict[tuple[int, str], Counts]] = dict
    label_counts = [zero(), zero()]
    doc_counts = [zero(), zero()]
    pair_counts = [zero(), zero()]
    type_counts = [zero(), zero()]
    pair_links = [zero(), zero()]
    sentence_values: dict[str, list[str]] = {name: [] for name in annotators}
    skipped: list[str] = []
    kept: list[str] = []
    labels: set[str] = set()
    for doc in documents:
        found = text_of(doc)
        if found is None:
            skipped.append(doc)
            continue
        kept.append(doc)
        text, body_start = found
        mine = {name: spans.get((name, doc), set()) for name in annotators}
        tokens = Tokens(text, (at for name in annotators for s in mine[name] for at in s[:2]))
        runs = {name: token_runs(mine[name], tokens) for name in annotators}
        for name in annotators:
            labels.update(label for _, _, label in mine[name])
        sentences = split(text, body_start)
        for name in annotators:
            sentence_values[name].extend(sentence_labels(sentences, sorted(mine[name])))
        for key, (a, b) in enumerate(pairs):
            for kind, by_label in enumerate(
                (exact_counts(mine[a], mine[b]), overlap_counts(runs[a], runs[b]))
            ):
                for label, counts in by_label.items():
                    label_counts[kind].setdefault((key, label), Counts()).add(counts)
                    doc_counts[kind].setdefault((key, doc), Counts()).add(counts)
                    pair_counts[kind].setdefault((key, ""), Counts()).add(counts)
            relation_figures = relation_counts(
                links.get((a, doc), set()), links.get((b, doc), set())
            )
            for kind, by_type in enumerate(relation_figures):
                for link_type, counts in by_type.items():
                    type_counts[kind].setdefault((key, link_type), Counts()).add(counts)
                    pair_links[kind].setdefault((key, ""), Counts()).add(counts)
    keys = range(len(pairs))

    def over_pairs(table: dict[tuple[int, str], Counts], what: str) -> MeanSd:
        return MeanSd.of(table[(k, what)].f1 if (k, what) in table else None for k in keys)

    def both(tables: list[dict[tuple[int, str], Counts]], what: str) -> tuple[MeanSd, MeanSd]:
        return over_pairs(tables[0], what), over_pairs(tables[1], what)

    def f1(table: dict[tuple[int, str], Counts], key: int) -> float | None:
        counts = table.get((key, ""))
        return counts.f1 if counts is not None else None

    link_types = sorted({link_type for _, link_type in type_counts[0]})
    units = zip(*(sentence_values[name] for name in annotators), strict=True)
    return Agreement(
        annotators=annotators,
        documents=kept,
        by_label={label: both(label_counts, label) for label in sorted(labels)},
        by_document={doc: both(doc_counts, doc) for doc in kept},
        overall=both(pair_counts, ""),
        pairs=[
            Pair(
                a,
                b,
                f1(pair_counts[0], key),
                f1(pair_counts[1], key),
                cohen_kappa(sentence_values[a], sentence_values[b]),
                f1(pair_links[0], key),
            )
            for key, (a, b) in zip(keys, pairs, strict=True)
        ],
        alpha=krippendorff_alpha(units),
        sentences=len(sentence_values[annotators[0]]),
        relations=both(pair_links, ""),
        relations_by_type={kind: both(type_counts, kind) for kind in link_types},
        skipped=skipped,
    )


def _app_sentences(text: str, body_start: int) -> list[tuple[int, int]]:
    """The sentences `j`/`k` step through in the app."""
    from reader.text import segment_text

    return [(s.start, s.end) for s in segment_text(text, body_start).sentences]


def corpus_text_of(corpus: Any) -> TextOf:
    """`text_of` for a Corpus: a document's text and body start, None when it is missing or unreadable."""
    from reader.errors import CorpusError

    def text_of(doc_id: str) -> tuple[str, int] | None:
        doc = corpus.get(doc_id)
        if doc is None or not doc.readable:
            return None
        try:
            return doc.text, doc.body_start
        except CorpusError:
            return None

    return text_of
