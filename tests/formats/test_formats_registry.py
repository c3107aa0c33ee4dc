"""The format registry is the one description of the formats: the README, the CLI and the export
dialog all follow it."""

from __future__ import annotations

import re

from click.testing import CliRunner

from reader.cli import cli
from reader.formats import FORMATS, IMPORT_FORMATS
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_names_every_format_in_the_export_and_import_commands() -> None:
    export = re.search(r"### `reader export \[--format ([a-z0-9|]+)\]", README)
    imported = re.search(r"### `reader import PATH \[--format ([a-z0-9|]+)\]", README)
    assert export is not None and imported is not None
    assert export.group(1).split("|") == list(FORMATS)
    assert imported.group(1).split("|") == list(IMPORT_FORMATS)
    # The extensions that stand for --format are the ones the README lists.
    told = README.split("`--format` may be left out", 1)[1].split("\n\n", 1)[0]
    for fmt in FORMATS.values():
        assert fmt.folder or f"`{fmt.extension}`" in told, fmt.extension


def test_the_readme_says_what_each_format_leaves_out() -> None:
    table = README.split("What each format leaves out", 1)[1].split("###", 1)[0]
    rows = dict(re.findall(r"^\| (\w+) \| (.+) \|$", table, flags=re.M))
    for fmt in FORMATS.values():
        assert fmt.name in rows, f"README's leaves-out table has no row for {fmt.name}"
        for field in fmt.leaves_out:
            assert field in rows[fmt.name], f"{fmt.name} leaves out {field}; README does not say"


def test_every_format_loads_and_has_what_its_direction_needs() -> None:
    for fmt in FORMATS.values():
        module = fmt.load()
        assert hasattr(module, "write_folder" if fmt.folder else "write")
        if fmt.imports:
            assert hasattr(module, "read_folder" if fmt.folder else "read")


def test_the_cli_help_describes_each_format_from_the_registry() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"], terminal_width=400)
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    for fmt in FORMATS.values():
        assert f"{fmt.name}: {fmt.label}" in flat
