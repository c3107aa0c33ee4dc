"""The corpus as a Rich table for `reader list`."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from reader.corpus import Corpus, Status
from reader.text import display_safe


def documents_table(corpus: Corpus) -> Table:
    table = Table(
        title=f"{len(corpus)} documents in {corpus.root}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Title / id", ratio=1, min_width=24)
    table.add_column("Author", overflow="ellipsis", max_width=18)
    table.add_column("Party", overflow="ellipsis", max_width=14)
    table.add_column("Date", no_wrap=True)
    table.add_column("Words", justify="right", no_wrap=True)
    # The status column only earns its width when some file could not be read cleanly.
    show_status = any(doc.status != Status.OK for doc in corpus)
    if show_status:
        table.add_column("Status", min_width=8)
    for doc in corpus:
        status = Text(doc.status, style="" if doc.status == Status.OK else "bold yellow")
        title = Text(display_safe(doc.title))
        title.append("\n" + display_safe(doc.id), style="dim")
        cells: list[str | Text] = [
            title,
            Text(display_safe(doc.author)),
            Text(display_safe(doc.party)),
            Text(display_safe(doc.date)),
            f"{doc.words:,}" if doc.readable else "",
        ]
        if show_status:
            cells.append(status)
        table.add_row(*cells)
    return table
