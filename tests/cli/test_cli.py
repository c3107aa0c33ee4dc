from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from reader import __version__
from reader.cli import cli
from reader.corpus.documents import sha256_text


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_help_on_every_command() -> None:
    commands = cli.list_commands(click.Context(cli))
    assert {"open", "export", "import", "search", "check"} <= set(commands)
    for command in commands:
        code, out, _ = run(command, "--help")
        assert code == 0 and f" {command} [OPTIONS]" in out, command


def test_list_json_is_correct(project: Path) -> None:
    code, out, _ = run("list", str(project), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 4
    keys = {"id", "path", "title", "author", "party", "outlet", "date", "words", "sha256", "status"}
    for row in rows:
        assert keys <= set(row)
        text = Path(row["path"]).read_text(encoding="utf-8")
        assert row["sha256"] == sha256_text(text)
        assert row["words"] == len(text.split())
        assert row["status"] == "ok"
    by_id = {row["id"]: row for row in rows}
    williamson = by_id["williamson-2017-07-how-labour-won-back-derby-north"]
    assert (williamson["author"], williamson["party"]) == ("Chris Williamson", "Labour")


def test_list_table_shows_titles(project: Path) -> None:
    code, out, _ = run("list", str(project))
    assert code == 0
    assert "Chris Williamson" in out and "Lee Rowley" in out


def test_corpus_option_overrides_project(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "only.txt").write_text("The only document\n")
    code, out, _ = run("list", "--corpus", str(other), "--format", "json")
    assert code == 0
    assert [row["id"] for row in json.loads(out)] == ["only"]


def test_user_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    code, _, err = run("list", str(tmp_path / "missing"))
    assert code == 2
    assert err.count("\n") == 1 and "missing" in err and "Traceback" not in err
    code, _, err = run("list", str(tmp_path))  # a folder without corpus/
    assert code == 2 and "--corpus" in err


def test_hostile_corpus_lists_without_crashing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "bin.txt").write_bytes(b"\x00\x01\x02")
    (corpus / "evil.txt").write_text("Title \x1b]52;c;ZXZpbA==\x07 [bold]x[/bold]\n")
    code, out, _ = run("list", str(tmp_path))
    assert code == 0
    assert "\x1b]52" not in out and "\x07" not in out
    assert "[bold]x[/bold]" in out  # markup in titles is shown, not interpreted
    code, out, _ = run("list", str(tmp_path), "--format", "json")
    statuses = {row["id"]: row["status"] for row in json.loads(out)}
    assert statuses == {"bin": "binary", "empty": "empty", "evil": "ok"}


def test_python_dash_m_reader_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in result.stdout


def test_every_command_is_found_by_its_own_name() -> None:
    # Commands load on demand from a table of names: a name that does not match the command it
    # loads would run the wrong command or show the wrong usage line.
    from reader.cli.base import COMMANDS

    for name in COMMANDS:
        command = cli.get_command(click.Context(cli), name)
        assert command is not None and command.name == name
    assert cli.get_command(click.Context(cli), "exportt") is None


def test_a_mistyped_command_is_named_with_the_one_meant(tmp_path: Path) -> None:
    # Not "exprot: no such project folder", nor open's usage complaining about --format.
    runner = CliRunner()
    for args, meant in ((["exprot", "--format", "csv"], "export"), (["serch", "brexit"], "search")):
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 2
        assert f"did you mean '{meant}'" in result.output and "--format" not in result.output
    # A word like no command is taken for the project folder it may be.
    result = runner.invoke(cli, [str(tmp_path / "missing")], catch_exceptions=False)
    assert result.exit_code == 2 and "no such project folder" in result.output


def test_export_without_a_format_names_the_formats_on_one_line(project: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(project)], catch_exceptions=False)
    assert result.exit_code == 2
    said = [line for line in result.output.splitlines() if "--format" in line and "json" in line]
    assert said and "csv" in said[0] and "brat" in said[0]
