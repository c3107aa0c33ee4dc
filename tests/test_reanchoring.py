"""Re-anchoring a document's annotations after its text changed: the four outcomes, and properties
over random edits (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.anchoring import SIMILARITY, changed, place, reanchor, summary
from reader.corpus.documents import sha256_text
from reader.errors import AnnotationError
from reader.model.annotation import Annotation, annotation_for

OPED = (
    "Labour lost the seat in 2019. North East Derbyshire is now a key marginal. We have to win "
    "here in order to return a Labour government. The party's vote fell in every ward.\n"
)
CLAIM = "We have to win here in order to return a Labour government."


def _on(text: str, quote: str, **fields: object) -> Annotation:
    start = text.index(quote)
    return annotation_for("oped", text, sha256_text(text), start, start + len(quote), **fields)


def _one(text: str, ann: Annotation) -> Annotation:
    (outcome,) = reanchor(text, sha256_text(text), [ann])
    return outcome.applied()


def test_a_line_added_at_the_top_moves_the_claim_onto_its_text() -> None:
    ann = _on(OPED, CLAIM)
    edited = "Updated 3 May: figures corrected.\n" + OPED
    new = _one(edited, ann)
    assert (new.anchor_status, new.quote) == ("moved", CLAIM)
    assert new.start is not None and edited[new.start : new.end] == CLAIM
    assert new.doc_sha256 == sha256_text(edited)
    assert new.prefix == edited[new.start - 32 : new.start]


def test_an_edit_elsewhere_leaves_the_span_unchanged() -> None:
    ann = _on(OPED, CLAIM)
    edited = OPED.replace("every ward", "every single ward")
    new = _one(edited, ann)
    assert (new.anchor_status, new.start, new.end) == ("unchanged", ann.start, ann.end)


def test_a_typo_fixed_inside_the_quote_is_approximate_and_keeps_the_old_quote() -> None:
    text = OPED.replace("government", "govenrment")
    ann = _on(text, CLAIM.replace("government", "govenrment"))
    new = _one(OPED, ann)
    assert new.anchor_status == "approximate" and new.needs_review
    assert new.quote == CLAIM
    assert new.old_quote == ann.quote


def test_a_deleted_quote_is_orphaned_and_keeps_everything_but_its_span() -> None:
    ann = _on(OPED, CLAIM, note="the key line", tags=["seat"], label="claim")
    new = _one(OPED.replace(CLAIM, ""), ann)
    assert new.orphaned and (new.start, new.end) == (None, None)
    assert (new.quote, new.note, new.tags, new.label) == (CLAIM, "the key line", ("seat",), "claim")
    # An orphan found again later (the sentence put back) is placed again.
    back = _one(OPED, new)
    assert back.anchor_status == "moved" and OPED[back.start or 0 : back.end] == CLAIM


def test_prefix_and_suffix_choose_between_repeats_nearest_breaking_ties() -> None:
    text = "Leave said: we will win, they said.\nRemain said: we will win, I said.\n"
    at = text.index("we will win", 20)  # Remain's
    ann = annotation_for("d", text, sha256_text(text), at, at + 11)
    edited = "Remain said: we will win, I said.\nLeave said: we will win, they said.\n"
    new = _one(edited, ann)
    assert new.start == edited.index("we will win")  # the one Remain said, now first
    # With no context agreeing anywhere, the occurrence nearest where it was wins.
    bare = annotation_for("d", "x" * 30 + "win", sha256_text("x"), 30, 33)
    bare = bare.with_changes(prefix="", suffix="")
    assert _one("win " * 5 + "y" * 10 + " win", bare).start == 31
    assert _one("win " * 5 + "y" * 40 + " win", bare).start == 16


def test_an_unchanged_document_needs_nothing() -> None:
    ann = _on(OPED, CLAIM)
    assert not changed([ann], ann.doc_sha256)
    assert reanchor(OPED, ann.doc_sha256, [ann]) == []
    assert changed([ann], sha256_text(OPED + "x"))


def test_a_whole_document_note_only_takes_the_new_hash() -> None:
    note = annotation_for("oped", OPED, sha256_text(OPED), None, None, note="overall")
    (outcome,) = reanchor("other text", sha256_text("other text"), [note])
    assert outcome.status == "unchanged" and outcome.changes == {
        "doc_sha256": outcome.changes["doc_sha256"]
    }


def test_summary_names_what_moved() -> None:
    anns = [_on(OPED, CLAIM), _on(OPED, "key marginal"), _on(OPED, "The party's vote fell")]
    edited = "New line.\n" + OPED.replace("The party's vote fell in every ward.", "")
    edited = edited.replace("key marginal", "key margnal")
    outcomes = reanchor(edited, sha256_text(edited), anns)
    assert summary(outcomes) == "1 moved, 1 approximate, 1 orphaned"


def test_orphans_have_no_span_and_only_orphans_keep_a_quote_without_one() -> None:
    ann = _on(OPED, CLAIM)
    orphan = ann.with_changes(start=None, end=None, anchor_status="orphaned")
    assert Annotation.from_json(orphan.to_json()) == orphan
    with pytest.raises(AnnotationError, match="whole-document note has no quote"):
        ann.with_changes(start=None, end=None)
    with pytest.raises(AnnotationError, match="orphaned annotation has no span"):
        ann.with_changes(anchor_status="orphaned")
    with pytest.raises(AnnotationError, match="anchor_status"):
        ann.with_changes(anchor_status="lost")


def test_older_files_without_the_new_fields_still_read() -> None:
    data = _on(OPED, CLAIM).to_json()
    del data["anchor_status"], data["old_quote"]
    assert Annotation.from_json(data).anchor_status is None


# Properties. Words are drawn from a small vocabulary so texts repeat themselves, as prose does; each
# quote holds a marker word of its own so that "its text" is well defined, and the markers share no
# letter, so no quote resembles another (a quote that does is rightly placed on it, approximately).
MARKERS = ("QQQQQQQQQQ", "ZZZZZZZZZZ", "JJJJJJJJJJ", "KKKKKKKKKK", "VVVVVVVVVV")
WORDS = st.sampled_from(
    ["the", "red", "wall", "fell", "in", "2019", "seat", "vote", ".", ",", "\n"]
)
TEXT = st.lists(WORDS, min_size=20, max_size=80).map(" ".join)


@st.composite
def annotated(draw: st.DrawFn) -> tuple[str, list[Annotation]]:
    """A text and annotations on non-overlapping spans, each holding a unique marker word."""
    words = draw(st.lists(WORDS, min_size=30, max_size=120))
    count = draw(st.integers(1, 5))
    cuts = sorted(draw(st.lists(st.integers(0, len(words)), min_size=count, max_size=count)))
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    last = 0
    for number, cut in enumerate(cuts):
        parts.append(" ".join(words[last:cut]) + " ")
        before = sum(len(p) for p in parts)
        parts.append(f"{MARKERS[number]} " + " ".join(words[cut : cut + 2]))
        spans.append((before, sum(len(p) for p in parts)))
        parts.append(" ")
        last = cut + 2
    parts.append(" ".join(words[last:]))
    text = "".join(parts)
    sha = sha256_text(text)
    anns = [annotation_for("d", text, sha, start, end) for start, end in spans]
    return text, anns


@st.composite
def edits_outside(draw: st.DrawFn) -> tuple[str, list[Annotation], str]:
    text, anns = draw(annotated())
    # Gaps between quotes (and before the first, after the last) are safe to edit.
    bounds = [0, *[b for ann in anns for b in (ann.start, ann.end)], len(text)]
    edited = text
    gaps = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    for low, high in reversed(gaps):  # from the end, so earlier offsets stay valid
        if draw(st.booleans()):
            at = draw(st.integers(low, high))
            cut = draw(st.integers(0, high - at))
            insert = draw(TEXT) if draw(st.booleans()) else ""
            edited = edited[:at] + insert + edited[at + cut :]
    return text, anns, edited


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(edits_outside())
def test_edits_outside_every_quote_leave_every_annotation_exact(
    case: tuple[str, list[Annotation], str],
) -> None:
    _text, anns, edited = case
    for outcome in reanchor(edited, sha256_text(edited), anns):
        new = outcome.applied()
        assert outcome.status in ("unchanged", "moved")
        assert new.start is not None and edited[new.start : new.end] == outcome.annotation.quote


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(annotated(), st.data())
def test_deleting_a_quote_orphans_it(
    case: tuple[str, list[Annotation]], data: st.DataObject
) -> None:
    text, anns = case
    gone = data.draw(st.sampled_from(anns))
    assert gone.start is not None and gone.end is not None
    edited = text[: gone.start] + text[gone.end :]
    outcomes = {o.annotation.id: o for o in reanchor(edited, sha256_text(edited), anns)}
    assert outcomes[gone.id].status == "orphaned"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    annotated(), st.lists(st.tuples(st.integers(0, 10**4), st.integers(0, 12), TEXT), max_size=4)
)
def test_a_span_differs_from_its_quote_only_when_approximate(
    case: tuple[str, list[Annotation]], edits: list[tuple[int, int, str]]
) -> None:
    text, anns = case
    edited = text
    for at, cut, insert in edits:  # anywhere, inside quotes too
        at %= len(edited) + 1
        edited = edited[:at] + insert[: cut * 3] + edited[at + cut :]
    for outcome in reanchor(edited, sha256_text(edited), anns):
        new = outcome.applied()
        if new.start is None:
            assert outcome.status == "orphaned"
            continue
        assert edited[new.start : new.end] == new.quote
        if new.quote != outcome.annotation.quote:
            assert outcome.status == "approximate"
            assert outcome.changes["old_quote"] == outcome.annotation.quote


def test_approximate_needs_the_threshold() -> None:
    quote = "abcdefghijklmnopqrst"
    half = "abcdefghij" + "ZZZZZZZZZZ"
    assert place("xx " + half + " yy", 3, 23, quote).status == "orphaned"
    assert SIMILARITY > 0.5


def test_dismissed_suggestions_and_the_reading_position_follow_the_text() -> None:
    from reader.anchoring import offset_mapper
    from reader.user_state import UserState, dismissed_key, dismissed_value, position_key

    anns = [_on(OPED, CLAIM), _on(OPED, "The party's vote fell")]
    old_sha = anns[0].doc_sha256
    edited = "A standfirst.\n" + OPED
    new_sha = sha256_text(edited)
    mapper = offset_mapper(reanchor(edited, new_sha, anns))
    assert mapper is not None
    fell = OPED.index("The party's")
    meta: dict[str, object] = {
        dismissed_key("oped"): dismissed_value(old_sha, {f"{fell}-{fell + 10}"}),
        position_key("oped"): {"offset": fell, "furthest": 0.5},
    }
    state = UserState(meta)
    state.follow_text("oped", old_sha, new_sha, mapper)
    at = edited.index("The party's")
    assert state.dismissed("oped", new_sha) == {f"{at}-{at + 10}"}
    assert state.position("oped") == {"offset": at, "furthest": 0.5}
    # Nothing found exactly: nothing to judge by.
    assert offset_mapper(reanchor("x", sha256_text("x"), anns)) is None
