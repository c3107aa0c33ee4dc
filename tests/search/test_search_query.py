"""The query parser and tokeniser: semantics, warnings with positions, never a crash."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.errors import QueryError, ReaderError
from reader.search.highlight import highlight_spans
from reader.search.query import MARK, batch_terms, fold, parse_query, terms


def words(*texts: str) -> tuple[bytes, ...]:
    return tuple(t.encode() for t in texts)


def test_bare_words_are_separate_groups_and_or_joins_neighbours() -> None:
    q = parse_query("labour brexit OR remain votes")
    assert [[t.words for t in g] for g in q.groups] == [
        [words("labour")],
        [words("brexit"), words("remain")],
        [words("votes")],
    ]
    assert q.warnings == []


def test_phrases_fields_and_negation() -> None:
    q = parse_query('"Red  Wall" -tag:leave Label:Claim -"cost votes" tags:nhs')
    assert [(t.field, t.words) for g in q.groups for t in g] == [
        (None, words("red", "wall")),
        ("label", words("claim")),
        ("tag", words("nhs")),
    ]
    assert [(t.field, t.words) for t in q.excluded] == [
        ("tag", words("leave")),
        (None, words("cost", "votes")),
    ]
    assert str(q) == '"red wall" label:claim tag:nhs -tag:leave -"cost votes"'


def test_has_and_origin_take_known_values_or_unique_prefixes() -> None:
    q = parse_query("has:notes has:li origin:sugg")
    assert [(t.field, t.value) for t in q.positive_terms] == [
        ("has", "note"),
        ("has", "link"),
        ("origin", "suggestion"),
    ]
    bad = parse_query("has:l origin:robot")
    assert bad.empty and len(bad.warnings) == 2
    assert bad.warnings[0].startswith("position 1:") and "note, link, tag" in bad.warnings[0]
    assert bad.warnings[1].startswith("position 7:")


@pytest.mark.parametrize(
    ("text", "position", "phrase"),
    [
        ('brexit "red wall', 8, "never closed"),
        ("colour:red", 1, 'unknown field "colour:"'),
        ("vote tag:", 6, "tag: needs a value"),
        ("OR brexit", 1, "OR needs a term on each side"),
        ("brexit OR", 8, "OR needs a term on each side"),
        ("a OR -b", 3, "OR cannot join an excluded term"),
        ("(a OR b) c", 1, "parentheses are not needed"),
        ("text:wall label:claim", 11, "is about annotations"),
    ],
)
def test_malformed_queries_warn_with_the_position(text: str, position: int, phrase: str) -> None:
    q = parse_query(text)
    assert any(w.startswith(f"position {position}:") and phrase in w for w in q.warnings), (
        q.warnings
    )
    with pytest.raises(QueryError) as caught:
        parse_query(text, strict=True)
    assert isinstance(caught.value, ReaderError) and phrase in str(caught.value)


def test_best_effort_readings() -> None:
    assert [t.words for t in parse_query('brexit "red wall').positive_terms] == [
        words("brexit"),
        words("red", "wall"),
    ]
    assert [t.words for t in parse_query("colour:red").positive_terms] == [words("colour", "red")]
    assert [[t.words for t in g] for g in parse_query("(a OR b) c").groups] == [
        [words("a"), words("b")],
        [words("c")],
    ]
    assert parse_query("10:30 meeting").warnings == []  # a time is not a field


@given(st.text())
def test_any_string_parses_without_raising(text: str) -> None:
    q = parse_query(text)
    assert all(isinstance(w, str) and w.startswith("position ") for w in q.warnings)
    for term in [*q.positive_terms, *q.excluded]:
        assert 0 <= term.start < term.end <= len(text)
        assert term.words or term.value


@given(st.text(st.characters(codec="utf-8")))
def test_terms_are_the_words_of_the_folded_text(text: str) -> None:
    expected = [w.encode() for w in re.findall(r"[^\W_]+", fold(text))]
    assert terms(text) == expected


@given(
    st.lists(
        st.one_of(
            st.text(st.characters(codec="utf-8")),
            st.text(st.sampled_from("ab C\x01é’—_-. \u0301")),
        ),
        max_size=6,
    )
)
def test_a_batch_of_texts_gives_each_text_its_own_terms(texts: list[str]) -> None:
    """The index tokenises notes in batches: each must get exactly the terms it has alone, even
    with the batch separator, typographic punctuation or accents inside it."""
    each: list[list[bytes]] = [[]]
    for word in batch_terms(texts):
        if word == MARK:
            each.append([])
        else:
            each[-1].append(word)
    assert each[:-1] == [terms(text) for text in texts]
    assert each[:-1] == [[w.encode() for w in re.findall(r"[^\W_]+", fold(t))] for t in texts]


def test_folding_drops_case_and_accents() -> None:
    assert terms("Ça VA, naïve Straße — İstanbul’s ﬁne") == list(
        words("ca", "va", "naive", "strasse", "istanbul", "s", "fine")
    )


def test_highlight_spans_cover_whole_words_and_phrases() -> None:
    text = "Labour's Brexit position; brexiteers cost votes."
    q = parse_query('brex "cost votes" -labour')
    spans = highlight_spans(text, q.positive_terms)
    assert [text[s:e] for s, e in spans] == ["Brexit", "brexiteers", "cost votes"]
