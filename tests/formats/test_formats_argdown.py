"""Argdown: the reference parser (@argdown/cli, installed into .argdown/ by `make test`) reads every
statement, tag, note, section and relation the export wrote, exactly, over texts full of what Argdown
reads as markup.

The parser is a node program taking a second to start, so every export is written first and all are
parsed in one run; the tests then compare each file with what was parsed.
"""

from __future__ import annotations

import random
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from reader.formats.argdown import NO_TEXT, WHOLE_DOCUMENT, title
from reader.model.annotation import Annotation, Link, annotation_for
from reader.transfer import export
from tests.conftest import REPO
from tests.formats.formats_helpers import TEXTS, Fixture, make_project

ARGDOWN = REPO / ".argdown" / "node_modules" / ".bin" / "argdown"

# Everything Argdown reads as markup somewhere, and text that looks like its own syntax.
HOSTILE = (
    "=== front ===\nmatter ===\n// a comment /* block */ <!-- html --> a/b\n"
    "{data: 1} {x}, y} [ref] [ref]: <arg> <arg>: @[m] @<n> [t](u) #tag #(t t) ##\n"
    "**b** __b__ *i* _i_ snake_case 2*3*4 .dot. :smile: e.g. 10:30:00 U.S.A. a:b: x.y.z.\n"
    "+ a\n- b\n<+ c\n<- d\n+> e\n-> f\n>< g\n_> h\n<_ i\n(1) num\n1. item\n* item\n"
    "-- inference --\n---\n\\ back\\slash \\\n\ttab  two  spaces\u2028sep\u00a0nbsp\x0bvt"
    "\x0cff\x1bESC\x7fDEL\u0085nel 😀 astral\n[a-1]: fake definition\n  +> [a-2]\n"
    "# heading\n\n\n## sub\n= == === ==== end.\n"
)
TAGS = ["economy", "café", "a.b", "x:y", "#hash", "(paren", "under_score", "😀", "[x]", "a)b"]
NOTES = [
    "",
    "plain",
    'quotes " and \\ backslash',
    "braces } { and }, in a row }} end",
    "lines\nand\r\nbreaks\u2028\u2029 and tabs\t",
    "controls \x00\x01\x1b[31m \x7f \x85 \x9f \ufffe \uffff",
    "yaml: [1, 2] {a: b} - item\n---\n... # comment & *ref !tag |",
    "😀 astral and é",
]
LINK_TYPES = ["supports", "attacks", "rebuts", "undercuts", "restates", "brought-by-an-import"]


def make_fixture() -> Fixture:
    texts = {**TEXTS, "hostile/argdown doc": HOSTILE}
    root = Path(tempfile.mkdtemp(prefix="reader-argdown-"))
    corpus = root / "corpus"
    corpus.mkdir()
    # A label with a space and one with a character tags cannot hold.
    (corpus / "corpus.toml").write_text(
        '[[labels]]\nname = "claim"\n[[labels]]\nname = "main claim"\n'
        '[[labels]]\nname = "evidence"\n[[labels]]\nname = "odd (one)"\n',
        encoding="utf-8",
    )
    return make_project(root, texts)


FIXTURE = make_fixture()


def annotation_set(seed: int, count: int) -> list[Annotation]:
    rng = random.Random(seed)
    docs = FIXTURE.corpus.documents
    labels = [None, *FIXTURE.corpus.scheme.names]
    anns: list[Annotation] = []
    for _ in range(count):
        doc = rng.choice(docs)
        text = doc.text
        span: tuple[int | None, int | None] = (None, None)
        if rng.random() > 0.1:
            start = rng.randrange(len(text))
            span = (start, rng.randint(start, min(len(text), start + rng.choice([3, 40, 400]))))
        anns.append(
            annotation_for(
                doc.id,
                text,
                doc.sha256,
                *span,
                label=rng.choice(labels),
                tags=rng.sample(TAGS, rng.randint(0, 3)),
                note=rng.choice(NOTES),
            )
        )
    linked = []
    for ann in anns:
        links = [
            Link(rng.choice(LINK_TYPES), rng.choice(anns).id) for _ in range(rng.choice([0, 1, 3]))
        ]
        if rng.random() < 0.05:
            links.append(Link("supports", "not-exported"))
        linked.append(ann.with_changes(links=links))
    return linked


@dataclass
class Parsed:
    anns: list[Annotation]
    source: str
    model: dict[str, Any]


SETS = {f"set{seed}": annotation_set(seed, n) for seed, n in enumerate([1, 5, 40, 300])}


