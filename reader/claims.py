"""Claim and check-worthy fact scorer: transparent, offline, deterministic.

Every sentence gets a score per kind ("claim", "factual"): sigmoid(bias + the weights of the lexicon
markers that fired in it), and a label where the score reaches the kind's threshold. Each label carries
its reasons: which category fired, where, with what weight. The lexicon is data (reader/lexicon.toml).

Speed shapes the matcher. A regex alternation over hundreds of terms costs the `re` engine a try at
every word of the text; instead each sentence is lower-cased, its punctuation blanked, split into
words by C code, and the words looked up in a dict of term heads. Where a marker fired is worked out
only when asked (`DocumentScores.reasons`), from the same words, so scores and reasons always agree.
Markers that must open a sentence (imperatives, bylines) are one regex tried once per sentence.
"""

from __future__ import annotations

import math
import re
import sys
import threading
import tomllib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from itertools import compress, count
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.errors import ReaderError
from reader.text import Segmentation, Sentence, segment_text

if TYPE_CHECKING:
    from rich.text import Text

KINDS = ("claim", "factual")
DECAY = 0.5  # a category firing again in one sentence adds this fraction of its previous weight
CACHE_SIZE = 32
NUMBER = "<number>"  # in a term: any word that starts with a digit or a currency sign
PAST = "<ed>"  # in a term (not first): any word ending in -ed

# Characters blanked before splitting into words: ASCII punctuation other than . , ' % - (kept inside
# numbers, contractions and compounds) and the typographic quotes and dashes. All map one to one, so
# offsets survive.
_ASCII_GAPS = '!"#&()*+/:;<=>?@[\\]^_`{|}~'
_UNICODE_GAPS = "‘“”–—…«»\u00a0\u2002\u2003\u2009\u200a\u202f"
_BYTE_TABLE = bytes(32 if chr(i) in _ASCII_GAPS else i for i in range(256))
_STR_TABLE = str.maketrans(dict.fromkeys(_ASCII_GAPS + _UNICODE_GAPS, " ") | {"’": "'"})
_WORD = re.compile(r"[^ \t\n\r\x0b\x0c]+")  # exactly the words bytes.split() finds
# A number word starts with a digit, $, £ or €; the first-byte set is a cheap filter before the regex.
_NUMBER_WORD = re.compile(rb"[0-9$]|\xc2\xa3|\xe2\x82\xac")
_NUMBER_FIRST = frozenset(b"0123456789$\xc2\xe2")
_NUMBER_ANY = re.compile(rb"[0-9$\xc2\xe2]")  # one character class: the engine's fast search
_TRAILING = b".,'"
_CLOSERS = "\"'”’)]»"
_TERMINAL = ".!?…:;"
_SHORT_WORDS = 5


class LexiconError(ReaderError):
    """A lexicon file that cannot be loaded."""


class Reason(NamedTuple):
    """One marker that fired: its kind, category, span in the text and the weight it added."""

    kind: str
    category: str
    start: int
    end: int
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "weight": round(self.weight, 4),
        }


class Hit(NamedTuple):
    """A marker as the scorer records it: words `first`..`last` (exclusive) of the sentence, or, for
    opening markers and sentence shapes, character offsets with `chars` set."""

    kind: str
    category: str
    first: int
    last: int
    weight: float
    chars: bool = False


