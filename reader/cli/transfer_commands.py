"""Commands that move annotations in and out: export, import, check, merge."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from reader import formats
from reader.cli.base import (
    _path,
    _warn_query,
    _write_stdout,
    project_options,
    read_only_option,
)
from reader.errors import ReaderError
from reader.project import Project
from reader.text import display_safe


@click.command("export")
@project_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(formats.EXPORT_FORMATS),
    help="; ".join(f"{f.name}: {f.label}" for f in formats.FORMATS.values()),
)
@click.option("--doc", "docs", multiple=True, help="Only this document (repeatable).")
@click.option("--query", help="Only annotations matching this search (the search syntax).")
@click.option(
    "--by",
    "annotators",
    multiple=True,
    help="Only this annotator's layer, the exact name; gold is the adjudicated layer (repeatable).",
)
@click.option("-o", "--output", type=_path, help="File (folder for brat) to write; default stdout.")
@read_only_option()
def export_command(
    project: Project,
    fmt: str | None,
    docs: tuple[str, ...],
    query: str | None,
    annotators: tuple[str, ...],
    output: Path | None,
    read_only: bool,
) -> None:
    """Export annotations as json, csv, md, jsonl (doccano), w3c or brat."""
    from reader.store import store_exists
    from reader.transfer import annotations_to_export, export

    if fmt is None and output is not None:
        # An existing folder is where a brat export goes (import reads a folder as brat).
        fmt = "brat" if output.is_dir() else formats.format_of_name(output, formats.EXPORT_FORMATS)
    if fmt is None:  # click's own message lists the choices a line each, with commas
        told = "" if output is None else f"{output.name} does not say which format; "
        raise click.UsageError(
            f"{told}say which format with --format: {', '.join(formats.EXPORT_FORMATS)}"
        )

    if output is None and fmt in formats.FOLDER_FORMATS:
        raise ReaderError(f"{fmt} export writes a folder; give it with -o FOLDER")
    parsed = None
    if query is not None:
        from reader.search.engine import parse_query

        parsed = parse_query(query)
        _warn_query(parsed.warnings)
        if parsed.searches_text:
            raise ReaderError(
                f"--query {query!r}: text: searches the documents' sentences, not annotations, so "
                "it selects no annotations to export; use quote: to search the annotated text"
            )
        if parsed.empty:
            raise ReaderError(f"--query {query!r} has no search terms, so nothing was exported")
    corpus = project.load_corpus()
    for doc_id in docs:
        if corpus.get(doc_id) is None:
            raise ReaderError(f"--doc {doc_id!r}: no such document; `reader list` shows the ids")
    if not store_exists(project.store_path):
        click.echo(
            f"reader: no annotations yet in {display_safe(str(project.store_path))}", err=True
        )
    annotations = annotations_to_export(project.store_path, corpus, docs, parsed, annotators)
    if annotators:
        _warn_empty_layers(project, annotators, annotations)
    # A terminal gets the export with its control characters shown (an escape sequence in a note
    # would act on the terminal); a file or a pipe gets every character exactly, so it imports back.
    on_terminal = output is None and sys.stdout.isatty()
    held = io.BytesIO()
    with _progress(len(annotations), f"exporting {fmt}") as advance:
        dest = held if on_terminal else output or sys.stdout.buffer
        result = export(fmt, annotations, corpus, dest, advance, store=project.store_path)
    if on_terminal:
        _write_stdout(held.getvalue(), "write with -o FILE, or through a pipe")
    # What was left out of which annotation first, so the summary is the last line.
    for item in result.dropped[:10]:
        click.echo(f"reader: left out of {item.id}: {display_safe(item.reason)}", err=True)
    if len(result.dropped) > 10:
        click.echo(f"reader: ... and {len(result.dropped) - 10} more", err=True)
    click.echo(f"reader: {display_safe(result.summary())}", err=True)


def _warn_empty_layers(project: Project, annotators: tuple[str, ...], exported: list[Any]) -> None:
    """Refuse `--by` names the store has no annotator of (a typo: `Gold` for `gold`) before anything
    is written, naming the store's annotators; warn of those with nothing in this selection."""
    found = {ann.author for ann in exported}
    empty = [name for name in dict.fromkeys(annotators) if name not in found]
    if not empty:
        return
    from reader.store import AnnotationStore, store_exists

    present: set[str] = set()
    if store_exists(project.store_path):
        with AnnotationStore.open(project.store_path, read_only=True) as store:
            present = {ann.author for ann in store.annotations()}
    names = display_safe(", ".join(sorted(present, key=str.casefold)) or "none yet")
    unknown = [name for name in empty if name not in present]
    if unknown and present:
        said = ", ".join(repr(display_safe(name)) for name in unknown)
        raise ReaderError(
            f"--by {said}: no annotator of that name in the store (names match exactly); its "
            f"annotators: {names}; nothing was exported"
        )
    for name in empty:
        click.echo(
            f"reader: warning: --by {display_safe(name)!r}: no annotations of that layer to "
            f"export; the store's annotators: {names}",
            err=True,
        )


