"""Claim and check-worthy fact scorer: transparent, offline, deterministic.

Every sentence gets a score per kind ("claim", "factual"): sigmoid(bias + the weights of the lexicon
markers that fired in it), and a label where the score reaches the kind's threshold. Each label carries
its reasons: which category fired, where, with what weight. The lexicon is data (reader/lexicon.toml);
reader/lexicon.py loads it. Scores for a whole document come from one compiled multi-pattern scan
(reader/lexicon_scan.py), which also records where each marker fired; those places become text
offsets only when a sentence's reasons are asked for (`DocumentScores.reasons`). Tests hold the scan
to the reference matcher's sums and reasons (`DocumentScores.walked_reasons`).
"""

from __future__ import annotations

import gc
import math
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.lexicon import (
    DECAY,
    KINDS,
    NUMBER,
    PAST,
    Lexicon,
    LexiconError,
    prepare_sentence,
    trim,
    word_spans,
)
from reader.text import Segmentation, Sentence, segment_text

if TYPE_CHECKING:
    from rich.text import Text

    from reader.lexicon_scan import Marks

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

    def labelled(self, kind: str | None = None) -> list[SentenceScore]:
        """Sentences with any label, or with the label `kind`."""
        return [s for s in self.sentences if (kind in s.labels if kind else s.labels)]

    def reasons(self, index: int) -> list[Reason]:
        """The markers that fired in sentence `index`, with character offsets into the text."""
        return list(map(tuple.__new__, repeat(Reason), self._found(index)))

    def _found(self, index: int) -> list[tuple[str, str, int, int, float]]:
        """`reasons` as plain tuples (kind, category, start, end, weight): a named tuple costs
        several times more to make, and a document has a few hundred thousand reasons."""
        if self._marks is None or self._marks.walked(index):
            return list(self.walked_reasons(index))
        scored = self.sentences[index]
        found = self._marks.hits(index, self.text, scored.start, scored.end)
        found.sort(key=_REASON_ORDER)
        return found

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
        scored, reasons, parts = self.sentences[index], self._found(index), []
        for kind in kinds:
            cues = [
                f"{category} “{' '.join(self.text[start:end].split())[:30]}” {weight:+.1f}"
                for of_kind, category, start, end, weight in reasons
                if of_kind == kind
            ]
            parts.append(f"{kind} {scored.score(kind):.2f}: {', '.join(cues) or 'no markers'}")
        return " · ".join(parts)

    def sentence_json(self, index: int) -> dict[str, Any]:
        (_, start, end, _), claim, factual, labels = self.sentences[index]
        return {
            "start": start,
            "end": end,
            "text": self.text[start:end],
            "scores": {"claim": round(claim, 4), "factual": round(factual, 4)},
            "labels": list(labels),
            "reasons": [_reason_json(*reason) for reason in self._found(index)],
        }

    def to_json(self, path: str) -> dict[str, Any]:
        with _collector_paused():
            sentences = [self.sentence_json(i) for i in range(len(self.sentences))]
        return {"path": path, "sha256": self.sha256, "sentences": sentences}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while, as it was after.

    Scoring a megabyte, or writing its reasons out, makes some hundred thousand short-lived tuples,
    lists and dicts and no reference cycles; the collector would run a hundred times over them (and
    over the app's heap) for nothing.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0


def score_with(
    lexicon: Lexicon, text: str, start: int = 0, sha256: str | None = None
) -> DocumentScores:
    """Segment `text[start:]` and score every sentence with `lexicon`. Offsets index `text`."""
    if sha256 is None:
        from reader.corpus import sha256_text

        sha256 = sha256_text(text)
    with _collector_paused():
        segmentation = segment_text(text, start)
        sentences = segmentation.sentences
        spans = [(s_start, s_end) for _, s_start, s_end, _ in sentences]
        scanned = _blank_controls(text)
        claims, factuals, labels, marks = lexicon.document_scores(scanned, spans)
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


def highlight(text: str, sha256: str, start: int = 0) -> DocumentScores:
    """Scores for a text, computed once per (sha256, start) and kept in a small LRU cache.

    The app asks on every open and redraw; a document among the CACHE_SIZE most recently used is
    never scored twice. `sha256` must be the hash of `text` (Document.sha256).
    """
    key = (sha256, start)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    result = score_document(text, start, sha256)
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


def iter_sources(paths: list[Path]) -> Iterator[tuple[str, str, int]]:
    """(path, normalised text, body start) for each document file or each document of a folder.

    A folder is a project (with corpus/) or a corpus itself. Unreadable documents inside a folder are
    skipped with a warning on stderr; an unreadable file named directly raises CorpusError. A file
    read as Windows-1252 because it is not UTF-8 is scored, with a warning on stderr naming it.
    """
    from reader.corpus import Corpus, Status, parse_front_matter, read_text
    from reader.errors import CorpusError
    from reader.project import Project
    from reader.text import display_safe

    def warn(message: str) -> None:
        print(f"reader: {display_safe(message)}", file=sys.stderr)

    for path in paths:
        if path.is_dir():
            folder = path / "corpus" if (path / "corpus").is_dir() else path
            corpus = Project.resolve(path).load_corpus() if folder != path else Corpus.load(path)
            for doc in corpus:
                try:
                    text = doc.text
                except CorpusError as exc:
                    warn(f"skipped {exc}")
                    continue
                if doc.status == Status.CP1252:
                    warn(f"warning: {doc.message}")
                yield str(doc.path), text, doc.body_start
        else:
            decoded = read_text(path)
            if decoded.warning:
                warn(f"warning: {decoded.warning}")
            text = decoded.text
            try:
                front = parse_front_matter(text)
            except ValueError:
                front = None
            yield str(path), text, front[1] if front else 0


def _view(scores: DocumentScores, kinds: tuple[str, ...], start: int) -> Iterator[tuple[str, str]]:
    """The claims view as (piece, style) in order: the text from `start` with labelled sentences
    styled, each followed by a dim one-line "why". Pieces are not yet display-safe."""
    text = scores.text
    position = start
    why_shown = False
    for i, scored in enumerate(scores.sentences):
        shown = [kind for kind in kinds if kind in scored.labels]
        gap = text[position : scored.start]
        if why_shown and "\n" not in gap:
            gap = ""  # the "why" line already ended the line
        yield gap, ""
        yield text[scored.start : scored.end], " ".join(STYLES[kind] for kind in shown)
        position = scored.end
        why_shown = bool(shown)
        if shown:
            yield f"\n  ↳ {scores.explain(i, tuple(shown))}\n", "dim"
    yield text[position:], ""


def render(scores: DocumentScores, kinds: tuple[str, ...], start: int = 0) -> Text:
    """The text with labelled sentences styled, each followed by a dim one-line "why"."""
    from rich.text import Text

    from reader.text import display_safe

    out = Text()
    for piece, style in _view(scores, kinds, start):
        out.append(display_safe(piece), style=style or None)
    return out


def render_plain(scores: DocumentScores, kinds: tuple[str, ...], start: int = 0) -> str:
    """`render` without its styles, as a terminal without colours shows it; built as one string,
    because piped output of a large text spends its time in Rich's per-piece work otherwise."""
    from reader.text import display_safe

    # display_safe replaces character by character, so once over the whole is the same.
    with _collector_paused():
        return display_safe("".join([piece for piece, _ in _view(scores, kinds, start)]))


STYLES = {"claim": "bold #e9a23b", "factual": "underline #5b9bd5"}
