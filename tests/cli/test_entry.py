"""`reader` and `reader PROJECT` open the app without loading the command-line parser; every other
command line still goes through it, and both roads say an error the same way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli.entry import COMMANDS, just_a_project, open_project
from reader.project import Project


def reader(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def test_the_entry_point_loads_no_parser() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, reader.__main__; print('click' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"


def test_only_a_bare_command_or_one_folder_opens_the_app_directly(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")
    (tmp_path / "export").mkdir()
    assert just_a_project([]) == (True, None)
    assert just_a_project([str(tmp_path)]) == (True, tmp_path)
    for args in (
        [str(tmp_path), "--read-only"],  # an option: the parser reads it
        ["--help"],
        ["--version"],
        [str(file)],
        [str(tmp_path / "missing")],  # the parser says what is wrong (a mistyped command?)
        *([name] for name in COMMANDS),
    ):
        assert just_a_project(args)[0] is False, args


def test_a_folder_without_a_corpus_gets_one_line_on_either_road(tmp_path: Path) -> None:
    direct = reader(str(tmp_path))
    parsed = reader("open", str(tmp_path))
    here = reader(cwd=tmp_path)
    for result in (direct, parsed, here):
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("reader: ") and "corpus" in lines[0]
        assert "Traceback" not in result.stderr
    assert direct.stderr == parsed.stderr == here.stderr


def test_ctrl_c_while_the_corpus_loads_ends_as_the_parser_ends_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(self: Project) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Project, "load_corpus", interrupted)
    with pytest.raises(SystemExit) as ended:
        open_project(project)
    assert ended.value.code == 1
    assert capsys.readouterr().err == "Aborted!\n"  # not a traceback
