"""Checking annotations against the documents as they are now: which documents changed since their
annotations were made, where each annotation lands (reader/anchoring/), and writing that back as
one undoable store step (`reader check --fix`). Exports use `reanchored` to the same end without
writing anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.anchoring import Outcome, reanchor, summary, tally
from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation
from reader.store.annotation_store import AnnotationStore
from reader.text import plural


@dataclass
class CheckReport:
    """Every annotation whose document changed, with its outcome; orphans found earlier too."""

    outcomes: list[Outcome] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)  # document id -> annotations on it
    # A missing document's likely new id (renamed or moved), and how that was told. Its
    # annotations are checked against the new document (their outcomes carry the new id).
    renamed: dict[str, tuple[str, str]] = field(default_factory=dict)
    written: bool = False
    stale_entries: tuple[str, ...] = ()  # corpus.toml entries no document answers to

    @property
    def orphaned(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == "orphaned")

    @property
    def stranded(self) -> int:
        """Annotations on documents gone from the corpus, not found renamed or moved."""
        return sum(count for doc_id, count in self.missing.items() if doc_id not in self.renamed)

    def rows(self) -> list[dict[str, Any]]:
        """One object per annotation: id, doc, status, start, end, quote, old_quote."""
        out = []
        for outcome in self.outcomes:
            new = outcome.applied()
            out.append(
                {
                    "id": new.id,
                    "doc": new.doc,
                    "status": outcome.status,
                    "start": new.start,
                    "end": new.end,
                    "quote": new.quote,
                    "old_quote": new.old_quote,
                }
            )
        return out

    def summary(self) -> str:
        docs = len({outcome.annotation.doc for outcome in self.outcomes})
        if not self.outcomes and self.stranded:
            line = (
                f"{plural(self.stranded, 'annotation')} on documents no longer in the corpus; "
                "every other annotation is where its text is"
            )
        elif not self.outcomes:
            line = "every annotation is where its text is"
        else:
            line = (
                f"{plural(len(self.outcomes), 'annotation')} in {plural(docs, 'document')} "
                f"to check: {summary(self.outcomes)}"
            )
            unchanged = tally(self.outcomes).get("unchanged", 0)
            if unchanged:
                line += f", {unchanged} unchanged"
            line += "; written to the store (u in the app undoes it)" if self.written else ""
            if not self.written and self._pending():
                line += "; nothing written (run with --fix to record this)"
        for doc_id, count in sorted(self.missing.items()):
            if doc_id in self.renamed:
                new_id, how = self.renamed[doc_id]
                line += f"\n{doc_id} became {new_id} ({how}): {plural(count, 'annotation')} "
                line += "moved to it" if self.written else "to move (run with --fix)"
            else:
                line += (
                    f"\n{doc_id}: not in the corpus ({plural(count, 'annotation')} left as they "
                    "are)"
                )
        became = {old: new for old, (new, _how) in self.renamed.items()}
        for entry in self.stale_entries:
            line += "\n" + stale_entry_advice(entry, became.get(entry))
        return line

    def _pending(self) -> bool:
        return bool(self.renamed) or any(outcome.changes for outcome in self.outcomes)


def stale_entry_advice(entry: str, new_id: str | None) -> str:
    """What to do about a corpus.toml entry that describes no document (renamed or moved since)."""
    target = f'[documents."{new_id}"]' if new_id else "the document's new id"
    return (
        f'corpus.toml describes {entry}, which is not in the corpus: rename [documents."{entry}"] '
        f"to {target} to keep its title, author and date"
    )


def check_annotations(
    annotations: Iterable[Annotation], corpus: Corpus, find_renames: bool = False
) -> CheckReport:
    """Re-anchor, in memory, every annotation whose document's text changed; with `find_renames`,
    say which document each one missing from the corpus most likely became."""
    report = CheckReport(stale_entries=corpus.stale_entries)
    by_doc: dict[str, list[Annotation]] = {}
    for ann in annotations:
        by_doc.setdefault(ann.doc, []).append(ann)
    for doc_id, anns in by_doc.items():
        doc = corpus.get(doc_id)
        if doc is None or not doc.readable:
            report.missing[doc_id] = len(anns)
            continue
        sha = doc.sha256
        outcomes = reanchor(doc.text, sha, anns)
        report.outcomes += outcomes
        # Orphans of an earlier check, on a text that has not changed since: still orphans.
        report.outcomes += [
            Outcome(a, "orphaned", {}) for a in anns if a.orphaned and a.doc_sha256 == sha
        ]
    if report.missing and find_renames:
        gone = {d: by_doc[d] for d in report.missing if corpus.get(d) is None}  # not unreadable
        report.renamed = renamed(gone, corpus, set(by_doc))
        # Checked where they are going: re-anchored on the new document if its text differs.
        moved = [
            ann.moved_to(report.renamed[ann.doc][0], modified=ann.modified)
            for doc_id in report.renamed
            for ann in by_doc[doc_id]
        ]
        report.outcomes += check_annotations(moved, corpus).outcomes
    return report


def renamed(
    missing: dict[str, list[Annotation]], corpus: Corpus, annotated: set[str]
) -> dict[str, tuple[str, str]]:
    """Which corpus document each missing one (renamed, moved, gained an extension in its id) most
    likely is now: the one unannotated document with the text its annotations were made on, else
    the one holding most of their quotes (at least half). Ambiguous ones are left out."""
    fresh = [doc for doc in corpus if doc.id not in annotated and doc.readable]
    by_hash: dict[str, list[str]] = {}
    for doc in fresh:
        by_hash.setdefault(doc.sha256, []).append(doc.id)
    out: dict[str, tuple[str, str]] = {}
    taken: set[str] = set()
    for doc_id, anns in sorted(missing.items()):
        same = {new for ann in anns for new in by_hash.get(ann.doc_sha256, [])} - taken
        if len(same) == 1:
            out[doc_id] = (same.pop(), "the same text")
            taken.add(out[doc_id][0])
            continue
        quotes = [ann.quote for ann in anns if ann.quote]
        if not quotes:
            continue
        scores = sorted(
            ((sum(q in doc.text for q in quotes), doc.id) for doc in fresh if doc.id not in taken),
            reverse=True,
        )
        if (
            scores
            and scores[0][0] * 2 >= len(quotes)
            and (len(scores) == 1 or scores[1][0] < scores[0][0])
        ):
            out[doc_id] = (scores[0][1], f"{scores[0][0]} of {len(quotes)} quotes found in it")
            taken.add(scores[0][1])
    return out


def check_store(
    store: AnnotationStore,
    corpus: Corpus,
    fix: bool = False,
    follow: Follow | None = None,
) -> CheckReport:
    """`check_annotations` over the store; with `fix`, the outcomes written as one undo step: the
    annotations of a renamed or moved document moved to its new id, every one re-anchored, and
    the meta changes `follow` gives for the renames and outcomes (the app's reading positions and
    dismissed suggestions going with their text)."""
    report = check_annotations(store.annotations(), corpus, find_renames=True)
    if fix:
        changes: dict[str, dict[str, Any]] = {}
        for old, (new, _how) in report.renamed.items():
            for ann in store.annotations(old):
                changes[ann.id] = {"doc": new}
        for outcome in report.outcomes:
            if outcome.changes:
                changes.setdefault(outcome.annotation.id, {}).update(outcome.changes)
        moves = {old: new for old, (new, _how) in report.renamed.items()}
        meta = follow(moves, report.outcomes) if follow is not None else {}
        if changes or meta:
            store.relink(list(changes.items()), meta)
            report.written = True
    return report


# The meta changes that keep per-document keys with their text (reader/user_state.py follow_meta):
# given the renames (old id -> new id) and the outcomes.
Follow = Callable[[dict[str, str], list[Outcome]], Mapping[str, Any]]


def relink_renamed(
    store: AnnotationStore,
    corpus: Corpus,
    follow: Callable[[dict[str, str]], Mapping[str, Any]] | None = None,
    write: bool = True,
) -> dict[str, tuple[str, str, int]]:
    """Move the annotations of every document missing from the corpus to the document it most
    likely became (`renamed`), with the meta changes `follow` gives, as one undo step. Returns
    old id -> (new id, how it was told, annotations moved). Cheap when nothing is missing: the
    store's counts are compared with the corpus's ids. Re-anchoring is left to whoever opens or
    checks the new document next. Without `write` (a read-only store) it only finds them."""
    counts = store.counts()
    missing = [doc_id for doc_id in counts if corpus.get(doc_id) is None]
    if not missing:
        return {}
    gone = {d: store.annotations(d) for d in missing}
    found = renamed(gone, corpus, set(counts))
    if not found:
        return {}
    if not write:
        return {old: (new, how, counts[old]) for old, (new, how) in found.items()}
    changes = [(ann.id, {"doc": new}) for old, (new, _how) in found.items() for ann in gone[old]]
    moves = {old: new for old, (new, _how) in found.items()}
    store.relink(changes, follow(moves) if follow is not None else {})
    return {old: (new, how, counts[old]) for old, (new, how) in found.items()}


def reanchored(
    annotations: Sequence[Annotation], corpus: Corpus, follow_renames: bool = False
) -> list[Annotation]:
    """The annotations as they stand on the documents now (for an export or a search): moved,
    approximate or orphaned as re-anchoring finds them, in the same order; nothing is written.
    With `follow_renames` (a search, an export), those of a document renamed or moved are shown
    on the one it became, as `reader check --fix` or the app would move them."""
    report = check_annotations(annotations, corpus, find_renames=follow_renames)
    now = {o.annotation.id: o.applied() for o in report.outcomes if o.changes}
    if not now and not report.renamed:
        return list(annotations)
    out = []
    for ann in annotations:
        new = now.get(ann.id)
        if new is None and ann.doc in report.renamed:
            new = ann.moved_to(report.renamed[ann.doc][0], modified=ann.modified)
        out.append(new or ann)
    return out
