"""The document scan: every lexicon marker of a whole document in one compiled pass.

Python work per word and per sentence was what made the old highlighter slow, so the document is
rewritten once into a canonical byte string (every word as b" word ", lower-cased, punctuation
blanked as `prepare` and the reference matcher do it; one b"\\x01" word between sentences) and one
leftmost-longest Aho-Corasick pass in compiled code (ahocorasick_rs) finds all term matches, leaving
Python work per match and per sentence only. Leftmost-longest is exactly the reference walk's
greedy "longest phrase, then carry on after it" (`Lexicon.sentence_hits`). Where the two could
part, the scan checks per match: an -ed wildcard (the next word is looked at, and the trie's exact
continuations win over it), punctuation after a phrase's last word (it must be only . , '), and a
phrase starting inside the word a wildcard took. A sentence where they might part is scored by the
reference walk instead (a few in a thousand). Tests hold the two to the same sums.

The scan also records where each marker fired and how long its words are (`Marks`,
reader/claims/marks.py): reasons then cost a little arithmetic per marker, from scan offsets back
to text offsets, rather than a second walk. Tests hold them to the reference walk's reasons,
offsets and weights included.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING, Any

from ahocorasick_rs import BytesAhoCorasick, Implementation, MatchKind

from reader.claims.lexicon import (
    ASCII_GAPS,
    CLOSERS,
    DECAY,
    END,
    NUMBER_STARTS,
    PAST_BYTES,
    TERMINAL,
    TRAILING,
    UNICODE_GAPS,
    Node,
    Weights,
    marker_weights,
    prepare,
)
from reader.claims.marks import Marks, Scanned

if TYPE_CHECKING:
    from reader.claims.lexicon import Lexicon

# Gaps and the whitespace bytes.split() splits on all become one space.
_SCAN_TABLE = bytes(32 if chr(i) in ASCII_GAPS + " \t\n\r\x0b\x0c" else i for i in range(256))
_SEP = b"\x01"  # the word between two sentences in the document string
# What a pattern of the document scan stands for.
_K_SEP, _K_PHRASE, _K_CHECK, _K_NUMBER, _K_WILD = range(5)
_LABELS = {
    (False, False): (),
    (True, False): ("claim",),
    (False, True): ("factual",),
    (True, True): ("claim", "factual"),
}


def _length(pattern: bytes, kind: int) -> int:
    """How long the words of a match of `pattern` are in the text once runs of blanks are single:
    a phrase's words with one blank between each two. For a pattern that ends inside a word (the
    number starts, a phrase with punctuation after it), the blanks between its words instead: its
    length is known only once the word's end is found."""
    words = pattern.strip(b" ").split(b"  ")
    if kind in (_K_CHECK, _K_NUMBER):
        return len(words) - 1
    return len(b" ".join(words))


@cache
def scanner(lexicon: Lexicon) -> DocumentScan:
    """The compiled scan of `lexicon`, built once per lexicon on first use."""
    return DocumentScan(lexicon)


