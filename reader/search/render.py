"""Search hits for people (Rich text with the matched words highlighted) and for programs (JSON).

Shared by `reader search` and the app's search screen. Text from notes and documents is untrusted: it goes
through `display_safe` and into `Text` objects, never into markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from reader.model.labels import label_name
from reader.search.highlight import highlight_spans
from reader.text import display_safe

if TYPE_CHECKING:
    from reader.corpus.documents import Corpus
    from reader.search.engine import Hit

MATCH_STYLE = "bold reverse"
SNIPPET = 160


def title_of(corpus: Corpus | None, doc_id: str) -> str:
    doc = corpus.get(doc_id) if corpus is not None else None
    return doc.title if doc is not None and doc.title else doc_id


def location(hit: Hit) -> str:
    """Where the hit is: `doc-id 120-184`, or `doc-id (whole document)`."""
    if hit.start is None:
        return f"{hit.doc_id} (whole document)"
    return f"{hit.doc_id} {hit.start}-{hit.end}"


def highlighted(text: str, spans: list[tuple[int, int]], limit: int | None = SNIPPET) -> Text:
    """`text` made safe, one line, matched spans styled; cut to `limit` around the first match."""
    # Cut before making safe (which keeps lengths): a note of megabytes is not copied whole per hit.
    length = len(text)
    start = 0
    if limit is not None and length > limit:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - limit // 4, length - limit))
        text = text[start : start + limit]
    safe = display_safe(text).replace("\n", " ").replace("\t", " ")
    out = Text(("…" if start else "") + safe)
    shift = 1 if start else 0
    for s, e in spans:
        s, e = s - start, e - start
        if e > 0 and s < len(safe):
            out.stylize(MATCH_STYLE, max(0, s) + shift, min(len(safe), e) + shift)
    if limit is not None and start + limit < length:
        out.append("…")
    return out


def hit_lines(hit: Hit, corpus: Corpus | None, number: int | None = None) -> list[Text]:
    """Title line, the quote (or sentence), and the note, each a `Text`."""
    head = Text()
    if number is not None:
        head.append(f"{number}. ", style="bold")
    title = display_safe(title_of(corpus, hit.doc_id))
    head.append_text(highlighted(title, _title_spans(hit, title), limit=None))
    head.append(f"  {display_safe(location(hit))}", style="dim")
    ann = hit.annotation
    if ann is not None:
        # An annotation with tags or a note only says so, as it is called everywhere else.
        head.append(
            f"  [{display_safe(label_name(ann.label))}]", style="bold" if ann.label else "dim"
        )
        tags = " ".join(f"#{display_safe(tag)}" for tag in ann.tags)
        if tags:
            head.append("  ")
            head.append_text(highlighted(tags, _tag_spans(hit, tags), limit=None))
    lines = [head]
    if hit.text:
        quote = Text("  “")
        quote.append_text(
            highlighted(hit.text, hit.highlights.get("quote", hit.highlights.get("text", [])))
        )
        quote.append("”")
        lines.append(quote)
    if ann is not None and ann.note:
        note = Text("  note: ", style="italic")
        note.append_text(highlighted(ann.note, hit.highlights["note"]))
        lines.append(note)
    return lines


def _title_spans(hit: Hit, title: str) -> list[tuple[int, int]]:
    return highlight_spans(title, [t for t in hit.terms if t.field in (None, "doc")])


def _tag_spans(hit: Hit, tags: str) -> list[tuple[int, int]]:
    return highlight_spans(tags, [t for t in hit.terms if t.field in (None, "tag")])


def hit_json(hit: Hit, corpus: Corpus | None) -> dict[str, Any]:
    """One hit as JSON: location, score, the annotation's fields and the highlight spans."""
    record: dict[str, Any] = {
        "doc": hit.doc_id,
        "title": title_of(corpus, hit.doc_id),
        "start": hit.start,
        "end": hit.end,
        "score": round(hit.score, 4),
    }
    ann = hit.annotation
    if ann is None:
        record["text"] = hit.text
    else:
        record |= {
            "id": ann.id,
            "label": ann.label,
            "tags": list(ann.tags),
            "quote": ann.quote,
            "note": ann.note,
            "origin": ann.origin,
            "annotator": ann.author,  # never `author`: that is a document's writer elsewhere
        }
    record["highlights"] = {
        name: [list(span) for span in spans] for name, spans in hit.highlights.items()
    }
    return record
