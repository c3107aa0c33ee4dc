"""The claim/fact lexicon (reader/claims/lexicon.toml) and the two matchers that read it.

A term matches whole words of a sentence that has been lower-cased, its curly apostrophes
straightened and its punctuation blanked (other than . , ' % - which live inside numbers,
contractions and compounds). `Lexicon.sentence_hits` is the reference: it walks a trie of terms word
by word through one sentence and says where each marker fired, as the `reasons` must show it.
`reader.claims.scan` gives the same sums and markers for a whole document from one compiled
scan (reader/claims/scan.py), which is what the app and `reader claims` use.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from itertools import compress, count
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.errors import LexiconError

if TYPE_CHECKING:
    pass

KINDS = ("claim", "factual")
DECAY = 0.5  # a category firing again in one sentence adds this fraction of its previous weight
NUMBER = "<number>"  # a term of its own: any word that starts with a digit or a currency sign
PAST = "<ed>"  # the last word of a term: any word ending in -ed

# Characters blanked before splitting into words: ASCII punctuation other than . , ' % - (kept inside
# numbers, contractions and compounds) and the typographic quotes and dashes. All map one to one, so
# offsets survive.
ASCII_GAPS = '!"#&()*+/:;<=>?@[\\]^_`{|}~'
UNICODE_GAPS = "‘“”–—…«»\u00a0\u2002\u2003\u2009\u200a\u202f"
_BYTE_TABLE = bytes(32 if chr(i) in ASCII_GAPS else i for i in range(256))
_STR_TABLE = str.maketrans(dict.fromkeys(ASCII_GAPS + UNICODE_GAPS, " ") | {"’": "'"})
_WORD = re.compile(r"[^ \t\n\r\x0b\x0c]+")  # exactly the words bytes.split() finds
# A number word starts with a digit, $, £ or €; the first-byte set is a cheap filter before the regex.
_NUMBER_WORD = re.compile(rb"[0-9$]|\xc2\xa3|\xe2\x82\xac")
_NUMBER_FIRST = frozenset(b"0123456789$\xc2\xe2")
_NUMBER_ANY = re.compile(rb"[0-9$\xc2\xe2]")  # one character class: the engine's fast search
NUMBER_STARTS = (*"0123456789$", "£", "€")
TRAILING = b".,'"
CLOSERS = "\"'”’)]»"
TERMINAL = ".!?…:;"
_SHORT_WORDS = 5

END = b""  # key of a trie node's categories, where a phrase may end
PAST_BYTES, _NUM = PAST.encode(), NUMBER.encode()
Node = dict[bytes, Any]
Weights = tuple[
    tuple[str, bool, float], ...
]  # (category name, is a claim cue, weight) per category


class Hit(NamedTuple):
    """A marker as the reference matcher records it: words `first`..`last` (exclusive) of the
    sentence, or, for opening markers and sentence shapes, character offsets with `chars` set."""

    kind: str
    category: str
    first: int
    last: int
    weight: float
    chars: bool = False


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    kind: str
    weight: float
    label: str = ""  # what a reader is told (lexicon field `label`); the name when not given


def prepare(text: str) -> str:
    """Lower case, curly apostrophes straightened, typographic punctuation blanked; same length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. "İ" lower-cases to two characters; keep offsets aligned
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for char in UNICODE_GAPS:
        if char in lowered:
            lowered = lowered.replace(char, " ")
    return lowered.replace("’", "'")


def prepare_sentence(text: str, start: int, end: int) -> str:
    """`prepare(text)[start:end]` without preparing the whole text: lower-casing is per character
    except for a capital sigma, whose lower case depends on the letters around it."""
    piece = text[start:end]
    return prepare(text)[start:end] if "Σ" in piece else prepare(piece)


def word_spans(prepared: str, start: int) -> list[tuple[int, int]]:
    """Offsets of the words of the prepared sentence `prepared` that starts at `start`, as the
    matchers split them."""
    blanked = prepared.translate(_STR_TABLE)
    return [(start + m.start(), start + m.end()) for m in _WORD.finditer(blanked)]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A term's words as its reason underlines them: without the . , and closing quotes after the
    last word nor the quotes before the first (the words keep them, for the matchers)."""
    while end > start and text[end - 1] in ".,'’":
        end -= 1
    while start < end and text[start] in "'‘’":
        start += 1
    return start, end


def _term_words(term: str) -> tuple[bytes, ...]:
    """A term as the matcher sees it: the words that `sentence_hits` would split it into."""
    words = []
    for word in term.split():
        if word in (PAST, NUMBER):
            words.append(word.encode())
        else:
            words.extend(w.encode() for w in prepare(word).translate(_STR_TABLE).split())
    return tuple(words)


def _alternation(words: list[str]) -> str:
    """A regex for any one of `words`, the longest first, as a tree of shared prefixes.

    `re` tries a flat a|b|c... alternative by alternative at every sentence start; the tree rules
    out all words but those sharing the first letters. An apostrophe matches ’ or '.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in str(word).lower().replace("’", "'"):
            node = node.setdefault(char, {})
        node[""] = {}

    def spell(node: dict[str, Any]) -> str:
        parts = [
            ("[’']" if char == "'" else re.escape(char)) + spell(child)
            for char, child in sorted(node.items())
            if char
        ]
        body = parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})" if parts else ""
        return f"(?:{body})?" if "" in node and body else body

    return f"(?:{spell(trie)})" if trie else "(?!)"


