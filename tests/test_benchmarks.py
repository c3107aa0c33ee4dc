"""Benchmarks are checked for correctness at tiny sizes, never for speed."""

from __future__ import annotations

from pathlib import Path

from benchmarks.make_corpus import make_corpus
from benchmarks.startup import measure
from reader.corpus import Corpus, Status


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
