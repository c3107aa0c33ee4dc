"""Command-line entry point: a click group (base) and its commands, one module per kind of work."""

from __future__ import annotations

# Importing the command modules registers their commands on the group.
from reader.cli import app_commands, report_commands, transfer_commands  # noqa: F401
from reader.cli.base import USER_ERROR, cli, main

__all__ = ["USER_ERROR", "cli", "main"]
