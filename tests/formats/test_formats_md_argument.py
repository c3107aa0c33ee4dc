"""The Markdown report's argument: nested lists under each document's main claims, read back with a
CommonMark parser; cycles and reasons given twice are shown once; the rows follow the links exactly."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.formats.argument_tree import Row, argument_rows
from reader.model.annotation import Annotation, Link, annotation_for, annotation_from_document
from reader.transfer import export
from tests.formats.formats_helpers import annotation_sets, make_project

FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-md-argument-")))
MD = MarkdownIt("commonmark")
PLAIN = FIXTURE.corpus.get("plain")
assert PLAIN is not None


def report(anns: list[Annotation]) -> str:
    out = io.BytesIO()
    export("md", anns, FIXTURE.corpus, out)
    return out.getvalue().decode("utf-8")


def argument_items(markdown: str) -> list[tuple[int, str]]:
    """The items of the first list after an `Argument` heading: (nesting depth, rendered text)."""
    tokens = MD.parse(markdown)
    start = next(
        n
        for n, t in enumerate(tokens)
        if t.type == "inline" and t.content == "Argument" and tokens[n - 1].tag == "h3"
    )
    items: list[tuple[int, str]] = []
    depth = -1
    for token in tokens[start + 2 :]:
        if token.type == "bullet_list_open":
            depth += 1
        elif token.type == "bullet_list_close":
            depth -= 1
            if depth < 0:
                break
        elif token.type == "inline" and depth >= 0:
            items.append((depth, _plain(token)))
    return items


def q(ann: Annotation) -> str:
    """The quote as the argument shows it: on one line (all the test's quotes are short)."""
    return " ".join(ann.quote.split())


def _plain(token: Token) -> str:
    return "".join(c.content for c in token.children or [] if c.type == "text")


def test_claims_head_nested_lists_of_what_supports_and_attacks_them() -> None:
    claim = annotation_from_document(PLAIN, 0, 33, label="claim")
    premise = annotation_from_document(
        PLAIN, 34, 65, label="premise", links=[Link("supports", claim.id)]
    )
    rebuttal = annotation_from_document(
        PLAIN, 67, 79, label="rebuttal", links=[Link("rebuts", premise.id)]
    )
    loose = annotation_from_document(PLAIN, 5, 12, label="evidence")
    items = argument_items(report([rebuttal, loose, claim, premise]))
    assert items == [
        (0, f"claim “{q(claim)}”"),
        (1, f"(+) supports: premise “{q(premise)}”"),
        (2, f"(−) rebuts: rebuttal “{q(rebuttal)}”"),
    ]


def test_a_cycle_and_a_reason_given_twice_are_shown_once() -> None:
    first = annotation_from_document(PLAIN, 0, 10, label="claim")
    second = annotation_from_document(PLAIN, 11, 20, label="claim")
    both = annotation_from_document(
        PLAIN, 21, 30, links=[Link("supports", first.id), Link("attacks", second.id)]
    )
    # a and b support each other and nothing else: no main claim above them.
    a = annotation_from_document(PLAIN, 34, 40, label="premise")
    b = annotation_from_document(PLAIN, 41, 50, label="premise", links=[Link("supports", a.id)])
    a = a.with_changes(links=[Link("supports", b.id)])
    items = argument_items(report([first, second, both, a, b]))
    assert items == [
        (0, f"claim “{q(first)}”"),
        (1, f"(+) supports: unlabelled “{q(both)}”"),
        (0, f"claim “{q(second)}”"),
        (1, f"(−) attacks: unlabelled “{q(both)}” (↑ above)"),
        (0, f"premise “{q(a)}”"),
        (1, f"(+) supports: premise “{q(b)}”"),
        (2, f"(+) supports: premise “{q(a)}” (↑ above)"),
    ]


def test_a_document_without_links_among_its_annotations_has_no_argument_section() -> None:
    other = FIXTURE.corpus.get("specials")
    assert other is not None
    there = annotation_from_document(other, 0, 5)
    here = annotation_from_document(PLAIN, 0, 5, links=[Link("supports", there.id)])
    text = report([here, there])
    assert "Argument" not in text
    assert "supports → " in text  # the link is still listed with the annotation


def test_a_chain_of_thousands_of_links_is_walked_without_recursion() -> None:
    chain: list[Annotation] = []
    for _ in range(5000):
        links = [Link("supports", chain[-1].id)] if chain else []
        chain.append(annotation_for("plain", PLAIN.text, PLAIN.sha256, 0, 3, links=links))
    rows = argument_rows(chain)
    assert [row.depth for row in rows] == list(range(5000))


def check_rows(anns: list[Annotation], rows: list[Row]) -> None:
    by_id = {ann.id: ann for ann in anns}
    within = {
        (ann.id, link.type, link.to) for ann in anns for link in ann.links if link.to in by_id
    }
    joined = {end for source, _, target in within for end in (source, target)}
    expanded = [row.ann.id for row in rows if not row.repeat]
    assert sorted(expanded) == sorted(joined)  # each joined annotation expanded exactly once
    parents: list[Row] = []
    edges = set()
    for row in rows:
        del parents[row.depth :]
        if row.depth == 0:
            assert row.relation is None and not row.repeat
        else:
            parent = parents[-1]
            assert not parent.repeat
            edge = (row.ann.id, row.relation, parent.ann.id)
            assert edge in within
            edges.add(edge)
        parents.append(row)
    assert edges == within  # every link within the document is one row
    mains = {target for _, _, target in within} - {source for source, _, _ in within}
    assert mains <= {row.ann.id for row in rows if row.depth == 0}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_the_rows_follow_the_links_exactly(anns: list[Annotation]) -> None:
    for doc_id in {ann.doc for ann in anns}:
        mine = sorted((a for a in anns if a.doc == doc_id), key=lambda a: a.sort_key)
        check_rows(mine, argument_rows(mine))
    text = report(anns)
    assert text.count("### Argument") == len(
        {
            a.doc
            for a in anns
            for ln in a.links
            if any(o.id == ln.to and o.doc == a.doc for o in anns)
        }
    )
