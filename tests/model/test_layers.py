"""Annotator layers: which annotations a layer shows, how it is kept, the order `L` steps through,
and a session that indexes only the layer shown while store changes keep arriving."""

from __future__ import annotations

from reader.claims.scores import score_document
from reader.model.annotation import annotation_for
from reader.model.layers import GOLD, Layer, cycle, next_layer
from reader.session import ReadingSession

TEXT = "One claim here. A second sentence. A third one ends it."
SHA = "0" * 64


def test_each_layer_shows_its_annotators() -> None:
    assert Layer("all").shows("ana", "me")
    assert Layer("mine").shows("me", "me") and not Layer("mine").shows("ana", "me")
    assert Layer("gold").shows(GOLD, "me") and not Layer("gold").shows("me", "me")
    assert Layer("annotator", "ana").shows("ana", "me")
    assert not Layer("annotator", "ana").shows("me", "me")


def test_new_annotations_go_to_the_user_or_gold_never_to_someone_else() -> None:
    assert Layer("all").writer("me") == "me"
    assert Layer("mine").writer("me") == "me"
    assert Layer("gold").writer("me") == GOLD
    assert Layer("annotator", "ana").writer("me") is None


def test_kept_keys_round_trip_and_damaged_ones_mean_all() -> None:
    for layer in (Layer("all"), Layer("mine"), Layer("gold"), Layer("annotator", "a:b")):
        assert Layer.from_key(layer.key) == layer
    for damaged in (None, 3, "", "annotator:", "colour", "mine:x", ["mine"]):
        assert Layer.from_key(damaged) == Layer("all")


def test_cycle_is_all_mine_others_a_to_z_then_gold() -> None:
    layers = cycle("me", ["zoe", "me", "Ana", GOLD, "zoe"])
    assert [layer.key for layer in layers] == [
        "all",
        "mine",
        "annotator:Ana",
        "annotator:zoe",
        "gold",
    ]
    assert next_layer(Layer("gold"), "me", []) == Layer("all")
    assert next_layer(Layer("annotator", "gone"), "me", ["ana"]) == Layer("all")


def test_session_indexes_only_the_shown_layer_and_follows_changes() -> None:
    mine = annotation_for("d", TEXT, SHA, 0, 15, label="claim", author="me")
    ana = annotation_for("d", TEXT, SHA, 16, 34, label="claim", author="ana")
    session = ReadingSession(TEXT, score_document(TEXT), [mine, ana], layer=Layer("mine"), me="me")
    assert session.annotations == [mine]
    assert session.annotators() == ["ana", "me"]
    later = annotation_for("d", TEXT, SHA, 35, 55, author="ana")
    session.apply_change(None, later)  # another annotator's, arriving while mine is shown
    assert session.annotations == [mine]
    assert session.annotations_at(35, 55) == []
    session.set_layer(Layer("annotator", "ana"))
    assert session.annotations == [ana, later]
    session.apply_change(ana, None)
    assert session.annotations == [later]
    session.set_layer(Layer("all"))
    assert session.annotations == [mine, later]
    assert session.hidden_exactly(0, 15) is None
    session.set_layer(Layer("gold"))
    assert session.hidden_exactly(0, 15) == mine
