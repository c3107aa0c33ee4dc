from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text import (
    WIDE_SPACES,
    bounded_preview,
    display_safe,
    segment,
    segment_text,
    shorten,
)


def spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text)]


def test_sentences_in_order_with_offsets_into_the_text() -> None:
    text = "Costs rose by 4%. Wages fell!  Why?\n\nA new paragraph starts here."
    assert spans(text) == [
        "Costs rose by 4%.",
        "Wages fell!",
        "Why?",
        "A new paragraph starts here.",
    ]
    seg = segment_text(text)
    assert [s.paragraph for s in seg.sentences] == [0, 0, 0, 1]
    assert [list(p.sentence_indices) for p in seg.paragraphs] == [[0, 1, 2], [3]]


def test_headline_on_its_own_line_is_its_own_paragraph() -> None:
    text = "Winning Back The Heartlands\nWe have had thousands of conversations. They matter."
    seg = segment_text(text)
    assert spans(text)[0] == "Winning Back The Heartlands"
    assert len(seg.paragraphs) == 2


def test_hard_wrapped_prose_stays_one_sentence() -> None:
    text = "This sentence is wrapped\nacross two lines. And this is another one."
    assert spans(text) == [
        "This sentence is wrapped\nacross two lines.",
        "And this is another one.",
    ]


def test_start_skips_front_matter() -> None:
    text = "---\ntitle: X\n---\nBody sentence one. Body two."
    start = text.index("Body")
    assert [text[s.start : s.end] for s in segment(text, start)] == [
        "Body sentence one.",
        "Body two.",
    ]


def test_empty_and_whitespace_only_text_has_no_sentences() -> None:
    assert segment("") == []
    assert segment(" \n\n\t \u00a0\n") == []


def test_sentence_at_finds_the_sentence_under_an_offset() -> None:
    text = "One two. Three four."
    seg = segment_text(text)
    assert seg.sentence_at(0) == seg.sentences[0]
    assert seg.sentence_at(8) == seg.sentences[1]  # the gap belongs to the next sentence
    assert seg.sentence_at(len(text)) is None
    assert seg.paragraph_of(seg.sentences[1]).ordinal == 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .?!\n\u00a0’“”£1")), max_size=200))
def test_sentences_are_stripped_non_empty_ordered_and_inside_paragraphs(text: str) -> None:
    seg = segment_text(text)
    previous_end = 0
    for sentence in seg.sentences:
        piece = text[sentence.start : sentence.end]
        assert piece and piece == piece.strip()
        assert sentence.start >= previous_end
        previous_end = sentence.end
        paragraph = seg.paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.start and sentence.end <= paragraph.end
        assert sentence.ordinal in paragraph.sentence_indices


def test_display_safe_keeps_length_and_neutralises_escapes() -> None:
    assert display_safe("a\x1b[31mb\tc\n") == "a\u241b[31mb\tc\n"


def test_display_safe_replaces_every_c1_control_and_bidi_override_and_isolate() -> None:
    active = [chr(c) for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    shown = display_safe("".join(active))
    assert len(shown) == len(active)
    assert set(shown) == {"\ufffd"}
    # Everything else outside C0 is left alone: accents, right-to-left script, emoji.
    assert display_safe("café שלום 🚀 \u00a0") == "café שלום 🚀 \u00a0"


def test_bounded_preview_keeps_the_start_and_says_how_much_is_left_out() -> None:
    assert bounded_preview("short note") == "short note"
    lines = "\n".join(f"line {n}" for n in range(100))
    head = bounded_preview(lines, chars=1000, lines=3)
    kept = "line 0\nline 1\nline 2"
    assert head == f"{kept}… ({len(lines) - len(kept):,} more characters)"
    assert bounded_preview("x" * 10_000_000, chars=50) == "x" * 50 + "… (9,999,950 more characters)"


def test_sentence_offsets_do_not_depend_on_how_sentencex_reports_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Offsets come from the running lengths of sentencex's pieces; should the pieces ever fail to
    # cover the paragraph, its explicit boundary offsets are used instead, with the same result.
    import sentencex

    text = "Wages fell by 4%.  Prices rose!\u3000Why?\n\nA second paragraph, with\u2003odd spaces. End."
    expected = segment_text(text)
    monkeypatch.setattr(sentencex, "segment", lambda language, paragraph: ["not the text"])
    assert segment_text(text) == expected
    assert spans(text) == [
        "Wages fell by 4%.",
        "Prices rose!",
        "Why?",
        "A second paragraph, with\u2003odd spaces.",
        "End.",
    ]


@pytest.mark.parametrize(
    "text", ["I\u00a0. b", "a I\u2009. b", "U.S\u00a0. b", "I \u00a0. b", "I\u00a0.\u201d"]
)
def test_wide_spaces_after_an_initial_are_segmented_without_crashing(text: str) -> None:
    # sentencex panicked on these (a Rust panic, which no `except Exception` catches).
    sentences = segment_text(text).sentences
    assert sentences and all(text[s.start : s.end].strip() for s in sentences)
    assert segment_text("We must act.\u00a0It is clear.").sentences[1].start == 13


def test_every_blank_beyond_ascii_is_given_to_sentencex_as_a_plain_space() -> None:
    blanks = {chr(code) for code in range(0x80, 0x110000) if chr(code).isspace()}
    assert set(WIDE_SPACES) == blanks
    # Wide spaces before where segmenting starts, and after it: each sentence as in the whole.
    text = "We act.\u00a0It is so.\n\nI\u2009. b We act.\u3000It is so.\n\nI\u00a0. Done."
    start = text.index("I\u2009")
    whole = [(s.start, s.end) for s in segment_text(text).sentences]
    assert [(s.start, s.end) for s in segment_text(text, start).sentences] == [
        span for span in whole if span[0] >= start
    ]
    assert text[whole[1][0] : whole[1][1]] == "It is so."


def test_a_long_quote_is_cut_at_a_word_with_an_ellipsis() -> None:
    assert shorten("short one", 60) == "short one"
    text = "We have to win here in order to return a Labour government and put Jeremy into No10."
    cut = shorten(text, 30)
    assert cut == "We have to win here in order…"
    assert len(cut) <= 30
    assert shorten("x" * 50, 10) == "x" * 9 + "…"  # one long word: cut inside it
    assert shorten("the red wall  tumbled\nin the north", 14) == "the red wall…"  # one line
    assert shorten("Labour, the party of work", 8) == "Labour…"  # no comma left dangling
    assert all(len(shorten("word " * 100, n)) <= n for n in range(1, 40))
    # A long run of blanks does not hide that more follows, nor is a dash or quote left open.
    assert shorten("Intro" + " " * 200 + "rest of it", 40) == "Intro rest of it"
    assert shorten("Intro" + " " * 500 + "rest of it", 10) == "Intro…"
    assert shorten("He said — and then much more was said", 9) == "He said…"
