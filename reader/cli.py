"""Command-line entry point: a click group. Business logic lives in the core modules."""

from __future__ import annotations

import click

from reader import __version__


@click.group(invoke_without_command=True)
@click.version_option(__version__, prog_name="reader")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Read and annotate argumentative texts."""


def main() -> None:
    cli()
