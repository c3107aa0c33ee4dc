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
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from ahocorasick_rs import BytesAhoCorasick, Implementation, MatchKind

from reader.lexicon import (
    _ASCII_GAPS,
    _CLOSERS,
    _END,
    _NUMBER_STARTS,
    _PAST,
    _TERMINAL,
    _TRAILING,
    _UNICODE_GAPS,
    DECAY,
    Node,
    Weights,
    _weights,
    prepare,
)

if TYPE_CHECKING:
    from reader.lexicon import Lexicon

# Gaps and the whitespace bytes.split() splits on all become one space.
_SCAN_TABLE = bytes(32 if chr(i) in _ASCII_GAPS + " \t\n\r\x0b\x0c" else i for i in range(256))
_BLANK_RUNS = re.compile(rb"  +")
_SEP = b"\x01"  # the word between two sentences in the document string
# What a pattern of the document scan stands for.
_K_SEP, _K_PHRASE, _K_CHECK, _K_NUMBER, _K_WILD = range(5)
_LABELS = {
    (False, False): (),
    (True, False): ("claim",),
    (False, True): ("factual",),
    (True, True): ("claim", "factual"),
}


class DocumentScan:
    """The lexicon's trie as one automaton over the document string."""

    def __init__(self, lexicon: Lexicon) -> None:
        """One pattern per trie path, spelled as the path's words appear in the document string."""
        info: dict[bytes, list[Any]] = {_SEP: [_K_SEP, (), (), frozenset()]}

        def add(pattern: bytes, kind: int, weights: Weights) -> None:
            if pattern in info:  # a word that ends a term and also leads a wildcard phrase
                info[pattern][1] = weights
            else:
                info[pattern] = [kind, weights, (), frozenset()]

        def walk(node: Node, words: list[bytes]) -> None:
            for key, child in node.items():
                if key == _END:
                    weights = _weights(child)
                    if len(words) == 1:  # a first word is looked up as spelt, with its variants
                        add(b" " + words[0] + b" ", _K_PHRASE, weights)
                        continue
                    if words[-1] != words[-1].rstrip(_TRAILING):
                        continue  # compared without its trailing punctuation: never matches
                    spelled = b" " + b"  ".join(words)
                    add(spelled + b" ", _K_PHRASE, weights)
                    for mark in _TRAILING:  # any punctuation after the last word; checked later
                        add(spelled + bytes([mark]), _K_CHECK, weights)
                elif key == _PAST:
                    pattern = b" " + b"  ".join(words) + b" "
                    entry = info.get(pattern) or [_K_WILD, (), (), frozenset()]
                    wild = frozenset(k for k in node if k not in (_END, _PAST))
                    info[pattern] = [_K_WILD, entry[1], _weights(child[_END]), wild]
                elif not key.endswith(_TRAILING) or len(words) == 0:
                    walk(child, [*words, key])

        for head, node in lexicon._heads.items():
            walk({head: node}, [])
        numbers = _weights(tuple(lexicon.number_categories))
        if numbers:
            for start in _NUMBER_STARTS:
                add(b" " + start.encode(), _K_NUMBER, numbers)
        patterns = list(info)
        self._lexicon = lexicon
        self._sep = patterns.index(_SEP)
        self._ascii_terms = all(p.isascii() for p in patterns)
        self._info: list[tuple[Any, ...]] = [tuple(info[p]) for p in patterns]
        self._automaton = BytesAhoCorasick(
            patterns, matchkind=MatchKind.LeftmostLongest, implementation=Implementation.DFA
        )

    def scan_string(self, text: str, spans: list[tuple[int, int]]) -> bytes:
        """The sentences' words, each as b" word ", with b" \\x01 " between two sentences.

        The words are those `prepare` and the reference matcher see, lower-cased here on bytes:
        only ASCII letters change, which is all an ASCII lexicon can tell apart (the Kelvin sign,
        the one other character that lower-cases to ASCII, takes the slow road).
        """
        if "\x01" in text:  # the text's own \x01 is a plain character, not a separator
            text = text.replace("\x01", "\x02")
        joined = " \x01 ".join([text[s:e] for s, e in spans])
        if self._ascii_terms and "\u212a" not in joined:
            for gap in _UNICODE_GAPS:  # searching a str for one character is the fast case
                if gap in joined:
                    joined = joined.replace(gap, " ")
            raw = joined.replace("’", "'").encode().lower()
        else:
            prepared = prepare(text)
            raw = " \x01 ".join([prepared[s:e] for s, e in spans]).encode()
        raw = raw.translate(_SCAN_TABLE)
        raw = _BLANK_RUNS.sub(b" ", raw).strip(b" ")
        return b" " + raw.replace(b" ", b"  ") + b" "

    def scores(
        self, text: str, spans: list[tuple[int, int]]
    ) -> tuple[list[float], list[float], list[tuple[str, ...]]]:
        """The claim and factual scores and the labels of each sentence span of `text`.

        One pass over the scan's matches; each sentence is finished (opening marker, shape,
        squashing) at the separator after it.
        """
        if not spans:
            return [], [], []
        scan = self.scan_string(text, spans)
        infos, lexicon = self._info, self._lexicon
        bias_claim, bias_factual = lexicon.bias["claim"], lexicon.bias["factual"]
        cut_claim, cut_factual = lexicon.threshold["claim"], lexicon.threshold["factual"]
        opening = lexicon.opening.match
        opening_weights = lexicon._opening_weights
        shape_weights = lexicon._shape_weights
        counts_words = lexicon._counts_words
        closers, terminal, exp, labelling = _CLOSERS, _TERMINAL, math.exp, _LABELS
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
            kind, weights, wild, exact = infos[pattern]
            if kind == _K_PHRASE and begin >= covered:
                pass  # the common case: a phrase that ends at a word's end
            elif kind == _K_SEP:
                start, end = next(sentence)
                if referred:
                    z_claim, z_factual = lexicon.hits_z(lexicon._walk(text, start, end))
                    referred = False
                else:
                    found = opening(text, start, end)
                    if found is not None and found.lastgroup is not None:
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
                claim_score = 1.0 / (1.0 + exp(-z_claim)) if z_claim > -50 else 0.0
                factual_score = 1.0 / (1.0 + exp(-z_factual)) if z_factual > -50 else 0.0
                claims.append(claim_score)
                factuals.append(factual_score)
                labels.append(labelling[claim_score >= cut_claim, factual_score >= cut_factual])
                z_claim, z_factual = bias_claim, bias_factual
                if fired:
                    fired = {}
                words_from = begin + 2
                continue
            elif begin < covered and kind != _K_NUMBER:
                if stop > covered + 1:  # a phrase from inside the wildcard's word: walk it
                    referred = True
                continue
            elif kind == _K_CHECK:
                after = scan[stop : scan.find(b" ", stop)]
                if after.strip(_TRAILING):
                    referred = True  # a longer word, not punctuation: walk it
                    continue
            elif kind == _K_WILD:
                word_end = scan.find(b" ", stop + 1)
                bare = scan[stop + 1 : word_end].rstrip(_TRAILING)
                if len(bare) > 3 and bare.endswith(b"ed") and bare not in exact:
                    weights, covered = wild, word_end
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
        return claims, factuals, labels
