"""`reader agree`'s figures as text for people: an aligned table (terminal) or Markdown (reports).

Annotator names, labels and document ids come from the store: the caller makes them display-safe
(`clean`), and Markdown cells escape the characters that would break a table row."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reader.agreement.figures import Agreement, MeanSd
from reader.text import plural


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def sections(
    agreement: Agreement, clean: Callable[[str], str] = str
) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of each table, shared by both renderings."""

    def mean_sd(figures: tuple[MeanSd, MeanSd]) -> list[str]:
        exact, overlap = figures
        return [_num(exact.mean), _num(exact.sd), _num(overlap.mean), _num(overlap.sd)]

    f1_head = ["Exact F1", "SD", "Overlap F1", "SD"]
    out = [
        (
            "Agreement per label",
            ["Label", *f1_head],
            [[clean(label), *mean_sd(f)] for label, f in agreement.by_label.items()]
            + [["Overall", *mean_sd(agreement.overall)]],
        ),
        (
            "Agreement per pair",
            ["A", "B", "Exact F1", "Overlap F1", "Cohen's κ", "Links F1"],
            [
                [
                    clean(p.a),
                    clean(p.b),
                    _num(p.exact),
                    _num(p.overlap),
                    _num(p.kappa),
                    _num(p.relations),
                ]
                for p in agreement.pairs
            ],
        ),
        (
            "Agreement per document",
            ["Document", *f1_head],
            [[clean(doc), *mean_sd(f)] for doc, f in agreement.by_document.items()],
        ),
    ]
    link_rows = [[clean(kind), *mean_sd(f)] for kind, f in agreement.relations_by_type.items()]
    if not link_rows:  # nobody linked anything: no table of dashes
        return out
    out.append(
        (
            "Link agreement",
            ["Link type", *f1_head],
            [*link_rows, ["All", *mean_sd(agreement.relations)]],
        )
    )
    return out


def summary(agreement: Agreement, clean: Callable[[str], str] = str) -> list[str]:
    names = ", ".join(clean(name) for name in agreement.annotators)
    lines = [
        f"{plural(len(agreement.annotators), 'annotator')} ({names}), "
        f"{plural(len(agreement.documents), 'document')}, {plural(agreement.sentences, 'sentence')}",
        f"Krippendorff's α on sentence labels: {_num(agreement.alpha)}",
    ]
    if agreement.skipped:
        lines.append(
            f"Left out, text not readable: {', '.join(clean(d) for d in agreement.skipped)}"
        )
    return lines


def _names(header: Sequence[str]) -> int:
    """How many leading columns hold names (left-aligned) rather than figures."""
    return 2 if header[:2] == ["A", "B"] else 1


def _aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    names = _names(header)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i < names else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), *(line(row) for row in rows)]


def table(agreement: Agreement, clean: Callable[[str], str] = str) -> str:
    lines = summary(agreement, clean)
    for title, header, rows in sections(agreement, clean):
        lines += ["", title, *_aligned(header, rows)]
    return "\n".join(lines) + "\n"


def markdown(agreement: Agreement, clean: Callable[[str], str] = str) -> str:
    lines = ["# Inter-annotator agreement", ""]
    lines += [f"* {_md_cell(line)}" for line in summary(agreement, clean)]
    for title, header, rows in sections(agreement, clean):
        lines += ["", f"## {title}", ""]
        lines.append("| " + " | ".join(header) + " |")
        names = _names(header)
        lines.append("|" + "|".join(["---"] * names + ["---:"] * (len(header) - names)) + "|")
        lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
