"""The disagreements of a store's annotators over every document, and the decisions on them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reader.adjudication.gold import copy_into_gold, gold_id
from reader.adjudication.walk import (
    Agreement,
    Disagreement,
    GoldSpans,
    annotators_of,
    walk_document,
)
from reader.model.annotation import Annotation
from reader.model.layers import GOLD
from reader.store.annotation_store import AnnotationStore
from reader.user_state import UserState, adjudication_key, rejected_value

__all__ = ["Adjudication", "Agreement", "adjudication_doc"]


class Adjudication:
    """The disagreements of a store's annotators over its documents, and the decisions on them."""

    def __init__(self, store: AnnotationStore, annotators: Sequence[str] | None = None) -> None:
        self.store = store
        counts = store.counts()
        by_doc = {doc: store.annotations(doc) for doc in counts}
        self.everyone = annotators_of(a for anns in by_doc.values() for a in anns)
        self.annotators = list(annotators) if annotators else self.everyone
        # Names asked for that made no annotations: a typo, most likely, to be said as such.
        self.unknown = [name for name in self.annotators if name not in self.everyone]
        self.items: list[Disagreement] = []
        self._docs: dict[str, tuple[int, int]] = {}  # doc -> its items' index range
        self.agreements: dict[str, list[Agreement]] = {}
        for doc in sorted(by_doc) if not self.unknown else ():
            found, agreed = walk_document(doc, by_doc[doc], self.annotators)
            if found:
                self._docs[doc] = (len(self.items), len(self.items) + len(found))
                self.items.extend(found)
            if agreed:
                self.agreements[doc] = agreed
        self.decided = [False] * len(self.items)
        self._agreed_open: dict[str, int] = {}  # agreements gold does not have yet, by document
        for doc in self._docs.keys() | self.agreements.keys():
            self.refresh(doc, by_doc[doc])

    # -- reading -------------------------------------------------------------------------------

    @property
    def documents(self) -> list[str]:
        return list(self._docs)

    def in_document(self, doc: str) -> range:
        """The indexes of a document's disagreements."""
        first, end = self._docs.get(doc, (0, 0))
        return range(first, end)

    def done(self, doc: str | None = None) -> tuple[int, int]:
        """(decided, all) overall or in one document."""
        indexes = self.in_document(doc) if doc is not None else range(len(self.items))
        return sum(self.decided[i] for i in indexes), len(indexes)

    def next_open(self, index: int, direction: int = 1) -> int | None:
        """The nearest undecided disagreement after (or before) `index`, wrapping; None when all
        are decided."""
        count = len(self.items)
        for step in range(1, count + 1):
            candidate = (index + direction * step) % count
            if not self.decided[candidate]:
                return candidate
        return None

    def refresh(self, doc: str, annotations: Iterable[Annotation] | None = None) -> None:
        """Recompute which of a document's disagreements are decided (after a decision or undo)."""
        if doc not in self._docs and doc not in self.agreements:
            return
        anns = self.store.annotations(doc) if annotations is None else annotations
        gold = GoldSpans.of(anns)
        self._agreed_open[doc] = sum(
            not gold.overlaps(a.start, a.end) for a in self.agreements.get(doc, ())
        )
        rejected = self._state.rejected(doc)
        for i in self.in_document(doc):
            item = self.items[i]
            # The key is built only when the document has "neither" decisions at all.
            self.decided[i] = gold.overlaps(item.start, item.end) or (
                bool(rejected) and item.key in rejected
            )

    def decision(self, index: int) -> str | None:
        """How disagreement `index` was decided, in words, or None when it is open."""
        if not self.decided[index]:
            return None
        item = self.items[index]
        if item.key in self._state.rejected(item.doc):
            return "neither"
        taken = self.taken(index)
        return "took " + " and ".join(taken) if taken else "gold already has an annotation here"

    def taken(self, index: int) -> list[str]:
        """The annotators whose version of disagreement `index` is in gold (as copies made here)."""
        item = self.items[index]
        in_doc = self.store.annotations(item.doc)
        gold_ids = {a.id for a in in_doc if a.author == GOLD}
        return [
            v.annotator
            for v in item.versions
            if v.annotations and all(gold_id(a.id) in gold_ids for a in v.annotations)
        ]

    @property
    def _state(self) -> UserState:
        return UserState(self.store.meta)

    # -- deciding ------------------------------------------------------------------------------

    def take(self, index: int, annotators: Sequence[str]) -> list[Annotation]:
        """Copy these annotators' versions of disagreement `index` into gold as one undo step; an
        annotation equal to one already taken (same span and label) is taken once. Returns the
        copies; taking only empty versions records "neither"."""
        item = self.items[index]
        sources: list[Annotation] = []
        seen: set[tuple[int, int, str]] = set()
        for version in item.versions:
            if version.annotator not in annotators:
                continue
            for ann in version.annotations:
                same = (ann.start or 0, ann.end or 0, ann.label or "")
                if same not in seen:
                    seen.add(same)
                    sources.append(ann)
        if not sources:
            self.reject(index)
            return []
        copies = copy_into_gold(self.store, sources)
        self.refresh(item.doc)
        return copies

    def open_agreements(self) -> int:
        """How many agreements gold does not hold yet (nothing overlaps them there)."""
        return sum(self._agreed_open.values())

    def take_agreements(self) -> list[Annotation]:
        """Copy every agreement gold does not hold yet into gold, as one undo step: what all the
        annotators of a document marked alike needs no decision. Returns the copies."""
        sources: list[Annotation] = []
        for doc, agreed in self.agreements.items():
            if not self._agreed_open.get(doc):
                continue
            gold = GoldSpans.of(self.store.annotations(doc))
            for agreement in agreed:
                if not gold.overlaps(agreement.start, agreement.end):
                    sources.extend(agreement.annotations)
        copies = copy_into_gold(self.store, sources) if sources else []
        for doc in {a.doc for a in copies}:
            self.refresh(doc)
        return copies

    def reject(self, index: int) -> None:
        """Decide "neither" for disagreement `index`: one undoable change."""
        item = self.items[index]
        keys = self._state.rejected(item.doc) | {item.key}
        self.store.set_meta(adjudication_key(item.doc), rejected_value(keys), undoable=True)
        self.refresh(item.doc)

    def reopenable(self, index: int) -> bool:
        """Whether `reopen` can take back the decision on `index`: one made here ("neither", or
        gold copies), not gold annotations imported from elsewhere."""
        item = self.items[index]
        if item.key in self._state.rejected(item.doc):
            return True
        return any(gold_id(a.id) in self.store for a in item.annotations)

    def reopen(self, index: int) -> bool:
        """Take back the decision on disagreement `index` as one undo step: its gold copies go (with
        the gold links to them), or its "neither" is forgotten. False when there is nothing of this
        screen's to take back: it is open, or gold annotations from elsewhere decide it."""
        item = self.items[index]
        rejected = self._state.rejected(item.doc)
        if item.key in rejected:
            keys = rejected - {item.key}
            self.store.set_meta(adjudication_key(item.doc), rejected_value(keys), undoable=True)
        else:
            copies = [gold_id(a.id) for a in item.annotations if gold_id(a.id) in self.store]
            if not copies:
                return False
            self.store.delete_many_with_links(copies)
        self.refresh(item.doc)
        return True

    def last_is_decision(self) -> bool:
        """Whether the store's last undo step is a decision made here (gold copies or "neither"),
        so that undoing on the adjudication screen never takes back an edit made elsewhere."""
        step = self.store.undo_step()
        if not step:
            return False
        for change in step:
            if isinstance(change, tuple):
                if any(a is not None and a.author != GOLD for a in change):
                    return False
            elif adjudication_doc(change.key) is None:
                return False
        return True

    def undo(self) -> set[str]:
        """Undo the store's last step; the documents whose decisions it changed (refreshed)."""
        step = self.store.undo_step()
        if step is None or not self.store.undo():
            return set()
        docs = set()
        for change in step:
            if isinstance(change, tuple):
                ann = change[1] or change[0]
                if ann is not None:
                    docs.add(ann.doc)
            else:
                doc = adjudication_doc(change.key)
                if doc is not None:
                    docs.add(doc)
        for doc in docs:
            self.refresh(doc)
        return docs


def adjudication_doc(key: str) -> str | None:
    """The document of an adjudication meta key, None for any other key."""
    prefix = adjudication_key("")
    return key[len(prefix) :] if key.startswith(prefix) else None
