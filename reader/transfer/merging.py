"""`reader merge`: bring teammates' stores (or their native JSON exports) into the project's store.

Ids are kept, so an annotation that travelled between stores is recognised. For each incoming one:
- an id the store does not have: added as it is (annotator, dates and links included);
- the same id with the same content (every field but `modified`): nothing to do;
- the same id with other content: a conflict. Both versions are kept: the store's stays as it is,
  the incoming one is added under a new id with the tags `merge-conflict` and
  `conflicts-with-<id>` (the id in lower case), so `tag:merge-conflict` finds every one and the tag
  names the version it disagrees with. A conflicting version merged before (the same content with
  those tags is in the store) is not added twice.

Everything is added by the store's own batch write (as an import is), one journalled, undoable step.
Nothing is dropped: an incoming annotation is either in the store already, added, or added as a copy.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from reader.collector import collector_paused
from reader.errors import FormatError, ReaderError
from reader.formats import native
from reader.model.annotation import Annotation, new_id
from reader.store import AnnotationStore
from reader.text import plural

CONFLICT_TAG = "merge-conflict"
# A native export starts with its schema (orjson keeps the key order it was written in).
_EXPORT_START = re.compile(rb'\A\s*\{\s*"schema"\s*:\s*"reader-annotations/')
_SNIFF_BYTES = 4096
# Short values said in a conflict line (the others are only named: a note may be long).
_SAID = ("label", "origin", "author", "doc")
_NAMES = {"author": "annotator", "anchor_status": "placement", "doc_sha256": "text hash"}


def conflict_tag(annotation_id: str) -> str:
    return f"conflicts-with-{annotation_id.lower()}"


@dataclass(frozen=True)
class Source:
    """One file to merge: what it is and the annotations it holds."""

    path: Path
    kind: str  # "store" or "JSON export"
    annotations: list[Annotation]


@dataclass(frozen=True)
class Conflict:
    id: str
    new_id: str
    path: Path
    differs: str

    def line(self, dry_run: bool = False) -> str:
        kept = "would be kept under a new id" if dry_run else f"kept as {self.new_id}"
        return (
            f"conflict: {self.id}: {self.differs}; {self.path.name}'s version {kept} "
            f"(tag {conflict_tag(self.id)})"
        )


@dataclass
class MergeReport:
    sources: list[Source]
    dry_run: bool = False
    added: int = 0
    same: int = 0
    same_elsewhere: int = 0  # under another id: the same file imported into both stores
    merged_before: int = 0  # conflicting versions already in the store from an earlier merge
    conflicts: list[Conflict] = field(default_factory=list)
    outside_corpus: Counter[str] = field(default_factory=Counter)  # document id → annotations
    applied: bool = False

    def lines(self) -> list[str]:
        return [c.line(self.dry_run) for c in self.conflicts]

    def warnings(self) -> list[str]:
        if not self.outside_corpus:
            return []
        docs = ", ".join(sorted(self.outside_corpus)[:5])
        more = len(self.outside_corpus) - 5
        return [
            f"{plural(sum(self.outside_corpus.values()), 'annotation')} of documents not in the "
            f"corpus ({docs}{f' and {more} more' if more > 0 else ''}) merged as they are; "
            "`reader check` lists them"
        ]

    def summary(self) -> str:
        read = sum(len(s.annotations) for s in self.sources)
        files = plural(len(self.sources), "file")
        counts = [
            f"{self.added} {'to add' if self.dry_run else 'added'}",
            f"{self.same} already in the store",
            *(
                [f"{self.same_elsewhere} already there under other ids"]
                if self.same_elsewhere
                else []
            ),
            f"{plural(len(self.conflicts), 'conflict')} (both versions kept)",
        ]
        if self.merged_before:
            counts.append(f"{self.merged_before} conflicting already merged")
        head = "dry run, nothing changed: " if self.dry_run else ""
        return f"{head}{plural(read, 'annotation')} in {files}: " + ", ".join(counts)


def read_source(path: Path) -> Source:
    """A teammate's store file or native JSON export; FormatError naming the file otherwise."""
    if not path.exists():
        raise FormatError(f"{path}: no such file; give a store file or a reader JSON export")
    if path.is_dir():
        raise FormatError(
            f"{path}: a folder; give its store file (annotations/store.json) or a JSON export"
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise FormatError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if _EXPORT_START.match(head):
        return Source(path, "JSON export", [ann for ann, _ in native.read_annotations(path)])
    try:
        with AnnotationStore.open(path, read_only=True) as store:
            annotations = store.annotations()
    except ReaderError as exc:
        # What is wrong with the file, without the advice for one's own store ("fix it by hand or
        # copy a backup over it"): a teammate's file is theirs to mend or send again.
        message = str(exc).split("; the files were left as they are")[0].split(". Fix ")[0]
        if str(path) not in message:
            message = f"{path}: {message}"
        raise FormatError(
            f"{message} (not a reader store nor a reader JSON export, so nothing was merged)"
        ) from None
    return Source(path, "store", annotations)


def _content(annotation: Annotation) -> dict[str, Any]:
    """What makes two versions the same: every field but the id and when it was last saved."""
    data = annotation.to_json()
    del data["id"], data["modified"]
    return data


def _key(annotation: Annotation) -> bytes:
    return orjson.dumps(_content(annotation))


Place = tuple[str, int | None, int | None, str | None, str]


def _place(annotation: Annotation) -> Place:
    """Where an annotation is and whose it is: for annotations without a shared id (each teammate
    imported the same brat folder, say), the same document, span, label and annotator make the
    same annotation, as on import."""
    return (annotation.doc, annotation.start, annotation.end, annotation.label, annotation.author)


def _substance(annotation: Annotation, places: dict[str, Place]) -> bytes:
    """What an annotation says apart from ids and times; links name their targets by place."""
    data = _content(annotation)
    del data["created"]
    data["links"] = sorted(
        (link["type"], list(places.get(link["to"], (link["to"], None, None, None, ""))))
        for link in data["links"]
    )
    return orjson.dumps(data)


def describe_difference(here: Annotation, there: Annotation) -> str:
    """`label claim → premise, note, tags`: what the incoming version changes, named briefly."""
    ours, theirs = _content(here), _content(there)
    parts = []
    if (ours["start"], ours["end"]) != (theirs["start"], theirs["end"]):
        parts.append(f"span {ours['start']}-{ours['end']} → {theirs['start']}-{theirs['end']}")
    for name in ours:
        if name in ("start", "end", "prefix", "suffix") or ours[name] == theirs[name]:
            continue
        shown = _NAMES.get(name, name)
        if name in _SAID:
            parts.append(f"{shown} {ours[name] or 'none'} → {theirs[name] or 'none'}")
        else:
            parts.append(shown)
    if not parts and (ours["prefix"], ours["suffix"]) != (theirs["prefix"], theirs["suffix"]):
        parts.append("context")
    return "differs in " + ", ".join(parts)


def plan_merge(
    sources: Sequence[Source],
    stored: Sequence[Annotation],
    corpus_docs: Collection[str],
    dry_run: bool = False,
) -> tuple[list[Annotation], MergeReport]:
    """What merging `sources` into a store holding `stored` adds, and the report; changes nothing.

    Sources are taken in order, each against the store as the earlier ones left it, so one id
    brought by two teammates in two versions is one addition and one conflict.
    """
    report = MergeReport(list(sources), dry_run=dry_run)
    current = {ann.id: ann for ann in stored}
    # Conflicting versions an earlier merge added: the same content, tags included.
    copies = {_key(ann) for ann in stored if CONFLICT_TAG in ann.tags}
    places = {ann.id: _place(ann) for ann in stored}
    by_place: dict[Place, list[Annotation]] = {}
    for ann in stored:
        if ann.start is not None:
            by_place.setdefault(_place(ann), []).append(ann)
    added: list[Annotation] = []
    for source in sources:
        places.update((ann.id, _place(ann)) for ann in source.annotations)
        for incoming in source.annotations:
            if incoming.doc not in corpus_docs:
                report.outside_corpus[incoming.doc] += 1
            here = current.get(incoming.id)
            if here is None and incoming.start is not None:
                said = _substance(incoming, places)
                twins = by_place.get(_place(incoming), [])
                if any(_substance(twin, places) == said for twin in twins):
                    report.same_elsewhere += 1
                    continue
                if twins:  # the same place in another version: a conflict like a shared id's
                    here = twins[0]
            if here is None:
                if incoming.start is not None:
                    by_place.setdefault(_place(incoming), []).append(incoming)
                current[incoming.id] = incoming
                added.append(incoming)
                continue
            if _content(here) == _content(incoming):
                report.same += 1
                continue
            extra = tuple(
                t for t in (CONFLICT_TAG, conflict_tag(here.id)) if t not in incoming.tags
            )
            copy = dataclasses.replace(incoming, id=new_id(), tags=(*incoming.tags, *extra))
            key = _key(copy)
            if key in copies:
                report.merged_before += 1
                continue
            copies.add(key)
            current[copy.id] = copy
            added.append(copy)
            report.conflicts.append(
                Conflict(here.id, copy.id, source.path, describe_difference(here, incoming))
            )
    report.added = len(added)
    return added, report


def merge_sources(
    sources: Sequence[Source],
    store: AnnotationStore,
    corpus_docs: Collection[str],
    dry_run: bool = False,
) -> MergeReport:
    """Merge `sources` into `store` as one durable write and one undo step (none on a dry run)."""
    with collector_paused():
        added, report = plan_merge(sources, store.annotations(), corpus_docs, dry_run)
        if added and not dry_run:
            store.write_many(add=added)
            report.applied = True
    return report
