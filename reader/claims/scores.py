"""Claim and check-worthy fact scorer: transparent, offline, deterministic.

Every sentence gets a score per kind ("claim", "factual"): sigmoid(bias + the weights of the lexicon
markers that fired in it), and a label where the score reaches the kind's threshold. Each label carries
its reasons: which category fired, where, with what weight. The lexicon is data (reader/claims/lexicon.toml);
reader/claims/lexicon.py loads it. Scores for a whole document come from one compiled multi-pattern scan
(reader/claims/scan.py), which also records where each marker fired; those places become text
offsets only when a sentence's reasons are asked for (`DocumentScores.reasons`). Tests hold the scan
to the reference matcher's sums and reasons (`DocumentScores.walked_reasons`).
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.claims.lexicon import (
    DECAY,
    KINDS,
    NUMBER,
    PAST,
    Lexicon,
    prepare_sentence,
    trim,
    word_spans,
)
from reader.collector import collector_paused
from reader.errors import LexiconError
from reader.text import Segmentation, Sentence, segment_text

if TYPE_CHECKING:
    from reader.claims.marks import Marks

__all__ = ["DECAY", "KINDS", "NUMBER", "PAST", "Lexicon", "LexiconError"]

CACHE_SIZE = 32

# Terminal escape sequences (CSI such as ESC[31m, OSC such as ESC]52;...BEL, and two-character ones)
# are not words: in a text that has any, the matchers see them, and every other control character, as
# blanks, one for one, so "31m" in ESC[31m is not a number. Whitespace controls are blanks already.
_CONTROLS = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: parameters, intermediates, final byte
    r"|(?:\x1b[]P^_X]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS...
    r"|\x1b[ -~]?"  # ESC and the character it escapes
    r"|[\x00-\x08\x0e-\x1f\x7f-\x9f]"
)
# What starts an escape sequence. Looking for each with `in` costs a tenth of a millisecond per MB,
# far less than any regex search; a text without one is scored as it is (a lone control character
# glued to a word cannot make it look like a number).
_INTRODUCERS = ("\x1b", "\x9b", "\x9d", "\x90", "\x98", "\x9e", "\x9f")


def _blank_controls(text: str) -> str:
    """`text` with its escape sequences, and then every control character, as spaces; same length."""
    if not any(char in text for char in _INTRODUCERS):
        return text
    return _CONTROLS.sub(lambda m: " " * len(m.group()), text)


class Reason(NamedTuple):
    """One marker that fired: its kind, category, span in the text and the weight it added."""

    kind: str
    category: str
    start: int
    end: int
    weight: float

    def to_json(self) -> dict[str, Any]:
        return _reason_json(*self)


def _reason_json(kind: str, category: str, start: int, end: int, weight: float) -> dict[str, Any]:
    # DocumentScores._sentence_json writes the same rows inline.
    return {
        "kind": kind,
        "category": category,
        "start": start,
        "end": end,
        "weight": round(weight, 4),
    }


# Reasons in reading order: start, end, kind, category.
_REASON_ORDER = itemgetter(2, 3, 0, 1)


class SentenceScore(NamedTuple):
    sentence: Sentence
    claim: float
    factual: float
    labels: tuple[str, ...]

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end

    def score(self, kind: str) -> float:
        return self.claim if kind == "claim" else self.factual


@dataclass(frozen=True)
class DocumentScores:
    """Scores for every sentence of one text, in reading order."""

    sha256: str
    text: str = field(repr=False)
    segmentation: Segmentation
    sentences: tuple[SentenceScore, ...]
    _lexicon: Lexicon = field(repr=False)
    _scanned: str = field(repr=False, default="")  # `text` with control characters blanked
    _marks: Marks | None = field(repr=False, default=None)  # where the scan found the markers

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon that scored the text (its labels word the reasons for a reader)."""
        return self._lexicon

    def labelled(self, kind: str | None = None) -> list[SentenceScore]:
        """Sentences with any label, or with the label `kind`."""
        return [s for s in self.sentences if (kind in s.labels if kind else s.labels)]

    def reasons(self, index: int) -> list[Reason]:
        """The markers that fired in sentence `index`, with character offsets into the text."""
        return list(map(tuple.__new__, repeat(Reason), self.found(index)))

    def found(self, index: int) -> list[tuple[str, str, int, int, float]]:
        """`reasons` as plain tuples (kind, category, start, end, weight), not to be changed: a
        named tuple costs several times more to make, and a document has a few hundred thousand
        reasons. Until the whole text's are placed (`all_found`), one sentence's come from walking
        it: the app's panel asks a sentence at a time, and placing a 1 MB text's takes about 50 ms
        where a walk takes well under one."""
        marks = self._marks
        if marks is None or marks.placed is None:
            return self._walked(index)
        return marks.placed[index]

    def walked_reasons(self, index: int) -> list[Reason]:
        """`reasons` as the reference matcher finds them, walking the sentence word by word: for
        the few sentences the document scan leaves to it, and for tests to hold the two alike."""
        scored = self.sentences[index]
        text = self._scanned or self.text
        prepared = prepare_sentence(text, scored.start, scored.end)
        hits = self._lexicon.hits(text, prepared, scored.start, scored.end)
        words: list[tuple[int, int]] = []
        if any(not hit.chars for hit in hits):
            words = word_spans(prepared, scored.start)
        found = []
        for hit in hits:
            if hit.chars:
                start, end = hit.first, hit.last
            else:
                start, end = trim(self.text, words[hit.first][0], words[hit.last - 1][1])
            found.append(Reason(hit.kind, hit.category, start, end, hit.weight))
        return sorted(found, key=_REASON_ORDER)

    def explain(self, index: int, kinds: tuple[str, ...] = KINDS) -> str:
        """One line saying why: per kind, its score and the markers that fired with their weights."""
        scored, reasons, parts = self.sentences[index], self.found(index), []
        for kind in kinds:
            cues = [
                f"{category} “{' '.join(self.text[start:end].split())[:30]}” {weight:+.1f}"
                for of_kind, category, start, end, weight in reasons
                if of_kind == kind
            ]
            parts.append(f"{kind} {scored.score(kind):.2f}: {', '.join(cues) or 'no markers'}")
        return " · ".join(parts)

    def sentence_json(self, index: int) -> dict[str, Any]:
        return self._sentence_json(index, self.found(index), _Rounded())

    def _sentence_json(
        self, index: int, found: list[tuple[str, str, int, int, float]], rounded: _Rounded
    ) -> dict[str, Any]:
        (_, start, end, _), claim, factual, labels = self.sentences[index]
        return {
            "start": start,
            "end": end,
            "text": self.text[start:end],
            "scores": {"claim": round(claim, 4), "factual": round(factual, 4)},
            "labels": list(labels),
            "reasons": [
                {"kind": kind, "category": name, "start": left, "end": right, "weight": rounded[w]}
                for kind, name, left, right, w in found
            ],
        }

    def all_found(self) -> list[list[tuple[str, str, int, int, float]]]:
        """`found` of every sentence (not to be changed): placed from the scan's records for the
        whole text at once, on first asking, and kept with them. A sentence the walk scored, or
        with a marker the scan could not place, has the walk's."""
        marks = self._marks
        if marks is None:
            return [self._walked(i) for i in range(len(self.sentences))]
        if marks.placed is None:
            placed = []
            with collector_paused():  # a few hundred thousand tuples, none in a cycle
                spans = [(scored.sentence.start, scored.sentence.end) for scored in self.sentences]
                for i, hits in enumerate(marks.place(self.text, spans)):
                    if hits is None:
                        hits = self._walked(i)
                    elif len(hits) > 1:
                        hits.sort(key=_REASON_ORDER)
                    placed.append(hits)
            marks.placed = placed
        return marks.placed

    def _walked(self, index: int) -> list[tuple[str, str, int, int, float]]:
        return list(self.walked_reasons(index))

    def to_json(self, path: str) -> dict[str, Any]:
        with collector_paused():
            rounded, row = _Rounded(), self._sentence_json
            sentences = [row(i, found, rounded) for i, found in enumerate(self.all_found())]
        return {"path": path, "sha256": self.sha256, "sentences": sentences}


