"""Command-line entry point: a click group. Business logic lives in the core modules."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reader import __version__
from reader.errors import ReaderError
from reader.project import Project

USER_ERROR = 2

_path = click.Path(path_type=Path)


class ReaderGroup(click.Group):
    """Prints the project's own errors as one line on stderr and exits 2, never with a traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `reader`, `reader PROJECT` and `reader --corpus DIR` mean `reader open ...`.
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "--version")):
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReaderError as exc:
            click.echo(f"reader: {exc}", err=True)
            ctx.exit(USER_ERROR)


def project_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the optional PROJECT argument and --corpus/--store; pass the resolved `project`."""

    @click.argument("project_dir", metavar="[PROJECT]", required=False, type=_path)
    @click.option(
        "--corpus", "corpus_dir", type=_path, help="Corpus folder (default PROJECT/corpus)."
    )
    @click.option(
        "--store",
        "store_path",
        type=_path,
        help="Store file (default PROJECT/annotations/store.json).",
    )
    @functools.wraps(command)
    def wrapper(
        project_dir: Path | None, corpus_dir: Path | None, store_path: Path | None, **kwargs: Any
    ) -> Any:
        return command(project=Project.resolve(project_dir, corpus_dir, store_path), **kwargs)

    return wrapper


@click.group(cls=ReaderGroup)
@click.version_option(__version__, prog_name="reader")
def cli() -> None:
    """Read and annotate argumentative texts.

    `reader [PROJECT]` opens the reading app (PROJECT defaults to the current folder).
    """


@cli.command("open")
@project_options
def open_command(project: Project) -> None:
    """Open the reading app on PROJECT (the default command)."""
    corpus = project.load_corpus()
    from reader.tui.app import ReaderApp  # Textual loads only when the app is wanted

    ReaderApp(project, corpus).run()


@cli.command("list")
@project_options
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def list_command(project: Project, fmt: str) -> None:
    """List the documents of the corpus with their metadata and status."""
    corpus = project.load_corpus()
    if fmt == "json":
        import orjson

        rows = [doc.to_json() for doc in corpus]
        sys.stdout.buffer.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        return
    from rich.console import Console

    from reader.listing import documents_table

    Console().print(documents_table(corpus))


def main() -> None:
    cli(prog_name="reader")
