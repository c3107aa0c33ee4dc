"""Inverted postings for one kind of record (annotations, documents or sentences), built for speed.

Pure Python can do about ten million C-level operations in the time it takes to run one million lines of
Python, so the hot paths here avoid per-word Python code:
- `add` tokenises a whole batch of texts as one string (one `bytes.translate` + `split`, or one fold and
  regex pass for non-ASCII texts), then appends every record key to its words' lists in a single
  `map(list.append, ...)` pass;
- a posting list holds a record's key once per occurrence, so term frequencies come from
  `collections.Counter` (C) at query time;
- scores are computed with `map` over `operator` functions, and phrases are checked with one regex pass
  over the candidates' folded texts joined together.
Length normalisation uses a fixed reference length per field instead of the collection average, so a score
never depends on the order records were added and a rebuilt index ranks exactly the same.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from itertools import accumulate, chain, islice, repeat
from operator import add, mul, truediv

from reader.query import MARK, PUNCTUATION, batch_terms, fold

K1 = 1.2
B = 0.75
PREFIX_WEIGHT = 0.7


class Postings:
    """Term -> record keys, per field, with BM25 scoring and word-prefix expansion."""

    def __init__(self, fields: dict[str, tuple[float, float]]) -> None:
        self.fields = fields  # name -> (weight, reference length in words)
        self.postings: dict[str, defaultdict[bytes, list[str]]] = {
            f: defaultdict(list) for f in fields
        }
        self.lengths: dict[str, dict[str, int]] = {f: {} for f in fields}
        self.size = 0
        self._vocab: list[bytes] = []
        self._stale = False
        self._pending: set[bytes] = set()

    def add(self, name: str, keys: Sequence[str], texts: Sequence[str]) -> None:
        """Index `texts[i]` as field `name` of record `keys[i]` (records are counted by `count`)."""
        postings = self.postings[name]
        before = len(postings)
        words = batch_terms(texts)
        sizes: list[int] = []
        start = 0
        for _ in keys:
            end = words.index(MARK, start) + 1
            sizes.append(end - start)
            start = end
        owners = list(chain.from_iterable(map(repeat, keys, sizes)))
        deque(map(list.append, map(postings.__getitem__, words), owners), maxlen=0)
        postings.pop(MARK, None)
        self.lengths[name].update(zip(keys, [n - 1 for n in sizes], strict=False))
        added = len(postings) - before
        if added > 100:
            self._stale = True
        elif added:  # new terms sit at the end of the dict, in insertion order
            self._pending.update(islice(reversed(postings), added))

    def remove(self, name: str, key: str, text: str) -> None:
        postings = self.postings[name]
        for word in set(batch_terms([text])):
            keys = postings.get(word)
            if keys is None or key not in keys:
                continue
            # One add call appends all of a record's occurrences together.
            start = keys.index(key)
            end = start + 1
            while end < len(keys) and keys[end] == key:
                end += 1
            del keys[start:end]
            if not keys:
                del postings[word]
        self.lengths[name].pop(key, None)

    def expand(self, word: bytes) -> list[bytes]:
        """The indexed terms that start with `word`."""
        if self._stale:
            vocab: set[bytes] = set()
            for postings in self.postings.values():
                vocab.update(postings)
            self._vocab, self._stale = sorted(vocab), False
            self._pending.clear()
        elif self._pending:
            for term in self._pending:
                i = bisect_left(self._vocab, term)
                if i == len(self._vocab) or self._vocab[i] != term:
                    insort(self._vocab, term, lo=i)
            self._pending.clear()
        vocab_ = self._vocab
        i = bisect_left(vocab_, word)
        j = bisect_left(vocab_, word + b"\xff", lo=i)  # no UTF-8 byte is 0xff
        return vocab_[i:j]

    def keys(self, name: str, words: Sequence[bytes]) -> set[str]:
        """Records whose field holds every word as a word prefix (phrase order is not checked)."""
        postings = self.postings[name]
        found: set[str] | None = None
        for word in sorted(words, key=len, reverse=True):  # longer words are rarer: start there
            lists = [postings[t] for t in self.expand(word) if t in postings]
            keys: set[str] = set().union(*lists)
            found = keys if found is None else found & keys
            if not found:
                return set()
        return found or set()

    def scores(self, name: str, word: bytes, within: set[str]) -> dict[str, float]:
        """BM25 scores of `word` in field `name` for the records of `within` that hold it."""
        postings, lengths = self.postings[name], self.lengths[name]
        weight, reference = self.fields[name]
        out: dict[str, float] = {}
        for term in self.expand(word):
            keys = postings.get(term)
            if not keys:
                continue
            tfs = Counter(keys)
            df = len(tfs)
            idf = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
            c = weight * idf * (K1 + 1) * (1.0 if term == word else PREFIX_WEIGHT)
            hits = list(within.intersection(tfs)) if len(within) < df else list(tfs)
            tf = list(map(tfs.__getitem__, hits))
            # c * tf / (tf + K1 * (1 - B + B * length / reference)), without a Python loop
            norms = map(mul, repeat(K1 * B / reference), map(lengths.__getitem__, hits))
            denominators = map(add, tf, map(add, repeat(K1 * (1 - B)), norms))
            values = map(truediv, map(mul, repeat(c), tf), denominators)
            if out:
                add_scores(out, dict(zip(hits, values, strict=False)), union=True)
            else:
                out = dict(zip(hits, values, strict=False))
        return out


def add_scores(total: dict[str, float], part: dict[str, float], union: bool = False) -> None:
    """Add `part` into `total`: only for the keys `total` has, or for all keys with `union`."""
    common = list(total.keys() & part.keys())
    total.update(
        zip(
            common,
            map(add, map(total.__getitem__, common), map(part.__getitem__, common)),
            strict=False,
        )
    )
    if union:
        for key in part.keys() - total.keys():
            total[key] = part[key]


def phrase_pattern(words: Sequence[bytes]) -> re.Pattern[str]:
    """A regex over folded text: the words start consecutive words (never across a \\x00).

    It starts with a literal so that `re` can scan for it quickly; the caller checks that the match
    starts a word.
    """
    parts = [re.escape(w.decode("utf-8", "surrogatepass")) + r"[^\W_]*" for w in words]
    return re.compile(r"(?:[^\w\x00]|_)+".join(parts))


def _fold_keeping_length(text: str) -> str:
    """`fold`, with common punctuation first blanked one for one, so ASCII prose keeps its offsets."""
    if not text.isascii():
        for mark in PUNCTUATION:
            if mark in text:
                text = text.replace(mark, " ")
    return fold(text)


def containing(texts: Sequence[str], words: Sequence[bytes]) -> set[int]:
    """Indices of the `texts` in which `words` start consecutive words, in one regex pass."""
    if not texts:
        return set()
    pattern = phrase_pattern(words)
    joined = _fold_keeping_length("\x00".join(texts))
    if joined.count("\x00") != len(texts) - 1:  # a text holds \x00 itself: check one by one
        return {i for i, text in enumerate(texts) if _search(pattern, fold(text))}
    if len(joined) == sum(map(len, texts)) + len(texts) - 1:
        ends = [end + i for i, end in enumerate(accumulate(map(len, texts)))]
    else:  # folding changed lengths; fold keeps each \x00, so find them
        ends = [m.start() for m in _ZERO.finditer(joined)]
    found: set[int] = set()
    position = 0
    while (match := pattern.search(joined, position)) is not None:
        start = match.start()
        position = start + 1
        if start and _WORD_CHAR.match(joined, start - 1):
            continue  # the match begins inside a word
        index = bisect_right(ends, start)
        found.add(index)
        if index < len(ends):
            position = ends[index]  # one match per text is enough
    return found


def _search(pattern: re.Pattern[str], text: str) -> bool:
    return any(
        not (m.start() and _WORD_CHAR.match(text, m.start() - 1)) for m in pattern.finditer(text)
    )


_WORD_CHAR = re.compile(r"[^\W_]")
_ZERO = re.compile("\x00")
