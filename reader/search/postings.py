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

Per term, `stats` caches the term frequencies (one `Counter` of the posting list) and the best
`tf / (tf + K1 * (1 - B + B * length / reference))` of any record, so that a query neither recounts a long
posting list nor scores every record to know the most a term can add (`bound`, for top-k pruning in
reader/search/engine.py). A term's cache entry is dropped whenever a record holding it is added or removed.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, chain, islice, repeat
from operator import add, attrgetter, mul, truediv

from reader.search.highlight import fold_keeping_length
from reader.search.query import MARK, batch_terms, fold

K1 = 1.2
B = 0.75
PREFIX_WEIGHT = 0.7


class TermStats:
    """What a query needs of one term in one field: term frequency per record, the best length-
    normalised frequency, and (filled in by the search index) the records as a bitset of slots."""

    __slots__ = ("best", "bits", "tfs")

    def __init__(self, tfs: dict[str, int], best: float) -> None:
        self.tfs = tfs
        self.best = best
        self.bits: int | None = None


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
        self._stats: dict[tuple[str, bytes], TermStats] = {}

    def add(self, name: str, keys: Sequence[str], texts: Sequence[str]) -> None:
        """Index `texts[i]` as field `name` of record `keys[i]` (records are counted by `count`)."""
        postings = self.postings[name]
        before = len(postings)
        distinct = list(dict.fromkeys(texts))
        if len(distinct) * 2 <= len(texts):
            words = self._add_shared(name, keys, texts, distinct)
        else:
            words = batch_terms(texts)
            sizes = _sizes(words, len(keys))
            owners = list(chain.from_iterable(map(repeat, keys, sizes)))
            deque(map(list.append, map(postings.__getitem__, words), owners), maxlen=0)
            postings.pop(MARK, None)
            self.lengths[name].update(zip(keys, [n - 1 for n in sizes], strict=False))
        if self._stats:
            if len(keys) > 100:  # a bulk load: cheaper to recount what queries need again
                self._stats.clear()
            else:
                for word in set(words):
                    self._stats.pop((name, word), None)
        added = len(postings) - before
        if added > 100:
            self._stale = True
        elif added:  # new terms sit at the end of the dict, in insertion order
            self._pending.update(islice(reversed(postings), added))

    def _add_shared(
        self, name: str, keys: Sequence[str], texts: Sequence[str], distinct: list[str]
    ) -> list[bytes]:
        """`add` for a batch in which many records share a text (annotations quoting the same
        sentence): each distinct text is tokenised once and its holders join each of its terms'
        lists in one `extend`. Returns the batch's words."""
        postings = self.postings[name]
        words = batch_terms(distinct)
        holders: dict[str, list[str]] = {text: [] for text in distinct}
        deque(map(list.append, map(holders.__getitem__, texts), keys), maxlen=0)
        length_of: dict[str, int] = {}
        start = 0
        for text, size in zip(distinct, _sizes(words, len(distinct)), strict=True):
            length_of[text] = size - 1
            owners = holders[text]
            for term, tf in Counter(words[start : start + size - 1]).items():
                if tf == 1:
                    postings[term].extend(owners)
                else:  # a record's occurrences stay together, as `remove` expects
                    postings[term].extend(chain.from_iterable(map(repeat, owners, repeat(tf))))
            start += size
        self.lengths[name].update(zip(keys, map(length_of.__getitem__, texts), strict=True))
        return words

    def remove(self, name: str, key: str, text: str) -> None:
        postings = self.postings[name]
        counts = Counter(batch_terms([text]))
        counts.pop(MARK, None)
        for word, tf in counts.items():
            self._stats.pop((name, word), None)
            keys = postings.get(word)
            if keys is None or key not in keys:
                continue
            # One add call appends all of a record's occurrences together: `tf` of them, counted in
            # C above (a note of megabytes has millions), unless the list says otherwise.
            start = keys.index(key)
            end = start + tf
            if keys[end - 1 : end] != [key] or keys[end : end + 1] == [key]:
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

    def stats(self, name: str, term: bytes) -> TermStats | None:
        """Cached frequencies of an indexed term (None if no record of field `name` holds it)."""
        found = self._stats.get((name, term))
        if found is None:
            keys = self.postings[name].get(term)
            if not keys:
                return None
            tfs = Counter(keys)
            hits, tf = list(tfs), list(tfs.values())
            reference = self.fields[name][1]
            norms = map(mul, repeat(K1 * B / reference), map(self.lengths[name].__getitem__, hits))
            best = max(map(truediv, tf, map(add, tf, map(add, repeat(K1 * (1 - B)), norms))))
            found = self._stats[(name, term)] = TermStats(dict(tfs), best)
        return found

    def keys(self, name: str, words: Sequence[bytes], within: set[str] | None = None) -> set[str]:
        """Records whose field holds every word as a word prefix (phrase order is not checked);
        only those of `within` when it is given."""
        found = within
        for word in sorted(words, key=len, reverse=True):  # longer words are rarer: start there
            held = [st.tfs for term in self.expand(word) if (st := self.stats(name, term))]
            if found is None:
                found = set().union(*held)
            else:  # dict views intersect from the smaller side
                found = set().union(*(tfs.keys() & found for tfs in held))
            if not found:
                return set()
        return found or set()

    def factor(self, name: str, word: bytes, term: bytes, df: int) -> float:
        """What one occurrence-weighted unit of `term` is worth when the query word is `word`."""
        weight = self.fields[name][0]
        idf = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
        return weight * idf * (K1 + 1) * (1.0 if term == word else PREFIX_WEIGHT)

    def bounds(self, name: str, word: bytes) -> list[tuple[float, TermStats]]:
        """For each indexed term `word` expands to: the most it adds to any record's score (a hair
        above, so float rounding can never make a real score exceed it), and its stats."""
        out = []
        for term in self.expand(word):
            st = self.stats(name, term)
            if st is not None:
                ub = self.factor(name, word, term, len(st.tfs)) * st.best
                out.append((ub * (1 + 1e-9) + 1e-12, st))
        return out

    def scores(self, name: str, word: bytes, within: set[str]) -> dict[str, float]:
        """BM25 scores of `word` in field `name` for the records of `within` that hold it."""
        lengths = self.lengths[name]
        reference = self.fields[name][1]
        out: dict[str, float] = {}
        for term in self.expand(word):
            st = self.stats(name, term)
            if st is None:
                continue
            tfs = st.tfs
            df = len(tfs)
            c = self.factor(name, word, term, df)
            hits = list(tfs.keys() & within) if len(within) < df else list(tfs)
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


