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

The scan also records where each marker fired (`Marks`): a sentence's reasons then cost a little
arithmetic per marker, from scan offsets back to text offsets, rather than a second walk. Tests hold
them to the reference walk's reasons, offsets and weights included.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

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
    trim,
)

if TYPE_CHECKING:
    import re
    from collections.abc import Iterable

    from reader.claims.lexicon import Lexicon

# Gaps and the whitespace bytes.split() splits on all become one space.
_SCAN_TABLE = bytes(32 if chr(i) in ASCII_GAPS + " \t\n\r\x0b\x0c" else i for i in range(256))
_SEP = b"\x01"  # the word between two sentences in the document string
# What a pattern of the document scan stands for.
_K_SEP, _K_PHRASE, _K_CHECK, _K_NUMBER, _K_WILD = range(5)
_KINDS = ("factual", "claim")  # by "is a claim cue"
_LABELS = {
    (False, False): (),
    (True, False): ("claim",),
    (False, True): ("factual",),
    (True, True): ("claim", "factual"),
}


class _Scanned(NamedTuple):
    """The scan string of a document and what it takes to find its words in `raw` again."""

    scan: bytes
    raw: bytes  # the sentences joined by b" \x01 ", as long as the text in UTF-8, blanks kept
    lead: bool  # a blank run started `raw` (it is stripped from the scan)
    run_at: list[int]  # where each run of blanks was, once runs are single blanks
    run_removed: list[int]  # blanks removed by that run and the runs before it


@cache
def scanner(lexicon: Lexicon) -> DocumentScan:
    """The compiled scan of `lexicon`, built once per lexicon on first use."""
    return DocumentScan(lexicon)


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
                    entry = info.get(pattern) or [_K_WILD, (), (), frozenset()]
                    wild = frozenset(k for k in node if k not in (END, PAST_BYTES))
                    info[pattern] = [_K_WILD, entry[1], marker_weights(child[END]), wild]
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
        self._ascii_terms = all(p.isascii() for p in patterns)
        self._info: list[tuple[Any, ...]] = [tuple(info[p]) for p in patterns]
        self._automaton = BytesAhoCorasick(
            patterns, matchkind=MatchKind.LeftmostLongest, implementation=Implementation.DFA
        )

    def scan_string(self, text: str, spans: list[tuple[int, int]]) -> _Scanned:
        """The sentences' words, each as b" word ", with b" \\x01 " between two sentences.

        The words are those `prepare` and the reference matcher see, lower-cased here on bytes:
        only ASCII letters change, which is all an ASCII lexicon can tell apart (the Kelvin sign,
        the one other character that lower-cases to ASCII, takes the slow road).
        """
        if "\x01" in text:  # the text's own \x01 is a plain character, not a separator
            text = text.replace("\x01", "\x02")
        joined = " \x01 ".join([text[s:e] for s, e in spans])
        if self._ascii_terms and "\u212a" not in joined:
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
        return _Scanned(scan, raw, lead, run_at, run_removed)

    def scores(
        self, text: str, spans: list[tuple[int, int]]
    ) -> tuple[list[float], list[float], list[tuple[str, ...]], Marks]:
        """The claim and factual scores and the labels of each sentence span of `text`, and
        where each marker fired (for the reasons).

        One pass over the scan's matches; each sentence is finished (opening marker, shape,
        squashing) at the separator after it.
        """
        scanned = self.scan_string(text, spans) if spans else _Scanned(b" ", b"", False, [], [])
        scan = scanned.scan
        marks = Marks(self._lexicon, scanned)
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
            kind, weights, wild, exact = infos[pattern]
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
                after = scan[stop : scan.find(b" ", stop)]
                if after.strip(TRAILING):
                    referred = True  # a longer word, not punctuation: walk it
                    continue
            elif kind == _K_WILD:
                word_end = scan.find(b" ", stop + 1)
                bare = scan[stop + 1 : word_end].rstrip(TRAILING)
                if len(bare) > 3 and bare.endswith(b"ed") and bare not in exact:
                    weights, covered, stop = wild, word_end, word_end + 1
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
                record((begin, stop, name, claim, weight))
        return claims, factuals, labels, marks


