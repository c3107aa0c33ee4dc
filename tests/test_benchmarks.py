"""Benchmarks are checked for correctness at tiny sizes, never for speed."""

from __future__ import annotations

from pathlib import Path

from benchmarks.make_corpus import make_corpus
from benchmarks.startup import measure
from reader.corpus.documents import Corpus, Status


def test_make_corpus_builds_a_readable_project(tmp_path: Path) -> None:
    make_corpus(12, tmp_path / "synthetic")
    corpus = Corpus.load(tmp_path / "synthetic" / "corpus")
    assert len(corpus) == 12
    assert all(doc.status == Status.OK for doc in corpus)
    assert all(2500 < len(doc.text) < 8000 for doc in corpus)
    assert len({doc.title for doc in corpus}) == 12


def test_startup_benchmark_runs_both_programs(project: Path) -> None:
    times = measure(project, runs=1)
    assert len(times) == 2
    assert all(len(values) == 1 and values[0] > 0 for values in times.values())


def test_scale_project_has_the_annotations_asked_for(tmp_path: Path) -> None:
    from benchmarks.scale import make_scale_project
    from reader.store import AnnotationStore

    make_scale_project(tmp_path / "scale", docs=6, annotations=40)
    corpus = Corpus.load(tmp_path / "scale" / "corpus")
    with AnnotationStore.open(tmp_path / "scale" / "annotations" / "store.json") as store:
        annotations = store.annotations()
    assert len(annotations) == 40
    assert {a.doc for a in annotations} == {doc.id for doc in corpus}
    for annotation in annotations:
        doc = corpus.get(annotation.doc)
        assert doc is not None and annotation.quote == doc.text[annotation.start : annotation.end]


async def test_document_benchmark_opens_and_moves(tmp_path: Path) -> None:
    from benchmarks.document import big_document, make_project, open_and_move

    assert 9_000 < len(big_document(0.01).encode()) < 12_000
    project = make_project(tmp_path / "bench", 0.01)
    opened, moves = await open_and_move(project, "big", cold=True, moves=3)
    assert opened > 0 and len(moves) == 3


async def test_document_benchmark_presses_every_key_with_annotations(tmp_path: Path) -> None:
    from benchmarks.document import KEYS, annotate, make_project, open_and_press
    from reader.store import AnnotationStore

    project = make_project(tmp_path / "bench", 0.02)
    annotate(project, "big", 50)
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        assert len(store.annotations("big")) == 50
    opened, times = await open_and_press(project, "big", rounds=1)
    assert opened > 0 and set(times) == {"first j", *KEYS}
    assert all(len(values) == 1 for values in times.values())
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        assert len(store) == 50  # `1` then `u`: the document is left as it was


def test_search_benchmark_measures_a_store_with_a_huge_note(tmp_path: Path) -> None:
    from benchmarks.search import LAST_WORD, huge_note, make_annotations, measure_huge_note

    make_corpus(6, tmp_path / "synthetic")
    corpus = Corpus.load(tmp_path / "synthetic" / "corpus")
    assert huge_note(corpus, 0.05).endswith(LAST_WORD)
    results = measure_huge_note(corpus, make_annotations(corpus, 30), 0.05, runs=1)
    (without, with_note) = results.values()
    assert without[4] == 0 and with_note[4] == 1  # only the huge note holds the last word


def test_claims_end_to_end_runs_the_command_on_the_generated_file(tmp_path: Path) -> None:
    import json

    from benchmarks.claims_speed import end_to_end, one_document, run_cli

    path = tmp_path / "small.txt"
    path.write_text(one_document(3000), encoding="utf-8")
    seconds, cpu, output = run_cli(path, "jsonl", runs=1)
    (record,) = [json.loads(line) for line in output.splitlines()]
    assert seconds > 0 and cpu > 0 and record["path"] == str(path) and record["sentences"]
    rows = end_to_end(3000, runs=1)
    assert [row[0] for row in rows] == [
        "reader claims --format jsonl",
        "reader claims --format text",
    ]
    assert all(
        megabytes > 0.002 and seconds > 0 and cpu > 0 and scorer > 0
        for _, megabytes, seconds, cpu, scorer in rows
    )


