"""The reading session's moves, without a terminal."""

from __future__ import annotations

import re

from reader.claims.scores import score_document
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_for
from reader.session import ReadingSession, scoring_window

from .conftest import SHIPPED_CORPUS

PEACE = "peace-2019-09-winning-back-labours-heartlands"


def session_for(doc_id: str = PEACE, annotations: list | None = None) -> ReadingSession:  # type: ignore[type-arg]
    doc = Corpus.load(SHIPPED_CORPUS).get(doc_id)
    assert doc is not None
    return ReadingSession(doc.text, score_document(doc.text), annotations or [])


def test_sentence_moves_stop_at_both_ends() -> None:
    session = session_for()
    assert not session.move(-1)
    while session.move(1):
        pass
    assert session.cursor == len(session.sentences) - 1
    assert not session.move(1)


def test_selection_grows_and_shrinks_by_word_sentence_and_paragraph() -> None:
    session = session_for()
    session.move(1)
    first = session.start_selection()
    assert first is not None
    text = session.text
    word = session.grow("word", 1)
    assert word is not None and word.start == first.start
    assert len(text[first.end : word.end].split()) == 1  # exactly one more word
    back = session.grow("word", -1)
    assert back is not None and back.end == first.end  # one word back lands where it started
    sentence = session.grow("sentence", 1)
    assert sentence is not None and sentence.end == session.sentences[2].end
    assert session.grow("sentence", -1) == first
    paragraph = session.grow("paragraph", 1)
    paragraphs = session.segmentation.paragraphs
    assert paragraph is not None and paragraph.end in {p.end for p in paragraphs}
    for _ in range(500):
        session.grow("word", -1)
    final = session.selection
    assert final is not None and final.end > final.start  # never empty


def test_next_suggestion_respects_layers_and_dismissal() -> None:
    session = session_for()
    first = session.next_suggestion(1)
    assert first is not None and first.labels
    session.dismiss(first)
    session.cursor = 0
    again = session.next_suggestion(1)
    assert again is not None and again.start != first.start
    session.layer = 3  # annotations only
    session.cursor = 0
    assert session.next_suggestion(1) is None


def test_annotations_navigation_and_innermost_first() -> None:
    doc = Corpus.load(SHIPPED_CORPUS).get(PEACE)
    assert doc is not None
    text = doc.text
    outer_start = text.index("The Tory MP")
    inner_start = text.index("a narrow majority")
    outer = annotation_for(PEACE, text, doc.sha256, outer_start, outer_start + 90, label="premise")
    inner = annotation_for(PEACE, text, doc.sha256, inner_start, inner_start + 20, label="evidence")
    session = ReadingSession(text, score_document(text), [outer, inner])
    assert session.next_annotation(1) == outer
    assert session.annotations_at(inner_start, inner_start + 5) == [inner, outer]
    assert session.next_annotation(-1) is None
    # An annotation exactly on a suggested sentence hides that suggestion.
    scored = next(s for s in session.scores.sentences if s.labels)
    covering = annotation_for(PEACE, text, doc.sha256, scored.start, scored.end, label="claim")
    session.set_annotations([outer, inner, covering])
    assert all(s.start != scored.start for s in session.suggestions())


def test_select_range_widens_to_whole_words() -> None:
    session = session_for()
    text = session.text
    start = text.index("narrow majority") + 2  # inside "narrow"
    span = session.select_range(start + 10, start)
    assert text[span.start : span.end].startswith("narrow")
    assert text[span.end - 1].isalnum() and not text[span.end].isalnum()


