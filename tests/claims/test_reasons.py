"""Reasons as a reader reads them: the lexicon's labels, cues for and against, no weights or
identifiers; superlatives are records, not dates."""

from __future__ import annotations

import re

from reader.claims.lexicon import Lexicon
from reader.claims.reasons import why
from reader.claims.render import render_plain
from reader.claims.scores import score_document


def test_every_category_and_shape_has_a_reader_label() -> None:
    lexicon = Lexicon.load()
    for item in (*lexicon.categories, *lexicon.features):
        assert item.label, item.name
        assert "_" not in item.label, item.name


def test_superlatives_are_records_not_dates() -> None:
    scores = score_document("It was the largest turnout since 1935.")
    reasons = {r.category for r in scores.reasons(0) if "largest" in scores.text[r.start : r.end]}
    assert reasons == {"record"}
    said = why(scores, 0, ("factual",))
    assert "a record or superlative “the largest”" in said
    assert "a date or time “since”" in said


def test_reasons_name_categories_in_words_without_weights() -> None:
    text = "We saw the seat fall to the Tories, and I was there when the tax rose by 2%."
    scores = score_document(text)
    said = why(scores, 0, ("claim", "factual"))
    assert said.startswith("claim ") and " · fact " in said
    assert "telling what happened “We saw”" in said and "against:" in said
    assert not re.search(r"[+-]\d\.\d", said), said  # no weights
    for identifier in ("narrative", "result “", "number_word", "time_anchor", "factual"):
        assert identifier not in said, said


def test_a_limit_counts_the_categories_left_out() -> None:
    text = "Since 2010 thousands of seats were lost, according to the ONS, the largest fall."
    scores = score_document(text)
    whole = why(scores, 0, ("factual",))
    short = why(scores, 0, ("factual",), limit=2)
    assert whole.count(";") >= 3
    assert re.search(r"; \d more$", short) and len(short) < len(whole)


def test_the_claims_view_says_why_in_words() -> None:
    scores = score_document("It is clear that we must scrap the tax.")
    out = render_plain(scores, ("claim",))
    assert "↳ claim" in out and "what must be done “must”" in out and "obligation" not in out
