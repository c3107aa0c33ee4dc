"""A Markdown report: a summary table (annotations by label, notes, links and a bar per document), then
one section per document with its metadata, its argument as nested lists under its main claims (when
links join its annotations; see argument_tree), then its annotations in text order as block quotes
with label, tags, note and links. Export only.

Quotes and metadata are document text, not Markdown: every character CommonMark could read as markup is
backslash-escaped, so the report shows them exactly as written. Notes are Markdown by design and keep
their formatting, but not raw HTML: a note comes from whoever wrote (or imported) it, and a `<script>`
or `<img onerror>` would run in any viewer that renders the report. Every `<` that could open a tag,
comment or declaration is written `&lt;`, which shows as `<` (inside code it shows as `&lt;`, the price of
never parsing notes); autolinks to web and mail addresses stay links.

A report is for reading, in a viewer or with `cat`: control characters other than newline and tab
(terminal escape sequences, bells, carriage returns) become the app's visible placeholders (`␛`), as on
screen, so printing the report cannot act on the terminal. Import never reads this format, so nothing
needs them back; the other formats keep them exactly.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from typing import IO

from reader.corpus.documents import Corpus
from reader.formats.argument_tree import Row, argument_rows
from reader.formats.common import Dropped, Progress
from reader.model.annotation import EXPORT_SCHEMA, Annotation, now_iso
from reader.model.labels import LabelScheme
from reader.text import bar, display_safe, plural

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start markup
# anywhere in a line (emphasis, code, links, HTML, entities, tables, strikethrough, hard breaks).
_INLINE = re.compile(r"[\\`*_\[\]<>!&|~#]")
# At the start of a line these begin headings, lists, rules, block quotes or setext underlines.
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))", re.MULTILINE)
_TRAILING_SPACES = re.compile(r" +$", re.MULTILINE)
# What starts raw HTML in CommonMark (inline or block): `<` then a tag name, `/`, `!` or `?`.
_HTML_OPEN = re.compile(r"<(?=[A-Za-z/!?])(?!(?:https?://|mailto:)[^\s<>]*>)")
_LEADS = frozenset("-+=>")


def escape(text: str) -> str:
    """Text shown literally by any CommonMark renderer."""
    if _INLINE.search(text):
        text = _INLINE.sub(r"\\\g<0>", text)
    # The line-start and trailing-space passes are needed only for some texts; skipping them keeps a
    # 100,000-annotation report fast.
    first = text[:1]
    if "\n" in text or first in _LEADS or first.isdigit() or first.isspace():
        text = _LINE_START.sub(lambda m: m.group(1) + _escape_lead(m.group(2)), text)
    if text.endswith(" ") or " \n" in text:
        # Two trailing spaces would make a hard line break; they carry no meaning in a quote.
        text = _TRAILING_SPACES.sub(lambda m: "&#32;" * len(m.group(0)), text)
    return text


# Labels, tags, authors and link types repeat across a report; escape each once.
_escape_name = functools.lru_cache(maxsize=4096)(escape)


def _escape_lead(lead: str) -> str:
    return lead + "\\" if lead.isdigit() else "\\" + lead


def _blockquote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


ORPHANED = "Orphaned — no longer found in the text"


def write(
    annotations: Sequence[Annotation], corpus: Corpus, out: IO[bytes], progress: Progress
) -> list[Dropped]:
    by_id = {ann.id: ann for ann in annotations}
    scheme = corpus.scheme
    parts = [
        "# Annotations\n",
        f"Exported {now_iso()} from reader ({EXPORT_SCHEMA}); "
        f"{plural(len(annotations), 'annotation')} in "
        f"{plural(len({a.doc for a in annotations}), 'document')}.\n",
    ]
    ordered = sorted(annotations, key=lambda a: a.sort_key)
    parts.append(summary(ordered, corpus))
    for doc_id, group in groupby(ordered, key=lambda a: a.doc):
        doc = corpus.get(doc_id)
        parts.append(f"\n## {escape(doc.title if doc and doc.title else doc_id)}\n")
        facts = [("Document", doc_id)]
        if doc is not None:
            facts += [
                (name.capitalize(), value)
                for name, value in (
                    ("author", doc.author),
                    ("party", doc.party),
                    ("outlet", doc.outlet),
                    ("date", doc.date),
                )
                if value
            ]
        parts.append("\n" + "".join(f"- {key}: {escape(value)}\n" for key, value in facts))
        anns = list(group)
        rows = argument_rows(anns)
        if rows:
            parts.append("\n### Argument\n\n")
            parts.extend(_row(row, scheme) for row in rows)
            parts.append("\n### Annotations\n")
        for ann in anns:
            if not ann.orphaned:
                parts.append(_annotation(ann, by_id))
        orphans = [ann for ann in anns if ann.orphaned]
        if orphans:
            # Their text is gone from the document: listed apart, with everything they kept.
            parts.append(f"\n### {ORPHANED}\n")
            parts.extend(_annotation(ann, by_id) for ann in orphans)
        progress(0)
    # One pass over the whole report finds what needs a placeholder, wherever it came from (quote,
    # note, metadata, tag); almost every report has none and costs only the search.
    out.write(display_safe("".join(parts)).encode("utf-8"))
    progress(len(annotations))
    return []


def _row(row: Row, scheme: LabelScheme) -> str:
    """One item of the argument's nested list: `(+) supports: **premise** “quote…”`, the quote
    linking to the annotation below; `(↑ above)` where it was shown already."""
    ann = row.ann
    words = []
    if row.relation is not None:
        sign = "(−)" if scheme.attacks(row.relation) else "(+)"
        words.append(f"{sign} {_escape_name(row.relation)}:")
    words.append(f"**{_escape_name(ann.label)}**" if ann.label else "*unlabelled*")
    shown = "*on the whole document*" if ann.start is None else f"“{escape(_short(ann.quote))}”"
    if ann.orphaned:
        shown = f"*orphaned* “{escape(_short(ann.quote))}”"
    words.append(f"[{shown}](#{ann.id})")
    if row.repeat:
        words.append("(↑ above)")
    return "  " * row.depth + "- " + " ".join(words) + "\n"


BAR_WIDTH = 12


def text_bar(value: int, most: int, width: int = BAR_WIDTH) -> str:
    """A bar of up to `width` characters, in eighths of a character, readable in any viewer."""
    return bar(value, most, width)


def summary(ordered: Sequence[Annotation], corpus: Corpus) -> str:
    """The report's opening table: per document, its annotations by label, notes and links, and a
    bar of its annotations against the document with the most; then the totals."""
    if not ordered:
        return ""
    rows: list[tuple[str, Counter[str], int, int, int]] = []
    for doc_id, group in groupby(ordered, key=lambda a: a.doc):
        anns = list(group)
        doc = corpus.get(doc_id)
        labels = Counter(a.label for a in anns if a.label)
        notes = sum(1 for a in anns if a.note.strip())
        links = sum(len(a.links) for a in anns)
        title = " ".join((doc.title if doc and doc.title else doc_id).split())  # one table row
        rows.append((title, labels, notes, links, len(anns)))
    seen = Counter[str]()
    for _title, labels, *_ in rows:
        seen.update(labels)
    names = [name for name in corpus.scheme.names if name in seen]
    names += sorted(set(seen) - set(names))
    most = max(row[4] for row in rows)
    head = ["Document", "Annotations", *(_escape_name(n) for n in names), "Notes", "Links", ""]
    lines = ["", "| " + " | ".join(head) + " |", "|" + "---|" * (len(head) - 2) + "---|---|"]
    for title, labels, notes, links, count in rows:
        cells = [escape(title), str(count), *(str(labels[n]) for n in names), str(notes)]
        cells += [str(links), text_bar(count, most)]
        lines.append("| " + " | ".join(cells) + " |")
    totals = [str(sum(row[4] for row in rows)), *(str(seen[n]) for n in names)]
    totals += [str(sum(row[2] for row in rows)), str(sum(row[3] for row in rows)), ""]
    lines.append("| **Total** | " + " | ".join(totals) + " |")
    return "\n".join(lines) + "\n"


def _annotation(ann: Annotation, by_id: dict[str, Annotation]) -> str:
    lines: list[str] = []
    if ann.start is None and not ann.orphaned:
        lines.append("\n*On the whole document*\n")
    else:
        lines.append("\n" + _blockquote(escape(ann.quote)) + "\n")
    facts = [f"**{_escape_name(ann.label)}**" if ann.label else "*unlabelled*"]
    if ann.tags:
        facts.append("tags: " + ", ".join(_escape_name(tag) for tag in ann.tags))
    facts.append(f"{_escape_name(ann.author)}, {ann.modified[:10]}")
    if ann.origin != "manual":
        facts.append(f"from a {ann.origin}")
    lines.append("\n" + " · ".join(facts) + f' <a id="{ann.id}"></a>\n')
    for link in ann.links:
        target = by_id.get(link.to)
        shown = f"“{escape(_short(target.quote))}”" if target and target.quote else escape(link.to)
        if target is not None:
            shown = f"[{shown}](#{link.to})"
        lines.append(f"\n{_escape_name(link.type)} → {shown}\n")
    if ann.note:
        note = _HTML_OPEN.sub("&lt;", ann.note) if "<" in ann.note else ann.note
        lines.append("\n" + note.rstrip("\n") + "\n")
    return "".join(lines)
