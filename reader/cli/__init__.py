"""Command-line entry point: a click group (base) whose commands live one module per kind of work
(app_commands, report_commands, transfer_commands), each loaded when one of its commands runs."""

from __future__ import annotations

from reader.cli.base import USER_ERROR, cli, main

__all__ = ["USER_ERROR", "cli", "main"]