class SentenceScore(NamedTuple):
    sentence: Sentence
    claim: float
    factual: float
    labels: tuple[str, ...]
    hits: tuple[Hit, ...]

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
    _prepared: str = field(repr=False)

    def labelled(self, kind: str | None = None) -> list[SentenceScore]:
        """Sentences with any label, or with the label `kind`."""
        return [s for s in self.sentences if (kind in s.labels if kind else s.labels)]

    def reasons(self, index: int) -> list[Reason]:
        """The markers that fired in sentence `index`, with character offsets into the text."""
        scored = self.sentences[index]
        words: list[tuple[int, int]] = []
        if any(not hit.chars for hit in scored.hits):
            words = _word_spans(self._prepared, scored.start, scored.end)
        found = []
        for hit in scored.hits:
            if hit.chars:
                start, end = hit.first, hit.last
            else:
                start, end = words[hit.first][0], words[hit.last - 1][1]
                while end > start and self.text[end - 1] in ".,'’":
                    end -= 1
                while start < end and self.text[start] in "'‘’":
                    start += 1
            found.append(Reason(hit.kind, hit.category, start, end, hit.weight))
        return sorted(found, key=lambda r: (r.start, r.end, r.kind, r.category))

    def explain(self, index: int, kinds: tuple[str, ...] = KINDS) -> str:
        """One line saying why: per kind, its score and the markers that fired with their weights."""
        scored, reasons, parts = self.sentences[index], self.reasons(index), []
        for kind in kinds:
            cues = [
                f"{r.category} “{' '.join(self.text[r.start : r.end].split())[:30]}” {r.weight:+.1f}"
                for r in reasons
                if r.kind == kind
            ]
            parts.append(f"{kind} {scored.score(kind):.2f}: {', '.join(cues) or 'no markers'}")
        return " · ".join(parts)

    def sentence_json(self, index: int) -> dict[str, Any]:
        scored = self.sentences[index]
        return {
            "start": scored.start,
            "end": scored.end,
            "text": self.text[scored.start : scored.end],
            "scores": {"claim": round(scored.claim, 4), "factual": round(scored.factual, 4)},
            "labels": list(scored.labels),
            "reasons": [reason.to_json() for reason in self.reasons(index)],
        }

    def to_json(self, path: str) -> dict[str, Any]:
        sentences = [self.sentence_json(i) for i in range(len(self.sentences))]
        return {"path": path, "sha256": self.sha256, "sentences": sentences}


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    kind: str
    weight: float


