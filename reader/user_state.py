"""Every key the app keeps in the store's meta area, and the shape of each value: the theme picked in
the app, the last session, each document's reading position and dismissed suggestions, recent
searches, the annotator layer shown, and a note being typed (kept until saved or thrown away). The one module that knows these keys; the app reads and writes them through `UserState`.

Writes go to the store like any change, so they may raise the store's errors (a full disk): callers
decide whether that is worth a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.model.annotation import now_iso
from reader.model.layers import Layer
from reader.store.history import Change, MetaChange

if TYPE_CHECKING:
    from reader.anchoring import Outcome


@dataclass(frozen=True, slots=True)
class NoteDraft:
    text: str
    kept: str  # when, ISO 8601


THEME = "theme"
LAST_SESSION = "last_session"
RECENT_SEARCHES = "search:recent"
RECENT_MAX = 20
DISMISSED = "dismissed"
LAYER = "layer"  # the annotator layer the document screen shows (mine, all, one annotator, gold)
# A document's "neither" decisions in adjudication (reader/adjudication.py): an undoable change.
ADJUDICATION = "adjudication"
# The documents missing from the corpus and the corpus's ids when a search for where they went
# found nothing: the same again next time would read every unannotated text to find nothing.
RENAME_SEARCH = "rename_search"
# How often an open document's position is kept while reading: each save is a synced journal write
# (well under a millisecond) and only happens when the position moved, so a crash loses at most this.
POSITION_SAVE_SECONDS = 2.0
# What is typed in a note editor is kept as often, until it is saved or thrown away: a closed
# terminal or a crash then loses at most these seconds of typing, and the next edit restores it.
NOTE_DRAFT = "note_draft"
DRAFT_SAVE_SECONDS = 2.0


def position_key(doc_id: str) -> str:
    return f"position:{doc_id}"


def dismissed_key(doc_id: str) -> str:
    """The key holding a document's dismissed suggestions (an undoable change, see the store)."""
    return f"{DISMISSED}:{doc_id}"


def dismissed_value(sha256: str, keys: set[str]) -> dict[str, Any]:
    """What is kept for a document's dismissed suggestions (tied to the text they refer to)."""
    return {"sha256": sha256, "spans": sorted(keys)}


def dismissed_keys(value: Any, sha256: str) -> set[str]:
    """The dismissed suggestion keys in a kept value; none if it was made for another text."""
    if not isinstance(value, dict) or value.get("sha256") != sha256:
        return set()
    spans = value.get("spans")
    return {s for s in spans if isinstance(s, str)} if isinstance(spans, list) else set()


def adjudication_key(doc_id: str) -> str:
    """The key holding the disagreements of a document decided as "neither" (their keys)."""
    return f"{ADJUDICATION}:{doc_id}"


def rejected_value(keys: set[str]) -> dict[str, Any]:
    return {"neither": sorted(keys)}


def rejected_keys(value: Any) -> set[str]:
    """The disagreement keys in a kept "neither" value (none if it is not one)."""
    found = value.get("neither") if isinstance(value, dict) else None
    return {k for k in found if isinstance(k, str)} if isinstance(found, list) else set()


def draft_key(target: str) -> str:
    return f"{NOTE_DRAFT}:{target}"


