"""W3C Web Annotation Data Model: an AnnotationCollection whose first page holds every annotation.

Each annotation: id `urn:reader:annotation:ID`; bodies: the note (TextualBody, purpose commenting,
text/markdown), one TextualBody per tag (purpose tagging), the label (purpose classifying), and one
SpecificResource per link (purpose linking, source the linked annotation, `reader:linkType` its type);
target: source `urn:reader:doc:ID` (or the document's `url` from corpus.toml) with a TextQuoteSelector and a TextPositionSelector (or just the
source for a note on the whole document); created, modified, creator. Every annotation carries its own
@context so it stands alone; the extra context entry declares the `reader:` terms.

Reading also takes Hypothesis's rows (its client's JSON download, its API's search results), which
place an annotation with the same selectors but keep the note, tags and annotator in fields of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote as urlquote

import orjson

from reader.corpus.documents import Corpus
from reader.errors import FormatError
from reader.formats.common import (
    ANNOTATION_URN,
    DOC_URN,
    Dropped,
    Incoming,
    Progress,
    check_note,
    decode_utf8,
    read_limited,
)
from reader.model.annotation import MAX_NOTE_CHARS, SCHEMA_VERSION, Annotation, new_id, now_iso
from reader.model.labels import brief
from reader.text import shorten

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT: list[Any] = [ANNO_CONTEXT, {"reader": "urn:reader:vocab:"}]
CARRIES = frozenset(
    {"label", "tags", "note", "links", "origin", "author", "created", "modified", "quote"}
)


@functools.lru_cache(maxsize=4096)
def doc_iri(doc_id: str) -> str:
    return DOC_URN + urlquote(doc_id, safe="/")


def annotation_json(ann: Annotation, source: str = "") -> dict[str, Any]:
    """One annotation; `source` is the document's published URL when corpus.toml gives one."""
    bodies: list[dict[str, Any]] = []
    if ann.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/markdown",
                "value": ann.note,
            }
        )
    for tag in ann.tags:
        bodies.append({"type": "TextualBody", "purpose": "tagging", "value": tag})
    if ann.label:
        bodies.append({"type": "TextualBody", "purpose": "classifying", "value": ann.label})
    for link in ann.links:
        bodies.append(
            {
                "type": "SpecificResource",
                "purpose": "linking",
                "source": ANNOTATION_URN + link.to,
                "reader:linkType": link.type,
            }
        )
    target: dict[str, Any] = {"source": source or doc_iri(ann.doc)}
    if ann.start is not None:
        target["selector"] = [
            {
                "type": "TextQuoteSelector",
                "exact": ann.quote,
                "prefix": ann.prefix,
                "suffix": ann.suffix,
            },
            {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
        ]
    elif ann.quote:  # orphaned: its text is gone, so there is no position, but the quote stays
        target["selector"] = [
            {
                "type": "TextQuoteSelector",
                "exact": ann.quote,
                "prefix": ann.prefix,
                "suffix": ann.suffix,
            }
        ]
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "id": ANNOTATION_URN + ann.id,
        "type": "Annotation",
        "motivation": _motivation(ann),
        "created": ann.created,
        "modified": ann.modified,
        "creator": {"type": "Person", "name": ann.author},
        "target": target,
        "reader:docSha256": ann.doc_sha256,
    }
    if ann.origin != "manual":
        out["reader:origin"] = ann.origin
    if bodies:
        out["body"] = bodies
    return out


def _motivation(ann: Annotation) -> str:
    if ann.note:
        return "commenting"
    if ann.label:
        return "classifying"
    if ann.tags:
        return "tagging"
    return "linking" if ann.links else "highlighting"


