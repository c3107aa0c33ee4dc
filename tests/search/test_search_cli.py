"""`reader search` output, and the search benchmark at a tiny size (correctness only)."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from benchmarks.search import measure
from reader.cli import cli
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore

PEACE = "peace-2019-09-winning-back-labours-heartlands"


def _annotate(project: Path) -> str:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    start = doc.text.index("Leave")
    ann = annotation_from_document(
        doc,
        start,
        start + 5,
        note="Brexit cost votes \x1b[31m[bold]",
        tags=["red-wall"],
        label="claim",
    )
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(ann)
    return ann.id


def test_text_output_shows_title_location_label_tags_quote_and_note(project: Path) -> None:
    _annotate(project)
    result = CliRunner().invoke(cli, ["search", "brex", str(project)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1. Winning back Labour’s heartlands")
    assert PEACE in result.output and "[claim]" in result.output and "#red-wall" in result.output
    assert "“Leave”" in result.output
    assert "note: Brexit cost votes ␛[31m[bold]" in result.output  # inert, markup shown as written
    assert "\x1b[31m" not in result.output


def test_an_annotation_with_tags_only_is_shown_unlabelled(project: Path) -> None:
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None
    start = doc.text.index("Leave")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, start, start + 5, tags=["sourcing"]))
    result = CliRunner().invoke(cli, ["search", "tag:sourcing", str(project)])
    assert result.exit_code == 0, result.output
    assert "[unlabelled]  #sourcing" in result.output.splitlines()[0]


def test_json_output_has_offsets_and_highlight_spans(project: Path) -> None:
    ann_id = _annotate(project)
    result = CliRunner().invoke(cli, ["search", "cost brexit", str(project), "--format", "json"])
    assert result.exit_code == 0, result.output
    (hit,) = orjson.loads(result.output)
    assert hit["id"] == ann_id and hit["doc"] == PEACE and hit["quote"] == "Leave"
    doc = Corpus.load(project / "corpus").get(PEACE)
    assert doc is not None and doc.text[hit["start"] : hit["end"]] == "Leave"
    assert [hit["note"][s:e] for s, e in hit["highlights"]["note"]] == ["Brexit", "cost"]
    # The annotation's annotator is `annotator`; `author` means a document's writer elsewhere.
    assert "annotator" in hit and "author" not in hit


def test_text_queries_and_limits(project: Path) -> None:
    result = CliRunner().invoke(
        cli, ["search", 'text:"red wall"', str(project), "--limit", "1", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (hit,) = orjson.loads(result.output)
    assert "red wall" in hit["text"].lower() and "id" not in hit


def test_warnings_go_to_stderr_and_strict_refuses(project: Path) -> None:
    _annotate(project)
    runner = CliRunner()
    result = runner.invoke(cli, ["search", 'colour:red "brexit', str(project)])
    assert result.exit_code == 0
    assert 'position 1: unknown field "colour:"' in result.stderr
    assert "position 12: the quote is never closed" in result.stderr
    strict = runner.invoke(cli, ["search", "colour:red", str(project), "--strict"])
    assert strict.exit_code == 2
    assert strict.stderr.startswith("reader: query 'colour:red': position 1:")


def test_a_label_no_annotation_can_have_is_named_with_the_labels_there_are(project: Path) -> None:
    # label:clam (for claim) found nothing and said only that nothing matched.
    _annotate(project)
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "label:clam", str(project)])
    assert result.exit_code == 0
    assert "label:clam matches no label (claim, counterclaim, evidence" in result.stderr
    assert "label:" not in runner.invoke(cli, ["search", "label:clai", str(project)]).stderr


def test_empty_store_and_no_matches(project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "brexit", str(project)])
    assert result.exit_code == 0 and "No annotations yet" in result.output
    _annotate(project)
    result = runner.invoke(cli, ["search", "zzzz", str(project)])
    assert result.exit_code == 0 and "No annotations match 'zzzz'." in result.output


def test_search_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    result = measure(annotations=300, documents=6, runs=1, folder=tmp_path)
    assert result["build_ms"] > 0 and result["tinydb_ms"] > 0
    assert set(result["kinds"]) == {"one word", "three words", "phrase", "fields"}
    # The one-word queries find at least the notes TinyDB's regex finds (ours also searches quotes).
    assert all(
        ours >= theirs
        for ours, theirs in zip(
            result["kinds"]["one word"][2], result["tinydb_counts"], strict=True
        )
    )
