"""Piped or redirected, `reader search` and `reader claims` write whole lines: no wrapping at the
80 columns a pipe gets, no trailing spaces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from tests.formats.formats_helpers import make_project

# Longer than a pipe's 80 columns, shorter than the 160 characters a search snippet shows.
LONG = (
    "Turnout in the former coalfield seats fell by nine points between 2017 and 2019, "
    "according to the figures."
)
NOTE = (
    "A long note that runs well past eighty columns so that a hard wrap would split it across "
    "lines with trailing spaces at each break."
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_search_hits_are_not_wrapped_or_padded_when_piped(tmp_path: Path) -> None:
    fx = make_project(tmp_path / "p", {"long": f"Coalfields\n\n{LONG}\n"})
    doc = fx.corpus.get("long")
    assert doc is not None
    start = doc.text.index(LONG)
    ann = annotation_from_document(doc, start, start + len(LONG), label="claim", note=NOTE)
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        store.add(ann)
    code, out, err = run("search", "turnout", str(fx.root))
    assert code == 0, err
    lines = out.splitlines()
    assert any(LONG in line for line in lines)  # the quote on one line
    assert any(NOTE in line for line in lines)  # the note on one line
    assert not [line for line in lines if line != line.rstrip()]
    code, out, err = run("search", "text:turnout", str(fx.root))
    assert code == 0, err
    assert any(LONG in line for line in out.splitlines())


def test_claims_text_is_not_wrapped_or_padded_when_piped(tmp_path: Path) -> None:
    path = tmp_path / "piece.txt"
    path.write_text(f"Coalfields\n\n{LONG} We must win them back.\n", encoding="utf-8")
    code, out, err = run("claims", str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert any(LONG in line for line in lines)
    assert not [line for line in lines if line != line.rstrip()]


CORPUS = Path(__file__).parents[2] / "corpus"


@pytest.mark.parametrize(
    "args",
    [
        ["claims", str(CORPUS)],
        ["claims", "--format", "jsonl", str(CORPUS)],
        ["list", str(CORPUS.parent)],
        ["search", "labour", str(CORPUS.parent)],
    ],
)
def test_an_output_that_cannot_be_written_is_said_in_one_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:  # every write fails: no space left
        result = subprocess.run(
            [sys.executable, "-m", "reader", *args], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "reader: cannot write the output (No space left on device)"
    ]


def test_a_pipe_closed_early_ends_the_command_quietly() -> None:
    # `reader claims --format jsonl corpus | head -c 1`: far more output than the pipe holds.
    command = [sys.executable, "-m", "reader", "claims", "--format", "jsonl", str(CORPUS)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(1) == b"{"
        process.stdout.close()
        errors = process.stderr.read()
    assert process.returncode != 0
    assert errors == b""
