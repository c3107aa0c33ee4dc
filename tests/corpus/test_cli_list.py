"""`reader list` at the width of a pipe (80 columns) and narrower: problem files show their status and
every id is shown whole."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from reader.cli import cli
from reader.corpus.documents import Corpus
from reader.corpus.listing import documents_table
from tests.conftest import SHIPPED_CORPUS

PROBLEMS = {"odd": "cp1252", "blob": "binary", "nothing": "empty"}


@pytest.fixture
def troubled(tmp_path: Path) -> Path:
    """The shipped corpus plus a Windows-1252 file, a binary one and an empty one."""
    shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus")
    (tmp_path / "corpus" / "odd.txt").write_bytes("Café society\nSome text.\n".encode("cp1252"))
    (tmp_path / "corpus" / "blob.txt").write_bytes(b"\x00\x01\x02\x03binary")
    (tmp_path / "corpus" / "nothing.txt").write_bytes(b"")
    return tmp_path


def header(lines: list[str]) -> int:
    return next(n for n, line in enumerate(lines) if line.lstrip().startswith("Title / id"))


def first_column(lines: list[str]) -> str:
    """The Title / id column of every row, its lines run together."""
    top = header(lines)
    width = lines[top].index("Author")
    return "".join(line[:width].strip() for line in lines[top + 2 :])


@pytest.mark.parametrize("width", [80, 100, 160])
def test_status_and_whole_ids_show_at_the_width_of_a_pipe(troubled: Path, width: int) -> None:
    corpus = Corpus.load(troubled / "corpus")
    out = io.StringIO()
    Console(file=out, width=width).print(documents_table(corpus))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    top = header(lines)
    assert "Status" in lines[top]
    status_at = lines[top].index("Status")
    statuses = {line[status_at:].strip() for line in lines[top + 2 :]} - {""}
    assert statuses == {"ok", *PROBLEMS.values()}
    column = first_column(lines)
    for doc in corpus:
        assert doc.id in column, doc.id  # shown whole, not "peace-2019-09-winning-b…"
    assert "…" not in out.getvalue()


def test_each_problem_file_has_its_status_on_its_row(troubled: Path) -> None:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["list", str(troubled)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    for doc_id, status in PROBLEMS.items():
        # Short ids and titles: the title line is the row's first line and the id line follows.
        id_line = max(n for n, line in enumerate(lines) if line.split()[:1] == [doc_id])
        title_line = lines[id_line - 1]
        assert title_line.rstrip().endswith(status), (doc_id, title_line)


def test_narrow_terminals_still_show_the_status(troubled: Path) -> None:
    corpus = Corpus.load(troubled / "corpus")
    out = io.StringIO()
    Console(file=out, width=60).print(documents_table(corpus))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 60
    assert "Status" in lines[header(lines)] and "cp1252" in out.getvalue()
    for doc in corpus:
        assert doc.id in first_column(lines), doc.id