class UserState:
    """The app's own keys in a store's meta area; without a store, nothing is kept."""

    def __init__(self, meta: MutableMapping[str, Any] | None) -> None:
        self.meta = meta

    def _get(self, key: str) -> Any:
        return self.meta.get(key) if self.meta is not None else None

    def _set(self, key: str, value: Any) -> None:
        if self.meta is not None:
            self.meta[key] = value

    def theme(self) -> str | None:
        value = self._get(THEME)
        return value if isinstance(value, str) else None

    def save_theme(self, name: str) -> None:
        if self._get(THEME) != name:
            self._set(THEME, name)

    def searched_renames(self, missing: Iterable[str], ids: Iterable[str]) -> bool:
        """Whether a search for where the `missing` documents went already found nothing in a
        corpus of these `ids` (a rename or a move always brings a new id)."""
        return bool(self._get(RENAME_SEARCH) == _rename_key(missing, ids))

    def save_renames_searched(self, missing: Iterable[str], ids: Iterable[str]) -> None:
        self._set(RENAME_SEARCH, _rename_key(missing, ids))

    def last_document(self) -> str | None:
        last = self._get(LAST_SESSION)
        doc = last.get("doc") if isinstance(last, dict) else None
        return doc if isinstance(doc, str) else None

    def position(self, doc_id: str) -> dict[str, float]:
        """Where the last session in this document stopped: offset, furthest (0–1)."""
        value = self._get(position_key(doc_id))
        return value if isinstance(value, dict) else {}

    def progress(self, doc_id: str) -> float:
        """How far into the document the reader has ever got (0–1): going back does not lower it.
        Positions saved before "furthest" existed kept "progress"."""
        position = self.position(doc_id)
        values = (position.get("furthest", 0.0), position.get("progress", 0.0))
        return max((float(v) for v in values if isinstance(v, int | float)), default=0.0)

    def save_position(self, doc_id: str, offset: int, furthest: float) -> None:
        # No "progress" (where the cursor is) any more: a jump near the end is not reading. Values
        # that did not change are not written again (it is called every few seconds).
        position = {"offset": offset, "furthest": furthest}
        if self._get(position_key(doc_id)) != position:
            self._set(position_key(doc_id), position)
        if self._get(LAST_SESSION) != {"doc": doc_id}:
            self._set(LAST_SESSION, {"doc": doc_id})

    def draft(self, target: str) -> NoteDraft | None:
        """The note typed on `target` (an annotation's id) and neither saved nor thrown away when
        the app last stopped: its text and when it was kept (ISO 8601)."""
        value = self._get(draft_key(target))
        if isinstance(value, dict):
            text, kept = value.get("text"), value.get("kept")
            if isinstance(text, str) and isinstance(kept, str):
                return NoteDraft(text, kept)
        return None

    def save_draft(self, target: str, text: str, doc: str) -> None:
        self._set(draft_key(target), {"text": text, "kept": now_iso(), "doc": doc})

    def drafts_in(self, doc: str) -> int:
        """How many notes typed in document `doc` wait, neither saved nor thrown away."""
        if self.meta is None:
            return 0
        values = [self.meta.get(key) for key in self.meta if key.startswith(draft_key(""))]
        return sum(1 for value in values if isinstance(value, dict) and value.get("doc") == doc)

    def drop_draft(self, target: str) -> None:
        if self.meta is not None and draft_key(target) in self.meta:
            del self.meta[draft_key(target)]

    def layer(self) -> Layer:
        return Layer.from_key(self._get(LAYER))

    def save_layer(self, layer: Layer) -> None:
        if self._get(LAYER) != layer.key:
            self._set(LAYER, layer.key)

    def recent_searches(self) -> list[str]:
        value = self._get(RECENT_SEARCHES)
        return [q for q in value if isinstance(q, str)] if isinstance(value, list) else []

    def remember_search(self, query: str) -> None:
        recent = [query, *(q for q in self.recent_searches() if q != query)][:RECENT_MAX]
        self._set(RECENT_SEARCHES, recent)

    def rejected(self, doc_id: str) -> set[str]:
        """The disagreements of a document decided as "neither" in adjudication."""
        return rejected_keys(self._get(adjudication_key(doc_id)))

    def dismissed(self, doc_id: str, sha256: str) -> set[str]:
        return dismissed_keys(self._get(dismissed_key(doc_id)), sha256)

    def follow_text(
        self, doc_id: str, old_sha256: str, new_sha256: str, new_offset: Callable[[int], int]
    ) -> None:
        """The document's text changed (re-anchored from `old_sha256`): its dismissed suggestions
        made on the old text and its reading position move as `new_offset` says."""
        for key, value in followed(self._get, doc_id, old_sha256, new_sha256, new_offset).items():
            self._set(key, value)


