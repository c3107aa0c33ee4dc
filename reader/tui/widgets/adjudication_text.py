"""The text the adjudication screen draws: the document around a disagreement and each annotator's
version of it. Every piece of a document, label, tag, note or name goes through `safe()`."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from reader.adjudication import Adjudication, Disagreement, Version
from reader.model.annotation import Annotation
from reader.model.labels import LabelScheme, label_name
from reader.text import bar, bounded_preview, display_safe, shorten
from reader.tui.safe import safe
from reader.tui.widgets.palette import label_style

QUOTE = 400  # characters of a version's quote shown before it is cut


def styled(text: str, style: str) -> Text:
    """A Text that starts with `text` in `style` and takes more pieces in their own styles (a Text
    made with a style would lend it to everything appended)."""
    out = Text()
    out.append(text, style=style)
    return out


def flat(text: str) -> str:
    """Line breaks as a pilcrow: the context and quotes are one flowing paragraph."""
    return text.replace("\n\n", " ¶ ").replace("\n", " ")


def nothing_message(adj: Adjudication | None, building: bool) -> Text:
    """What the screen says when there is no disagreement to show, and why."""
    if building:
        return Text("Finding the disagreements between annotators…", style="dim")
    if adj is None:
        return Text("The annotation store is not open, so there is nothing to adjudicate.")
    names = ", ".join(adj.annotators)
    if adj.unknown:
        known = ", ".join(adj.everyone) or "nobody yet"
        return Text(
            display_safe(
                f"Nothing to adjudicate: {', '.join(adj.unknown)} made no annotations on spans "
                f"in this store. Its annotators: {known}."
            )
        )
    if len(adj.annotators) < 2:
        who = f"only {names} has" if adj.annotators else "nobody has"
        return Text(
            display_safe(
                f"Nothing to adjudicate: {who} annotated spans in this store. Adjudication "
                "compares the layers of two or more annotators; bring theirs into this store "
                "(reader import with --annotator NAME keeps each one's layer) and come back."
            )
        )
    return Text(display_safe(f"Nothing to adjudicate: {names} agree on every span they share."))


def progress(adj: Adjudication, index: int, agreements: Text) -> Text:
    """The top lines: decided of all with a bar, then the document and where in it."""
    item = adj.items[index]
    decided, total = adj.done()
    docs = adj.documents
    doc_done, doc_total = adj.done(item.doc)
    position = index - adj.in_document(item.doc).start + 1
    line = styled("Adjudication ", "bold")
    line.append(f"{decided:,} of {total:,} decided ")
    line.append(bar(decided, total, 12).ljust(12, "·"), style="green")
    line.append(f" {total - decided:,} open", style="dim")
    line.append_text(agreements)
    line.append("\n")
    line.append_text(safe(item.doc, style="bold"))
    line.append(
        f"  document {docs.index(item.doc) + 1:,} of {len(docs):,} · disagreement "
        f"{position:,} of {doc_total:,} · {doc_done:,} decided here",
        style="dim",
    )
    return line


def around(item: Disagreement, text: str, chars: int) -> Text:
    """`chars` characters of the document either side of the disagreement, its extent underlined;
    the quotes alone when `text` is not the one the annotations were made on."""
    anns = item.annotations
    if text[item.start : item.end] and all(text[a.start : a.end] == a.quote for a in anns):
        before = text[max(0, item.start - chars) : item.start]
        after = text[item.end : item.end + chars]
        out = styled("…" if item.start > chars else "", "dim")
        out.append_text(safe(flat(before), style="dim"))
        out.append_text(safe(flat(text[item.start : item.end]), style="bold underline"))
        out.append_text(safe(flat(after), style="dim"))
        if item.end + chars < len(text):
            out.append("…", style="dim")
        return out
    out = Text(f"(the text of {display_safe(item.doc)} is not the one annotated; quotes:) ")
    out.append_text(safe(flat(" / ".join(a.quote for a in anns))))
    return out


def version_text(
    number: int,
    version: Version,
    taken: bool,
    scheme: LabelScheme,
    get: Callable[[str], Annotation | None],
) -> Text:
    """One annotator's column: the key that takes it, their name, then each annotation's label,
    span, quote, tags, note and links (`get` finds a link's target)."""
    parts: list[Text] = []
    title = Text()
    title.append(f" {number} ", style="bold reverse")
    title.append(" ")
    title.append_text(safe(version.annotator, style="bold"))
    if taken:
        title.append(" · in gold", style="bold green")
    parts.append(title)
    if not version.annotations:
        parts.append(Text("marked nothing here", style="dim italic"))
    for ann in version.annotations:
        parts.extend(_annotation(ann, scheme, get))
    return Text("\n").join(parts)


def _annotation(
    ann: Annotation, scheme: LabelScheme, get: Callable[[str], Annotation | None]
) -> list[Text]:
    scheme_label = scheme.by_name(ann.label) if ann.label else None
    line = Text()
    line.append_text(safe(f" {label_name(ann.label)} ", style=label_style(scheme_label)))
    line.append(f" {ann.start}–{ann.end}", style="dim")
    quote = shorten(ann.quote, QUOTE)
    out = [Text(), line, safe(f"“{flat(quote)}”")]
    if ann.tags:
        tags = styled("tags ", "dim")
        tags.append_text(safe(" ".join(ann.tags)))
        out.append(tags)
    if ann.note:
        note = styled("note ", "dim")
        note.append_text(safe(bounded_preview(ann.note, 300, 4)))
        out.append(note)
    for link in ann.links:
        target = get(link.to)
        shown = f"“{flat(target.quote[:40])}”" if target is not None else link.to
        linked = styled("→ ", "dim")
        linked.append_text(safe(f"{link.type} {shown}"))
        out.append(linked)
    return out
