"""Clause-level selection: the start of a selection moves by word and by clause, and a selection can
start at a word, so any span is reachable by keyboard."""

from __future__ import annotations

from reader.session import ReadingSession

from .test_session import session_for

KILLAMARSH = "rowley-2019-05-killamarsh-conservatism"
DERBY = "williamson-2017-07-how-labour-won-back-derby-north"


def at(session: ReadingSession, phrase: str) -> ReadingSession:
    session.move_to_offset(session.text.index(phrase))
    return session


def selected(session: ReadingSession) -> str:
    assert session.selection is not None
    return session.text[session.selection.start : session.selection.end]


def test_the_start_moves_to_the_next_clause_and_the_end_back_before_the_last() -> None:
    session = at(session_for(KILLAMARSH), "We were upfront")
    session.start_selection()
    session.move_start("clause", 1)
    assert selected(session) == "but we would try our hardest."
    session.move_start("clause", -1)
    assert selected(session).startswith("We were upfront")
    session.drop_last_clause()
    assert selected(session) == ("We were upfront that we wouldn’t get everything right if we won")
    # One clause left: the end stays.
    assert session.drop_last_clause() == session.selection
    assert selected(session).endswith("if we won")


def test_a_middle_clause_takes_the_start_past_brackets_and_the_end_back() -> None:
    session = at(session_for(DERBY), "We retain some important differences")
    session.start_selection()
    for _ in range(3):
        session.move_start("clause", 1)
    session.drop_last_clause()
    assert selected(session) == "but in very many ways, Chris was right"


def test_a_selection_starts_at_a_word_and_its_start_walks_word_by_word() -> None:
    session = at(session_for(KILLAMARSH), "We were upfront")
    session.start_word_selection()
    assert selected(session) == "We"
    session.move_start("word", 1)
    assert selected(session) == "were"  # a one-word selection walks: the end comes along
    session.move_start("word", 1)
    session.grow("word", 1)
    assert selected(session) == "upfront that"
    session.move_start("word", -1)
    assert selected(session) == "were upfront that"
    session.move_start("word", 1)
    session.move_start("word", 1)
    assert selected(session) == "that"  # the start never passes the end: the end comes along


def test_the_start_moves_by_a_word_from_inside_a_word_to_the_next_one() -> None:
    session = at(session_for(KILLAMARSH), "We were upfront")
    start = session.text.index("We were upfront") + 1  # inside "We"
    session.select_exactly(start, start + 20)
    session.move_start("word", 1)
    assert selected(session).startswith("were upfront")


PEACE = "peace-2019-09-winning-back-labours-heartlands"


def test_a_figure_is_one_word_and_no_clause_mark_splits_it() -> None:
    # "2,681" and "62.8%": a comma or stop between digits joins them, where it used to start a
    # clause ("681 votes, …") and end a word ("2").
    session = at(session_for(PEACE), "The Tory MP")
    session.start_selection()
    for _ in range(3):  # past "Lee Rowley," and "won with … 2,681 votes,"
        session.move_start("clause", 1)
    assert selected(session).startswith("and North East Derbyshire")
    session = at(session_for(PEACE), "The Tory MP")
    start = session.text.index("of 2,681")
    session.select_exactly(start, start + 2)
    session.grow("word", 1)
    assert selected(session) == "of 2,681"
    session = at(session_for(PEACE), "As a constituency")
    start = session.text.index("where 62.8%")
    session.select_exactly(start, start + 5)
    session.grow("word", 1)
    assert selected(session) == "where 62.8"