@click.command("import")
@click.argument("path", type=_path)
@project_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(formats.IMPORT_FORMATS),
    help="; ".join(f"{f.name}: {f.label}" for f in formats.FORMATS.values() if f.imports)
    + ". Default: told by the file's extension (a folder is brat; a .json file by what it holds)",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option(
    "--allow-unmatched", is_flag=True, help="Import the others when some cannot be matched."
)
@click.option(
    "--annotator",
    metavar="NAME",
    help="Whose annotations these are, where the file does not say (default: you, as in the app).",
)
@click.option(
    "--map",
    "label_map",
    metavar="FROM=TO,...",
    multiple=True,
    help="Rename the file's labels to the corpus's, e.g. MajorClaim=claim,Premise=premise "
    "(names match in any case).",
)
@read_only_option("Only with --dry-run: an import writes to the store.")
def import_command(
    project: Project,
    path: Path,
    fmt: str | None,
    dry_run: bool,
    allow_unmatched: bool,
    annotator: str | None,
    label_map: tuple[str, ...],
    read_only: bool,
) -> None:
    """Import annotations from PATH (a file, or a folder for brat) into the store.

    Each annotation keeps its annotator: the file's own, else --annotator, else you. Annotations of
    different annotators never merge; importing an annotator's file again updates theirs only.
    """
    import tempfile

    from reader.config import load_config
    from reader.errors import StoreAccessError, StoreLockedError
    from reader.store import AnnotationStore, journal_path
    from reader.transfer import Unmatched, import_records, read_import
    from reader.transfer.importing import label_mapping

    if read_only and not dry_run:
        raise ReaderError(
            "import writes to the store, so it cannot run with --read-only; use --dry-run to "
            "see what it would change without writing (nothing was imported)"
        )
    mapping = _label_map(label_map)
    if annotator is not None and not annotator.strip():
        raise ReaderError("--annotator needs a name (nothing was imported)")
    who = annotator.strip() if annotator else load_config()[0].annotator
    if fmt is None:
        told = formats.import_format(path)
        if told.format is None:
            raise click.UsageError(told.how)
        fmt = told.format
        if told.by_content:  # one extension, several formats: say which was chosen
            click.echo(f"Reading {path.name} as {formats.FORMATS[fmt].title}.", err=True)
    corpus = project.load_corpus()
    label_mapping(mapping, corpus.scheme)  # a target the corpus lacks is refused before reading
    warnings: list[Unmatched] = []
    with _reading(path):
        records = read_import(path, fmt, corpus, warnings)
    with tempfile.TemporaryDirectory() as scratch:
        store_path = project.store_path
        if dry_run and not store_path.exists():
            store_path = Path(scratch) / "store.json"  # nothing to compare with: an empty store
        try:
            opened = AnnotationStore.open(store_path, read_only=dry_run and store_path.exists())
        except StoreLockedError as exc:
            # The store's own message offers a read-only open, which an import cannot use.
            raise StoreLockedError(
                f"{exc.store or store_path} is open for writing in "
                f"{exc.holder or 'another process'}; close that reader, then run the import "
                "again (nothing was imported)"
            ) from None
        except StoreAccessError as exc:
            if not exc.readable:
                raise
            # The store's own message offers a read-only open, which an import cannot use.
            raise StoreAccessError(
                f"{exc.what}; an import must write to the store: copy it somewhere writable and "
                "give that with --store, then import again (nothing was imported)"
            ) from None
        report = None
        unsaved: str | None = None
        try:
            with opened as store, _progress(len(records), "importing") as advance:
                report = import_records(
                    path,
                    fmt,
                    records,
                    corpus,
                    store,
                    dry_run=dry_run,
                    allow_unmatched=allow_unmatched,
                    progress=advance,
                    annotator=who,
                    label_map=mapping,
                    warnings=warnings,
                )
        except StoreAccessError as exc:
            # Closing rewrites the snapshot; when only that failed, the import is in the journal.
            if report is None or not exc.in_journal:
                raise
            unsaved = exc.what
    for line in report.unmatched_lines():
        click.echo(display_safe(line), err=True)
    for line in report.warning_lines():
        click.echo(display_safe(line), err=True)
    for line in report.skip_lines():
        click.echo(display_safe(line), err=True)
    click.echo(report.summary())
    if unsaved is not None:
        journal = journal_path(store_path)
        click.echo(
            f"reader: warning: {display_safe(unsaved)}; the import is safe in {journal.name}, "
            "which is applied every time the store opens until the next time reader can "
            "rewrite the snapshot: free some disk space",
            err=True,
        )
    problem = report.problem()
    if problem is not None:
        raise ReaderError(("dry run: " if dry_run else "") + problem)