def _prepare(text: str) -> str:
    """Lower case, curly apostrophes straightened, typographic punctuation blanked; same length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. "İ" lower-cases to two characters; keep offsets aligned
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for char in _UNICODE_GAPS:
        if char in lowered:
            lowered = lowered.replace(char, " ")
    return lowered.replace("’", "'")


def _word_spans(prepared: str, start: int, end: int) -> list[tuple[int, int]]:
    blanked = prepared[start:end].translate(_STR_TABLE)
    return [(start + m.start(), start + m.end()) for m in _WORD.finditer(blanked)]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0


_END = b""  # key of a trie node's categories, where a phrase may end
_PAST, _NUM = PAST.encode(), NUMBER.encode()
Node = dict[bytes, Any]


def _term_words(term: str) -> tuple[bytes, ...]:
    """A term as the matcher sees it: the words that `_sentence_hits` would split it into."""
    words = []
    for word in term.split():
        if word in (PAST, NUMBER):
            words.append(word.encode())
        else:
            words.extend(w.encode() for w in _prepare(word).translate(_STR_TABLE).split())
    return tuple(words)


class Lexicon:
    """Marker categories as a dict of term heads plus one regex of sentence openings."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.source = source
        try:
            kinds = data["kinds"]
            self.bias = {kind: float(kinds[kind]["bias"]) for kind in KINDS}
            self.threshold = {kind: float(kinds[kind]["threshold"]) for kind in KINDS}
        except (KeyError, TypeError, ValueError) as exc:
            raise LexiconError(
                f"{source}: [kinds.claim] and [kinds.factual] need numeric bias and threshold ({exc})"
            ) from exc
        phrases: dict[tuple[bytes, ...], list[Category]] = {}
        self.categories: list[Category] = []
        self.number_categories: list[Category] = []
        openings: dict[str, list[Category]] = {}  # one alternative may serve several categories
        for position, entry in enumerate(data.get("categories", []), 1):
            category, at_start = self._category(entry, position)
            self.categories.append(category)
            for term in entry.get("terms", []):
                words = _term_words(str(term))
                if not words:
                    continue
                if words[0] in (_PAST, _NUM) and len(words) == 1:
                    if words[0] == _PAST:
                        raise LexiconError(f"{source}: {category.name}: {PAST} cannot stand first")
                    self.number_categories.append(category)
                elif words[0] in (_PAST, _NUM):
                    raise LexiconError(
                        f"{source}: {category.name}: {term!r} cannot start with {PAST} or {NUMBER}"
                    )
                elif at_start:
                    phrase = r"\s+".join(re.escape(w.decode()) for w in words) + r"\b"
                    openings.setdefault(phrase, []).append(category)
                else:
                    phrases.setdefault(words, []).append(category)
            for pattern in entry.get("patterns", []):
                if not at_start:
                    raise LexiconError(
                        f"{source}: category {category.name}: patterns are only for at_start "
                        "categories; list words as terms"
                    )
                openings.setdefault(f"(?:{pattern})", []).append(category)
        self._heads: dict[bytes, Node] = {}
        for words, categories in phrases.items():
            node = self._heads.setdefault(words[0], {})
            for word in words[1:]:
                node = node.setdefault(word, {})
            node[_END] = tuple(categories)
        # A word may carry . , or ' (sentence end, list, possessive, quote); such a word ends any
        # phrase, so its spellings map to a node that can only end there. Indexing them keeps the
        # common case one dict lookup.
        for head, node in list(self._heads.items()):
            if _END in node:
                for spelling in (head + b".", head + b",", head + b"'", b"'" + head):
                    self._heads.setdefault(spelling, {_END: node[_END]})
        lead_in = r"[\W_]*(?:(?:and|but|or|so|yet|now|then|just)\b[\W_]*)?(?:\w+ly\b[\W_]*)?"
        try:
            branches = "|".join(f"(?P<g{i}>{o})" for i, o in enumerate(openings)) or "(?!)"
            self.opening = re.compile(f"{lead_in}(?:{branches})", re.IGNORECASE)
            self._opening_categories = [tuple(c) for c in openings.values()]
        except re.error as exc:
            raise LexiconError(f"{source}: an at_start pattern does not compile: {exc}") from exc
        self.features = [
            self._feature(entry, n) for n, entry in enumerate(data.get("features", []))
        ]

    def _category(self, entry: dict[str, Any], position: int) -> tuple[Category, bool]:
        where = f"{self.source}: category #{position} ({entry.get('name', 'unnamed')})"
        name, kind, weight = entry.get("name"), entry.get("kind"), entry.get("weight")
        if not isinstance(name, str) or kind not in KINDS or not isinstance(weight, int | float):
            raise LexiconError(f"{where}: needs a name, a kind (claim or factual) and a weight")
        if not entry.get("terms") and not entry.get("patterns"):
            raise LexiconError(f"{where}: give it terms or patterns")
        return Category(name, kind, float(weight)), bool(entry.get("at_start", False))

    def _feature(self, entry: dict[str, Any], position: int) -> Category:
        name, kind, weight = entry.get("name"), entry.get("kind"), entry.get("weight")
        if name not in ("question", "unterminated", "short") or kind not in KINDS:
            raise LexiconError(
                f"{self.source}: feature #{position + 1} must be question, unterminated or short, "
                "with a kind (claim or factual) and a weight"
            )
        if not isinstance(weight, int | float):
            raise LexiconError(f"{self.source}: feature #{position + 1} needs a numeric weight")
        return Category(name, kind, float(weight))

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """Load a lexicon file; the shipped reader/lexicon.toml by default."""
        if path is None:
            resource = files("reader").joinpath("lexicon.toml")
            return cls(tomllib.loads(resource.read_text(encoding="utf-8")), "reader/lexicon.toml")
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise LexiconError(f"{path}: cannot read the lexicon ({exc.strerror or exc})") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LexiconError(f"{path}: not valid TOML: {exc}") from exc
        return cls(data, str(path))

    def score_document(
        self, text: str, start: int = 0, sha256: str | None = None
    ) -> DocumentScores:
        """Segment `text[start:]` and score every sentence. Offsets index `text`."""
        if sha256 is None:
            from reader.corpus import sha256_text

            sha256 = sha256_text(text)
        segmentation = segment_text(text, start)
        prepared = _prepare(text)
        bias_claim, bias_factual = self.bias["claim"], self.bias["factual"]
        cut_claim, cut_factual = self.threshold["claim"], self.threshold["factual"]
        results = []
        for sentence in segmentation.sentences:
            hits = self._sentence_hits(text, prepared, sentence)
            z_claim, z_factual = bias_claim, bias_factual
            for hit in hits:
                if hit.kind == "claim":
                    z_claim += hit.weight
                else:
                    z_factual += hit.weight
            claim, factual = _sigmoid(z_claim), _sigmoid(z_factual)
            labels = ("claim",) * (claim >= cut_claim) + ("factual",) * (factual >= cut_factual)
            results.append(SentenceScore(sentence, claim, factual, labels, hits))
        return DocumentScores(sha256, text, segmentation, tuple(results), prepared)

    def _sentence_hits(self, text: str, prepared: str, sentence: Sentence) -> tuple[Hit, ...]:
        start, end = sentence.start, sentence.end
        raw = prepared[start:end].encode().translate(_BYTE_TABLE)
        words = raw.split()
        heads = self._heads
        found: list[tuple[int, int, tuple[Category, ...]]] = []
        next_free = 0
        size = len(words)
        for i in compress(count(), map(heads.__contains__, words)):
            if i < next_free:
                continue  # inside a phrase matched just before
            node: Node = heads[words[i]]
            best = (i + 1, node[_END]) if _END in node else None
            j = i + 1
            while j < size and len(node) > (_END in node):
                word = words[j]
                bare = word.rstrip(_TRAILING)
                child = node.get(bare)
                if child is None and _PAST in node and len(bare) > 3 and bare.endswith(b"ed"):
                    child = node[_PAST]
                if child is None and _NUM in node and _NUMBER_WORD.match(word):
                    child = node[_NUM]
                if child is None:
                    break
                node, j = child, j + 1
                if _END in node:
                    best = (j, node[_END])
                if bare != word:
                    break  # punctuation ends a phrase
            if best is not None:
                found.append((i, best[0], best[1]))
                next_free = best[0]
        if self.number_categories and _NUMBER_ANY.search(raw):
            numbers = tuple(self.number_categories)
            found.extend(
                (i, i + 1, numbers)
                for i, w in enumerate(words)
                if w[0] in _NUMBER_FIRST and _NUMBER_WORD.match(w)
            )
            found.sort(key=lambda f: f[0])
        hits: list[Hit] = []
        fired: dict[str, int] = {}
        for first, last, categories in found:
            for category in categories:
                repeats = fired.get(category.name, 0)
                fired[category.name] = repeats + 1
                weight = category.weight * DECAY**repeats
                hits.append(Hit(category.kind, category.name, first, last, weight))
        opening = self.opening.match(text, start, end)
        if opening is not None and opening.lastgroup is not None:
            begin, stop = opening.span(opening.lastgroup)
            for category in self._opening_categories[int(opening.lastgroup[1:])]:
                hits.append(Hit(category.kind, category.name, begin, stop, category.weight, True))
        if self.features:
            hits.extend(self._shapes(text, start, end, len(words)))
        return tuple(hits)

    def _shapes(self, text: str, start: int, end: int, words: int) -> list[Hit]:
        last = end
        while last > start and text[last - 1] in _CLOSERS:
            last -= 1
        final = text[last - 1] if last > start else ""
        shapes = set()
        if final == "?":
            shapes.add("question")
        elif not final or final not in _TERMINAL:
            shapes.add("unterminated")
        if words <= _SHORT_WORDS:
            shapes.add("short")
        return [
            Hit(f.kind, f.name, start, end, f.weight, True)
            for f in self.features
            if f.name in shapes
        ]


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def score_document(text: str, start: int = 0, sha256: str | None = None) -> DocumentScores:
    """Score `text[start:]` with the shipped lexicon (no caching; see `highlight`)."""
    return default_lexicon().score_document(text, start, sha256)


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
    skipped with a warning on stderr; an unreadable file named directly raises CorpusError.
    """
    from reader.corpus import Corpus, parse_front_matter, read_text
    from reader.errors import CorpusError
    from reader.project import Project

    for path in paths:
        if path.is_dir():
            folder = path / "corpus" if (path / "corpus").is_dir() else path
            corpus = Project.resolve(path).load_corpus() if folder != path else Corpus.load(path)
            for doc in corpus:
                try:
                    text = doc.text
                except CorpusError as exc:
                    print(f"reader: skipped {exc}", file=sys.stderr)
                    continue
                yield str(doc.path), text, doc.body_start
        else:
            text = read_text(path).text
            try:
                front = parse_front_matter(text)
            except ValueError:
                front = None
            yield str(path), text, front[1] if front else 0


def render(scores: DocumentScores, kinds: tuple[str, ...], start: int = 0) -> Text:
    """The text with labelled sentences styled, each followed by a dim one-line "why"."""
    from rich.text import Text

    from reader.text import display_safe

    text = scores.text
    out = Text()
    position = start
    why_shown = False
    for i, scored in enumerate(scores.sentences):
        shown = [kind for kind in kinds if kind in scored.labels]
        gap = text[position : scored.start]
        if why_shown and "\n" not in gap:
            gap = ""  # the "why" line already ended the line
        out.append(display_safe(gap))
        style = " ".join(STYLES[kind] for kind in shown)
        out.append(display_safe(text[scored.start : scored.end]), style=style or None)
        position = scored.end
        why_shown = bool(shown)
        if shown:
            out.append(f"\n  ↳ {display_safe(scores.explain(i, tuple(shown)))}\n", style="dim")
    out.append(display_safe(text[position:]))
    return out


STYLES = {"claim": "bold #e9a23b", "factual": "underline #5b9bd5"}
