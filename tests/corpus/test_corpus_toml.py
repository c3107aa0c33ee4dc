"""corpus.toml with values of the wrong type: a clear error naming the file and the key, or a sensible
reading (TOML dates as ISO dates, whole numbers as text) — never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import cli
from reader.corpus.documents import Corpus
from reader.errors import CorpusError


def write(folder: Path, toml: str) -> Path:
    (folder / "a.txt").write_text("First line\nbody\n")
    (folder / "corpus.toml").write_text(toml, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ('documents = "a"\n', "documents"),
        ("documents = 3\n", "documents"),
        ('[documents]\na = "a title"\n', 'documents."a"'),
        ("[documents]\na = [1, 2]\n", 'documents."a"'),
        ("[documents.a]\ntitle = true\n", 'documents."a".title'),
        ("[documents.a]\ntitle = [1]\n", 'documents."a".title'),
        ("[documents.a]\nauthor = { name = 'x' }\n", 'documents."a".author'),
        ("[documents.a]\ndate = 2019.5\n", 'documents."a".date'),
        ("[documents.a]\ndate = 12:30:00\n", 'documents."a".date'),
        ("[documents.a.inner]\ntitle = 'x'\n", 'documents."a".inner'),
        ('labels = "claim"\n', "labels"),
        ("[labels]\nname = 'claim'\n", "labels"),
        ("labels = [1, 2]\n", "labels"),
        ("[[labels]]\nname = 3\n", "labels"),
        ("[[labels]]\nname = 'claim'\nkey = 1\n", "labels"),
    ],
)
def test_wrong_types_name_the_file_and_the_key(tmp_path: Path, toml: str, named: str) -> None:
    write(tmp_path, toml)
    with pytest.raises(CorpusError) as info:
        Corpus.load(tmp_path)
    message = str(info.value)
    assert str(tmp_path / "corpus.toml") in message
    assert named in message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2019-05-01", "2019-05-01"),
        ("2019-05-01T10:30:00", "2019-05-01T10:30:00"),
        ("2019-05-01T10:30:00Z", "2019-05-01T10:30:00+00:00"),
        ("2019", "2019"),
        ('"2019-05"', "2019-05"),
    ],
)
def test_toml_dates_and_years_are_read_as_iso_text(tmp_path: Path, value: str, shown: str) -> None:
    write(tmp_path, f"[documents.a]\ndate = {value}\ntitle = 1984\n")
    doc = Corpus.load(tmp_path).documents[0]
    assert doc.date == shown
    assert doc.title == "1984"
    assert doc.to_json()["date"] == shown


def test_cli_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    write(tmp_path / "corpus", "[documents]\na = 'x'\n")
    result = CliRunner().invoke(cli, ["list", str(tmp_path)])
    assert result.exit_code == 2
    assert "corpus.toml" in result.stderr and 'documents."a"' in result.stderr
    assert "Traceback" not in result.output + result.stderr


VALUES = [
    '"text"', '""', "3", "0", "-1", "2.5", "true", "false", "[]", '["a"]', "[1, 2]", "{}",
    '{ title = "x" }', "2019-05-01", "2019-05-01T10:30:00", "2019-05-01T10:30:00Z", "10:30:00",
]  # fmt: skip
KEYS = ["title", "author", "party", "outlet", "date", "summary", "other"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    top=st.lists(
        st.tuples(st.sampled_from(["documents", "labels", "other"]), st.sampled_from(VALUES)),
        max_size=2,
        unique_by=lambda kv: kv[0],
    ),
    fields=st.lists(
        st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)), unique_by=lambda kv: kv[0]
    ),
)
def test_any_value_anywhere_loads_or_says_where(
    tmp_path: Path, top: list[tuple[str, str]], fields: list[tuple[str, str]]
) -> None:
    lines = [f"{key} = {value}" for key, value in top]
    if not any(key == "documents" for key, _ in top):
        lines += ["[documents.a]", *(f"{key} = {value}" for key, value in fields)]
    write(tmp_path, "\n".join(lines) + "\n")
    try:
        corpus = Corpus.load(tmp_path)
    except CorpusError as exc:
        assert str(tmp_path / "corpus.toml") in str(exc)
        return
    for doc in corpus:
        row = doc.to_json()
        assert all(isinstance(row[key], str) for key in ("title", "author", "date", "party"))
        assert len(corpus.scheme) > 0