def _sizes(words: list[bytes], count: int) -> list[int]:
    """How many words (the MARK included) each of `count` texts has in a `batch_terms` list."""
    sizes: list[int] = []
    start = 0
    for _ in range(count):
        end = words.index(MARK, start) + 1
        sizes.append(end - start)
        start = end
    return sizes


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


def containing(texts: Sequence[str], words: Sequence[bytes]) -> set[int]:
    """Indices of the `texts` in which `words` start consecutive words, in one regex pass."""
    if not texts:
        return set()
    pattern = phrase_pattern(words)
    joined = fold_keeping_length("\x00".join(texts))
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


# -- top-k pruning ---------------------------------------------------------------------------------
# A record's score is a sum of parts (one per query term, field and indexed term it holds), and each
# part has a known upper bound. With records numbered by slot, each part's records form a bitset (a
# Python int): intersecting two costs about a microsecond at 100,000 records, where intersecting two
# sets of a few thousand keys costs hundreds. `above` uses this to find, without scoring anything,
# every record whose parts' bounds add up to at least a threshold.

_BIT_CHARS = bytes.maketrans(b"\x00\x01", b"01")
_ONE = re.compile("1")


def to_bits(slots: Iterable[int], size: int) -> int:
    """The bitset with the given slots (all below `size`) set."""
    if not size:
        return 0
    flags = bytearray(size)
    deque(map(flags.__setitem__, slots, repeat(1)), maxlen=0)
    return int(flags.translate(_BIT_CHARS)[::-1], 2)


def slots_of(bits: int) -> list[int]:
    """The slots set in a bitset (meant for small sets: one regex match per slot)."""
    digits = bin(bits)
    top = len(digits) - 1
    return [top - m.start() for m in _ONE.finditer(digits)]


class Part:
    """One part of the score: its upper bound and (computed on first use) its records' bitset."""

    __slots__ = ("_bits", "_make", "bound", "constant")

    def __init__(self, bound: float, make: Callable[[], int], constant: bool = False) -> None:
        self.bound = bound
        self.constant = constant  # it adds the same amount to every record that has it
        self._bits: int | None = None
        self._make = make

    @property
    def bits(self) -> int:
        if self._bits is None:
            self._bits = self._make()
        return self._bits


def above(
    parts: Sequence[Part], threshold: float, within: int | None = None, budget: int = 2000
) -> int | None:
    """The records (of `within`, when given) whose parts' bounds add up to at least `threshold`.

    A depth-first walk over combinations of parts, largest bound first: a branch stops as soon as
    its bounds reach the threshold (every record in it qualifies), when the records left are none,
    or when even all remaining parts could not reach it. None when the walk would take more than
    `budget` intersections: then scoring every match is the cheaper way.
    """
    parts = sorted(parts, key=attrgetter("bound"), reverse=True)
    rest = [0.0] * (len(parts) + 1)  # rest[j]: the bounds of parts j onwards, added up
    for j in reversed(range(len(parts))):
        rest[j] = rest[j + 1] + parts[j].bound
    found = 0
    steps = 0
    # The walk's frames on a list rather than the call stack: a word prefix can expand to thousands
    # of parts, and a branch may go as deep as there are parts. A frame is the next part to try, the
    # bounds added so far and the records that hold all the parts chosen (None: not narrowed yet).
    stack: list[tuple[int, float, int | None]] = [(0, 0.0, within)]
    while stack:
        j, total, records = stack.pop()
        if j >= len(parts) or total + rest[j] < threshold:
            continue
        # The branch without part j, walked after the one with it.
        stack.append((j + 1, total, records))
        steps += 1
        if steps > budget:
            return None
        bits = parts[j].bits if records is None else records & parts[j].bits
        if not bits:
            continue
        if total + parts[j].bound >= threshold:
            found |= bits
        else:
            stack.append((j + 1, total + parts[j].bound, bits))
    return found