class _Rounded(dict[float, float]):
    """Weights rounded as the JSON shows them, each worked out once: a document has a few
    hundred thousand reasons but a few hundred distinct weights (a category's, decayed)."""

    def __missing__(self, weight: float) -> float:
        rounded = self[weight] = round(weight, 4)
        return rounded


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0


def score_with(
    lexicon: Lexicon, text: str, start: int = 0, sha256: str | None = None
) -> DocumentScores:
    """Segment `text[start:]` and score every sentence with `lexicon`. Offsets index `text`."""
    # Loaded on first scoring, not at start-up: the compiled scan is the costly part.
    from reader.claims.scan import scanner

    if sha256 is None:
        from reader.corpus.documents import sha256_text

        sha256 = sha256_text(text)
    with collector_paused():
        segmentation = segment_text(text, start)
        sentences = segmentation.sentences
        spans = [(s_start, s_end) for _, s_start, s_end, _ in sentences]
        scanned = _blank_controls(text)
        claims, factuals, labels, marks = scanner(lexicon).scores(scanned, spans)
        # tuple.__new__ over zipped rows builds the named tuples without a Python-level call each.
        rows = zip(sentences, claims, factuals, labels, strict=True)
        results = tuple(map(tuple.__new__, repeat(SentenceScore), rows))
    return DocumentScores(
        sha256, text, segmentation, results, lexicon, scanned if scanned is not text else "", marks
    )


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def score_document(text: str, start: int = 0, sha256: str | None = None) -> DocumentScores:
    """Score `text[start:]` with the shipped lexicon (no caching; see `highlight`)."""
    return score_with(default_lexicon(), text, start, sha256)


_cache: OrderedDict[tuple[str, int], DocumentScores] = OrderedDict()
_cache_lock = threading.Lock()


def cached(sha256: str, start: int = 0) -> DocumentScores | None:
    """The scores `highlight` keeps for the text, if it has them (then the most recently used)."""
    key = (sha256, start)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
        return hit


def highlight(text: str, sha256: str, start: int = 0) -> DocumentScores:
    """Scores for a text, computed once per (sha256, start) and kept in a small LRU cache.

    The app asks on every open and redraw; a document among the CACHE_SIZE most recently used is
    never scored twice. `sha256` must be the hash of `text` (Document.sha256).
    """
    hit = cached(sha256, start)
    if hit is not None:
        return hit
    result = score_document(text, start, sha256)
    key = (sha256, start)
    with _cache_lock:
        _cache[key] = result
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


# --- command-line helpers -----------------------------------------------------------------------------
