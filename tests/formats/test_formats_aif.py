"""AIF JSON: arguebuf (an argument-graph library that reads AIFdb's and OVA's files) loads the export
with the same I-nodes and the same supports and attacks between them; import places I-nodes by their
text in the document a locution or the file's name gives, and a round trip keeps every field and link.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import arguebuf as ab
import orjson
import pytest
from arguebuf.model.scheme import Attack, Rephrase, Support
from hypothesis import HealthCheck, given, settings

from reader.errors import FormatError
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.store.annotation_store import AnnotationStore
from reader.transfer import export, import_file
from tests.conftest import REPO
from tests.formats.formats_helpers import TEXTS, annotation_sets, make_project, round_trip

FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-aif-")))
PLAIN = TEXTS["plain"]


def polarity(scheme: Any) -> str:
    return "attack" if isinstance(scheme, Attack) else "support"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_arguebuf_reads_the_same_nodes_and_edges(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.json"
        export("aif", anns, FIXTURE.corpus, path)
        raw = orjson.loads(path.read_bytes())
        # arguebuf keeps argument nodes only; it warns about the edges to dialogue nodes it leaves out.
        logging.disable(logging.WARNING)
        try:
            graph = ab.load.file(path)
        finally:
            logging.disable(logging.NOTSET)
    node_of = {n["reader"]["id"]: n["nodeID"] for n in raw["nodes"] if n["type"] == "I"}
    assert set(graph.atom_nodes) == set(node_of.values())
    for ann in anns:
        atom = graph.atom_nodes[node_of[ann.id]]
        assert atom.plain_text == (ann.quote if ann.start is not None else ann.note)
    found = Counter()
    for node in graph.scheme_nodes.values():
        (source,) = graph.incoming_atom_nodes(node)
        (target,) = graph.outgoing_atom_nodes(node)
        assert isinstance(node.scheme, Support | Attack)
        found[(source.id, polarity(node.scheme), target.id)] += 1
    scheme = FIXTURE.corpus.scheme
    assert found == Counter(
        (node_of[ann.id], "attack" if scheme.attacks(link.type) else "support", node_of[link.to])
        for ann in anns
        for link in ann.links
    )
    # Every I-node is asserted by a locution naming its document, as AIFdb records sources.
    sources = {loc["nodeID"]: loc["source"] for loc in raw["locutions"]}
    kinds = {n["nodeID"]: n["type"] for n in raw["nodes"]}
    into: dict[str, list[str]] = {}
    for edge in raw["edges"]:
        into.setdefault(edge["toID"], []).append(edge["fromID"])
    for ann in anns:
        (ya,) = [n for n in into[node_of[ann.id]] if kinds[n] == "YA"]
        (locution,) = into[ya]
        assert sources[locution] == "urn:reader:doc:" + ann.doc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anns=annotation_sets(FIXTURE.corpus))
def test_every_field_and_link_survives_export_and_import(anns: list[Annotation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        back = round_trip(FIXTURE, "aif", anns, Path(tmp), "x")
    assert sorted(back, key=lambda a: a.id) == sorted(anns, key=lambda a: a.id)


def aifdb(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str]], **extra: Any) -> bytes:
    """AIF JSON as AIFdb writes it: numeric string ids, timestamps, no reader objects."""
    return orjson.dumps(
        {
            "nodes": [
                {"nodeID": i, "text": text, "type": kind, "timestamp": "2019-05-01 10:00:00"}
                for i, kind, text in nodes
            ],
            "edges": [
                {"edgeID": str(n), "fromID": a, "toID": b, "formEdgeID": None}
                for n, (a, b) in enumerate(edges, start=1)
            ],
            "locutions": extra.pop("locutions", []),
            **extra,
        }
    )


def test_a_file_from_another_tool_is_placed_by_quote_in_the_document_named_like_it(
    tmp_path: Path,
) -> None:
    claim, critics, disagree = "The economy grew by 2% last year.", "Critics say", "We disagree."
    path = tmp_path / "plain.json"
    path.write_bytes(
        aifdb(
            [
                ("1", "I", claim),
                ("2", "I", critics),
                ("3", "I", disagree),
                ("4", "CA", "Default Conflict"),
                ("5", "RA", "Argument From Expert Opinion"),
                ("6", "MA", "Default Rephrase"),
                ("7", "PA", "Default Preference"),
            ],
            [("2", "4"), ("4", "1"), ("3", "5"), ("5", "1"), ("3", "6"), ("6", "2"), ("1", "7")],
        )
    )
    with AnnotationStore.open(tmp_path / "store.json") as store:
        report = import_file(path, "aif", FIXTURE.corpus, store)
        assert (report.imported, report.unmatched) == (3, [])
        anns = {ann.quote: ann for ann in store.annotations()}
        # Without reader's ids, the same text in the same document is the same annotation.
        again = import_file(path, "aif", FIXTURE.corpus, store)
        assert (again.imported, again.updated, again.skipped) == (0, 0, 3)
    assert {quote: PLAIN.index(quote) for quote in anns} == {
        quote: anns[quote].start for quote in anns
    }
    ids = {quote: ann.id for quote, ann in anns.items()}
    assert anns[critics].links == (Link("attacks", ids[claim]),)
    assert set(anns[disagree].links) == {
        Link("supports", ids[claim]),
        Link("restates", ids[critics]),
    }
    assert anns[claim].links == ()


def test_a_locution_source_names_the_document_of_what_it_asserts(tmp_path: Path) -> None:
    path = tmp_path / "nodeset1234.json"
    path.write_bytes(
        aifdb(
            [
                ("1", "I", "We disagree."),
                ("2", "L", "Ann : We disagree."),
                ("3", "YA", "Asserting"),
            ],
            [("2", "3"), ("3", "1")],
            locutions=[{"nodeID": "2", "personID": "1", "source": "plain.txt"}],
        )
    )
    with AnnotationStore.open(tmp_path / "store.json") as store:
        report = import_file(path, "aif", FIXTURE.corpus, store)
        assert report.unmatched == []
        (ann,) = store.annotations()
    assert (ann.doc, ann.quote) == ("plain", "We disagree.")


def test_what_arguebuf_writes_imports(tmp_path: Path) -> None:
    """A graph built and saved by arguebuf (AIF without locutions or reader objects)."""
    graph = ab.Graph()
    claim = ab.AtomNode("The economy grew by 2% last year.")
    premise = ab.AtomNode("We disagree.")
    scheme = ab.SchemeNode(Attack.DEFAULT)
    rephrase = ab.SchemeNode(Rephrase.DEFAULT)
    for node in (claim, premise, scheme, rephrase):
        graph.add_node(node)
    for source, target in ((premise, scheme), (scheme, claim), (claim, rephrase)):
        graph.add_edge(ab.Edge(source, target))
    path = tmp_path / "plain.json"
    path.write_bytes(orjson.dumps(ab.dump.aif(graph)))
    with AnnotationStore.open(tmp_path / "store.json") as store:
        report = import_file(path, "aif", FIXTURE.corpus, store)
        assert (report.imported, report.unmatched) == (2, [])
        by_quote = {ann.quote: ann for ann in store.annotations()}
    target = by_quote["The economy grew by 2% last year."].id
    assert by_quote["We disagree."].links == (Link("attacks", target),)


def test_a_text_not_in_the_document_is_reported_unmatched(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    path.write_bytes(aifdb([("1", "I", "Not in the text."), ("2", "I", "We disagree.")], []))
    with AnnotationStore.open(tmp_path / "store.json") as store:
        report = import_file(path, "aif", FIXTURE.corpus, store, allow_unmatched=True)
        assert report.imported == 1
        (unmatched,) = report.unmatched
    assert unmatched.where == f"{path}: node 1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[]", "not AIF JSON"),
        (b'{"nodes": [1]}', "node 1: a node must be an object"),
        (b'{"nodes": [{"nodeID": true, "type": "I", "text": ""}]}', "node 1: nodeID True"),
        (
            b'{"nodes": [{"nodeID": "1", "type": "I", "text": "a"}], "edges": '
            b'[{"fromID": "1", "toID": "9"}]}',
            "edge 1: toID '9' names no node",
        ),
        (
            b'{"nodes": [{"nodeID": "1", "type": "I", "text": "a"}, '
            b'{"nodeID": 1, "type": "I", "text": "b"}]}',
            "node 2: nodeID '1' appears twice",
        ),
        (
            b'{"nodes": [{"nodeID": "1", "type": "I", "text": "a", "reader": {"start": -1, '
            b'"end": 2}}]}',
            "node 1: start and end must both be numbers",
        ),
        (b'{"nodes": [], "locutions": [{"nodeID": "1", "source": 5}]}', "locution 1: source"),
    ],
)
def test_broken_files_are_refused_in_one_line(content: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with (
        AnnotationStore.open(tmp_path / "store.json") as store,
        pytest.raises(FormatError) as caught,
    ):
        import_file(path, "aif", FIXTURE.corpus, store)
    assert message in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_links_to_annotations_outside_the_export_are_listed(tmp_path: Path) -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    ann = annotation_from_document(doc, 0, 5, links=[Link("supports", "elsewhere")])
    result = export("aif", [ann], FIXTURE.corpus, tmp_path / "out.json")
    assert [item.reason for item in result.dropped] == [
        "link supports → elsewhere points outside the export"
    ]
    raw = orjson.loads((tmp_path / "out.json").read_bytes())
    assert [n["type"] for n in raw["nodes"]] == ["I", "L", "YA"]


def test_the_commands_carry_an_argument_from_one_project_to_another(tmp_path: Path) -> None:
    """`reader export --format aif` in one project, `reader import --format aif` in a copy of its
    corpus with an empty store: the same annotations and links arrive; the Argdown export of the
    same store writes both links."""
    source = make_project(tmp_path / "source")
    doc = source.corpus.get("plain")
    assert doc is not None
    claim = annotation_from_document(doc, 0, 33, label="claim", note="the main claim")
    premise = annotation_from_document(
        doc, 34, 65, label="premise", tags=["quote"], links=[Link("supports", claim.id)]
    )
    rebuttal = annotation_from_document(doc, 67, 79, links=[Link("attacks", premise.id)])
    with AnnotationStore.open(source.root / "annotations" / "store.json") as store:
        store.write_many(add=[claim, premise, rebuttal], update=[])
    target = tmp_path / "target"
    shutil.copytree(source.root / "corpus", target / "corpus")

    def reader(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reader", *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )

    out = tmp_path / "argument.aif.json"
    done = reader("export", "--format", "aif", "-o", str(out), str(source.root))
    assert done.returncode == 0, done.stderr
    assert "exported 3 annotations" in done.stderr and "aif leaves out nothing" in done.stderr
    done = reader("import", str(out), "--format", "aif", str(target))
    assert done.returncode == 0, done.stderr
    assert "3 imported" in done.stdout
    with AnnotationStore.open(target / "annotations" / "store.json", read_only=True) as store:
        back = sorted(store.annotations(), key=lambda a: a.id)
    assert back == sorted([claim, premise, rebuttal], key=lambda a: a.id)
    done = reader("export", "--format", "argdown", str(source.root))
    assert done.returncode == 0, done.stderr
    assert f"  +> [a-{claim.id}]" in done.stdout and f"  -> [a-{premise.id}]" in done.stdout


def test_the_annotator_is_named_annotator_and_older_files_calling_it_author_still_import(
    tmp_path: Path,
) -> None:
    doc = FIXTURE.corpus.get("plain")
    assert doc is not None
    ann = annotation_from_document(doc, 4, 11, label="claim", author="ana")
    export("aif", [ann], FIXTURE.corpus, tmp_path / "new.json")
    data = orjson.loads((tmp_path / "new.json").read_bytes())
    [extra] = [node["reader"] for node in data["nodes"] if "reader" in node]
    assert extra["annotator"] == "ana" and "author" not in extra
    extra["author"] = extra.pop("annotator")  # as files were written before
    (tmp_path / "old.json").write_bytes(orjson.dumps(data))
    with AnnotationStore.open(tmp_path / "store.json") as store:
        import_file(tmp_path / "old.json", "aif", FIXTURE.corpus, store)
        assert [a.author for a in store.annotations()] == ["ana"]