class DocumentScan:
    """The lexicon's trie as one automaton over the document string."""

    def __init__(self, lexicon: Lexicon) -> None:
        """One pattern per trie path, spelled as the path's words appear in the document string."""
        # Per pattern: its kind, weights, the weights and exact continuations of a wildcard, and
        # how long its words are in the text once runs of blanks are single (for a match that
        # ends inside a word, how many blanks are between its words).
        info: dict[bytes, list[Any]] = {_SEP: [_K_SEP, (), (), frozenset(), 0]}

        def add(pattern: bytes, kind: int, weights: Weights) -> None:
            if pattern in info:  # a word that ends a term and also leads a wildcard phrase
                info[pattern][1] = weights
            else:
                info[pattern] = [kind, weights, (), frozenset(), _length(pattern, kind)]

        def walk(node: Node, words: list[bytes]) -> None:
            for key, child in node.items():
                if key == END:
                    weights = marker_weights(child)
                    if len(words) == 1:  # a first word is looked up as spelt, with its variants
                        add(b" " + words[0] + b" ", _K_PHRASE, weights)
                        continue
                    if words[-1] != words[-1].rstrip(TRAILING):
                        continue  # compared without its trailing punctuation: never matches
                    spelled = b" " + b"  ".join(words)
                    add(spelled + b" ", _K_PHRASE, weights)
                    for mark in TRAILING:  # any punctuation after the last word; checked later
                        add(spelled + bytes([mark]), _K_CHECK, weights)
                elif key == PAST_BYTES:
                    pattern = b" " + b"  ".join(words) + b" "
                    entry = info.get(pattern) or [_K_WILD, ()]
                    wild = frozenset(k for k in node if k not in (END, PAST_BYTES))
                    weights = marker_weights(child[END])
                    info[pattern] = [_K_WILD, entry[1], weights, wild, _length(pattern, _K_WILD)]
                elif not key.endswith(TRAILING) or len(words) == 0:
                    walk(child, [*words, key])

        for head, node in lexicon._heads.items():
            walk({head: node}, [])
        numbers = marker_weights(tuple(lexicon.number_categories))
        if numbers:
            for start in NUMBER_STARTS:
                add(b" " + start.encode(), _K_NUMBER, numbers)
        patterns = list(info)
        self._lexicon = lexicon
        self._sep = patterns.index(_SEP)
        # Lower-casing bytes changes ASCII letters only: it finds what lower-casing characters
        # finds if the patterns' other characters have no case (£ and € of the number starts).
        wide = {char for p in patterns if not p.isascii() for char in p.decode()}
        self._bytes_lower = all(char.lower() == char == char.upper() for char in wide)
        self._info: list[tuple[Any, ...]] = [tuple(info[p]) for p in patterns]
        self._automaton = BytesAhoCorasick(
            patterns, matchkind=MatchKind.LeftmostLongest, implementation=Implementation.DFA
        )

    def scan_string(self, text: str, spans: list[tuple[int, int]]) -> Scanned:
        """The sentences' words, each as b" word ", with b" \\x01 " between two sentences.

        The words are those `prepare` and the reference matcher see, lower-cased here on bytes:
        only ASCII letters change, which is all a lexicon of ASCII letters and caseless signs can
        tell apart (the Kelvin sign, the one other character that lower-cases to ASCII, takes the
        slow road, as does a lexicon with a letter beyond ASCII).
        """
        if "\x01" in text:  # the text's own \x01 is a plain character, not a separator
            text = text.replace("\x01", "\x02")
        joined = " \x01 ".join([text[s:e] for s, e in spans])
        if self._bytes_lower and "\u212a" not in joined:
            for gap in UNICODE_GAPS:  # searching a str for one character is the fast case
                if gap in joined:
                    joined = joined.replace(gap, " ")
            raw = joined.replace("’", "'").encode().lower()
        else:
            prepared = prepare(text)
            raw = " \x01 ".join([prepared[s:e] for s, e in spans]).encode()
        raw = raw.translate(_SCAN_TABLE)
        # Runs of blanks become one; where they were is kept to find the words in `raw` again.
        pieces, run_at, run_removed, removed, position, find = [], [], [], 0, 0, raw.find
        while (run := find(b"  ", position)) != -1:
            after = run + 2
            while raw[after : after + 1] == b" ":
                after += 1
            pieces.append(raw[position : run + 1])
            run_at.append(run - removed)
            removed += after - run - 1
            run_removed.append(removed)
            position = after
        pieces.append(raw[position:])
        single = b"".join(pieces)
        lead = single.startswith(b" ")
        scan = b" " + single.strip(b" ").replace(b" ", b"  ") + b" "
        return Scanned(scan, raw, lead, run_at, run_removed)

    def scores(
        self, text: str, spans: list[tuple[int, int]]
    ) -> tuple[list[float], list[float], list[tuple[str, ...]], Marks]:
        """The claim and factual scores and the labels of each sentence span of `text`, and
        where each marker fired (for the reasons).

        One pass over the scan's matches; each sentence is finished (opening marker, shape,
        squashing) at the separator after it.
        """
        scanned = self.scan_string(text, spans) if spans else Scanned(b" ", b"", False, [], [])
        scan = scanned.scan
        marks = Marks(self._lexicon, scanned, spans)
        if not spans:
            return [], [], [], marks
        found_terms = marks.found
        record, bounds, shapes = found_terms.append, marks.bounds.append, marks.shapes.append
        openings = marks.openings
        infos, lexicon = self._info, self._lexicon
        bias_claim, bias_factual = lexicon.bias["claim"], lexicon.bias["factual"]
        cut_claim, cut_factual = lexicon.threshold["claim"], lexicon.threshold["factual"]
        opening = lexicon.opening.match
        opening_weights = lexicon._opening_weights
        shape_weights = lexicon._shape_weights
        counts_words = lexicon._counts_words
        closers, terminal, exp, labelling = CLOSERS, TERMINAL, math.exp, _LABELS
        claims: list[float] = []
        factuals: list[float] = []
        labels: list[tuple[str, ...]] = []
        sentence = iter(spans)
        z_claim, z_factual = bias_claim, bias_factual
        fired: dict[str, int] = {}
        covered = -1  # end of the -ed word a wildcard phrase took
        referred = False  # the reference matcher scores this sentence
        words_from = 0  # where the sentence's words start in the scan
        matches = self._automaton.find_matches_as_indexes(scan)
        matches.append((self._sep, len(scan) + 1, len(scan) + 1))  # ends the last sentence
        for pattern, begin, stop in matches:
            kind, weights, wild, exact, length = infos[pattern]
            if kind == _K_PHRASE and begin >= covered:
                pass  # the common case: a phrase that ends at a word's end
            elif kind == _K_SEP:
                start, end = next(sentence)
                if referred:
                    z_claim, z_factual = lexicon.hits_z(lexicon._walk(text, start, end))
                    referred = False
                    shapes(-1)
                else:
                    found = opening(text, start, end)
                    if found is not None and found.lastgroup is not None:
                        openings[len(claims)] = found
                        for _name, claim, weight in opening_weights[int(found.lastgroup[1:])]:
                            if claim:
                                z_claim += weight
                            else:
                                z_factual += weight
                    last = end
                    while last > start and text[last - 1] in closers:
                        last -= 1
                    final = text[last - 1] if last > start else ""
                    shape = 2 if final == "?" else 4 if not final or final not in terminal else 0
                    if counts_words and scan.count(b" ", words_from, begin - 1) <= 10:
                        shape += 1  # five words or fewer: each word is b" word "
                    for claim, weight in shape_weights[shape]:
                        if claim:
                            z_claim += weight
                        else:
                            z_factual += weight
                    shapes(shape)
                claim_score = 1.0 / (1.0 + exp(-z_claim)) if z_claim > -50 else 0.0
                factual_score = 1.0 / (1.0 + exp(-z_factual)) if z_factual > -50 else 0.0
                claims.append(claim_score)
                factuals.append(factual_score)
                labels.append(labelling[claim_score >= cut_claim, factual_score >= cut_factual])
                z_claim, z_factual = bias_claim, bias_factual
                if fired:
                    fired = {}
                words_from = begin + 2
                bounds(len(found_terms))
                continue
            elif begin < covered and kind != _K_NUMBER:
                if stop > covered + 1:  # a phrase from inside the wildcard's word: walk it
                    referred = True
                continue
            elif kind == _K_CHECK:
                word_end = scan.find(b" ", stop)
                if scan[stop:word_end].strip(TRAILING):
                    referred = True  # a longer word, not punctuation: walk it
                    continue
                length = word_end - begin - 1 - length  # less the blanks between its words
            elif kind == _K_WILD:
                word_end = scan.find(b" ", stop + 1)
                bare = scan[stop + 1 : word_end].rstrip(TRAILING)
                if len(bare) > 3 and bare.endswith(b"ed") and bare not in exact:
                    weights, covered = wild, word_end
                    length += word_end - stop  # a blank, then the -ed word
            elif kind == _K_NUMBER:
                length = scan.find(b" ", stop) - begin - 1
            for name, claim, weight in weights:
                if name in fired:
                    repeats = fired[name]
                    fired[name] = repeats + 1
                    weight *= DECAY**repeats
                else:
                    fired[name] = 1
                if claim:
                    z_claim += weight
                else:
                    z_factual += weight
                record((begin, length, name, claim, weight))
        return claims, factuals, labels, marks