def _label_map(options: tuple[str, ...]) -> dict[str, str]:
    """`--map A=b,C=d` (the option may also be given more than once) as a dict."""
    out: dict[str, str] = {}
    for option in options:
        for pair in option.split(","):
            source, equals, target = pair.partition("=")
            if not equals or not source.strip() or not target.strip():
                raise ReaderError(
                    f"--map {pair!r}: write FROM=TO pairs separated by commas, such as "
                    "--map MajorClaim=claim,Premise=premise (nothing was imported)"
                )
            out[source.strip()] = target.strip()
    return out


@click.command("check")
@project_options
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--fix", is_flag=True, help="Record where each annotation landed (one undo step).")
def check_command(project: Project, fmt: str, fix: bool) -> None:
    """Report every annotation whose document changed since it was made: unchanged, moved,
    approximate (text like its quote) or orphaned (its text is gone). Exit status 1 when something
    is orphaned or on a document no longer in the corpus. A document renamed or moved (its id changed) is found by its text or its quotes;
    --fix moves its annotations to the new id. Nothing is written without --fix."""
    from reader.store import store_exists
    from reader.store.annotation_store import AnnotationStore
    from reader.transfer.checking import CheckReport, check_store
    from reader.user_state import follow_meta

    corpus = project.load_corpus()
    report = CheckReport(stale_entries=corpus.stale_entries)  # said with or without a store
    if store_exists(project.store_path):
        with AnnotationStore.open(project.store_path, read_only=not fix) as store:
            meta = store.meta
            report = check_store(
                store, corpus, fix=fix, follow=lambda moves, out: follow_meta(meta, moves, out)
            )
    if fmt == "json":
        import orjson

        _write_stdout(orjson.dumps(report.rows(), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for row in report.rows():
            span = "-" if row["start"] is None else f"{row['start']}-{row['end']}"
            line = f"{row['status']:<11} {row['doc']} {span} {row['id']} {row['quote'][:60]!r}"
            if row["old_quote"]:
                line += f" (was {row['old_quote'][:60]!r})"
            click.echo(display_safe(line))
    # With json on stdout the summary (which id became which, what was written) goes to stderr.
    click.echo(display_safe(report.summary()), err=fmt == "json")
    if report.orphaned or report.stranded:
        sys.exit(1)


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """A spinner on stderr while a large import file is read, when stderr is a terminal."""
    try:
        large = path.is_file() and path.stat().st_size > 4_000_000
    except OSError:
        large = False
    if not large or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.text import Text

    # Text, not a string: a file name is never read as Rich markup.
    with Console(stderr=True).status(Text(f"reading {display_safe(path.name)}")):
        yield


@contextlib.contextmanager
def _progress(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar on stderr when stderr is a terminal and the job is big enough to wait for."""
    if total < 20_000 or not sys.stderr.isatty():
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done: bar.advance(task, done)


@click.command("merge")
@click.argument("paths", metavar="STORE... [PROJECT]", nargs=-1, required=True, type=_path)
@click.option("--corpus", "corpus_dir", type=_path, help="Corpus folder (default PROJECT/corpus).")
@click.option(
    "--store", "store_path", type=_path, help="Store file (default PROJECT/annotations/store.json)."
)
@click.option("--dry-run", is_flag=True, help="Report what would be added; change nothing.")
def merge_command(
    paths: tuple[Path, ...], corpus_dir: Path | None, store_path: Path | None, dry_run: bool
) -> None:
    """Bring teammates' stores (store.json files) or native JSON exports into the project's store.

    Ids are kept: the same id with the same content is left alone; with other content, both versions
    are kept (the incoming one under a new id, tagged merge-conflict and conflicts-with-ID) and a
    line says what differs. One undo step. A folder given last is the PROJECT.
    """
    from reader.errors import StoreLockedError
    from reader.store import AnnotationStore
    from reader.transfer.merging import merge_sources, plan_merge, read_source

    files, project_dir = list(paths), None
    if len(files) > 1 and files[-1].is_dir():
        project_dir = files.pop()
    project = Project.resolve(project_dir, corpus_dir, store_path)
    corpus = project.load_corpus()
    sources = [read_source(path) for path in files]  # all read before the store is opened
    docs = {d.id for d in corpus}
    if dry_run and not project.store_path.exists():
        _added, report = plan_merge(sources, [], docs, dry_run=True)  # nothing to compare with
    else:
        try:
            opened = AnnotationStore.open(project.store_path, read_only=dry_run)
        except StoreLockedError as exc:
            raise StoreLockedError(
                f"{exc.store or project.store_path} is open for writing in "
                f"{exc.holder or 'another process'}; close that reader, then merge again "
                "(nothing was merged)"
            ) from None
        with opened as store:
            report = merge_sources(sources, store, docs, dry_run=dry_run)
    for line in report.lines():
        click.echo(display_safe(line))
    for warning in report.warnings():
        click.echo(f"reader: warning: {display_safe(warning)}", err=True)
    click.echo(display_safe(report.summary()))
