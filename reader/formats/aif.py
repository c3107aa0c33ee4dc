"""AIF, the Argument Interchange Format, as the JSON AIFdb and OVA write: `nodes`, `edges`,
`locutions` and `participants`.

Each annotation is an I-node (information: its quote as text; a note on the whole document has its
note as text) asserted by its document's author: an L-node (locution, `Author : quote`) joined to it
through a YA-node (`Asserting`), with a locution record whose `source` names the document. Each link
is a scheme node of its own between the two I-nodes: an RA-node (`Default Inference`) when the type
supports, a CA-node (`Default Conflict`) when it attacks (the polarity corpus.toml gives the type),
with edges from the annotation that gives the reason to the node and from the node to the one it bears
on. Node and edge ids are numbers in strings, as AIFdb writes them. Nodes also carry a `reader` object
with what AIF has no place for (the annotation's id, document, offsets and context, label, tags, note,
annotator, dates; a link's type); AIF tools ignore it, and import reads it back.

Import takes any AIF JSON: each I-node becomes an annotation, placed by its text in the document its
`reader` object or its locution's source names, else the document named like the file
(`plain.json` → `plain`); each RA-, CA- or MA-node between I-nodes becomes a link (supports, attacks,
restates) from every I-node leading into it to every I-node it leads to. Dialogue nodes (L, YA, TA),
preferences and attacks on inferences (an edge into a scheme node from a scheme node) have no
counterpart in reader and are passed over.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from reader.corpus.documents import Corpus, Document
from reader.errors import FormatError
from reader.formats.common import (
    DOC_URN,
    Dropped,
    Incoming,
    Progress,
    check_note,
    decode_utf8,
    read_limited,
)
from reader.model.annotation import EXPORT_SCHEMA, Annotation
from reader.model.labels import brief

CARRIES = frozenset(
    {"label", "tags", "note", "links", "origin", "author", "created", "modified", "quote"}
)
SCHEMES = {"RA": "Default Inference", "CA": "Default Conflict", "MA": "Default Rephrase"}
# The link type a scheme node stands for when it carries no `reader` type (files from other tools).
LINK_TYPES = {"RA": "supports", "CA": "attacks", "MA": "restates"}
UNKNOWN_SPEAKER = "Unknown"


def timestamp(iso: str) -> str:
    """AIFdb's `YYYY-MM-DD HH:MM:SS` from reader's ISO-8601 UTC stamp."""
    return iso[:19].replace("T", " ")


def write(
    annotations: Sequence[Annotation], corpus: Corpus, out: IO[bytes], progress: Progress
) -> list[Dropped]:
    scheme = corpus.scheme
    ids = (str(n) for n in itertools.count(1))
    edge_ids = (str(n) for n in itertools.count(1))
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    locutions: list[dict[str, Any]] = []
    participants: dict[str, str] = {}  # speaker -> participantID
    speakers: dict[str, tuple[str, str, str]] = {}  # doc id -> (speaker, participantID, source)
    node_of: dict[str, str] = {}
    for ann in annotations:
        speaker = speakers.get(ann.doc)
        if speaker is None:
            name = _speaker(corpus.get(ann.doc))
            person = participants.setdefault(name, str(len(participants) + 1))
            speaker = speakers[ann.doc] = (name, person, DOC_URN + ann.doc)
        stamp = timestamp(ann.modified)
        text = ann.quote if ann.start is not None else ann.note
        i_node, l_node, ya_node = next(ids), next(ids), next(ids)
        node_of[ann.id] = i_node
        extra: dict[str, Any] = {"id": ann.id, "doc": ann.doc, "start": ann.start, "end": ann.end}
        if ann.start is not None:
            extra.update(prefix=ann.prefix, suffix=ann.suffix)
        extra.update(
            label=ann.label,
            tags=ann.tags,
            note=ann.note,
            annotator=ann.author,  # the document's author is the locution's speaker
            origin=ann.origin,
            created=ann.created,
            modified=ann.modified,
        )
        nodes += [
            {"nodeID": i_node, "text": text, "type": "I", "timestamp": stamp, "reader": extra},
            {"nodeID": l_node, "text": f"{speaker[0]} : {text}", "type": "L", "timestamp": stamp},
            {"nodeID": ya_node, "text": "Asserting", "type": "YA", "timestamp": stamp},
        ]
        edges += [
            {"edgeID": next(edge_ids), "fromID": l_node, "toID": ya_node, "formEdgeID": None},
            {"edgeID": next(edge_ids), "fromID": ya_node, "toID": i_node, "formEdgeID": None},
        ]
        locutions.append(
            {
                "nodeID": l_node,
                "personID": speaker[1],
                "timestamp": stamp,
                "start": None,
                "end": None,
                "source": speaker[2],
            }
        )
    dropped: list[Dropped] = []
    for ann in annotations:
        for link in ann.links:
            target = node_of.get(link.to)
            if target is None:
                reason = f"link {link.type} → {link.to} points outside the export"
                dropped.append(Dropped(ann.id, reason, False))
                continue
            kind = "CA" if scheme.attacks(link.type) else "RA"
            node = next(ids)
            nodes.append(
                {
                    "nodeID": node,
                    "text": SCHEMES[kind],
                    "type": kind,
                    "timestamp": timestamp(ann.modified),
                    "reader": {"type": link.type},
                }
            )
            source = node_of[ann.id]
            edges += [
                {"edgeID": next(edge_ids), "fromID": source, "toID": node, "formEdgeID": None},
                {"edgeID": next(edge_ids), "fromID": node, "toID": target, "formEdgeID": None},
            ]
    progress(len(annotations))
    payload = {
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": [
            {"participantID": person, "firstname": name, "surname": ""}
            for name, person in participants.items()
        ],
        "reader": {"schema": EXPORT_SCHEMA},  # 2: the nodes' reader objects say `annotator`
    }
    out.write(orjson.dumps(payload, option=orjson.OPT_APPEND_NEWLINE))
    return dropped


def _speaker(doc: Document | None) -> str:
    return (doc.author if doc is not None else "") or UNKNOWN_SPEAKER


# -- import ----------------------------------------------------------------------------------------


def read(path: Path) -> list[Incoming]:
    try:
        data = orjson.loads(decode_utf8(read_limited(path, "AIF JSON"), path))
    except orjson.JSONDecodeError as exc:
        raise FormatError(f"{path}: not valid JSON ({exc}); was the file cut short?") from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise FormatError(f"{path}: not AIF JSON: expected an object with a list of nodes")
    raw_edges = data.get("edges", [])
    raw_locutions = data.get("locutions", [])
    if not isinstance(raw_edges, list) or not isinstance(raw_locutions, list):
        raise FormatError(f"{path}: AIF edges and locutions must be lists")
    kinds: dict[str, str] = {}
    records: dict[str, Incoming] = {}  # I-node id -> its annotation
    link_types: dict[str, str] = {}  # scheme node id -> link type
    for number, node in enumerate(data["nodes"], start=1):
        # The position is spelled out only where it is kept or a node is refused: most nodes of a
        # large file are dialogue nodes that need neither.
        if not isinstance(node, dict):
            raise FormatError(f"{path}: node {number}: a node must be an object")
        node_id = node.get("nodeID")
        if type(node_id) is not str or not node_id:
            node_id = _id(node_id, f"{path}: node {number}", "nodeID")
        if node_id in kinds:
            raise FormatError(f"{path}: node {number}: nodeID {node_id!r} appears twice")
        kind = node.get("type")
        if not isinstance(kind, str):
            raise FormatError(
                f"{path}: node {number}: type {brief(kind)} must be text (I, RA, CA, MA, L, ...)"
            )
        kinds[node_id] = kind
        if kind == "I":
            records[node_id] = _incoming(node, node_id, f"{path}: node {number}", path)
        elif kind in LINK_TYPES:
            where = f"{path}: node {number}"
            extra = _extra(node, where)
            link_types[node_id] = _text(extra.get("type", LINK_TYPES[kind]), where, "type")
    into: dict[str, list[str]] = {}  # node -> the nodes with an edge into it
    out_of: dict[str, list[str]] = {}
    for number, edge in enumerate(raw_edges, start=1):
        source = edge.get("fromID") if type(edge) is dict else None
        target = edge.get("toID") if type(edge) is dict else None
        if not (
            type(source) is str and type(target) is str and source in kinds and target in kinds
        ):
            source, target = _ends(edge, f"{path}: edge {number}", kinds)
        out_of.setdefault(source, []).append(target)
        into.setdefault(target, []).append(source)
    for node_id, link_type in link_types.items():
        for source in into.get(node_id, ()):
            for target in out_of.get(node_id, ()):
                if source in records and target in records:
                    records[source].links.append((link_type, records[target].key))
    _documents_from_locutions(records, raw_locutions, kinds, into, path)
    for rec in records.values():
        # Neither the node nor a locution names the document: the one named like the file.
        rec.doc_ref = rec.doc_ref or path.stem
    return list(records.values())


def _incoming(node: dict[str, Any], node_id: str, where: str, path: Path) -> Incoming:
    text = _text(node.get("text"), where, "text")
    extra = _extra(node, where)
    fields: dict[str, Any] = {"note": "", "tags": [], "label": None}
    ann_id = extra.get("id")
    if ann_id is not None:
        ann_id = _text(ann_id, where, "reader id") or None
    doc = _text(extra.get("doc", ""), where, "reader doc")
    start, end = extra.get("start"), extra.get("end")
    whole = "start" in extra and start is None and end is None
    if (
        not whole
        and (start is not None or end is not None)
        and not all(type(v) is int and v >= 0 for v in (start, end))
    ):
        raise FormatError(f"{where}: start and end must both be numbers from 0, or null")
    if "label" in extra and extra["label"] is not None:
        fields["label"] = _text(extra["label"], where, "label") or None
    tags = extra.get("tags", [])
    if not isinstance(tags, list):
        raise FormatError(f"{where}: tags must be a list, got {brief(tags)}")
    fields["tags"] = [_text(tag, where, "tag") for tag in tags]
    fields["note"] = check_note(extra.get("note", text if whole else ""), where)
    # `annotator`; files written before it was named so call it `author`.
    for name, field in (("author", "author"), ("annotator", "author"), ("origin", "origin")):
        if name in extra:
            fields[field] = _text(extra[name], where, name)
    for name in ("created", "modified"):
        if name in extra:
            fields[name] = _text(extra[name], where, name)
    if ann_id is not None:
        fields.setdefault("origin", "manual")
    return Incoming(
        where=where,
        key=ann_id if ann_id is not None else f"aif-node:{node_id}",
        id=ann_id,
        doc_ref=doc,
        start=None if whole else start,
        end=None if whole else end,
        quote=None if whole else text,
        prefix=_text(extra.get("prefix", ""), where, "prefix"),
        suffix=_text(extra.get("suffix", ""), where, "suffix"),
        fields=fields,
    )


def _documents_from_locutions(
    records: dict[str, Incoming],
    locutions: list[Any],
    kinds: dict[str, str],
    into: dict[str, list[str]],
    path: Path,
) -> None:
    """An I-node without a `reader` document takes the source of the locution asserting it (L-node
    → YA-node → I-node), as AIFdb and OVA record where a text came from."""
    sources: dict[str, str] = {}
    for number, locution in enumerate(locutions, start=1):
        where = f"{path}: locution {number}"
        if not isinstance(locution, dict):
            raise FormatError(f"{where}: a locution must be an object")
        source = locution.get("source")
        if source is None:
            continue
        node_id = _id(locution.get("nodeID"), where, "nodeID")
        sources[node_id] = _text(source, where, "source")
    if not sources:
        return
    for node_id, rec in records.items():
        if rec.doc_ref:
            continue
        for ya in into.get(node_id, ()):
            if kinds.get(ya) != "YA":
                continue
            named = [sources[l_node] for l_node in into.get(ya, ()) if l_node in sources]
            if named:
                rec.doc_ref = named[0]
                break


def _ends(edge: Any, where: str, kinds: dict[str, str]) -> tuple[str, str]:
    """An edge's fromID and toID, or the reason it cannot be read."""
    if not isinstance(edge, dict):
        raise FormatError(f"{where}: an edge must be an object")
    ends = [_id(edge.get(name), where, name) for name in ("fromID", "toID")]
    for name, end in zip(("fromID", "toID"), ends, strict=True):
        if end not in kinds:
            raise FormatError(f"{where}: {name} {end!r} names no node in the file")
    return ends[0], ends[1]


def _id(value: Any, where: str, name: str) -> str:
    # AIFdb writes ids as strings of digits, some tools as numbers; both name the same node.
    if isinstance(value, str) and value:
        return value
    if type(value) is int:
        return str(value)
    raise FormatError(f"{where}: {name} {brief(value)} must be a node id (text or a number)")


def _extra(node: dict[str, Any], where: str) -> dict[str, Any]:
    extra = node.get("reader", {})
    if not isinstance(extra, dict):
        raise FormatError(f"{where}: the reader object must be an object, got {brief(extra)}")
    return extra


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str):
        raise FormatError(f"{where}: {name} must be text, got {type(value).__name__}")
    return value
