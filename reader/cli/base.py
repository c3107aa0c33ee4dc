"""The command-line group, its shared options and output helpers; the commands live in
app_commands, transfer_commands and report_commands. Business logic lives in the core modules."""

from __future__ import annotations

import errno
import functools
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reader import __version__
from reader.cli.entry import COMMANDS, USER_ERROR, error_line
from reader.errors import ReaderError
from reader.project import Project
from reader.text import display_safe

if TYPE_CHECKING:
    from rich.console import Console

_path = click.Path(path_type=Path)


# What writing says when the disk cannot take what is written: the output of a command (a full
# disk, `> /dev/full`) is reported in one line, not as a traceback.
_CANNOT_WRITE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


class ReaderGroup(click.Group):
    """Prints the project's own errors as one line on stderr and exits 2, never with a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(f"reader.cli.{module}"), name)
        assert isinstance(command, click.Command)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `reader`, `reader PROJECT` and `reader --corpus DIR` mean `reader open ...`.
        if not args or (args[0] not in COMMANDS and args[0] not in ("--help", "--version")):
            if args and not Path(args[0]).exists():
                _refuse_misspelt(args[0])
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # what is still buffered fails here, where it is reported
            return result
        except ReaderError as exc:
            click.echo(error_line(exc), err=True)
            ctx.exit(USER_ERROR)
        except OSError as exc:
            if exc.errno not in _CANNOT_WRITE:
                raise  # a pipe closed early (`| head`): click ends quietly; others are no disk's
            where = "the output" if exc.filename is None else display_safe(str(exc.filename))
            click.echo(f"reader: cannot write {where} ({exc.strerror or exc})", err=True)
            ctx.exit(USER_ERROR)


def _refuse_misspelt(word: str) -> None:
    """A first word that is no folder but reads like a command name mistyped (`reader exprot`):
    say so, rather than that there is no project folder of that name."""
    import difflib

    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.6)
    if close:
        raise click.UsageError(
            f"no command {display_safe(word)!r} (and no folder of that name); "
            f"did you mean {close[0]!r}? `reader --help` lists the commands"
        )


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


def read_only_option(
    help: str = "The store is only read anyway; accepted so scripts may pass it to every command.",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--read-only", is_flag=True, help=help)


@click.group(cls=ReaderGroup)
@click.version_option(__version__, prog_name="reader")
def cli() -> None:
    """Read and annotate argumentative texts.

    `reader [PROJECT]` opens the reading app (PROJECT defaults to the current folder).
    """


def _write_stdout(data: bytes, exactly: str = "pipe the output") -> None:
    """Write a command's UTF-8 output: exactly to a file or a pipe; to a terminal with its control
    characters as placeholders (JSON escapes C0 controls, not C1 or bidi ones; CSV escapes none),
    saying so and how to get them exactly."""
    if not sys.stdout.isatty():
        sys.stdout.buffer.write(data)
        return
    text = data.decode("utf-8").replace("\r\n", "\n")  # CSV's line ends are not content
    shown = display_safe(text)
    sys.stdout.write(shown)
    sys.stdout.flush()
    if shown is not text:
        click.echo(
            "reader: control characters are shown as placeholders (␛) on a terminal; "
            f"{exactly} to keep them exactly",
            err=True,
        )


def _warn_query(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"reader: warning: query {display_safe(warning)}", err=True)


def _text_console() -> Console:
    """A console for text that is read more than laid out (search hits, the claims view).

    In a terminal it wraps to the window; piped or redirected, each line is written as long as it
    is, without wrapping at 80 columns or padding with spaces, so grep and files get whole lines.
    """
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:
        console.soft_wrap = True
    return console
