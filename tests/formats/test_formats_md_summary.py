"""The Markdown report opens with a summary table: per document, annotations by label, notes, links
and a text bar, then the totals; a CommonMark renderer with tables reads it as one table."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from reader.formats.markdown import summary, text_bar
from reader.model.annotation import Link, annotation_from_document
from reader.transfer import export
from tests.formats.formats_helpers import make_project

MD = MarkdownIt("commonmark").enable("table")


def table_rows(report: str) -> list[list[str]]:
    tokens = MD.parse(report)
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows and token.map is not None:
            rows[-1].append("".join(c.content for c in token.children or []))  # as rendered
    return rows


def test_report_opens_with_a_summary_per_document_and_totals(tmp_path: Path) -> None:
    fixture = make_project(tmp_path)
    corpus = fixture.corpus
    plain, specials = corpus.get("plain"), corpus.get("specials")
    assert plain is not None and specials is not None
    claim = annotation_from_document(plain, 0, 10, label="claim", note="n")
    anns = [
        claim,
        annotation_from_document(
            plain, 11, 20, label="premise", links=[Link("supports", claim.id)]
        ),
        annotation_from_document(plain, 21, 30, label="claim"),
        annotation_from_document(plain, 31, 33, note="  "),
        annotation_from_document(specials, 0, 5, label="claim", note="why"),
    ]
    export("md", anns, corpus, tmp_path / "r.md")
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert report.index("| Document |") < report.index("\n## ")  # the summary comes first
    rows = table_rows(report)
    assert rows[0] == ["Document", "Annotations", "claim", "premise", "Notes", "Links", ""]
    by_doc = {row[0]: row for row in rows[1:]}
    assert by_doc["The economy grew by 2% last year."][1:6] == ["4", "2", "1", "1", "1"]
    assert (
        by_doc["The economy grew by 2% last year."][6] == "█" * 12
    )  # the document with the most has the full bar
    # The title is the first line, `=cmd|' /C calc'!A0`: its pipe is escaped, the row has 7 cells.
    special = next(row for row in rows[1:] if row[0].startswith("=cmd"))
    assert special[1:6] == ["1", "1", "0", "1", "0"] and special[6] == "███"
    assert rows[-1] == ["Total", "5", "3", "1", "2", "1", ""]


def test_no_annotations_no_summary(tmp_path: Path) -> None:
    assert summary([], make_project(tmp_path).corpus) == ""


def test_text_bars_grow_in_eighths() -> None:
    assert text_bar(1, 1) == "█" * 12
    assert text_bar(1, 96) == "▏" and text_bar(0, 5) == "" and text_bar(3, 0) == ""
    assert text_bar(1, 2, width=3) == "█▌"
