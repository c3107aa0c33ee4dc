"""Command-line entry point: a click group. Business logic lives in the core modules."""

from __future__ import annotations

import contextlib
import functools
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reader import __version__, formats
from reader.errors import ProjectError, ReaderError
from reader.project import Project
from reader.text import display_safe, plural

if TYPE_CHECKING:
    from rich.console import Console


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
            # Messages name files and quote their contents: show them, never let them act.
            click.echo(f"reader: {display_safe(str(exc))}", err=True)
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


@cli.command("open")
@project_options
@read_only_option(
    "Open the store only to read it (on a read-only disk, or while another reader writes to it)."
)
def open_command(project: Project, read_only: bool) -> None:
    """Open the reading app on PROJECT (the default command)."""
    corpus = project.load_corpus()
    from reader.tui.app import ReaderApp  # Textual loads only when the app is wanted

    ReaderApp(project, corpus, read_only=read_only).run()


@cli.command("adjudicate")
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
        _write_stdout(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        return
    from rich.console import Console

    from reader.corpus.listing import documents_table

    Console().print(documents_table(corpus))


@cli.command("export")
@project_options
@click.option(
    "--format",
    "fmt",
    required=True,
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
    fmt: str,
    docs: tuple[str, ...],
    query: str | None,
    annotators: tuple[str, ...],
    output: Path | None,
    read_only: bool,
) -> None:
    """Export annotations as json, csv, md, jsonl (doccano), w3c or brat."""
    from reader.store import store_exists
    from reader.transfer import annotations_to_export, export

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
    """Say which `--by` names have nothing here, and which annotators the store has (a typo)."""
    found = {ann.author for ann in exported}
    empty = [name for name in dict.fromkeys(annotators) if name not in found]
    if not empty:
        return
    from reader.store import AnnotationStore, store_exists

    present: set[str] = set()
    if store_exists(project.store_path):
        with AnnotationStore.open(project.store_path, read_only=True) as store:
            present = {ann.author for ann in store.annotations()}
    names = ", ".join(sorted(present, key=str.casefold)) or "none yet"
    for name in empty:
        click.echo(
            f"reader: warning: --by {display_safe(name)!r}: no annotations of that layer to "
            f"export; the store's annotators: {display_safe(names)}",
            err=True,
        )


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


@cli.command("import")
@click.argument("path", type=_path)
@project_options
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(formats.IMPORT_FORMATS),
    help="; ".join(f"{f.name}: {f.label}" for f in formats.FORMATS.values() if f.imports),
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
    fmt: str,
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


@cli.command("check")
@project_options
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--fix", is_flag=True, help="Record where each annotation landed (one undo step).")
def check_command(project: Project, fmt: str, fix: bool) -> None:
    """Report every annotation whose document changed since it was made: unchanged, moved,
    approximate (text like its quote) or orphaned (its text is gone). Exit status 1 when something
    is orphaned. A document renamed or moved (its id changed) is found by its text or its quotes;
    --fix moves its annotations to the new id. Nothing is written without --fix."""
    from reader.store import store_exists
    from reader.store.annotation_store import AnnotationStore
    from reader.transfer.checking import CheckReport, check_store
    from reader.user_state import follow_meta

    corpus = project.load_corpus()
    report = CheckReport()
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
    if report.orphaned:
        sys.exit(1)


def _warn_query(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"reader: warning: query {display_safe(warning)}", err=True)


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


@cli.command("claims")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=_path)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.option(
    "--kind", type=click.Choice(["claim", "factual", "all"]), default="all", show_default=True
)
def claims_command(paths: tuple[Path, ...], fmt: str, kind: str) -> None:
    """Highlight claims and check-worthy facts in document files or project folders.

    Each PATH is a document file or a project (or corpus) folder, meaning all its documents.
    jsonl prints one line per document with every sentence, its scores, labels and reasons.
    """
    # PATH... rather than `project_options`: the contract takes any number of files and folders.
    from reader.claims.batch import jsonl_pieces, plain_pieces
    from reader.claims.render import render
    from reader.claims.scores import KINDS, score_document
    from reader.project import iter_sources

    def warn(message: str) -> None:
        click.echo(f"reader: {display_safe(message)}", err=True)

    kinds = KINDS if kind == "all" else (kind,)
    if fmt == "jsonl":
        for path, text, start in iter_sources(list(paths), warn):
            for piece in jsonl_pieces(path, text, start, kinds):
                sys.stdout.buffer.write(piece)
        return
    from rich.rule import Rule
    from rich.text import Text

    console = _text_console()
    # Without a terminal nor colours the view is plain text: written as one string rather than laid
    # out by Rich, which is the same apart from tabs (Rich expands them to its tab stops).
    plain = not console.is_terminal and console.color_system is None
    for path, text, start in iter_sources(list(paths), warn):
        console.print(Rule(Text(display_safe(path))))
        if plain and "\t" not in text:
            for view in plain_pieces(text, start, kinds):
                console.file.write(view)
            console.file.write("\n")
        else:
            console.print(render(score_document(text, start), kinds, start))