def test_anchoring_benchmark_classifies_every_annotation_of_every_edit() -> None:
    from benchmarks.anchoring import KINDS, quality, texts

    text = texts(0.02, 3)[0]
    table = quality([(text, 30)], 1, 3)
    assert set(table) == set(KINDS)
    for counts in table.values():
        assert sum(counts[f"n {g}"] for g in ("untouched", "small", "large")) == 30
        assert counts["misplaced"] == 0
    assert table["insert before spans"]["exact"] == 30


async def test_argument_map_benchmark_links_and_opens_both(tmp_path: Path) -> None:
    from benchmarks.argument_map import link_at_random, open_both
    from benchmarks.document import annotate, make_project
    from reader.store import AnnotationStore

    project = make_project(tmp_path / "bench", 0.02)
    annotate(project, "big", 30)
    assert link_at_random(project, 40) == 40
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        anns = store.annotations("big")
        pairs = {(a.id, link.to) for a in anns for link in a.links}
        assert len(pairs) == 40 and all(source != target for source, target in pairs)
    opened, mapped = await open_both(project, "big", rounds=2)
    assert len(opened) == len(mapped) == 2 and min(opened + mapped) > 0


def test_startup_benchmark_times_until_the_content_is_on_the_terminal(project: Path) -> None:
    times = measure(project, runs=1, to="visible")
    assert len(times) == 2
    assert all(len(values) == 1 and values[0] > 0 for values in times.values())


async def test_adjudication_benchmark_builds_the_disagreements_and_presses_each_key(
    tmp_path: Path,
) -> None:
    from benchmarks.adjudication import make_team_project, measure

    project, annotations = make_team_project(tmp_path / "team", 60)
    assert annotations > 60
    times, count = await measure(project, runs=1, keys=2)
    assert count == 60
    assert all(
        len(values) == (1 if "open" in name or "list" in name else 2)
        for name, values in times.items()
        if not name.startswith("baseline")
    )
    assert min(v for values in times.values() for v in values) > 0
    # Every decision taken was undone: the annotators' layers and no gold, as built.
    from reader.store import AnnotationStore

    with AnnotationStore.open(project / "annotations" / "store.json", read_only=True) as store:
        assert len(store) == annotations
        assert store.redo_step() is not None  # the last take, undone


def test_agreement_benchmark_runs_reader_and_bratiaa(tmp_path: Path) -> None:
    from benchmarks.agreement import agree, make_team_project, measure, report

    folder = make_team_project(tmp_path / "team", annotators=3, docs=2, spans=4)
    figures = agree(folder)
    assert figures.annotators == ["annotator1", "annotator2", "annotator3"]
    assert len(figures.documents) == 2
    times = measure(folder, runs=1, with_bratiaa=True)
    assert len(times) == 5 and all(len(values) == 1 for values in times.values())
    assert len(report(times)) == 6


def test_layers_benchmark_measures_every_figure() -> None:
    from benchmarks.layers import measure

    figures = measure(runs=1, annotations=40, annotators=3)
    assert len(figures) == 7
    assert all(value >= 0 for value in figures.values())


async def test_document_work_benchmark_counts_each_key(tmp_path: Path) -> None:
    from benchmarks.document import KEYS, annotate, make_project
    from benchmarks.document_work import count_keys

    project = make_project(tmp_path / "bench", 0.02)
    annotate(project, "big", 30)
    counted = await count_keys(project, "big", rounds=1)
    assert set(counted) == set(KEYS) - {"none"}
    assert all(figures["strips"] > 0 for figures in counted.values())  # every key repaints


def test_links_benchmark_finds_what_a_walk_finds() -> None:
    from benchmarks.links import measure

    # measure() checks, for every id asked, that the store's answer is the walk's.
    indexed, walk = measure(count=300, docs=5, asks=10)
    assert indexed >= 0 and walk > 0
