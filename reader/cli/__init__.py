"""Command-line entry point: opening the app goes straight to it (entry); every other command goes
through a click group (base) whose commands live one module per kind of work (app_commands,
report_commands, transfer_commands), each loaded when one of its commands runs."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from reader.cli.entry import USER_ERROR, just_a_project, open_project

if TYPE_CHECKING:
    from reader.cli.base import cli

__all__ = ["USER_ERROR", "cli", "main"]


def main() -> None:
    opens, folder = just_a_project(sys.argv[1:])
    if opens:
        open_project(folder)
        return
    from reader.cli.base import cli

    cli(prog_name="reader")


def __getattr__(name: str) -> Any:
    # The click group loads when asked for (tests, scripts), not with the entry point.
    if name == "cli":
        from reader.cli.base import cli

        return cli
    raise AttributeError(f"module 'reader.cli' has no attribute {name!r}")