def write(
    annotations: Sequence[Annotation], corpus: Corpus, out: IO[bytes], progress: Progress
) -> list[Dropped]:
    urls: dict[str, str] = {}
    for doc_id in {ann.doc for ann in annotations}:
        doc = corpus.get(doc_id)
        urls[doc_id] = doc.url if doc is not None else ""
    items = [annotation_json(ann, urls[ann.doc]) for ann in annotations]
    progress(len(items))
    collection_id = "urn:reader:export:" + new_id()
    payload = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"reader annotations ({SCHEMA_VERSION})",
        "reader:schema": SCHEMA_VERSION,
        "created": now_iso(),
        "total": len(items),
        "first": {
            "id": collection_id + ":page1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    # Not indented: at 100,000 annotations indentation doubles the file and the time to write it.
    out.write(orjson.dumps(payload, option=orjson.OPT_APPEND_NEWLINE))
    return []


def read(path: Path) -> list[Incoming]:
    try:
        data = orjson.loads(decode_utf8(read_limited(path, "W3C JSON-LD"), path))
    except orjson.JSONDecodeError as exc:
        raise FormatError(f"{path}: not valid JSON ({exc}); was the file cut short?") from None
    items = _items(data, path)
    incoming = [_incoming(item, f"{path}: annotation {n}") for n, item in enumerate(items, start=1)]
    _say_what_replies_answer(items, incoming)
    return incoming


def _say_what_replies_answer(items: list[Any], incoming: list[Incoming]) -> None:
    """A Hypothesis reply has no place of its own in the text (it comes in as a note on the whole
    document): its note starts by naming what its thread is about, so the reply still reads as an
    answer to something. `references` lists the thread from its root to the direct parent."""
    quotes = {one.key: " ".join(one.quote.split()) for one in incoming if one.quote}
    keys = {one.key for one in incoming}
    for item, one in zip(items, incoming, strict=True):
        references = item.get("references") if one.quote is None and one.start is None else None
        if not isinstance(references, list):
            continue
        thread = [ref for ref in references if isinstance(ref, str) and ref != one.key]
        if not thread:
            continue
        quote = next((quotes[ref] for ref in reversed(thread) if quotes.get(ref)), None)
        if quote:
            about = f"the passage “{shorten(quote, 80)}”"
        elif any(ref in keys for ref in thread):
            about = "the whole document"  # started by a page note
        else:
            about = "an annotation not in this file"
        note = one.fields.get("note") or ""
        said = f"Reply in the thread on {about}" + (f":\n\n{note}" if note.strip() else ".")
        if len(said) <= MAX_NOTE_CHARS:  # else the reply as written, rather than none
            one.fields["note"] = said


def _items(data: Any, path: Path) -> list[Any]:
    """The annotations of a collection (first page, or inline items), a page, a list, or one; or
    the rows of Hypothesis's own download ({"export_date", ..., "annotations": [...]}) or of its
    API's search ({"total", "rows": [...]})."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise FormatError(f"{path}: not a W3C annotation, page or collection")
    kind = data.get("type")
    if kind is None:
        for rows in ("annotations", "rows"):  # Hypothesis's shapes
            if isinstance(data.get(rows), list):
                return list(data[rows])
    kinds = kind if isinstance(kind, list) else [kind]
    if "Annotation" in kinds:
        return [data]
    if "AnnotationPage" in kinds and isinstance(data.get("items"), list):
        return list(data["items"])
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        if isinstance(first, dict) and isinstance(first.get("items"), list):
            items = list(first["items"])
            if first.get("next") is not None:
                raise FormatError(
                    f"{path}: the collection has more pages than the first; save the whole "
                    "collection in one page to import it"
                )
            return items
        if isinstance(data.get("items"), list):
            return list(data["items"])
    raise FormatError(
        f"{path}: expected a W3C AnnotationCollection, AnnotationPage or Annotation, got type "
        f"{brief(kind)}"
    )


def _incoming(item: Any, where: str) -> Incoming:
    if not isinstance(item, dict):
        raise FormatError(f"{where}: an annotation must be an object")
    raw_id = item.get("id")
    if not isinstance(raw_id, str) or not raw_id:
        raise FormatError(f"{where}: the annotation has no id")
    ann_id = raw_id.removeprefix(ANNOTATION_URN) if raw_id.startswith(ANNOTATION_URN) else None
    target = item.get("target")
    if isinstance(target, list):
        if len(target) != 1:
            raise FormatError(f"{where}: only annotations with one target can be imported")
        target = target[0]
    if isinstance(target, str):
        target = {"source": target}
    if not isinstance(target, dict) or not isinstance(target.get("source"), str):
        raise FormatError(f"{where}: the target has no source naming the document")
    start = end = None
    quote: str | None = None
    prefix = suffix = ""
    selectors = target.get("selector", [])
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector":
            quote = _text(selector.get("exact"), where, "exact")
            prefix = _text(selector.get("prefix", ""), where, "prefix")
            suffix = _text(selector.get("suffix", ""), where, "suffix")
        elif selector.get("type") == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not all(type(v) is int and v >= 0 for v in (start, end)):
                raise FormatError(f"{where}: TextPositionSelector start/end must be numbers")
    if start is None and quote is None and selectors:
        raise FormatError(f"{where}: no TextQuoteSelector or TextPositionSelector to place it")
    fields: dict[str, Any] = {"note": "", "tags": [], "label": None}
    links: list[tuple[str, str]] = []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if not isinstance(body, dict):
            continue
        purpose = body.get("purpose")
        if purpose == "linking" and isinstance(body.get("source"), str):
            links.append((str(body.get("reader:linkType", "relates")), body["source"]))
        elif purpose == "commenting" or (purpose is None and "value" in body):
            fields["note"] = check_note(body.get("value", ""), where)
        elif purpose == "tagging":
            fields["tags"].append(_text(body.get("value"), where, "tag"))
        elif purpose == "classifying":
            fields["label"] = _text(body.get("value"), where, "label") or None
    if "body" not in item:
        _hypothesis_fields(item, fields, where)
    creator = item.get("creator")
    if isinstance(creator, list) and creator:
        creator = creator[0]
    if isinstance(creator, dict) and isinstance(creator.get("name"), str):
        fields["author"] = creator["name"]
    elif isinstance(creator, str):
        fields["author"] = creator
    for name in ("created", "modified"):
        if isinstance(item.get(name), str):
            fields[name] = item[name]
    if item.get("reader:origin") is not None:
        fields["origin"] = item["reader:origin"]
    elif ann_id is not None:
        fields["origin"] = "manual"
    return Incoming(
        where=where,
        key=raw_id,
        id=ann_id,
        doc_ref=target["source"],
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        links=links,
        fields=fields,
    )


def _hypothesis_fields(item: dict[str, Any], fields: dict[str, Any], where: str) -> None:
    """A Hypothesis row: the note in `text`, `tags`, the annotator in `user_info.display_name`
    or `user` ("acct:NAME@hypothes.is"), the last change in `updated`. A reply (`references`) or
    a page note has no selector: it comes in as a note on the whole document (a reply's note says
    which passage its thread is about: `_say_what_replies_answer`)."""
    if isinstance(item.get("text"), str):
        fields["note"] = check_note(item["text"], where)
    tags = item.get("tags")
    if isinstance(tags, list):
        fields["tags"] = [_text(tag, where, "tag") for tag in tags]
    info = item.get("user_info")
    user = item.get("user")
    if isinstance(info, dict) and isinstance(info.get("display_name"), str):
        fields["author"] = info["display_name"]
    elif isinstance(user, str):
        fields["author"] = user.removeprefix("acct:").split("@", 1)[0]
    if isinstance(item.get("updated"), str):
        fields["modified"] = item["updated"]


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str):
        raise FormatError(f"{where}: {name} must be text, got {type(value).__name__}")
    return value