def test_scores_of_a_window_equal_scores_of_the_whole_text() -> None:
    # A long document is first scored around the cursor; the window must agree with the full pass.
    text = "\n\n".join(doc.text for doc in Corpus.load(SHIPPED_CORPUS))
    full = {
        (s.start, s.end): (s.labels, s.claim, s.factual) for s in score_document(text).sentences
    }
    start, end = scoring_window(text, len(text) // 2)
    assert 0 < start < len(text) // 2 < end
    window = score_document(text[:end], start)
    assert window.sentences
    for s in window.sentences:
        assert full[(s.start, s.end)] == (s.labels, s.claim, s.factual)


def test_replace_scores_keeps_the_cursor_on_the_same_text() -> None:
    text = "\n\n".join(doc.text for doc in Corpus.load(SHIPPED_CORPUS))
    start, end = scoring_window(text, len(text) // 2)
    session = ReadingSession(text, score_document(text[:end], start), [])
    session.move(3)
    here = session.current
    assert here is not None
    session.replace_scores(score_document(text))
    assert session.current is not None and session.current.start == here.start
    assert len(session.sentences) > 3 and session.cursor > 3


def test_selection_steps_back_by_paragraph_and_sentence_but_never_past_its_start() -> None:
    session = session_for()
    session.move(1)
    first = session.start_selection()
    assert first is not None
    ends = [p.end for p in session.segmentation.paragraphs]
    one = session.grow("paragraph", 1)
    two = session.grow("paragraph", 1)
    assert one is not None and two is not None
    assert two.end == ends[ends.index(one.end) + 1]
    assert session.grow("paragraph", -1) == one
    while (before := session.selection) != session.grow("sentence", -1):
        pass
    assert before is not None and before.start == first.start and before.end > first.start
    assert before.end in {s.end for s in session.sentences}


def test_store_changes_applied_one_by_one_leave_what_a_fresh_session_sees() -> None:
    doc = Corpus.load(SHIPPED_CORPUS).get(PEACE)
    assert doc is not None
    text = doc.text
    scored = [s for s in score_document(text).sentences if s.labels]
    on_suggestions = [
        annotation_for(PEACE, text, doc.sha256, s.start, s.end, label="claim") for s in scored[:6]
    ]
    elsewhere = [
        annotation_for(PEACE, text, doc.sha256, n * 50, n * 50 + 30, label="premise")
        for n in range(1, 20)
    ]
    note = annotation_for(PEACE, text, doc.sha256, None, None, note="the whole piece")
    session = session_for(annotations=elsewhere[:10])
    for added in [*on_suggestions, *elsewhere[10:], note]:
        session.apply_change(None, added)
    session.apply_change(on_suggestions[0], None)  # deleted: its suggestion is open again
    relabelled = elsewhere[3].with_changes(label="evidence")
    session.apply_change(elsewhere[3], relabelled)
    kept = [*on_suggestions[1:], *elsewhere[:3], relabelled, *elsewhere[4:], note]
    fresh = session_for(annotations=kept)
    assert session.annotations == fresh.annotations
    assert session.suggestions() == fresh.suggestions()
    assert session.open_suggestion_count() == len(fresh.suggestions())
    assert scored[0] in session.suggestions() and scored[1] not in session.suggestions()
    for start in range(0, len(text), 97):
        assert session.annotations_at(start, start + 40) == fresh.annotations_at(start, start + 40)


def test_shrinking_a_long_selection_by_a_word_steps_back_one_word_each_time() -> None:
    session = session_for()
    session.move(1)
    session.start_selection()
    for _ in range(3):
        session.grow("paragraph", 1)
    selection = session.selection
    assert selection is not None and selection.end - selection.start > 600
    # A word, a figure with its separators ("2,681", "62.8"), or a run of punctuation.
    word = re.compile(r"\w(?:[\w'’-]|(?<=\d)[.,:](?=\d))*|[^\w\s]+")
    for _ in range(150):
        start, end = session.selection.start, session.selection.end  # type: ignore[union-attr]
        ends = [m.end() for m in word.finditer(session.text, start, end)]
        expected = ends[-2] if len(ends) >= 2 else end
        shrunk = session.grow("word", -1)
        assert shrunk is not None and shrunk.end == expected


def test_growing_by_a_word_at_the_end_of_a_long_text_takes_the_next_word_only() -> None:
    text = "\n\n".join(doc.text for doc in Corpus.load(SHIPPED_CORPUS)) * 4
    session = ReadingSession(text, score_document(text), [])
    session.move_to_offset(len(text) // 2)
    first = session.start_selection()
    grown = session.grow("word", 1)
    assert first is not None and grown is not None
    assert len(text[first.end : grown.end].split()) == 1


def test_open_suggestions_follow_changes_one_at_a_time_as_a_fresh_session_counts_them() -> None:
    import random

    doc = Corpus.load(SHIPPED_CORPUS).get(PEACE)
    assert doc is not None
    session = session_for()
    suggested = [s for s in session.scores.sentences if s.labels]
    rng = random.Random(5)
    present: list = []  # type: ignore[type-arg]
    for step in range(300):
        if present and rng.random() < 0.4:
            before = present.pop(rng.randrange(len(present)))
            after = None
            if rng.random() < 0.3:  # a label changed or taken off: still there, maybe not covering
                after = before.with_changes(label=rng.choice([None, "claim", "premise"]))
                present.append(after)
            session.apply_change(before, after)
        else:
            scored = rng.choice(suggested)
            start, end = scored.start, scored.end
            if rng.random() < 0.3:  # near the sentence, not on it
                end -= 1
            label = rng.choice([None, "claim", "claim", "evidence"])
            added = annotation_for(PEACE, doc.text, doc.sha256, start, end, label=label)
            present.append(added)
            session.apply_change(None, added)
        if step % 7 == 0:
            fresh = ReadingSession(doc.text, session.scores, list(present))
            assert session.suggestions() == fresh.suggestions()
            assert session.open_suggestion_count() == fresh.open_suggestion_count()
