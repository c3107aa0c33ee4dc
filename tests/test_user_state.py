"""The app's own keys in the store: what older stores kept still reads, and each value keeps its shape."""

from __future__ import annotations

from typing import Any

from reader.user_state import RECENT_MAX, UserState, dismissed_key, dismissed_value


def test_progress_reads_what_older_stores_saved_and_never_goes_back() -> None:
    meta: dict[str, Any] = {"position:a": {"offset": 3, "progress": 0.7}}
    state = UserState(meta)
    assert state.progress("a") == 0.7
    state.save_position("a", 10, max(0.2, state.progress("a")))
    assert meta["position:a"] == {"offset": 10, "furthest": 0.7}
    assert state.last_document() == "a"


def test_recent_searches_put_the_latest_first_without_repeats_and_keep_a_few() -> None:
    state = UserState({})
    for n in range(RECENT_MAX + 5):
        state.remember_search(f"q{n}")
    state.remember_search("q10")
    recent = state.recent_searches()
    assert recent[0] == "q10" and recent.count("q10") == 1 and len(recent) == RECENT_MAX


def test_dismissed_suggestions_belong_to_the_text_they_were_made_on() -> None:
    meta = {dismissed_key("a"): dismissed_value("sha-1", {"10-20"})}
    state = UserState(meta)
    assert state.dismissed("a", "sha-1") == {"10-20"}
    assert state.dismissed("a", "sha-2") == set()  # the text changed


def test_without_a_store_nothing_is_kept_and_nothing_fails() -> None:
    state = UserState(None)
    state.save_theme("nord")
    state.remember_search("brexit")
    assert state.theme() is None and state.recent_searches() == [] and state.progress("a") == 0.0


def test_values_of_the_wrong_shape_read_as_nothing() -> None:
    state = UserState({"theme": 5, "last_session": "x", "search:recent": "brexit", "position:a": 1})
    assert state.theme() is None and state.last_document() is None
    assert state.recent_searches() == [] and state.position("a") == {}