def followed(
    get: Callable[[str], Any],
    doc_id: str,
    old_sha256: str,
    new_sha256: str,
    new_offset: Callable[[int], int],
) -> dict[str, Any]:
    """The meta changes that move a document's dismissed suggestions (made on the old text) and
    its reading position as `new_offset` says; `get` reads a meta key."""
    out: dict[str, Any] = {}
    value = get(dismissed_key(doc_id))
    if isinstance(value, dict) and value.get("sha256") == old_sha256:
        moved: set[str] = set()
        for key in dismissed_keys(value, old_sha256):
            start, _, end = key.partition("-")
            if start.isdigit() and end.isdigit():
                new = new_offset(int(start))
                moved.add(f"{new}-{new + int(end) - int(start)}")
        out[dismissed_key(doc_id)] = dismissed_value(new_sha256, moved)
    position = get(position_key(doc_id))
    offset = position.get("offset") if isinstance(position, dict) else None
    if isinstance(position, dict) and isinstance(offset, int) and not isinstance(offset, bool):
        out[position_key(doc_id)] = {**position, "offset": new_offset(offset)}
    return out


def follow_meta(
    meta: Mapping[str, Any] | None, moves: Mapping[str, str], outcomes: Iterable[Outcome]
) -> dict[str, Any | None]:
    """Every meta change that keeps the app's per-document keys with their text after `reader
    check --fix`: moved to a renamed document's new id, then moved within each changed text as its
    annotations moved (as the app does when it re-anchors a document). None removes a key."""
    if meta is None:
        return {}
    out = renamed_meta(meta, moves)

    def get(key: str) -> Any:
        return out[key] if key in out else meta.get(key)

    from reader.anchoring import offset_mapper  # loaded on first use: start-up does not need it

    by_doc: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_doc.setdefault(outcome.annotation.doc, []).append(outcome)
    for doc_id, outs in by_doc.items():
        mapper = offset_mapper(outs)
        old = {o.annotation.doc_sha256 for o in outs}
        new = {str(o.changes.get("doc_sha256")) for o in outs if o.changes.get("doc_sha256")}
        if mapper is not None and len(old) == 1 and len(new) == 1:
            out.update(followed(get, doc_id, old.pop(), new.pop(), mapper))
    return out


def renamed_meta(meta: Mapping[str, Any] | None, moves: Mapping[str, str]) -> dict[str, Any | None]:
    """The meta changes that carry documents' reading positions, dismissed suggestions and
    adjudication decisions ("neither") from their old ids to their new ones (`moves`: old id -> new id, a renamed or moved file), and the
    last session's document with them; None removes a key. Nothing is written: the store writes
    these with the annotations' move as one undo step."""
    if meta is None:
        return {}
    out: dict[str, Any | None] = {}
    for old, new in moves.items():
        for key_of in (position_key, dismissed_key, adjudication_key):
            if key_of(old) in meta:
                out[key_of(new)] = meta[key_of(old)]
                out[key_of(old)] = None
    last = meta.get(LAST_SESSION)
    if isinstance(last, dict) and last.get("doc") in moves:
        out[LAST_SESSION] = {**last, "doc": moves[last["doc"]]}
    return out


def change_target(
    step: list[Change], undone: bool
) -> tuple[str, int | None, int | None, bool] | None:
    """Where the last change of an undo step is: (document, start, end, whether an annotation is
    there now). `undone`: the step was undone, so the `before` side is what the store holds."""
    for change in reversed(step):
        if isinstance(change, MetaChange):
            prefix, _, doc = change.key.partition(":")
            if prefix != DISMISSED or not doc:
                continue
            value = change.old if undone else change.new
            other = change.new if undone else change.old
            sides = (value, other)
            sha = next((v.get("sha256", "") for v in sides if isinstance(v, dict)), "")
            keys = dismissed_keys(value, sha) ^ dismissed_keys(other, sha)
            start, _, end = min(keys, default="").partition("-")
            if start.isdigit() and end.isdigit():
                return doc, int(start), int(end), False
            return doc, None, None, False
        before, after = change
        now, gone = (before, after) if undone else (after, before)
        shown = now if now is not None else gone
        if shown is not None:
            return shown.doc, shown.start, shown.end, now is not None
    return None


def _rename_key(missing: Iterable[str], ids: Iterable[str]) -> str:
    import hashlib

    listing = "\n".join(sorted(missing)) + "\0" + "\n".join(sorted(ids))
    return hashlib.sha256(listing.encode("utf-8", "surrogatepass")).hexdigest()
