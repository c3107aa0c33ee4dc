"""Argdown (argdown.org): one section per document, each annotation a statement, links as relations.
Export only.

    # Title of the document {doc: "the/document-id"}

    [a-01J…]: The quote, on one line. #claim #(a tag) {note: "the note"}
      +> [a-01K…]
      -> [a-01L…]

The statement's title is `a-` and the annotation's id; its text is the quote with line breaks as spaces;
the label and the tags are Argdown tags; the note is kept in the statement's YAML data. A link is written
under the statement that holds it: `+>` where its type supports (the corpus's `[[relations]]` say which
do), `->` where it attacks. Argdown has no names for relation types, so `rebuts` and `attacks` both
read as an attack.

Argdown reads much of plain text as markup (tags, bold, comments, front matter, statement references,
YAML data, `.name.` and `:name:` shortcodes); every character that could start any of these is
backslash-escaped, so the parser reads back the text exactly. A note on the whole document, or a span of
nothing but blanks, has no quote to show: its statement's text says so.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from itertools import groupby
from typing import IO
from urllib.parse import quote as urlquote

import orjson

from reader.corpus.documents import Corpus
from reader.formats.common import Dropped, Progress
from reader.model.annotation import SCHEMA_VERSION, Annotation
from reader.model.labels import LabelScheme
from reader.text import plural

# Argdown needs text in a statement: these stand in for the quote of a note on the whole document
# and for a span of blanks or of nothing.
WHOLE_DOCUMENT = "(on the whole document)"
NO_TEXT = "(no text)"
# Backslash, tags, bold and italics, statement and argument references, links, mentions, YAML data
# and comments always; `.` and `:` where a shortcode could follow (`e.g.`, `10:30:00`); `=` where it
# starts a run of three (front matter, which could otherwise swallow the file up to the next run).
_SPECIAL = re.compile(r"[\\#*_\[\]<>{}/@]|[.:](?![ \t]|$)|=(?===)")
_LINE_BREAKS = re.compile(r"\r\n?|\n")
_BARE_TAG = re.compile(r"[A-Za-z0-9-]+")
_SAFE_TITLE = re.compile(r"[A-Za-z0-9_~.-]+")
# What YAML may not hold raw (js-yaml refuses the stream), what ends a line for the data token's `.`
# in JavaScript, and the braces that would end the data token early: written as \u escapes.
_YAML_UNSAFE = re.compile("[{}\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def escape(text: str) -> str:
    """Statement or heading text the Argdown parser reads back exactly, on one line."""
    if "\n" in text or "\r" in text:
        text = _LINE_BREAKS.sub(" ", text)
    return _SPECIAL.sub(r"\\\g<0>", text)


def title(ann_id: str) -> str:
    """The statement title of an annotation: `a-` and its id, %-encoded if it holds characters that
    could end or confuse a title (ids reader makes never do)."""
    if _SAFE_TITLE.fullmatch(ann_id):
        return "a-" + ann_id
    return "a-" + urlquote(ann_id, safe="-_.~")


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar for the statement's or section's data."""
    dumped = orjson.dumps(value).decode("utf-8")
    if _YAML_UNSAFE.search(dumped):
        dumped = _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)
    return dumped


@functools.lru_cache(maxsize=4096)
def tag(name: str) -> str | None:
    """`#name`, or `#(name)` for a name with other characters; None if Argdown cannot hold it."""
    if _BARE_TAG.fullmatch(name):
        return f" #{name}"
    if ")" in name or "\n" in name or "\r" in name or not name.strip():
        return None
    return f" #({name})"


def write(
    annotations: Sequence[Annotation], corpus: Corpus, out: IO[bytes], progress: Progress
) -> list[Dropped]:
    scheme = corpus.scheme
    exported = {ann.id for ann in annotations}
    dropped: list[Dropped] = []
    parts = [
        f"// Written by reader ({SCHEMA_VERSION}): {plural(len(annotations), 'annotation')} in "
        f"{plural(len({a.doc for a in annotations}), 'document')}.\n"
    ]
    ordered = sorted(annotations, key=lambda a: a.sort_key)
    for doc_id, group in groupby(ordered, key=lambda a: a.doc):
        doc = corpus.get(doc_id)
        heading = doc.title if doc is not None and doc.title else doc_id
        parts.append(f"\n# {escape(heading)} {{doc: {yaml_string(doc_id)}}}\n")
        count = 0
        for ann in group:
            parts.append(_statement(ann, scheme, exported, dropped))
            count += 1
        progress(count)
    out.write("".join(parts).encode("utf-8"))
    return dropped


def _statement(
    ann: Annotation, scheme: LabelScheme, exported: set[str], dropped: list[Dropped]
) -> str:
    if ann.start is None:
        text = WHOLE_DOCUMENT
    else:
        text = escape(ann.quote) if ann.quote and not ann.quote.isspace() else NO_TEXT
    line = [f"\n[{title(ann.id)}]: {text}"]
    for name in (ann.label, *ann.tags) if ann.label else ann.tags:
        written = tag(name)
        if written is None:
            dropped.append(Dropped(ann.id, f"tag {name!r} is not one Argdown can hold", False))
        else:
            line.append(written)
    if ann.note:
        line.append(f" {{note: {yaml_string(ann.note)}}}")
    line.append("\n")
    seen: set[tuple[bool, str]] = set()
    for link in ann.links:
        if link.to not in exported:
            reason = f"link {link.type} → {link.to} points outside the export"
            dropped.append(Dropped(ann.id, reason, False))
            continue
        attack = scheme.attacks(link.type)
        # Argdown knows only support and attack, so two links of one polarity are one relation.
        if (attack, link.to) in seen:
            continue
        seen.add((attack, link.to))
        line.append(f"  {'->' if attack else '+>'} [{title(link.to)}]\n")
    return "".join(line)