def _label(entry: dict[str, Any], where: str) -> str:
    label = entry.get("label", "")
    if not isinstance(label, str):
        raise LexiconError(f'{where}: label is the words a reader sees, in quotes ("a figure")')
    return " ".join(label.split())


def marker_weights(categories: tuple[Category, ...]) -> Weights:
    return tuple((c.name, c.kind == "claim", c.weight) for c in categories)


class Lexicon:
    """Marker categories as a trie of terms plus one regex of sentence openings."""

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
                self._check_term(category, str(term), words, at_start)
                if words == (_NUM,):
                    self.number_categories.append(category)
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
                if "<words>" in pattern:
                    pattern = pattern.replace("<words>", _alternation(entry.get("words", [])))
                openings.setdefault(f"(?:{pattern})", []).append(category)
        self._heads: dict[bytes, Node] = {}
        for words, categories in phrases.items():
            node = self._heads.setdefault(words[0], {})
            for word in words[1:]:
                node = node.setdefault(word, {})
            node[END] = tuple(categories)
        # A word may carry . , or ' (sentence end, list, possessive, quote); such a word ends any
        # phrase, so its spellings map to a node that can only end there. Indexing them keeps the
        # common case one dict lookup.
        for head, node in list(self._heads.items()):
            if END in node:
                for spelling in (head + b".", head + b",", head + b"'", b"'" + head):
                    self._heads.setdefault(spelling, {END: node[END]})
        lead_in = r"[\W_]*(?:(?:and|but|or|so|yet|now|then|just)\b[\W_]*)?(?:\w+ly\b[\W_]*)?"
        try:
            branches = "|".join(f"(?P<g{i}>{o})" for i, o in enumerate(openings)) or "(?!)"
            self.opening = re.compile(f"{lead_in}(?:{branches})", re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"{source}: an at_start pattern does not compile: {exc}") from exc
        self._opening_categories = [tuple(c) for c in openings.values()]
        self._opening_weights = [marker_weights(c) for c in self._opening_categories]
        self.features = [
            self._feature(entry, n) for n, entry in enumerate(data.get("features", []))
        ]
        # The sentence shapes' features in feature order as (kind, name, weight), indexed by
        # 2 * (0 ends, 1 question, 2 unterminated) + (1 if five words or fewer).
        self._shape_cues = [
            tuple(
                (f.kind, f.name, f.weight)
                for f in self.features
                if f.name == ("", "question", "unterminated")[ending]
                or (short and f.name == "short")
            )
            for ending in range(3)
            for short in (False, True)
        ]
        self._shape_weights = [
            tuple((kind == "claim", weight) for kind, _, weight in cues)
            for cues in self._shape_cues
        ]
        self._opening_cues = [
            tuple((c.kind, c.name, c.weight) for c in cs) for cs in self._opening_categories
        ]
        self._counts_words = any(f.name == "short" for f in self.features)
        # What reasons call each category when they speak to a reader (reader/claims/reasons.py).
        self.labels = {
            c.name: c.label or c.name.replace("_", " ") for c in (*self.features, *self.categories)
        }

    def _check_term(
        self, category: Category, term: str, words: tuple[bytes, ...], at_start: bool
    ) -> None:
        """The shapes both matchers agree on: <number> alone, <ed> last, no word led by a digit."""
        where = f"{self.source}: {category.name}: {term!r}"
        if _NUM in words and words != (_NUM,):
            raise LexiconError(f"{where}: {NUMBER} stands alone as a term")
        if PAST_BYTES in words and (
            words[0] == PAST_BYTES or words.index(PAST_BYTES) != len(words) - 1
        ):
            raise LexiconError(f"{where}: {PAST} can only end a phrase, after other words")
        if not at_start and any(w.decode().startswith(NUMBER_STARTS) for w in words):
            raise LexiconError(f"{where}: a word starts with a digit or currency; use {NUMBER}")

    def _category(self, entry: dict[str, Any], position: int) -> tuple[Category, bool]:
        where = f"{self.source}: category #{position} ({entry.get('name', 'unnamed')})"
        name, kind, weight = entry.get("name"), entry.get("kind"), entry.get("weight")
        if not isinstance(name, str) or kind not in KINDS or not isinstance(weight, int | float):
            raise LexiconError(f"{where}: needs a name, a kind (claim or factual) and a weight")
        if not entry.get("terms") and not entry.get("patterns"):
            raise LexiconError(f"{where}: give it terms or patterns")
        label = _label(entry, where)
        return Category(name, kind, float(weight), label), bool(entry.get("at_start", False))

    def _feature(self, entry: dict[str, Any], position: int) -> Category:
        name, kind, weight = entry.get("name"), entry.get("kind"), entry.get("weight")
        if name not in ("question", "unterminated", "short") or kind not in KINDS:
            raise LexiconError(
                f"{self.source}: feature #{position + 1} must be question, unterminated or short, "
                "with a kind (claim or factual) and a weight"
            )
        if not isinstance(weight, int | float):
            raise LexiconError(f"{self.source}: feature #{position + 1} needs a numeric weight")
        return Category(name, kind, float(weight), _label(entry, f"{self.source}: feature {name}"))

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """Load a lexicon file; the shipped reader/claims/lexicon.toml by default."""
        if path is None:
            resource = files("reader.claims").joinpath("lexicon.toml")
            return cls(
                tomllib.loads(resource.read_text(encoding="utf-8")), "reader/claims/lexicon.toml"
            )
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise LexiconError(f"{path}: cannot read the lexicon ({exc.strerror or exc})") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LexiconError(f"{path}: not valid TOML: {exc}") from exc
        return cls(data, str(path))

    # --- the reference matcher: one sentence, word by word ------------------------------------

    def sentence_hits(self, text: str, prepared: str, start: int, end: int) -> tuple[Hit, ...]:
        """Every marker of the sentence `text[start:end]` in the order its weights are added;
        `prepared` is `prepare(text)`."""
        return self.hits(text, prepared[start:end], start, end)

    def _walk(self, text: str, start: int, end: int) -> tuple[Hit, ...]:
        """`sentence_hits` without preparing the whole text."""
        return self.hits(text, prepare_sentence(text, start, end), start, end)

    def hits(self, text: str, prepared: str, start: int, end: int) -> tuple[Hit, ...]:
        """`sentence_hits` of the sentence `text[start:end]`, which `prepared` is, prepared."""
        raw = prepared.encode().translate(_BYTE_TABLE)
        words = raw.split()
        heads = self._heads
        found: list[tuple[int, int, tuple[Category, ...]]] = []
        next_free = 0
        size = len(words)
        for i in compress(count(), map(heads.__contains__, words)):
            if i < next_free:
                continue  # inside a phrase matched just before
            node: Node = heads[words[i]]
            best = (i + 1, node[END]) if END in node else None
            j = i + 1
            while j < size and len(node) > (END in node):
                word = words[j]
                bare = word.rstrip(TRAILING)
                child = node.get(bare)
                if child is None and PAST_BYTES in node and len(bare) > 3 and bare.endswith(b"ed"):
                    child = node[PAST_BYTES]
                if child is None:
                    break
                node, j = child, j + 1
                if END in node:
                    best = (j, node[END])
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
        shape = self._shape(text, start, end, len(words))
        hits.extend(Hit(*cue, True) for cue in self.cues(opening, shape, start, end))
        return tuple(hits)

    def cues(
        self, opening: re.Match[str] | None, shape: int, start: int, end: int
    ) -> list[tuple[str, str, int, int, float]]:
        """(kind, category, start, end, weight) of the opening marker `opening` found and of the
        features of sentence shape `shape` (an index into `_shape_cues`), in the sentence
        `start`..`end`."""
        found = []
        if opening is not None and opening.lastgroup is not None:
            begin, stop = opening.span(opening.lastgroup)
            cues = self._opening_cues[int(opening.lastgroup[1:])]
            found = [(kind, name, begin, stop, weight) for kind, name, weight in cues]
        found.extend(
            [(kind, name, start, end, weight) for kind, name, weight in self._shape_cues[shape]]
        )
        return found

    def _shape(self, text: str, start: int, end: int, words: int) -> int:
        """The sentence's shape: 2 * (0 ends, 1 question, 2 unterminated) + (1 if short)."""
        last = end
        while last > start and text[last - 1] in CLOSERS:
            last -= 1
        final = text[last - 1] if last > start else ""
        ending = 1 if final == "?" else 2 if not final or final not in TERMINAL else 0
        return 2 * ending + (words <= _SHORT_WORDS)

    def hits_z(self, hits: tuple[Hit, ...]) -> tuple[float, float]:
        """bias + the weights of `hits`, per kind, added in order."""
        z_claim, z_factual = self.bias["claim"], self.bias["factual"]
        for hit in hits:
            if hit.kind == "claim":
                z_claim += hit.weight
            else:
                z_factual += hit.weight
        return z_claim, z_factual

    # --- the document scan -------------------------------------------------------------------
