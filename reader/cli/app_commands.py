"""Commands that open the app: `reader [open]` and `reader adjudicate`."""

from __future__ import annotations

import click

from reader.cli.base import (
    project_options,
    read_only_option,
)
from reader.cli.entry import run_app
from reader.project import Project


@click.command("open")
@project_options
@read_only_option(
    "Open the store only to read it (on a read-only disk, or while another reader writes to it)."
)
def open_command(project: Project, read_only: bool) -> None:
    """Open the reading app on PROJECT (the default command)."""
    run_app(project, read_only)


@click.command("adjudicate")
@project_options
@click.option(
    "--by",
    "annotators",
    multiple=True,
    metavar="NAME",
    help="Compare only these annotators (repeatable; default: everyone with annotations).",
)
@read_only_option("Open the store only to read it: the disagreements are shown, not decided.")
def adjudicate_command(project: Project, annotators: tuple[str, ...], read_only: bool) -> None:
    """Open the app on the disagreements between annotators, to decide each into the gold layer."""
    corpus = project.load_corpus()
    from reader.tui.adjudicate_app import AdjudicationApp

    AdjudicationApp(project, corpus, read_only=read_only, annotators=annotators).run()
