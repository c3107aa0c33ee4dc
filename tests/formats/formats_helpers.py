"""Shared fixtures for the format tests: a tricky corpus on disk and hypothesis annotations over it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, Link, annotation_for
from reader.store import AnnotationStore
from reader.transfer import export, import_file

# Documents that exercise everything a format can get wrong: emoji and astral characters (one code
# point, two UTF-16 units), combining marks, CJK and right-to-left text, quotes of every kind, tabs,
# blank lines, Markdown and CSV specials, a formula, and ids with a folder and a space.
TEXTS = {
    "plain": 'The economy grew by 2% last year.\nCritics say "it\'s not enough".\n\nWe disagree.\n',
    "sub/emoji doc": "🚀 Launch 🇬🇧 day: naïve café, e\u0301t\u00e9.\n日本語の文。\tשלום עולם\n\n—end—",
    "specials": "=cmd|' /C calc'!A0\n# not a heading\n- not a list\n1. not a list\n*a* _b_ [c](d) <e> &amp; `f` \\g\n+x\n@SUM(1+9)\n",
}


@dataclass
class Fixture:
    root: Path
    corpus: Corpus


def make_project(root: Path, texts: dict[str, str] = TEXTS) -> Fixture:
    for doc_id, text in texts.items():
        path = root / "corpus" / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    (root / "annotations").mkdir(exist_ok=True)
    return Fixture(root, Corpus.load(root / "corpus"))


LABELS = [None, "claim", "premise", "evidence", "counterclaim", "rebuttal"]
_notes = st.one_of(
    st.just(""),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.text(st.sampled_from("ab \n\t\"'`*#|;,=\\\r😀é"), min_size=2000, max_size=4000),
)
_tags = st.lists(
    st.text(st.characters(exclude_categories=["Cs", "Zs", "Zl", "Zp", "Cc"]), min_size=1),
    max_size=3,
)
_stamps = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
)


@st.composite
def annotation_sets(
    draw: st.DrawFn, corpus: Corpus, whole_doc: bool = True, brat_spans: bool = False
) -> list[Annotation]:
    """1-8 annotations over `corpus` with links among them.

    brat_spans: spans hold some text outside line breaks and neither start nor end at one (brat
    splits spans at line breaks and cannot keep breaks at their ends).
    """
    docs = corpus.documents
    count = draw(st.integers(1, 8))
    anns: list[Annotation] = []
    for _ in range(count):
        doc = draw(st.sampled_from(docs))
        text = doc.text
        span: tuple[int | None, int | None]
        if whole_doc and draw(st.integers(0, 5)) == 0:
            span = (None, None)
        else:
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start if not brat_spans else start + 1, len(text)))
            if brat_spans:
                while text[start] == "\n" and start < end - 1:
                    start += 1
                while text[end - 1] == "\n" and end - 1 > start:
                    end -= 1
                if not text[start:end].strip("\n"):
                    continue
            span = (start, end)
        fields: dict[str, Any] = {
            "label": draw(st.sampled_from(LABELS)),
            "tags": draw(_tags),
            "note": draw(_notes),
            "origin": draw(st.sampled_from(["manual", "suggestion"])),
            "author": draw(st.text(st.characters(exclude_categories=["Cs"]), max_size=12)),
            "created": draw(_stamps),
            "modified": draw(_stamps),
        }
        anns.append(annotation_for(doc.id, text, doc.sha256, *span, **fields))
    if not anns:
        anns.append(annotation_for(docs[0].id, docs[0].text, docs[0].sha256, 0, 3))
    linked: list[Annotation] = []
    for ann in anns:
        targets = draw(st.lists(st.sampled_from(anns), max_size=2))
        kinds = st.sampled_from(["supports", "attacks", "rebuts"])
        links = [Link(draw(kinds), target.id) for target in targets]
        linked.append(ann.with_changes(links=links, modified=ann.modified))
    return linked


def round_trip(
    fixture: Fixture, fmt: str, anns: list[Annotation], tmp: Path, name: str
) -> list[Annotation]:
    """Export `anns`, import the result into a new store, return what the store holds."""
    out = tmp / (name if fmt == "brat" else f"{name}.{fmt}")
    export(fmt, anns, fixture.corpus, out)
    with AnnotationStore.open(tmp / f"{name}-store.json") as store:
        report = import_file(out, fmt, fixture.corpus, store)
        assert report.unmatched == [], report.unmatched
        return store.annotations()
