"""Commands that print what the corpus and the store hold: list, claims, search, stats, agree."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import click

from reader.cli.base import (
    _path,
    _text_console,
    _warn_query,
    _write_stdout,
    project_options,
    read_only_option,
)
from reader.errors import ProjectError
from reader.project import Project
from reader.text import display_safe, plural


@click.command("list")
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


@click.command("claims")
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
    from reader.claims.batch import write_jsonl, write_plain
    from reader.claims.scores import KINDS, score_document
    from reader.project import iter_sources

    def warn(message: str) -> None:
        click.echo(f"reader: {display_safe(message)}", err=True)

    kinds = KINDS if kind == "all" else (kind,)
    if fmt == "jsonl":
        # To a terminal with its control characters shown: JSON escapes the C0 ones only.
        held = io.BytesIO() if sys.stdout.isatty() else None
        for path, text, start in iter_sources(list(paths), warn):
            write_jsonl(sys.stdout.buffer if held is None else held, path, text, start, kinds)
        if held is not None:
            _write_stdout(held.getvalue())
        return
    from rich.rule import Rule
    from rich.text import Text

    from reader.claims.render import render  # Rich: not loaded for jsonl

    console = _text_console()
    # Without a terminal nor colours the view is plain text: written as one string rather than laid
    # out by Rich, which is the same apart from tabs (Rich expands them to its tab stops).
    plain = not console.is_terminal and console.color_system is None
    for path, text, start in iter_sources(list(paths), warn):
        console.print(Rule(Text(display_safe(path))))
        if plain and "\t" not in text:
            write_plain(sys.stdout, text, start, kinds)
            sys.stdout.write("\n")
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


@click.command("search", cls=QueryCommand)
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
    if not parsed.searches_text:
        from reader.search.query import label_warnings

        _warn_query(label_warnings(parsed, index.labels()))
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


@click.command("stats")
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

        heads = ["Docs", "Words", "Annot.", *stats.labels, "Notes", "Tags", "Links", "Unsup."]
        heads += ["Shown", "Acc.", "Dism."]
        rows = []
        for kind, key, *cells in stats.rows():
            n_labels, rest = len(stats.labels), cells[-5:]
            links = sum(cells[5 + n_labels : len(cells) - 5])
            row = [*cells[:3], *cells[3 : 3 + n_labels], *cells[3 + n_labels : 5 + n_labels]]
            row += [links, *rest[:4]]
            name = "Total" if kind == "total" else display_safe(key) or "(none)"
            rows.append((kind, name, ["—" if v is None else f"{v:,}" for v in row]))
        # A figure is never cut (at 80 columns "152" showed as "15"): each column is as wide as
        # its heading and its widest figure, and when they do not all fit beside the names, the
        # rest (the label counts first) go in tables below.
        widths = [
            max([len(head), *(len(cells[n]) for _kind, _name, cells in rows)])
            for n, head in enumerate(heads)
        ]
        name_width = min(max((len(g.key) for g in stats.groups), default=6), 16)
        console = Console(highlight=False)
        if not console.is_terminal:  # piped or redirected: whole rows, as wide as they are
            console.width = 1000
        labels = range(3, 3 + len(stats.labels))
        order = [n for n in range(len(heads)) if n not in labels] + list(labels)
        if name_width + sum(w + 1 for w in widths) <= console.width:
            order = list(range(len(heads)))
        parts: list[list[int]] = [[]]
        for n in order:  # as many columns in each table as fit beside the names
            used = name_width + sum(widths[m] + 1 for m in parts[-1])
            if parts[-1] and used + widths[n] + 1 > console.width:
                parts.append([])
            parts[-1].append(n)
        for number, part in enumerate(parts):
            if number:
                console.print()
            table = Table(box=None, header_style="bold", pad_edge=False, collapse_padding=True)
            table.add_column(by.capitalize(), overflow="fold", min_width=name_width)
            for n in part:
                table.add_column(Text(display_safe(heads[n])), justify="right", min_width=widths[n])
            for kind, name, cells in rows:
                style = "bold" if kind == "total" else ""
                table.add_row(Text(name, style=style), *(Text(cells[n], style=style) for n in part))
            console.print(table)


@click.command("agree")
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
