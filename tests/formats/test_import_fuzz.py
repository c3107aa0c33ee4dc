"""Crafted import files, fuzzed: every format either imports or refuses with the project's own error,
and a refused import leaves the store as it was.

Each example starts from a real export of a few annotations and breaks it: a value of the wrong type
(or a huge number, a negative or reversed offset, a deep nesting, NUL, a long string) at any place in
the JSON (native, doccano, W3C, AIF), a cell of the CSV or a field of a brat line, a key dropped, or
the bytes cut short or given invalid UTF-8.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import export, import_file
from tests.conftest import REPO
from tests.formats.formats_helpers import Fixture, make_project

FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="reader-fuzz-")))
DEEP = 1_000  # deeper than Python's repr can go, shallower than orjson's limit (1,024)


def sample(fx: Fixture) -> list[Annotation]:
    plain, emoji = fx.corpus.get("plain"), fx.corpus.get("sub/emoji doc")
    assert plain is not None and emoji is not None
    claim = annotation_from_document(plain, 0, 33, label="claim", tags=["economy"], note="n")
    premise = annotation_from_document(
        plain, 34, 65, label="premise", links=[Link("attacks", claim.id)], note="why"
    )
    whole = annotation_from_document(emoji, None, None, note="overall", label="evidence")
    return [claim, premise, annotation_from_document(emoji, 2, 8, tags=["t"]), whole]


def exported(fmt: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"reader-fuzz-{fmt}-"))
    path = folder / ("brat" if fmt == "brat" else f"good.{fmt}")
    export(fmt, sample(FIXTURE), FIXTURE.corpus, path)
    return path


GOOD = {fmt: exported(fmt) for fmt in ("json", "csv", "jsonl", "w3c", "brat", "aif")}

# Values of the wrong type, size or sign for any field. Deep nesting is a marker replaced in the
# bytes, as orjson will not write more than 254 levels.
numbers = st.integers(-(2**63), 2**64 - 1)  # what JSON files (and orjson) hold
hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.sampled_from([-1, 0, 10**18, 2**63 - 1, 2**64 - 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", "\x00", "9" * 5_000, "x" * 1_000_001, "-5", "١٢", "claim", "__DEEP__"]),
    st.lists(st.one_of(numbers, st.text(max_size=4), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=4), numbers, max_size=2),
)
hostile_cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "\x00", "9" * 5_000, "x" * 1_000_001, "-5", "١٢", "3 1", "1e3", " 7"]),
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, as the keys and indexes leading to it."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths(item, (*prefix, index))
    return out


def mutate_json(data: Any, draw: st.DrawFn) -> Any:
    where = draw(st.sampled_from(paths(data)))
    if not where:
        return draw(hostile_values)
    parent = data
    for step in where[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "replace", "drop", "swap"]))
    if action == "drop" and isinstance(parent, dict):
        del parent[where[-1]]
    elif action == "swap" and isinstance(parent, dict) and {"start", "end"} <= parent.keys():
        parent["start"], parent["end"] = parent["end"], parent["start"]
    else:
        parent[where[-1]] = draw(hostile_values)
    return data


def json_bytes(data: Any) -> bytes:
    nested = b"[" * DEEP + b"]" * DEEP
    return orjson.dumps(data).replace(b'"__DEEP__"', nested)


def break_bytes(data: bytes, draw: st.DrawFn) -> bytes:
    at = draw(st.integers(0, len(data)))
    action = draw(st.sampled_from(["cut", "invalid utf-8", "nul"]))
    if action == "cut":
        return data[:at]
    return data[:at] + (b"\xff\xfe" if action == "invalid utf-8" else b"\x00") + data[at:]


@st.composite
def broken_json(draw: st.DrawFn, fmt: str) -> bytes:
    good = GOOD[fmt].read_bytes()
    if draw(st.integers(0, 5)) == 0:
        return break_bytes(good, draw)
    if fmt == "jsonl":
        lines = [orjson.loads(line) for line in good.splitlines()]
        number = draw(st.integers(0, len(lines) - 1))
        lines[number] = mutate_json(lines[number], draw)
        return b"\n".join(json_bytes(line) for line in lines) + b"\n"
    return json_bytes(mutate_json(orjson.loads(good), draw))


@st.composite
def broken_csv(draw: st.DrawFn) -> bytes:
    good = GOOD["csv"].read_bytes()
    if draw(st.integers(0, 5)) == 0:
        return break_bytes(good, draw)
    rows = list(csv.reader(io.StringIO(good.decode("utf-8"), newline="")))
    row = draw(st.integers(0, len(rows) - 1))
    column = draw(st.integers(0, len(rows[row]) - 1))
    if draw(st.integers(0, 4)) == 0:
        del rows[row][column]
    else:
        rows[row][column] = draw(hostile_cells)
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def broken_brat(draw: st.DrawFn) -> tuple[str, bytes]:
    """One .ann file of the brat folder, broken: (its path in the folder, its new bytes)."""
    name = draw(st.sampled_from(sorted(p.name for p in GOOD["brat"].rglob("*.ann"))))
    (path,) = GOOD["brat"].rglob(name)
    good = path.read_bytes()
    relative = str(path.relative_to(GOOD["brat"]))
    if draw(st.integers(0, 5)) == 0:
        return relative, break_bytes(good, draw)
    lines = good.decode("utf-8").split("\n")
    number = draw(st.integers(0, len(lines) - 1))
    fields = lines[number].replace("\t", " \t ").split(" ")
    index = draw(st.integers(0, len(fields) - 1))
    fields[index] = draw(hostile_cells.filter(lambda cell: "\n" not in cell))
    lines[number] = " ".join(fields).replace(" \t ", "\t")
    return relative, "\n".join(lines).encode("utf-8")


def imports_or_refuses(fmt: str, make: Callable[[Path], Path]) -> None:
    """Import what `make(folder)` writes: it succeeds, or raises the project's own error in one
    line naming the file, and leaves the store unchanged."""
    with tempfile.TemporaryDirectory(prefix="reader-fuzz-") as tmp:
        path = make(Path(tmp))
        with AnnotationStore.open(Path(tmp) / "store.json") as store:
            store.add(sample(FIXTURE)[0])
            before = store.annotations()
            try:
                import_file(path, fmt, FIXTURE.corpus, store, allow_unmatched=True)
            except ReaderError as exc:
                assert "\n" not in str(exc) and str(path) in str(exc), exc
                assert store.annotations() == before
                assert store.undo() and not store.can_undo  # only the annotation added above


def written(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "w3c", "aif"])
@FUZZ
@given(data=st.data())
def test_crafted_json_files_import_or_refuse(fmt: str, data: st.DataObject) -> None:
    content = data.draw(broken_json(fmt))
    imports_or_refuses(fmt, lambda folder: written(folder / f"crafted.{fmt}", content))


@FUZZ
@given(content=broken_csv())
def test_crafted_csv_files_import_or_refuse(content: bytes) -> None:
    imports_or_refuses("csv", lambda folder: written(folder / "crafted.csv", content))


@FUZZ
@given(broken=broken_brat())
def test_crafted_brat_folders_import_or_refuse(broken: tuple[str, bytes]) -> None:
    def make(folder: Path) -> Path:
        shutil.copytree(GOOD["brat"], folder / "brat")
        written(folder / "brat" / broken[0], broken[1])
        return folder / "brat"

    imports_or_refuses("brat", make)


# -- the cases found, as the command shows them ----------------------------------------------------


def native(change: Callable[[dict[str, Any]], None]) -> bytes:
    data = orjson.loads(GOOD["json"].read_bytes())
    change(data)
    return json_bytes(data)


def _brat_offset(folder: Path) -> None:
    (ann,) = folder.rglob("plain.ann")
    ann.write_text(ann.read_text("utf-8").replace("T1\tclaim 0 ", "T1\tclaim " + "9" * 5000 + " "))


CRAFTED: dict[str, tuple[str, Callable[[Path], None]]] = {
    "documents-5.json": ("json", lambda p: p.write_bytes(native(lambda d: d.update(documents=5)))),
    "documents-true.json": (
        "json",
        lambda p: p.write_bytes(native(lambda d: d.update(documents=True))),
    ),
    "deep-origin.json": (
        "json",
        lambda p: p.write_bytes(native(lambda d: d["annotations"][0].update(origin="__DEEP__"))),
    ),
    "brat": ("brat", _brat_offset),
    "edge-to-nowhere.aif": (
        "aif",
        lambda p: p.write_bytes(
            json_bytes(
                {
                    **orjson.loads(GOOD["aif"].read_bytes()),
                    "edges": [{"edgeID": "1", "fromID": "1", "toID": "99"}],
                }
            )
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_the_command_refuses_crafted_files_in_one_line(name: str, tmp_path: Path) -> None:
    fmt, make = CRAFTED[name]
    path = tmp_path / name
    if fmt == "brat":
        shutil.copytree(GOOD["brat"], path)
    make(path)
    project = tmp_path / "project"
    shutil.copytree(FIXTURE.root / "corpus", project / "corpus")
    done = subprocess.run(
        [sys.executable, "-m", "reader", "import", str(path), "--format", fmt, str(project)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and str(path) in done.stderr, done.stderr
