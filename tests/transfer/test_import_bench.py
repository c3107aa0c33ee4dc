"""The crafted-import benchmark is checked for correctness at a tiny size, never for speed."""

from __future__ import annotations

from pathlib import Path

import orjson

from benchmarks.import_crafted import SHAPES, make_files, make_project, measure
from reader.corpus.documents import Corpus


def test_every_crafted_file_is_imported_end_to_end(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", 3, megabytes=0.01)
    corpus = Corpus.load(project / "corpus")
    files = make_files(corpus, 12, tmp_path)
    assert set(files) == {"well-formed", *SHAPES}
    for path in files.values():
        assert len(orjson.loads(path.read_bytes())["annotations"]) == 12
    # measure() stops the benchmark if an import fails or prints a traceback.
    times = measure(project, files, runs=1, folder=tmp_path)
    assert all(len(kinds["dry run"]) == len(kinds["import"]) == 1 for kinds in times.values())
