"""Text helpers shared by the core and the app.

`display_safe` makes untrusted text inert for a terminal. Segmentation into paragraphs and sentences lives
here too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

# Control characters become visible one-for-one placeholders, so offsets into the model text still index
# the displayed text. C0 controls map to the Unicode "control pictures" block (ESC shows as ␛), DEL to ␡,
# C1 controls and bidirectional overrides (which reorder what the reader sees) to the replacement mark.
_SAFE: dict[int, str] = {
    code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)
}
_SAFE[0x7F] = "\u2421"
_SAFE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_SAFE.update({code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


_UNSAFE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_SAFE)) + "]")


def display_safe(text: str) -> str:
    """Return `text` with every character that could act on a terminal replaced by a visible placeholder.

    Newline and tab are kept. The result has the same length as the input.
    """
    # Searching is far cheaper than translating, and almost every text is already safe.
    return text.translate(_SAFE) if _UNSAFE.search(text) else text


# --- segmentation -------------------------------------------------------------------------------------

# A blank line (only whitespace between two newlines) ends a paragraph.
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
# Terminal punctuation a line of prose ends with; a line ending otherwise may be a headline.
_LINE_END_PROSE = frozenset(".!?:;,…-–—\"'”’)]")
_HEADLINE_MAX_WORDS = 20
_LINE_END_SENTENCE = frozenset('.!?:…"”’')
_OPENERS = frozenset("\"“‘'£$€(")
_SENTENCE_END = re.compile(r"[.!?]\s")


class Sentence(NamedTuple):
    """One sentence: `text[start:end]`, stripped of surrounding whitespace and never empty.

    A named tuple rather than a dataclass: a megabyte holds some ten thousand sentences, and
    creating tuples is several times cheaper.
    """

    ordinal: int  # its position in the document's sentence list
    start: int
    end: int
    paragraph: int  # ordinal of the paragraph that contains it


class Paragraph(NamedTuple):
    """One paragraph: `text[start:end]` and the half-open range of its sentences' indices.

    A named tuple, like Sentence: cheap to create by the thousand.
    """

    ordinal: int  # its position in the document's paragraph list
    start: int
    end: int
    first_sentence: int
    end_sentence: int

    @property
    def sentence_indices(self) -> range:
        return range(self.first_sentence, self.end_sentence)


@dataclass(slots=True, frozen=True)
class Segmentation:
    """Paragraphs and sentences of one text, both in reading order."""

    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing `offset`, else the next one after it, else None."""
        i = bisect_right(self.sentences, offset, key=_sentence_end)
        return self.sentences[i] if i < len(self.sentences) else None

    def paragraph_of(self, sentence: Sentence) -> Paragraph:
        return self.paragraphs[sentence.paragraph]


def _sentence_end(sentence: Sentence) -> int:
    return sentence.end - 1


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_headline(line: str, next_line: str) -> bool:
    """A short line that does not end like prose, before a line that starts like a sentence.

    The checks keep hard-wrapped prose whole: a wrapped line usually continues in lower case, and a
    line that holds a sentence end is prose, not a title.
    """
    stripped = line.strip()
    following = next_line.lstrip()
    if not stripped or not following or stripped[-1] in _LINE_END_PROSE:
        return False
    if not (following[0].isupper() or following[0].isdigit() or following[0] in _OPENERS):
        return False
    return len(stripped.split()) <= _HEADLINE_MAX_WORDS and not _SENTENCE_END.search(stripped)


