"""A large document's claims output shared out among processes is the single-process output."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import orjson
import pytest

from reader.claims.batch import document_jsonl, document_plain, parts
from reader.claims.render import render_plain
from reader.claims.scores import KINDS, score_document
from reader.corpus.documents import read_text, sha256_text
from reader.text import paragraph_breaks, segment_text

CORPUS = Path(__file__).parents[2] / "corpus"

# Escape sequences, controls in the blank lines between paragraphs, a capital sigma before a break,
# a headline after one, curly quotes, wide spaces and a paragraph of blanks only.
HOSTILE = (
    "\x1b]0;title\x07We believe \x1b[31mthe figures\x1b[0m rose 40% in 2019 because of it.\n"
    " \x1c\t\n\n\u2003\n"
    "ΟΔΟΣ Σ\n\n"
    "A Headline Without A Stop\nIt is clear that “the message” matters. Therefore, I think so?\n"
    "\n\n\n   \n\n"
    "The minister said\u00a0£3bn was spent; it caused delays.\x9b2J\n\n"
    "\u202eevil\u202c — no doubt, the reality is\t 12 of 30 failed\n\n"
)


def _texts() -> list[str]:
    texts = [read_text(path).text for path in sorted(CORPUS.glob("*.txt"))]
    return ["\n\n".join(texts) + "\n\n" + HOSTILE * 3, HOSTILE * 5]


def test_parts_cut_only_at_blank_lines_and_cover_the_text() -> None:
    text = _texts()[0]
    pieces = parts(text, 7, part_chars=len(text) // 6, cores=6)
    assert len(pieces) > 3
    assert pieces[0][0] == 7 and pieces[-1][1] == len(text)
    for (_, end), (begin, _) in pairwise(pieces):
        assert end < begin and text[end:begin].count("\n") >= 2 and not text[end:begin].strip()


@pytest.mark.parametrize("cut_every", [50, 333, 2000])
def test_text_cut_at_its_paragraph_breaks_segments_as_the_whole(cut_every: int) -> None:
    text = _texts()[0]
    whole = [(s.start, s.end) for s in segment_text(text).sentences]
    pieces, begin = [], 0
    for gap_start, gap_end in paragraph_breaks(
        text, 0, list(range(cut_every, len(text), cut_every))
    ):
        pieces.append((begin, gap_start))
        begin = gap_end
    pieces.append((begin, len(text)))
    assert len(pieces) > 2
    cut = [(s.start, s.end) for a, b in pieces for s in segment_text(text[:b], a).sentences]
    assert cut == whole


@pytest.mark.parametrize("kinds", [KINDS, ("claim",), ("factual",)])
def test_jsonl_of_a_document_in_parts_is_the_single_process_output(kinds: tuple[str, ...]) -> None:
    for text in _texts():
        record = score_document(text, 3).to_json("doc.txt")
        if kinds != KINDS:
            for sentence in record["sentences"]:
                sentence["labels"] = [label for label in sentence["labels"] if label in kinds]
        expected = orjson.dumps(record) + b"\n"
        assert record["sha256"] == sha256_text(text)
        assert document_jsonl("doc.txt", text, 3, kinds, part_chars=1) == expected
        for count in (5, 60):
            shared = document_jsonl(
                "doc.txt", text, 3, kinds, part_chars=len(text) // count, cores=count
            )
            assert shared == expected


@pytest.mark.parametrize("kinds", [KINDS, ("factual",)])
def test_plain_view_of_a_document_in_parts_is_the_single_process_output(
    kinds: tuple[str, ...],
) -> None:
    for text in _texts():
        expected = render_plain(score_document(text, 3), kinds, 3)
        assert document_plain(text, 3, kinds, part_chars=1) == expected
        for count in (5, 60):
            shared = document_plain(text, 3, kinds, part_chars=len(text) // count, cores=count)
            assert shared == expected
