"""Markdown report: a CommonMark renderer (markdown-it-py, which Rich ships with) shows every quote and
piece of metadata exactly as written, in text order, with labels, tags, notes and links."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.formats.markdown import escape
from reader.model.annotation import Link, annotation_from_document
from reader.transfer import export
from tests.formats.formats_helpers import make_project

FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-md-")))
MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def rendered_text(tokens: list[Token]) -> str:
    """The text a reader sees: inline text and code, with line breaks as newlines."""
    out: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append("\n")
        if token.type == "paragraph_close":
            out.append("\n\n")
    return "".join(out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(
        st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from("\n*_`#-+=>[]<&|~!1. "),
        min_size=1,
    )
)
def test_escaped_text_renders_as_itself(text: str) -> None:
    paragraphs = [p for p in text.split("\n\n")]
    # CommonMark collapses blank lines and strips a paragraph's leading/trailing spaces by design.
    text = "\n".join(line.strip() for p in paragraphs for line in p.split("\n") if line.strip())
    if not text:
        return
    tokens = MD.parse(escape(text))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert rendered_text(tokens).strip("\n") == text


def test_report_shows_quotes_literally_in_text_order_with_labels_tags_notes_links(
    tmp_path: Path,
) -> None:
    doc = FIXTURE.corpus.get("specials")
    assert doc is not None
    later = annotation_from_document(doc, 19, 34, label="claim", tags=["x_y", "b*"])
    first = annotation_from_document(
        doc, 0, 18, label="premise", note="**bold** note", links=[Link("supports", later.id)]
    )
    export("md", [later, first], FIXTURE.corpus, tmp_path / "r.md")
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    tokens = MD.parse(report)
    quotes = []
    for n, token in enumerate(tokens):
        if token.type == "blockquote_open":
            quotes.append(rendered_text(tokens[n : n + 4]).strip())
    assert quotes == [first.quote, later.quote]
    text = rendered_text(tokens)
    assert "supports → “# not a heading”" in text
    assert "tags: x_y, b*" in text  # in the order they were given
    assert "premise" in text and "claim" in text
    # The note is Markdown and renders as such.
    inline = [t for t in tokens if t.type == "inline" and "bold" in t.content]
    strong = [c.type for c in inline[0].children or [] if c.type != "text" or c.content]
    assert strong == ["strong_open", "text", "strong_close", "text"]


HOSTILE_NOTES = [
    "**Kept bold** <script>alert(1)</script> and <https://example.org>",
    '<img src=x onerror="alert(1)">',
    "<iframe src='https://evil.example'></iframe>",
    "<div>\n<script>alert(2)</script>\n</div>",
    "<!-- hidden --> <?php x ?> <![CDATA[ y ]]> </p>",
    "- item <svg onload=alert(3)>\n\n> quoted <IMG SRC=x OnError=alert(4)>",
]


def our_html(token: Token) -> bool:
    """The report's own anchors (`<a id="ID"></a>`), the only raw HTML it may hold."""
    return token.content.startswith('<a id="') or token.content == "</a>"


def html_tokens(tokens: list[Token]) -> list[Token]:
    found = [t for t in tokens if t.type == "html_block"]
    for token in tokens:
        found += [c for c in token.children or [] if c.type == "html_inline" and not our_html(c)]
    return found


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    note=st.lists(
        st.sampled_from(HOSTILE_NOTES) | st.text(st.sampled_from("<>/!?ab =\"'\n`*-")),
        min_size=1,
        max_size=4,
    ).map("".join)
)
def test_raw_html_in_notes_never_goes_live_in_the_report(note: str) -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    ann = annotation_from_document(doc, 0, 3, note=note)
    with tempfile.TemporaryDirectory() as tmp:
        export("md", [ann], FIXTURE.corpus, Path(tmp) / "r.md")
        report = (Path(tmp) / "r.md").read_text(encoding="utf-8")
    assert html_tokens(MD.parse(report)) == []
    html = MD.render(report).lower()
    assert "<script" not in html and "<img" not in html and "<iframe" not in html


def test_notes_keep_their_markdown_and_web_links_with_html_escaped(tmp_path: Path) -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    anns = [annotation_from_document(doc, 0, 3, note=note) for note in HOSTILE_NOTES]
    export("md", anns, FIXTURE.corpus, tmp_path / "r.md")
    html = MD.render((tmp_path / "r.md").read_text(encoding="utf-8"))
    assert "<strong>Kept bold</strong>" in html
    assert '<a href="https://example.org">https://example.org</a>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, as typed