class QueryCommand(click.Command):
    """A command whose QUERY may begin with an exclusion (`reader search -marg`).

    Unknown words starting with one dash are taken as arguments, not options; unknown `--words` are
    still refused, so a mistyped option is reported rather than searched for.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context_settings.setdefault("ignore_unknown_options", True)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options = [p for p in self.get_params(ctx) if isinstance(p, click.Option)]
        known = {name for p in options for name in (*p.opts, *p.secondary_opts)}
        takes_value = {name for p in options if not p.is_flag for name in p.opts}
        previous = ""
        for arg in args:
            if arg == "--":
                break
            name = arg.split("=", 1)[0]
            if arg.startswith("--") and name not in known and previous not in takes_value:
                close = [k for k in known if k.startswith("--")]
                raise click.NoSuchOption(name, possibilities=close, ctx=ctx)
            previous = arg
        return super().parse_args(ctx, args)


@cli.command("search", cls=QueryCommand)
@click.argument("query")
@project_options
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--strict", is_flag=True, help="Refuse a malformed query instead of warning.")
@read_only_option()
def search_command(
    project: Project, query: str, fmt: str, limit: int, strict: bool, read_only: bool
) -> None:
    """Search notes, quotes, tags, labels and document metadata; `text:` searches the documents.

    Bare words must all match, as word starts (brex finds Brexit), ignoring case and accents;
    "quoted phrases"; -word excludes; OR between two terms; fields label: tag: doc: author: party:
    outlet: by: note: quote: origin: has:note|link|tag, and text: for the documents' sentences.

    Quote a query of several words. One that starts with -word works as it is (reader search -marg)
    or after -- (reader search -- -marg), which also ends the options for one starting with --.
    """
    from reader.search.engine import SearchIndex, parse_query
    from reader.search.render import hit_json, hit_lines
    from reader.store import store_exists

    parsed = parse_query(query, strict=strict)
    _warn_query(parsed.warnings)
    corpus = project.load_corpus()
    index = SearchIndex(corpus)
    created = store_exists(project.store_path)
    if not parsed.searches_text and created:
        from reader.store import AnnotationStore
        from reader.transfer.checking import reanchored

        with AnnotationStore.open(project.store_path, read_only=True) as store:
            # As the app and the exports do: a document edited since its annotations were made
            # has them searched and shown where their quotes are now, orphans without offsets.
            index.add_many(reanchored(store.annotations(), corpus, follow_renames=True))
    hits = index.search(parsed, limit=limit)
    if fmt == "json":
        import orjson

        records = [hit_json(hit, corpus) for hit in hits]
        _write_stdout(orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n")
        return
    if not hits:
        what = "sentences" if parsed.searches_text else "annotations"
        if created or parsed.searches_text:
            click.echo(f"No {what} match {query!r}.")
        else:
            click.echo(f"No annotations yet in {project.store_path}.")
        return
    console = _text_console()
    for number, hit in enumerate(hits, start=1):
        for line in hit_lines(hit, corpus, number):
            console.print(line)


@cli.command("stats")
@project_options
@click.option(
    "--by",
    type=click.Choice(["doc", "label", "author", "party", "outlet", "annotator", "tag"]),
    default="doc",
    show_default=True,
    help="One group per document, document author, party or outlet, label, annotator or tag.",
)
@click.option("--doc", "docs", multiple=True, help="Only this document (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--no-shown",
    is_flag=True,
    help="Do not count suggestions shown (the highlighter reads every text: about 0.1 s a MB).",
)
@read_only_option()
def stats_command(
    project: Project, by: str, docs: tuple[str, ...], fmt: str, no_shown: bool, read_only: bool
) -> None:
    """Count documents, words, annotations by label, notes, tags, links, claims without support and
    suggestions shown, accepted and dismissed, per group and in total."""
    from reader.stats import compute, highlighter_shown
    from reader.store import store_exists
    from reader.store.annotation_store import AnnotationStore

    corpus = project.load_corpus()
    shown = None if no_shown else highlighter_shown
    if store_exists(project.store_path):
        with AnnotationStore.open(project.store_path, read_only=True) as store:
            stats = compute(corpus, store.annotations(), by, docs, store.meta, shown)
    else:
        stats = compute(corpus, [], by, docs, None, shown)
    if fmt == "json":
        import orjson

        _write_stdout(orjson.dumps(stats.to_json(), option=orjson.OPT_INDENT_2) + b"\n")
    elif fmt == "csv":
        import csv

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(stats.columns())
        writer.writerows(["" if cell is None else cell for cell in row] for row in stats.rows())
        _write_stdout(out.getvalue().encode("utf-8"))
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, header_style="bold", pad_edge=False, collapse_padding=True)
        heads = ["Docs", "Words", "Annot.", *stats.labels, "Notes", "Tags", "Links", "Unsup."]
        widest = max((len(g.key) for g in stats.groups), default=6)
        table.add_column(by.capitalize(), overflow="fold", min_width=min(widest, 16))
        for head in [*heads, "Shown", "Acc.", "Dism."]:
            table.add_column(Text(display_safe(head)), justify="right")
        for kind, key, *cells in stats.rows():
            n_labels, rest = len(stats.labels), cells[-5:]
            links = sum(cells[5 + n_labels : len(cells) - 5])
            row = [*cells[:3], *cells[3 : 3 + n_labels], *cells[3 + n_labels : 5 + n_labels]]
            row += [links, *rest[:4]]
            name = "Total" if kind == "total" else display_safe(key) or "(none)"
            style = "bold" if kind == "total" else ""
            table.add_row(
                Text(name, style=style),
                *(Text("—" if v is None else f"{v:,}", style=style) for v in row),
            )
        console = Console(highlight=False)
        if not console.is_terminal:  # piped or redirected: whole rows, as wide as they are
            console.width = 1000
        console.print(table)


@cli.command("agree")
@project_options
@click.option(
    "--by",
    "names",
    multiple=True,
    metavar="NAME",
    help="Compare this annotator (repeatable; default: all but gold).",
)
@click.option("--doc", "docs", multiple=True, metavar="ID", help="Only this document (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
)
@read_only_option()
def agree_command(
    project: Project, names: tuple[str, ...], docs: tuple[str, ...], fmt: str, read_only: bool
) -> None:
    """Agreement between annotators: span F1 (exact and token overlap) per label, document and pair,
    Cohen's kappa and Krippendorff's alpha on sentence labels, and link agreement."""
    from reader.agreement import compute, corpus_text_of
    from reader.agreement.report import markdown, table
    from reader.store import store_exists
    from reader.store.annotation_store import AnnotationStore

    corpus = project.load_corpus()
    for doc in docs:
        if corpus.get(doc) is None:
            raise ProjectError(f"--doc {doc}: no such document in {project.corpus_dir}")
    annotations = []
    if store_exists(project.store_path):
        with AnnotationStore.open(project.store_path, read_only=True) as store:
            annotations = store.annotations()
    agreement = compute(annotations, corpus_text_of(corpus), names, docs)
    for doc in agreement.skipped:
        click.echo(
            f"reader: {display_safe(doc)}: text not in the corpus or unreadable; left out", err=True
        )
    from reader.transfer.merging import CONFLICT_TAG

    compared, shared = set(agreement.annotators), set(agreement.documents)
    doubled = sum(
        1
        for a in annotations
        if CONFLICT_TAG in a.tags and a.author in compared and a.doc in shared
    )
    if doubled:
        click.echo(
            f"reader: warning: {plural(doubled, 'annotation')} tagged {CONFLICT_TAG} (a second "
            "version kept by reader merge) counted beside the first; keep one of each "
            f"(reader search tag:{CONFLICT_TAG}) for figures that count it once",
            err=True,
        )
    if fmt == "json":
        import orjson

        _write_stdout(orjson.dumps(agreement.to_json(), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        render = markdown if fmt == "md" else table
        _write_stdout(render(agreement, display_safe).encode("utf-8"))


@cli.command("merge")
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


def main() -> None:
    cli(prog_name="reader")
