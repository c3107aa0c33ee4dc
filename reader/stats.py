"""What a corpus holds, counted: documents, words, annotations by label, notes, tags, links by type,
claims without support, suggestions shown, accepted and dismissed, per group and in total.

Groups are either by document (`doc`, and the document metadata `author`, `party`, `outlet`: every
selected document counts, annotated or not) or by annotation (`label`, `annotator`, `tag`: a group's
documents are those with an annotation in it, and an annotation with two tags counts in both tag
groups). Suggestions shown and dismissed belong to documents, not to annotations, so annotation groups
leave them out (None); accepted suggestions are annotations (origin "suggestion") and count everywhere.

The definitions are the ones search uses, so the numbers can be checked against it: a note is a note
with more than blanks (`has:note`), a tagged annotation has a tag (`has:tag`), links are counted on the
annotation that holds them (as the exports write them). A claim is unsupported when no link of a
supporting type (see `LabelScheme.attacks`) points at it, from any annotation.

Shown suggestions need the highlighter's scores of each text (about 0.1 s per MB), so they are counted
only when the caller passes `shown` (`highlighter_shown`); the rest costs one pass over the annotations
and each selected document's word count. Orphans (annotations whose text was lost) are not yet known to
the model and count 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.corpus.documents import Corpus, Document
from reader.errors import ProjectError, ReaderError
from reader.model.annotation import Annotation
from reader.user_state import UserState, dismissed_key

DOC_GROUPS = ("doc", "author", "party", "outlet")
ANNOTATION_GROUPS = ("label", "annotator", "tag")
GROUPINGS = DOC_GROUPS + ANNOTATION_GROUPS
CLAIM = "claim"
ACCEPTED_ORIGIN = "suggestion"


@dataclass(slots=True)
class Figures:
    """The numbers of one group (or of the whole selection)."""

    key: str
    documents: int = 0
    words: int = 0
    annotations: int = 0
    by_label: Counter[str] = field(default_factory=Counter)
    notes: int = 0
    tags: int = 0
    links: Counter[str] = field(default_factory=Counter)
    unsupported_claims: int = 0
    shown: int | None = 0
    accepted: int = 0
    dismissed: int | None = 0
    orphans: int = 0

    @property
    def acceptance(self) -> float | None:
        """Accepted out of decided (accepted or dismissed) suggestions; None when none was decided."""
        decided = self.accepted + (self.dismissed or 0)
        return self.accepted / decided if decided else None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "documents": self.documents,
            "words": self.words,
            "annotations": self.annotations,
            "by_label": dict(sorted(self.by_label.items())),
            "notes": self.notes,
            "tags": self.tags,
            "links": dict(sorted(self.links.items())),
            "unsupported_claims": self.unsupported_claims,
            "suggestions": {
                "shown": self.shown,
                "accepted": self.accepted,
                "dismissed": self.dismissed,
            },
            "orphans": self.orphans,
        }


@dataclass
class Stats:
    by: str
    groups: list[Figures]
    total: Figures
    labels: list[str]  # every label counted, scheme order first: the table's columns
    link_types: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "groups": [g.to_json() for g in self.groups],
            "total": self.total.to_json(),
        }

    def columns(self) -> list[str]:
        """The flat columns of `rows` (CSV)."""
        return [
            "row",
            "key",
            "documents",
            "words",
            "annotations",
            *(f"label:{name}" for name in self.labels),
            "notes",
            "tags",
            *(f"link:{name}" for name in self.link_types),
            "unsupported_claims",
            "suggestions_shown",
            "suggestions_accepted",
            "suggestions_dismissed",
            "orphans",
        ]

    def rows(self) -> list[list[Any]]:
        """One flat row per group, then the total; None where a figure does not apply."""
        return [self._row("group", g) for g in self.groups] + [self._row("total", self.total)]

    def _row(self, kind: str, g: Figures) -> list[Any]:
        return [
            kind,
            g.key,
            g.documents,
            g.words,
            g.annotations,
            *(g.by_label.get(name, 0) for name in self.labels),
            g.notes,
            g.tags,
            *(g.links.get(name, 0) for name in self.link_types),
            g.unsupported_claims,
            g.shown,
            g.accepted,
            g.dismissed,
            g.orphans,
        ]


def highlighter_shown(doc: Document) -> int:
    """How many suggestions (claims and facts) the highlighter makes in a document: the sentences it
    labels, as the document view offers them before any is accepted or dismissed."""
    from reader.claims.scores import highlight

    if not doc.readable:
        return 0
    try:
        return len(highlight(doc.text, doc.sha256, doc.body_start).labelled())
    except ReaderError:  # the file became unreadable since it was listed
        return 0


def select(corpus: Corpus, doc_ids: Sequence[str] = ()) -> list[Document]:
    """The documents named (all when none is), refusing an id the corpus does not hold."""
    if not doc_ids:
        return list(corpus)
    chosen: dict[str, Document] = {}
    for doc_id in doc_ids:
        doc = corpus.get(doc_id)
        if doc is None:
            raise ProjectError(
                f"{corpus.root}: no document with id {doc_id!r}; `reader list` shows the ids"
            )
        chosen[doc.id] = doc
    return list(chosen.values())


def _words(doc: Document) -> int:
    try:
        return doc.words
    except ReaderError:
        return 0


def _dismissed(doc: Document, state: UserState, keys: set[str]) -> int:
    if dismissed_key(doc.id) not in keys or not doc.readable:
        return 0
    try:
        return len(state.dismissed(doc.id, doc.sha256))
    except ReaderError:
        return 0


def _doc_key(by: str, doc: Document | None, doc_id: str) -> str:
    if by == "doc":
        return doc_id
    return str(getattr(doc, by)) if doc is not None else ""


def compute(
    corpus: Corpus,
    annotations: Iterable[Annotation],
    by: str = "doc",
    docs: Sequence[str] = (),
    meta: MutableMapping[str, Any] | None = None,
    shown: Callable[[Document], int] | None = None,
    words: Mapping[str, int] | None = None,
) -> Stats:
    """The statistics of the selected documents (all when `docs` is empty) grouped `by`.

    `meta` is the store's meta area (dismissed suggestions); `shown` counts a document's suggestions
    (None: not counted, reported as None); `words` gives word counts already known (the app's library).
    Annotations of documents missing from the corpus count when no documents are named.
    """
    if by not in GROUPINGS:
        raise ProjectError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")
    selected = select(corpus, docs)
    wanted = {doc.id for doc in selected} if docs else None
    anns = [a for a in annotations if wanted is None or a.doc in wanted]
    scheme = corpus.scheme
    doc_level = by in DOC_GROUPS

    attacks: dict[str, bool] = {}
    supported: set[str] = set()
    for ann in anns:
        for link in ann.links:
            polarity = attacks.get(link.type)
            if polarity is None:
                polarity = attacks[link.type] = scheme.attacks(link.type)
            if not polarity:
                supported.add(link.to)

    # Per document first: its words, suggestions and dismissals, then folded into its group.
    documents: dict[str, Document | None] = {doc.id: doc for doc in selected}
    if wanted is None:
        for ann in anns:
            if ann.doc not in documents:
                documents[ann.doc] = None
    state = UserState(meta)
    meta_keys = set(meta) if meta is not None else set()
    per_doc: dict[str, tuple[int, int | None, int]] = {}
    for doc_id, doc in documents.items():
        if doc is None:
            per_doc[doc_id] = (0, 0 if shown else None, 0)
            continue
        count = words.get(doc_id) if words is not None else None
        per_doc[doc_id] = (
            _words(doc) if count is None else count,
            shown(doc) if shown is not None else None,
            _dismissed(doc, state, meta_keys),
        )

    groups: dict[str, Figures] = {}

    def group(key: str) -> Figures:
        figures = groups.get(key)
        if figures is None:
            figures = groups[key] = Figures(key)
            if not doc_level:
                figures.shown = figures.dismissed = None
        return figures

    total = Figures("total")
    total.shown = None if shown is None else 0
    doc_group: dict[str, Figures] = {}
    for doc_id, doc in documents.items():
        n_words, n_shown, n_dismissed = per_doc[doc_id]
        total.documents += 1
        total.words += n_words
        if n_shown is not None and total.shown is not None:
            total.shown += n_shown
        total.dismissed = (total.dismissed or 0) + n_dismissed  # never None for the total
        if doc_level:
            figures = doc_group[doc_id] = group(_doc_key(by, doc, doc_id))
            figures.documents += 1
            figures.words += n_words
            figures.shown = (
                None if n_shown is None or figures.shown is None else figures.shown + n_shown
            )
            figures.dismissed = (figures.dismissed or 0) + n_dismissed

    seen: dict[str, set[str]] = {}
    for ann in anns:
        if doc_level:
            targets: Iterable[Figures] = (doc_group[ann.doc],)
        elif by == "label":
            targets = (group(ann.label or ""),)
        elif by == "annotator":
            targets = (group(ann.author),)
        else:
            targets = [group(tag) for tag in ann.tags] or [group("")]
        unsupported = ann.label == CLAIM and ann.id not in supported
        for figures in (total, *targets):
            _add(figures, ann, unsupported)
        if not doc_level:
            for figures in targets:
                seen.setdefault(figures.key, set()).add(ann.doc)
    if not doc_level:
        for key, doc_ids in seen.items():
            groups[key].documents = len(doc_ids)
            groups[key].words = sum(per_doc[d][0] for d in doc_ids)

    labels = [name for name in scheme.names if name in total.by_label]
    labels += sorted(set(total.by_label) - set(labels))
    return Stats(
        by=by,
        groups=sorted(groups.values(), key=lambda g: g.key),
        total=total,
        labels=labels,
        link_types=sorted(total.links),
    )


def _add(figures: Figures, ann: Annotation, unsupported: bool) -> None:
    figures.annotations += 1
    if ann.label:
        figures.by_label[ann.label] += 1
    if ann.note.strip():
        figures.notes += 1
    if ann.tags:
        figures.tags += 1
    for link in ann.links:
        figures.links[link.type] += 1
    if unsupported:
        figures.unsupported_claims += 1
    if ann.origin == ACCEPTED_ORIGIN:
        figures.accepted += 1
    if ann.anchor_status == "orphaned":  # as the app or `reader check --fix` recorded it
        figures.orphans += 1


def per_day(annotations: Iterable[Annotation]) -> list[tuple[str, int]]:
    """Annotations made per day (UTC, from `created`), in date order: the work over time."""
    days = Counter(ann.created[:10] for ann in annotations)
    return sorted(days.items())


@dataclass
class DocumentSummary:
    """What the library's preview shows of one document besides its metadata."""

    labels: Counter[str]
    annotations: int
    suggestions_left: int
    last_note: str


def document_summary(
    doc: Document, annotations: Sequence[Annotation], dismissed: set[str]
) -> DocumentSummary:
    """Label counts, the suggestions still to review (as the document view counts them: not
    dismissed, not labelled exactly) and the note written or changed last."""
    from reader.claims.scores import highlight
    from reader.session import ReadingSession

    left = 0
    if doc.readable:
        try:
            scores = highlight(doc.text, doc.sha256, doc.body_start)
        except ReaderError:
            scores = None
        if scores is not None:
            # Loaded here, not at the top: the library imports this module to paint.
            from reader.anchoring import changed, reanchor

            if changed(annotations, doc.sha256):  # edited since: where their quotes are now
                now = {
                    o.annotation.id: o.applied()
                    for o in reanchor(doc.text, doc.sha256, annotations)
                }
                annotations = [now.get(a.id, a) for a in annotations]
            covered = {(a.start, a.end) for a in annotations if a.label and not a.orphaned}
            left = sum(
                1
                for s in scores.labelled()
                if ReadingSession.suggestion_key(s) not in dismissed
                and (s.start, s.end) not in covered
            )
    noted = [a for a in annotations if a.note.strip()]
    last = max(noted, key=lambda a: a.modified).note.strip() if noted else ""
    labels = Counter(a.label for a in annotations if a.label)
    return DocumentSummary(labels, len(annotations), left, last)