@pytest.fixture(scope="module")
def parsed_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Parsed]:
    """Export each set, run the Argdown parser once over all of them, read what it made."""
    if not ARGDOWN.exists():
        pytest.fail(f"{ARGDOWN} is missing: `make test` installs the Argdown parser (npm)")
    folder = tmp_path_factory.mktemp("argdown")
    for name, anns in SETS.items():
        export("argdown", anns, FIXTURE.corpus, folder / f"{name}.argdown")
    done = subprocess.run(
        [str(ARGDOWN), "json", str(folder / "*.argdown"), str(folder / "json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in (done.stdout + done.stderr).lower(), done.stdout + done.stderr
    return {
        name: Parsed(
            anns,
            (folder / f"{name}.argdown").read_text("utf-8"),
            orjson.loads((folder / "json" / f"{name}.json").read_bytes()),
        )
        for name, anns in SETS.items()
    }


def one_line(text: str) -> str:
    return " ".join(text.split())


def tag_image(name: str) -> str:
    return f"#{name}" if re.fullmatch(r"[A-Za-z0-9-]+", name) else f"#({name})"


def holdable(name: str) -> bool:
    return ")" not in name


def definition(statement: dict[str, Any]) -> dict[str, Any]:
    (member,) = [m for m in statement["members"] if not m.get("isReference")]
    return member


@pytest.mark.parametrize("name", SETS)
def test_the_parser_reads_every_statement_with_its_text_tags_and_note(
    name: str, parsed_sets: dict[str, Parsed]
) -> None:
    parsed = parsed_sets[name]
    statements = parsed.model["statements"]
    assert set(statements) == {title(ann.id) for ann in parsed.anns}
    for ann in parsed.anns:
        member = definition(statements[title(ann.id)])
        names = [n for n in ([ann.label] if ann.label else []) + list(ann.tags) if holdable(n)]
        quote = ann.quote if ann.start is not None else WHOLE_DOCUMENT
        quote = quote if quote.strip() else NO_TEXT
        expected = one_line(" ".join([quote, *(tag_image(n) for n in names)]))
        assert one_line(member.get("text", "")) == expected, (ann.quote, member)
        assert member.get("tags", []) == list(dict.fromkeys(names))
        assert member.get("data", {}).get("note", "") == ann.note


@pytest.mark.parametrize("name", SETS)
def test_the_parser_reads_every_relation_with_its_polarity(
    name: str, parsed_sets: dict[str, Parsed]
) -> None:
    parsed = parsed_sets[name]
    scheme = FIXTURE.corpus.scheme
    exported = {ann.id for ann in parsed.anns}
    expected = {
        (title(ann.id), "attack" if scheme.attacks(link.type) else "support", title(link.to))
        for ann in parsed.anns
        for link in ann.links
        if link.to in exported
    }
    relations = [(r["from"], r["relationType"], r["to"]) for r in parsed.model["relations"]]
    assert len(relations) == len(set(relations))
    assert set(relations) == expected


@pytest.mark.parametrize("name", SETS)
def test_each_document_is_a_section_in_text_order(
    name: str, parsed_sets: dict[str, Parsed]
) -> None:
    parsed = parsed_sets[name]
    docs = sorted({ann.doc for ann in parsed.anns})
    sections = parsed.model["sections"]
    assert [section["data"]["doc"] for section in sections] == docs
    for section in sections:
        doc = FIXTURE.corpus.get(section["data"]["doc"])
        assert doc is not None
        assert one_line(section["title"]) == one_line(doc.title or doc.id)
    by_section = {s["id"]: s["data"]["doc"] for s in sections}
    for ann in parsed.anns:
        assert (
            by_section[definition(parsed.model["statements"][title(ann.id)])["section"]] == ann.doc
        )


def test_supports_and_attacks_follow_the_polarity_corpus_toml_gives(tmp_path: Path) -> None:
    fixture = make_project(tmp_path, {"plain": TEXTS["plain"]})
    (tmp_path / "corpus" / "corpus.toml").write_text(
        '[[labels]]\nname = "claim"\n[[relations]]\nname = "questions"\npolarity = "attacks"\n'
        '[[relations]]\nname = "attacks"\npolarity = "supports"\n',
        encoding="utf-8",
    )
    from reader.corpus.documents import Corpus

    corpus = Corpus.load(tmp_path / "corpus")
    doc = fixture.corpus.get("plain")
    assert doc is not None
    claim = annotation_for(doc.id, doc.text, doc.sha256, 0, 10)
    other = annotation_for(
        doc.id,
        doc.text,
        doc.sha256,
        11,
        20,
        links=[Link("questions", claim.id), Link("attacks", claim.id)],
    )
    out = tmp_path / "out.argdown"
    export("argdown", [claim, other], corpus, out)
    lines = out.read_text("utf-8").splitlines()
    assert f"  -> [{title(claim.id)}]" in lines
    assert f"  +> [{title(claim.id)}]" in lines


def test_the_export_says_which_links_and_tags_it_could_not_hold(tmp_path: Path) -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    ann = annotation_for(
        doc.id,
        doc.text,
        doc.sha256,
        0,
        10,
        tags=["a)b"],
        links=[Link("supports", "elsewhere")],
    )
    result = export("argdown", [ann], FIXTURE.corpus, tmp_path / "out.argdown")
    reasons = sorted(item.reason for item in result.dropped)
    assert reasons == [
        "link supports → elsewhere points outside the export",
        "tag 'a)b' is not one Argdown can hold",
    ]
    assert result.summary().endswith("1 annotation exported in part")


def test_the_sets_hold_what_the_parser_must_survive(parsed_sets: dict[str, Parsed]) -> None:
    """The parsed sets are hostile enough to mean something: quotes through the markup-laden text,
    every escape, whole-document notes, tags of every form, notes YAML could choke on, links of
    both polarities and ones that leave the export."""
    anns = [ann for parsed in parsed_sets.values() for ann in parsed.anns]
    source = "".join(parsed.source for parsed in parsed_sets.values())
    assert sum(ann.doc == "hostile/argdown doc" and len(ann.quote) > 100 for ann in anns) >= 10
    assert all(f"\\{ch}" in source for ch in "\\#*_[]<>{}/@.:=")
    assert any(ann.start is None for ann in anns)
    assert {tag for ann in anns for tag in ann.tags} == set(TAGS)
    assert {ann.note for ann in anns} == set(NOTES)
    assert {link.type for ann in anns for link in ann.links} >= {*LINK_TYPES, "supports"}