class Marks:
    """Where the document scan found each marker, so that reasons need no second walk.

    Per sentence: the terms that fired as (scan offset of the match, its end, category, is a claim
    cue, weight), the opening marker's match and the sentence's shape, or -1 for a sentence the
    reference walk scored (its reasons come from that walk too). Scan offsets become text offsets
    only when a sentence's reasons are asked for.
    """

    def __init__(self, lexicon: Lexicon, scanned: _Scanned) -> None:
        self._lexicon = lexicon
        self._scanned = scanned
        self.found: list[tuple[int, int, str, bool, float]] = []
        self.bounds: list[int] = [0]  # sentence i's terms are found[bounds[i] : bounds[i + 1]]
        self.shapes: list[int] = []
        self.openings: dict[int, re.Match[str]] = {}
        self._layout: list[tuple[int, int, int, int]] | None = None

    def walked(self, index: int) -> bool:
        """Whether sentence `index` was scored by the reference walk rather than the scan."""
        return self.shapes[index] < 0

    def _sentences(self) -> list[tuple[int, int, int, int]]:
        """Per sentence: where it starts in the scan, the blanks in the scan before that (each of
        them doubled there), how many runs of blanks were before its first word, and where it
        starts in `raw`. Worked out once, for all sentences, when first needed."""
        if self._layout is None:
            scanned = self._scanned
            scan, run_at, run_removed = scanned.scan, scanned.run_at, scanned.run_removed
            layout = [(1, 0, bisect_left(run_at, scanned.lead), 0)]
            base, blanks, find, count = 1, 0, scan.find, scan.count
            # The first sentence's words start at 1, where its separator is when it has none (a
            # sentence of dashes and punctuation); every later search starts past a separator.
            after = 1
            for _ in range(len(self.shapes) - 1):
                separator = find(b"\x01", after)
                if separator < 0:  # the scan and the sentences disagree: leave it to the walk
                    layout = []
                    break
                after = separator + 1
                blanks += count(b" ", base, separator)
                base = separator
                single = base - 1 - blanks // 2 + scanned.lead  # once runs are single blanks
                runs = bisect_left(run_at, single)
                raw = single + run_removed[runs - 1] if runs else single
                # A run of blanks just after b"\x01 " (an opening quote) is before the words.
                runs += runs < len(run_at) and run_at[runs] == single + 1
                layout.append((base, blanks, runs, raw + 2))  # the sentence is past b"\x01 "
            self._layout = layout
        return self._layout

    def hits(
        self, index: int, text: str, start: int, end: int
    ) -> list[tuple[str, str, int, int, float]] | None:
        """(kind, category, start, end, weight) of every marker of sentence `index`, which is
        `text[start:end]`, as the reference matcher's hits become reasons; None where a marker
        cannot be placed in the sentence (the caller asks the reference walk instead)."""
        layout = self._sentences() if self.bounds[index] < self.bounds[index + 1] else []
        return self._hits(index, text, start, end, layout)

    def all_hits(
        self, text: str, spans: Iterable[tuple[int, int]]
    ) -> list[list[tuple[str, str, int, int, float]] | None]:
        """`hits` of every sentence, the sentence `spans` in order; a sentence the reference walk
        scored gets None too. One pass: the layout is worked out once, and a sentence without
        markers costs a look at its shape only."""
        layout, bounds, shapes, openings = (
            self._sentences(),
            self.bounds,
            self.shapes,
            self.openings,
        )
        place, cues = self._hits, self._lexicon.cues
        found: list[list[tuple[str, str, int, int, float]] | None] = []
        for index, (start, end) in enumerate(spans):
            shape = shapes[index]
            if shape < 0:
                found.append(None)
            elif bounds[index] < bounds[index + 1]:
                found.append(place(index, text, start, end, layout))
            elif shape or index in openings:
                found.append(cues(openings.get(index), shape, start, end))
            else:
                found.append([])  # a long sentence ending in a full stop, no markers
        return found

    def _hits(
        self,
        index: int,
        text: str,
        start: int,
        end: int,
        layout: list[tuple[int, int, int, int]],
    ) -> list[tuple[str, str, int, int, float]] | None:
        """`hits`, given the sentences' layout (unused for a sentence without terms)."""
        found: list[tuple[str, str, int, int, float]] = []
        terms = self.found[self.bounds[index] : self.bounds[index + 1]]
        if terms:
            scanned = self._scanned
            scan, raw, run_at = scanned.scan, scanned.raw, scanned.run_at
            if index >= len(layout):
                return None
            base, before, runs, raw_start = layout[index]
            raw_end = layout[index + 1][3] - 3 if index + 1 < len(layout) else len(raw)
            # Up to the next run of blanks squeezed in the sentence, and where its characters
            # are a byte each, a scan offset is the text offset and half the blanks before it.
            next_run = run_at[runs] if runs < len(run_at) else len(raw)
            single = scanned.lead - 1 - before // 2  # scan offset to single-blank offset, less
            ascii_text = raw[raw_start:raw_end].isascii()
            if not ascii_text:
                next_run = -1  # every term takes the long road
            removed = scanned.run_removed[runs - 1] if runs else 0
            shift = start + single + removed - raw_start
            count, find, to_text = scan.count, scan.find, self._text_offset
            # Terms are in scan order: the blanks before each are counted on from the last's.
            counted, blanks = base, 0
            for begin, stop, name, claim, weight in terms:
                first, last = begin + 1, find(b" ", stop - 1)  # first word's start, last's end
                if first >= counted:
                    blanks += count(b" ", counted, first)
                else:  # never so: matches do not overlap
                    blanks = count(b" ", base, first)
                counted = first
                half = blanks // 2  # blanks between words come in twos
                inner = count(b" ", first, last) // 2
                if last - half - inner + single <= next_run:
                    left = first - half + shift
                    right = left + last - first - inner
                else:
                    left = to_text(first - half + single, start, raw_start, ascii_text)
                    right = to_text(last - half - inner + single, start, raw_start, ascii_text)
                if not start <= left < right <= end:  # never so unless the mapping is wrong
                    return None
                if text[right - 1] in ".,'’" or text[left] in "'‘’":
                    left, right = trim(text, left, right)
                found.append((_KINDS[claim], name, left, right, weight))
        opening, shape = self.openings.get(index), self.shapes[index]
        if opening is not None or shape:  # a long sentence ending in a full stop has no cues
            found.extend(self._lexicon.cues(opening, shape, start, end))
        return found

    def _text_offset(self, single: int, start: int, raw_start: int, ascii_text: bool) -> int:
        """The text offset of `single`, an offset once runs of blanks are single, in the sentence
        that starts at `start` in the text and `raw_start` in `raw`; -1 inside a character."""
        scanned = self._scanned
        runs = bisect_left(scanned.run_at, single)
        in_raw = single + scanned.run_removed[runs - 1] if runs else single
        if ascii_text:
            return start + in_raw - raw_start
        try:
            return start + len(scanned.raw[raw_start:in_raw].decode())  # UTF-8: count characters
        except UnicodeDecodeError:
            return -1
