"""The corpus as a Rich table for `reader list`.

The table is laid out for the width it is printed at (80 columns when piped): the status column, when
some file has a problem, and the short columns keep their width; the title column gives way first, then
author and party. Ids, which have no spaces to wrap at, break after a hyphen or slash so they are shown
whole rather than cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from reader.corpus.documents import Corpus, Document, Status
from reader.text import display_safe

TITLE, AUTHOR, PARTY, DATE, WORDS, STATUS = range(6)
HEADERS = ("Title / id", "Author", "Party", "Date", "Words", "Status")
# Widest a column gets however wide the terminal is: long titles wrap rather than run on.
_CAPS = {TITLE: 60, AUTHOR: 18, PARTY: 14}
# The order in which columns give way when the table is too wide, and how narrow each may get (author,
# party and status no narrower than their longest word).
_GIVE_WAY = ((TITLE, 24), (AUTHOR, 0), (PARTY, 0), (TITLE, 16), (STATUS, 0), (TITLE, 8))
_GAP = 2  # the space between columns: a divider and one character of padding
_ID_PIECE = re.compile(r"[^-/]*[-/]?")


def documents_table(corpus: Corpus) -> DocumentsTable:
    return DocumentsTable(corpus)


@dataclass
class DocumentsTable:
    """A renderable that builds its table for the width it is given."""

    corpus: Corpus

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table(options.max_width)

    def table(self, width: int) -> Table:
        docs = list(self.corpus)
        # The status column only earns its width when some file could not be read cleanly.
        show_status = any(doc.status != Status.OK for doc in docs)
        rows = [_cells(doc) for doc in docs]
        count = 6 if show_status else 5
        widths = _fit(rows, count, width - _GAP * (count - 1))
        table = Table(
            title=Text(f"{len(docs)} documents in {display_safe(str(self.corpus.root))}"),
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
        )
        for column in range(count):
            table.add_column(
                HEADERS[column],
                width=widths[column],
                justify="right" if column == WORDS else "left",
                overflow="fold",
            )
        for doc, cells in zip(docs, rows, strict=True):
            title = Text(cells[TITLE])
            title.append("\n" + _break_id(cells[-1], widths[TITLE]), style="dim")
            out: list[Text] = [title, *(Text(cell) for cell in cells[AUTHOR : WORDS + 1])]
            if show_status:
                style = "" if doc.status == Status.OK else "bold yellow"
                out.append(Text(doc.status, style=style))
            table.add_row(*out)
        return table


def _cells(doc: Document) -> list[str]:
    """Title, author, party, date, words, status and the id, as shown."""
    return [
        display_safe(doc.title),
        display_safe(doc.author),
        display_safe(doc.party),
        display_safe(doc.date),
        f"{doc.words:,}" if doc.readable else "",
        doc.status,
        display_safe(doc.id),
    ]


def _fit(rows: list[list[str]], count: int, budget: int) -> list[int]:
    """Column widths: each column's widest cell (within its cap), narrowed in _GIVE_WAY order."""
    widths = []
    for column in range(count):
        cells = [HEADERS[column], *(row[column] for row in rows)]
        if column == TITLE:
            cells += [row[-1] for row in rows]
        natural = max(_widest_line(cell) for cell in cells)
        widths.append(min(natural, _CAPS.get(column, natural)))
    # Author, party and status wrap at spaces; below their longest word they would break words.
    floor = {
        column: max((_longest_word(row[column]) for row in rows), default=1)
        for column in (AUTHOR, PARTY, STATUS)
    }
    excess = sum(widths) - budget
    for column, least in _GIVE_WAY:
        if excess <= 0:
            break
        if column >= count:
            continue
        cut = max(0, min(excess, widths[column] - max(least, floor.get(column, 1))))
        widths[column] -= cut
        excess -= cut
    return widths


def _widest_line(cell: str) -> int:
    return max(cell_len(line) for line in cell.split("\n"))


def _longest_word(cell: str) -> int:
    return max((cell_len(word) for word in cell.split()), default=0)


def _break_id(doc_id: str, width: int) -> str:
    """`doc_id` in lines of at most `width` cells, broken after a hyphen or slash where one fits."""
    lines: list[str] = []
    line = ""
    # A piece wider than the column is left on a line of its own for Rich to fold.
    for piece in filter(None, _ID_PIECE.findall(doc_id)):
        if line and cell_len(line) + cell_len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return "\n".join(lines)