def paragraph_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Stripped, non-empty paragraph spans of `text[start:]`.

    Paragraphs end at blank lines. Within a block, a line that looks like a headline and is followed by
    more lines becomes a paragraph of its own: sentence splitters glue a headline onto the sentence after
    it, because nothing but the newline separates them.
    """
    spans: list[tuple[int, int]] = []
    pos = start
    for gap in (*_BLANK_LINES.finditer(text, start), None):
        block_end = gap.start() if gap else len(text)
        _split_block(text, pos, block_end, spans)
        if gap:
            pos = gap.end()
    return spans


_NON_BLANK = re.compile(r"\S")


def paragraph_breaks(text: str, start: int, near: list[int]) -> list[tuple[int, int]]:
    """(start, end) of a blank-line gap `paragraph_spans` breaks at, the first at or after each
    offset of `near` (ascending), each past the one before; none where no gap follows. The text
    on either side of one is segmented alike whether it is cut there or not."""
    gaps: list[tuple[int, int]] = []
    after = start
    for offset in near:
        # From a character that is not blank, the next gap is one of those found from `start`.
        word = _NON_BLANK.search(text, max(offset, after))
        gap = _BLANK_LINES.search(text, word.start()) if word else None
        if gap is None:
            break
        gaps.append(gap.span())
        after = gap.end()
    return gaps


def _split_block(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    block_start = line_start = start
    # A headline is the first line of a block, or follows a line that ended a sentence.
    previous_ended = True
    newline = text.find("\n", start, end)
    while newline != -1:
        line = text[line_start:newline]
        next_newline = text.find("\n", newline + 1, end)
        next_line = text[newline + 1 : next_newline if next_newline != -1 else end]
        if previous_ended and _is_headline(line, next_line):
            _add_span(text, block_start, line_start, spans)  # the prose before it, if any
            _add_span(text, line_start, newline, spans)
            block_start = newline + 1
        stripped = line.rstrip()
        previous_ended = not stripped or stripped[-1] in _LINE_END_SENTENCE
        line_start = newline + 1
        newline = next_newline
    _add_span(text, block_start, end, spans)


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    start, end = _strip_span(text, start, end)
    if start < end:
        spans.append((start, end))


# Whitespace outside ASCII (no-break and thin spaces...): every character above U+007F that
# str.isspace and the \s of `re` take for a blank. sentencex panics on some of it after a
# one-letter word ("I\u00a0."): it slices its UTF-8 bytes one byte past such an initial.
WIDE_SPACES = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_WIDE_SPACE = re.compile(f"[{WIDE_SPACES}]")


def _plain_spaces(text: str, start: int) -> str:
    """`text` with the wide spaces from `start` on as plain ones (the same length), or `text`
    itself where there are none. Once for the whole text: a regular expression searched in each
    paragraph cost a fifth of segmenting it."""
    if not any(text.find(space, start) != -1 for space in WIDE_SPACES):
        return text
    return text[:start] + _WIDE_SPACE.sub(" ", text[start:])


def _sentence_pieces(paragraph: str, given: str) -> list[tuple[int, str]]:
    """(offset in the paragraph, text) of each of sentencex's sentences, covering the paragraph.

    sentencex is given `given`: the paragraph with wide spaces as plain ones (same length, so
    offsets hold). If sentencex fails on a paragraph all the same, the paragraph stays one sentence.
    """
    from sentencex import get_sentence_boundaries
    from sentencex import segment as split_sentences

    try:
        pieces = split_sentences("en", given)
        # The pieces follow one another and cover the paragraph, so their offsets are running sums
        # of their lengths: cheaper than the boundary dicts. Checked, not assumed.
        if "".join(pieces) == given:
            starts = accumulate(map(len, pieces), initial=0)
            if given != paragraph:  # the pieces hold plain spaces: the text's own are wanted
                pieces = [
                    paragraph[at : at + len(piece)]
                    for at, piece in zip(starts, pieces, strict=False)
                ]
                starts = accumulate(map(len, pieces), initial=0)
            return list(zip(starts, pieces, strict=False))  # starts has one more
        return [
            (b["start_index"], paragraph[b["start_index"] : b["end_index"]])
            for b in get_sentence_boundaries("en", given)
        ]
    except BaseException as exc:  # a Rust panic is a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        return [(0, paragraph)]


def segment_text(text: str, start: int = 0) -> Segmentation:
    """Split `text[start:]` into paragraphs, then each paragraph into sentences with sentencex.

    Offsets index `text` itself. Sentence spans are stripped of surrounding whitespace; whitespace-only
    pieces are dropped, so no sentence is empty and every paragraph has at least one sentence.
    """
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    make = tuple.__new__  # a named tuple without its Python-level __new__: 10k sentences per MB
    plain = _plain_spaces(text, start)
    for p_start, p_end in paragraph_spans(text, start):
        p_index = len(paragraphs)
        first = len(sentences)
        paragraph = text[p_start:p_end]
        given = paragraph if plain is text else plain[p_start:p_end]
        for at, piece in _sentence_pieces(paragraph, given):
            s_start = p_start + at
            body = piece.rstrip()  # str methods strip faster than a character loop
            if body:
                s_end = s_start + len(body)
                if body[0].isspace():
                    s_start += len(body) - len(body.lstrip())
                sentences.append(make(Sentence, (len(sentences), s_start, s_end, p_index)))
        if len(sentences) == first:  # sentencex found nothing to keep; keep the paragraph whole
            sentences.append(Sentence(first, p_start, p_end, p_index))
        paragraphs.append(make(Paragraph, (p_index, p_start, p_end, first, len(sentences))))
    return Segmentation(tuple(paragraphs), tuple(sentences))


def segment(text: str, start: int = 0) -> list[Sentence]:
    """The sentences of `text[start:]` in reading order (see `segment_text`)."""
    return list(segment_text(text, start).sentences)


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 annotation", "2 annotations", "1,200 annotations" (or `many` where adding an s is wrong)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def bounded_preview(text: str, chars: int = 600, lines: int = 12) -> str:
    """The start of `text` for a place that shows a note rather than edits it: at most `chars`
    characters and `lines` lines, then how much was left out. Drawing a whole note of megabytes
    would hold the screen up for seconds."""
    head = text[:chars]
    newline = -1
    for _ in range(lines):
        newline = head.find("\n", newline + 1)
        if newline == -1:
            break
    else:
        head = head[:newline]
    rest = len(text) - len(head)
    if not rest:
        return head
    return f"{head.rstrip()}… ({plural(rest, 'more character')})"


def bar(value: float, most: float, width: int) -> str:
    """A bar of `width` cells at most, in eighths of a cell, for text reports and tables."""
    if most <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / most * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[part]


_WORD = re.compile(r"\S+")


def shorten(text: str, limit: int) -> str:
    """The head of `text` on one line, at most `limit` characters: cut at a word (inside a word
    only when it is the first) with "…", trailing punctuation that would dangle dropped."""
    words: list[str] = []
    length = -1
    for word in _WORD.finditer(text):  # only as far as needed: a note may be megabytes
        words.append(word.group())
        length += len(words[-1]) + 1
        if length > limit:
            break
    flat = " ".join(words)
    if length <= limit:
        return flat
    head = flat[: max(0, limit - 1)]
    if flat[len(head)] != " " and " " in head:  # the cut falls inside a word: drop that word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:—–-(“‘") + "…"
