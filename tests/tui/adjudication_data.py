"""A team's store for the adjudication tests: two annotators who disagree in two documents."""

from __future__ import annotations

from pathlib import Path

from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.store.annotation_store import AnnotationStore

PEACE = "peace-2019-09-winning-back-labours-heartlands"
ROWLEY = "rowley-2019-05-killamarsh-conservatism"
STAMP = "2026-03-01T10:00:00.000Z"


def team_annotations(corpus: Corpus) -> list[Annotation]:
    peace, rowley = corpus.get(PEACE), corpus.get(ROWLEY)
    assert peace is not None and rowley is not None

    def make(
        doc: object, start: int, end: int, label: str, author: str, n: int, **kw: object
    ) -> Annotation:
        return annotation_from_document(
            doc,
            start,
            end,
            label=label,
            author=author,
            id=f"01TEAM{n:02d}",
            created=STAMP,
            modified=STAMP,
            **kw,
        )

    return [
        # Same span, other labels; ann's has tags and a note.
        make(
            peace, 0, 54, "claim", "ann", 1, tags=["stance:for", "main"], note="The thesis, surely."
        ),
        make(peace, 0, 54, "premise", "bob", 2, note="Reads as a reason to me."),
        # Overlapping spans.
        make(peace, 120, 180, "evidence", "ann", 3),
        make(peace, 130, 200, "evidence", "bob", 4),
        # Only bob.
        make(peace, 300, 340, "claim", "bob", 5),
        # Agreement: left out.
        make(peace, 400, 420, "claim", "ann", 6),
        make(peace, 400, 420, "claim", "bob", 7),
        # Second document: only ann.
        make(rowley, 10, 60, "claim", "ann", 8, links=[Link("supports", "01TEAM06")]),
        make(rowley, 100, 130, "premise", "bob", 9),
    ]


def write_team_store(project: Path) -> None:
    corpus = Corpus.load(project / "corpus")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(team_annotations(corpus))
