"""`reader check`: every annotation whose document changed, re-anchored; nothing written without
--fix; with it one undoable step; exit 1 when something is orphaned, 2 on error."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, annotation_from_document
from reader.store.annotation_store import AnnotationStore

REPO = Path(__file__).resolve().parents[2]
OPED = (
    "North East Derbyshire is now a key marginal. We have to win here in order to return a Labour "
    "government. The party's vote fell in every ward.\n"
)
CLAIM = "We have to win here in order to return a Labour government."
FACT = "The party's vote fell in every ward."
MARGINAL = "North East Derbyshire is now a key marginal."


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def project(tmp_path: Path) -> tuple[Path, list[Annotation]]:
    root = tmp_path / "p"
    (root / "corpus").mkdir(parents=True)
    (root / "annotations").mkdir()
    (root / "corpus" / "oped.txt").write_text(OPED, encoding="utf-8")
    doc = Corpus.load(root / "corpus").get("oped")
    assert doc is not None
    anns = [
        annotation_from_document(doc, OPED.index(q), OPED.index(q) + len(q), label="claim")
        for q in (CLAIM, FACT, MARGINAL)
    ]
    with AnnotationStore.open(root / "annotations" / "store.json") as store:
        store.add_many(anns)
    return root, anns


def edit(root: Path, text: str) -> None:
    (root / "corpus" / "oped.txt").write_text(text, encoding="utf-8")


def stored(root: Path) -> dict[str, Annotation]:
    with AnnotationStore.open(root / "annotations" / "store.json", read_only=True) as store:
        return {ann.id: ann for ann in store.annotations()}


def test_an_unchanged_project_checks_clean(tmp_path: Path) -> None:
    root, _ = project(tmp_path)
    done = reader("check", str(root))
    assert done.returncode == 0, done.stderr
    assert "every annotation is where its text is" in done.stdout


def test_check_reports_without_writing_and_fix_writes_one_undoable_step(tmp_path: Path) -> None:
    root, (claim, fact, marginal) = project(tmp_path)
    edited = "Standfirst added.\n" + OPED.replace(FACT, "").replace("key marginal", "key marginall")
    edit(root, edited)
    before = stored(root)
    done = reader("check", str(root), "--format", "json")
    assert done.returncode == 1, done.stderr  # something is orphaned
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert set(rows[claim.id]) == {"id", "doc", "status", "start", "end", "quote", "old_quote"}
    assert rows[claim.id]["status"] == "moved"
    assert edited[rows[claim.id]["start"] : rows[claim.id]["end"]] == CLAIM
    assert rows[fact.id] | {"id": 0} == {
        "id": 0, "doc": "oped", "status": "orphaned", "start": None, "end": None, "quote": FACT,
        "old_quote": "",
    }  # fmt: skip
    assert rows[marginal.id]["status"] == "approximate"
    assert rows[marginal.id]["old_quote"] == MARGINAL
    assert stored(root) == before  # nothing written

    text = reader("check", str(root))
    assert text.returncode == 1 and "nothing written (run with --fix" in text.stdout
    assert "1 moved, 1 approximate, 1 orphaned" in text.stdout

    fixed = reader("check", str(root), "--fix")
    assert fixed.returncode == 1 and "written to the store" in fixed.stdout
    now = stored(root)
    assert now[claim.id].anchor_status == "moved" and now[fact.id].orphaned
    assert now[marginal.id].quote == "North East Derbyshire is now a key marginall."
    assert {ann.doc_sha256 for ann in now.values()} != {claim.doc_sha256}
    # The document is now settled: only the orphan is still reported.
    again = reader("check", str(root), "--format", "json")
    assert [row["id"] for row in json.loads(again.stdout)] == [fact.id]
    # One undo step puts every annotation back as it was.
    with AnnotationStore.open(root / "annotations" / "store.json") as store:
        assert store.undo()
    assert stored(root) == before


def test_check_on_a_missing_project_is_an_error(tmp_path: Path) -> None:
    done = reader("check", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and done.stderr.startswith("reader: ")


def test_exports_re_anchor_without_writing_and_orphans_go_out_without_offsets(
    tmp_path: Path,
) -> None:
    root, (claim, fact, _marginal) = project(tmp_path)
    edited = "North East Derbyshire, a headline.\n" + OPED.replace(FACT, "")
    edit(root, edited)
    before = stored(root)
    out = tmp_path / "out"
    # brat: the claim at its new offsets, holding its text; the orphan listed as left out.
    done = reader("export", "--format", "brat", "-o", str(out / "brat"), str(root))
    assert done.returncode == 0, done.stderr
    ann_file = (out / "brat" / "oped.ann").read_text(encoding="utf-8")
    start = edited.index(CLAIM)
    assert f"claim {start} {start + len(CLAIM)}\t{CLAIM}" in ann_file
    assert FACT not in ann_file
    assert f"left out of {fact.id}: orphaned" in done.stderr
    # doccano: likewise.
    done = reader("export", "--format", "jsonl", "-o", str(out / "d.jsonl"), str(root))
    line = json.loads((out / "d.jsonl").read_text(encoding="utf-8"))
    spans = [(e["start_offset"], e["end_offset"]) for e in line["entities"]]
    assert (start, start + len(CLAIM)) in spans
    assert len(line["entities"]) == 2 and f"left out of {fact.id}: orphaned" in done.stderr
    # json, csv, w3c: the orphan with its quote and no offsets.
    reader("export", "--format", "json", "-o", str(out / "a.json"), str(root))
    rows = {a["id"]: a for a in json.loads((out / "a.json").read_text())["annotations"]}
    assert (rows[fact.id]["start"], rows[fact.id]["quote"]) == (None, FACT)
    assert rows[fact.id]["anchor_status"] == "orphaned"
    assert rows[claim.id]["start"] == start
    reader("export", "--format", "csv", "-o", str(out / "a.csv"), str(root))
    with (out / "a.csv").open(encoding="utf-8", newline="") as handle:
        table = {row["id"]: row for row in csv.DictReader(handle)}
    assert (table[fact.id]["start"], table[fact.id]["quote"]) == ("", FACT)
    assert table[claim.id]["start"] == str(start)
    reader("export", "--format", "w3c", "-o", str(out / "a.jsonld"), str(root))
    items = json.loads((out / "a.jsonld").read_text())["first"]["items"]
    orphan = next(item for item in items if item["id"].endswith(fact.id))
    assert orphan["target"]["selector"] == [
        {"type": "TextQuoteSelector", "exact": FACT, "prefix": fact.prefix, "suffix": fact.suffix}
    ]
    assert stored(root) == before  # exports never write


def test_check_says_which_id_a_renamed_document_became(tmp_path: Path) -> None:
    root, anns = project(tmp_path)
    corpus = root / "corpus"
    (corpus / "oped.txt").rename(corpus / "oped.md")  # same id "oped": nothing to say
    assert "not in the corpus" not in reader("check", str(root)).stdout
    (corpus / "moved").mkdir()
    (corpus / "oped.md").rename(corpus / "moved" / "oped.md")
    done = reader("check", str(root))
    assert done.returncode == 0, done.stderr
    assert "oped became moved/oped (the same text): 3 annotations to move (run with --fix)" in (
        done.stdout
    )
    # Renamed and edited: told by the quotes found in it.
    (corpus / "moved" / "oped.md").write_text("Intro.\n" + OPED, encoding="utf-8")
    done = reader("check", str(root))
    assert "oped became moved/oped (3 of 3 quotes found in it)" in done.stdout
    assert anns


def test_search_finds_annotations_where_their_text_is_now(tmp_path: Path) -> None:
    root, (claim, fact, _marginal) = project(tmp_path)
    edited = "A standfirst added on top.\n" + OPED.replace(FACT, "")
    edit(root, edited)
    before = stored(root)
    done = reader("search", "label:claim", str(root), "--format", "json")
    assert done.returncode == 0, done.stderr
    hits = {hit["id"]: hit for hit in json.loads(done.stdout)}
    start = edited.index(CLAIM)
    assert (hits[claim.id]["start"], hits[claim.id]["end"]) == (start, start + len(CLAIM))
    assert (hits[fact.id]["start"], hits[fact.id]["end"]) == (None, None)  # orphaned: no span
    text = reader("search", "label:claim", str(root))
    assert f"oped {start}-{start + len(CLAIM)}" in text.stdout
    assert stored(root) == before  # searching writes nothing


def test_markdown_lists_orphans_in_their_own_section_with_quote_note_and_tags(
    tmp_path: Path,
) -> None:
    root, (_claim, fact, _marginal) = project(tmp_path)
    with AnnotationStore.open(root / "annotations" / "store.json") as store:
        store.update(fact.id, note="the ward figures", tags=("turnout",))
        doc = Corpus.load(root / "corpus").get("oped")
        store.add(annotation_from_document(doc, None, None, note="on it all"))
    edit(root, OPED.replace(FACT, ""))
    out = tmp_path / "r.md"
    done = reader("export", "--format", "md", "-o", str(out), str(root))
    assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    head, orphans = report.split("### Orphaned — no longer found in the text\n")
    assert FACT not in head and CLAIM in head
    assert "*On the whole document*" in head and "on it all" in head  # a document note stays
    assert f"> {FACT}" in orphans and "the ward figures" in orphans and "turnout" in orphans
    assert "On the whole document" not in orphans and CLAIM not in orphans
