"""The state of one reading session on one document: cursor, selection, layers and what is under them.

Core logic with no Textual import, so every key's effect can be tested without a terminal. The app keeps
one `ReadingSession` per open document and asks it where the cursor goes; it renders what it is told.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from reader import selection
from reader.claims.scores import DocumentScores, SentenceScore
from reader.model.annotation import Annotation
from reader.model.layers import Layer
from reader.model.span_index import SpanIndex, has_span
from reader.text import Segmentation, Sentence

# What an accepted suggestion becomes: a claim stays a claim, a check-worthy fact is evidence.
SUGGESTION_LABELS = {"claim": "claim", "factual": "evidence"}

# The layers `h` cycles through, in order.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"claim", "factual", "annotations"}),
    frozenset({"claim", "annotations"}),
    frozenset({"factual", "annotations"}),
    frozenset({"annotations"}),
    frozenset(),
)
LAYER_NAMES = ("all highlights", "claims", "facts", "annotations only", "no highlights")

# Longer texts are scored near the cursor first (the app's document screen).
PROGRESSIVE_CHARS = 200_000
WINDOW_BEFORE, WINDOW_AFTER = 5_000, 30_000


def scoring_window(text: str, offset: int) -> tuple[int, int]:
    """Paragraph-aligned span around `offset`: a few screens before it and many after."""
    start = text.rfind("\n\n", 0, max(0, offset - WINDOW_BEFORE))
    end = text.find("\n\n", min(len(text), offset + WINDOW_AFTER))
    return (0 if start == -1 else start + 2), (len(text) if end == -1 else end)


# A word as selections step by it (a figure like "2,681" is one), or a run of punctuation.
_WORD = re.compile(selection.LETTERS.pattern + r"|[^\w\s]+")
WORD_LOOKBACK = 256  # characters before a selection's end searched for the word to shrink it by


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


class ReadingSession:
    """Cursor (a sentence), optional selection, suggestions and annotations of one document."""

    def __init__(
        self,
        text: str,
        scores: DocumentScores,
        annotations: list[Annotation],
        dismissed: set[str] | None = None,
        layer: Layer | None = None,
        me: str = "",
    ) -> None:
        self.text = text
        self.scores = scores
        self.segmentation: Segmentation = scores.segmentation
        self.sentences: tuple[Sentence, ...] = self.segmentation.sentences
        self._sentence_ends = [s.end for s in self.sentences]
        self.cursor = 0
        self.selection: Span | None = None
        self.layer = 0
        self.dismissed: set[str] = set(dismissed or ())
        self.index = SpanIndex()
        # Every annotator's annotations; the index holds only those of the layer shown, so drawing,
        # `]`/`[` and the keys that change an annotation see that layer and nothing else.
        self.me = me
        self.shown_layer = layer or Layer()
        self._all: dict[str, Annotation] = {}
        self._authors: Counter[str] = Counter()
        # Counts changes to what the text looks like apart from the cursor and selection (annotations,
        # suggestions, layers), so the view knows when its styled rows are stale.
        self.looks = 0
        # What each change of `looks` restyled, oldest first, from `looks` _restyled_from on: text
        # spans, or None where it may be anywhere (layers, dismissals, new scores, links).
        self._restyled: list[tuple[tuple[int, int], ...] | None] = []
        self._restyled_from = 0
        self._covered: Counter[tuple[int | None, int | None]] = Counter()
        self._open: list[SentenceScore] | None = None
        self._labelled_spans: set[tuple[int, int]] = set()
        self._labelled = self._labelled_scores()
        self.set_annotations(annotations)

    def _labelled_scores(self) -> list[tuple[str, SentenceScore]]:
        # Only sentences with a label can be suggestions; their keys are made once, not per change.
        labelled = [(self.suggestion_key(s), s) for s in self.scores.sentences if s.labels]
        self._labelled_spans = {(s.start, s.end) for _, s in labelled}
        return labelled

    def replace_scores(self, scores: DocumentScores) -> None:
        """Swap in scores for more of the text (a long document is first scored near the cursor)."""
        here = self.current.start if self.current else 0
        self.scores = scores
        self.segmentation = scores.segmentation
        self.sentences = self.segmentation.sentences
        self._sentence_ends = [s.end for s in self.sentences]
        self._labelled = self._labelled_scores()
        self._open = None
        self._looks_changed(None)
        self.move_to_offset(here)

    # --- what is where -------------------------------------------------------------------------------

    @property
    def layers(self) -> frozenset[str]:
        return LAYERS[self.layer]

    def cycle_layers(self) -> str:
        self._looks_changed(None)
        self.layer = (self.layer + 1) % len(LAYERS)
        return LAYER_NAMES[self.layer]

    @property
    def annotations(self) -> list[Annotation]:
        """The annotations drawn in the text, in text order (a new list after every change)."""
        return self.index.annotations

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Replace the document's annotations."""
        self._all = {a.id: a for a in annotations if self._placed(a)}
        self._authors = Counter(a.author for a in self._all.values())
        self._build_index()

    def _placed(self, annotation: Annotation) -> bool:
        """Whether an annotation is drawn: it has a span and the text there is still its quote. An
        undo of re-anchoring, or a teammate's store written on an older text, can bring back offsets
        made on another version of the text; those wait for the next re-anchoring, undrawn."""
        if not has_span(annotation):
            return False
        quote = annotation.quote
        return not quote or self.text[annotation.start : annotation.end] == quote

    def _build_index(self) -> None:
        layer, me = self.shown_layer, self.me
        self.index = SpanIndex(a for a in self._all.values() if layer.shows(a.author, me))
        # Only a labelled annotation answers a suggestion: a note or tags on a suggested sentence
        # leave it offered, and accepting it then labels that annotation.
        self._covered = Counter((a.start, a.end) for a in self.index.items if a.label)
        self._open = None
        self._looks_changed(None)

    def set_layer(self, layer: Layer) -> None:
        """Show another annotator layer: the index is rebuilt once, here, not on every key."""
        self.shown_layer = layer
        self._build_index()

    def several_annotators(self) -> bool:
        """Whether more than one annotator has annotations drawn in this document (checked on every
        redraw, so without sorting the names)."""
        return len(self._authors) > 1

    def annotators(self) -> list[str]:
        """The annotators with an annotation drawn in this document, shown or not."""
        return sorted(self._authors, key=str.casefold)

    def hidden_exactly(self, start: int, end: int) -> Annotation | None:
        """An annotation exactly on [start, end) that the layer hides, when none it shows is there."""
        if self.index.exactly(start, end) is not None:
            return None
        return next(
            (
                a
                for a in self._all.values()
                if (a.start, a.end) == (start, end) and not self.shows(a)
            ),
            None,
        )

    def shows(self, annotation: Annotation) -> bool:
        return self.shown_layer.shows(annotation.author, self.me)

    def apply_change(self, before: Annotation | None, after: Annotation | None) -> None:
        """Take one store change (an add, update or delete of this document's annotation) into account,
        at the cost of that one annotation, not of all of them."""
        if before is not None and self._all.pop(before.id, None) is not None:
            self._authors[before.author] -= 1
            if self._authors[before.author] <= 0:
                del self._authors[before.author]
        if after is not None and self._placed(after):
            self._all[after.id] = after
            self._authors[after.author] += 1
        if before is not None and self.index.remove(before) and before.label:
            self._cover((before.start, before.end), -1)
        if after is not None and self._placed(after) and self.shows(after):
            self.index.add(after)
            if after.label:
                self._cover((after.start, after.end), 1)
        # A link marks where each annotation in it starts, the other end's too: redrawn in full.
        linked = (before is not None and before.links) or (after is not None and after.links)
        spans = tuple(
            (a.start, a.end)
            for a in (before, after)
            if a is not None and a.start is not None and a.end is not None
        )
        self._looks_changed(None if linked else spans)

    def _looks_changed(self, spans: tuple[tuple[int, int], ...] | None) -> None:
        self.looks += 1
        self._restyled.append(spans)
        if len(self._restyled) > 64:  # a view that far behind draws everything again anyway
            del self._restyled[:32]
            self._restyled_from += 32

    def restyled_since(self, looks: int) -> list[tuple[int, int]] | None:
        """The text spans whose looks changed since `looks` (a view's last drawing), or None when
        any part of the text may have: a label or an undo then restyles the rows of one annotation,
        not every row on screen."""
        if looks < self._restyled_from:
            return None
        spans: list[tuple[int, int]] = []
        for entry in self._restyled[looks - self._restyled_from :]:
            if entry is None:
                return None
            spans.extend(entry)
        return spans

    def _cover(self, span: tuple[int | None, int | None], step: int) -> None:
        """One more (1) or one fewer (-1) labelled annotation exactly on `span`. The open suggestions
        are worked out again only if that covers or uncovers a suggested sentence: going through
        every labelled sentence on each label key is what made the key slow in dense documents."""
        was = self._covered[span]
        now = was + step
        if now > 0:
            self._covered[span] = now
        else:
            self._covered.pop(span, None)
        if (was > 0) != (now > 0) and span in self._labelled_spans:
            self._open = None

    @property
    def current(self) -> Sentence | None:
        return self.sentences[self.cursor] if self.sentences else None

    def target(self) -> Span | None:
        """What a label applies to: the selection, else the sentence under the cursor."""
        if self.selection is not None:
            return self.selection
        sentence = self.current
        return Span(sentence.start, sentence.end) if sentence else None

    @staticmethod
    def suggestion_key(score: SentenceScore) -> str:
        return f"{score.start}-{score.end}"

    def suggestions(self) -> list[SentenceScore]:
        """Suggested claims and facts still open: not dismissed, not already annotated exactly.

        Kept until the annotations or the dismissed set change, so moving the cursor stays cheap.
        """
        return list(self._open_suggestions())

    def open_suggestion_count(self) -> int:
        return len(self._open_suggestions())

    def _open_suggestions(self) -> list[SentenceScore]:
        if self._open is None:
            dismissed, covered = self.dismissed, self._covered
            self._open = [
                s
                for key, s in self._labelled
                if key not in dismissed and (s.start, s.end) not in covered
            ]
        return self._open

    def dismiss(self, score: SentenceScore) -> None:
        self.dismissed.add(self.suggestion_key(score))
        self._open = None
        self._looks_changed(None)

    def set_dismissed(self, keys: set[str]) -> None:
        """Replace the dismissed set (after a dismissal is saved, undone or redone)."""
        if keys == self.dismissed:
            return  # every undo asks; most undo something else, and nothing is to be redrawn
        self.dismissed = set(keys)
        self._open = None
        self._looks_changed(None)

    def suggestion_at_cursor(self) -> SentenceScore | None:
        sentence = self.current
        if sentence is None:
            return None
        score = self.scores.sentences[sentence.ordinal]
        open_ = (
            score.labels
            and self.suggestion_key(score) not in self.dismissed
            and (score.start, score.end) not in self._covered
        )
        return score if open_ else None

    def annotations_at(self, start: int, end: int) -> list[Annotation]:
        """Annotations overlapping [start, end), innermost (shortest) first.

        This runs for every row drawn and on every cursor move: the index looks only at annotations
        that may overlap.
        """
        hits = self.index.overlapping(start, end)
        hits.sort(key=lambda a: ((a.end or 0) - (a.start or 0), a.start))
        return hits

    def annotations_under_cursor(self) -> list[Annotation]:
        """Every annotation overlapping the target (selection, else cursor sentence), innermost first."""
        span = self.target()
        return [] if span is None else self.annotations_at(span.start, span.end)

    def annotation_at_cursor(self, under: list[Annotation] | None = None) -> Annotation | None:
        """The annotation the keys act on (delete, note, tags, relabel), one rule for all of them:
        with a selection, the annotation exactly on it (none: the keys make a new one); else the
        innermost (shortest) annotation under the cursor sentence. `under`: annotations_under_cursor(),
        if the caller already has it."""
        if self.selection is not None:
            return self.index.exactly(self.selection.start, self.selection.end)
        hits = self.annotations_under_cursor() if under is None else under
        return hits[0] if hits else None

    def annotation_index_near_cursor(self) -> int:
        """Where the cursor is in the list of annotations: the first starting at or after its sentence."""
        sentence = self.current
        return bisect_left(self.index.starts, sentence.start) if sentence else 0

    # --- moving --------------------------------------------------------------------------------------

    def move_to_offset(self, offset: int) -> None:
        """Put the cursor on the sentence at (or after) a text offset."""
        if not self.sentences:
            return
        i = bisect_right(self._sentence_ends, offset)
        self.cursor = min(i, len(self.sentences) - 1)

    def move(self, delta: int) -> bool:
        """Next/previous sentence; False at either end."""
        target = self.cursor + delta
        if not self.sentences or not 0 <= target < len(self.sentences):
            return False
        self.cursor = target
        return True

    def move_to_sentence(self, index: int) -> None:
        """Put the cursor on sentence `index` (negative counts from the end, like a list)."""
        n = len(self.sentences)
        if n:
            self.cursor = min(n - 1, index if index >= 0 else max(0, n + index))

    def move_paragraph(self, direction: int) -> bool:
        """To the first sentence of the next paragraph (1), or back (-1) to the start of this one,
        or of the previous one when already there; False when there is nowhere to go."""
        sentence = self.current
        if sentence is None:
            return False
        paragraphs = [p for p in self.segmentation.paragraphs if p.end_sentence > p.first_sentence]
        firsts = [p.first_sentence for p in paragraphs]
        if direction > 0:
            i = bisect_right(firsts, self.cursor)
            if i >= len(firsts):
                return False
        else:
            i = bisect_left(firsts, self.cursor) - 1
            if i < 0:
                return False
        self.cursor = firsts[i]
        return True

    def next_suggestion(
        self, direction: int, kinds: frozenset[str] | None = None, move: bool = True
    ) -> SentenceScore | None:
        """Move to the next (1) or previous (-1) open suggestion of `kinds` (default: those in the
        visible layers); with `move` off, only say which it is."""
        if kinds is None:
            kinds = self.layers & {"claim", "factual"}
        candidates = [s for s in self.suggestions() if kinds & set(s.labels)]
        if direction > 0:
            found = next((s for s in candidates if s.sentence.ordinal > self.cursor), None)
        else:
            found = next(
                (s for s in reversed(candidates) if s.sentence.ordinal < self.cursor), None
            )
        if found is not None and move:
            self.cursor = found.sentence.ordinal
        return found

    def next_annotation(self, direction: int) -> Annotation | None:
        """Move to the next (1) or previous (-1) annotation by start offset."""
        sentence = self.current
        if sentence is None or not self.annotations:
            return None
        here = sentence.start
        starts = self.index.starts
        if direction > 0:
            i = bisect_right(starts, here)
            if i < len(starts) and starts[i] < sentence.end:
                # Annotations inside the current sentence: skip past the sentence.
                i = bisect_left(starts, sentence.end)
            found = self.annotations[i] if i < len(self.annotations) else None
        else:
            i = bisect_left(starts, here) - 1
            found = self.annotations[i] if i >= 0 else None
        if found is not None:
            self.move_to_offset(found.start or 0)
        return found

    # --- selecting -----------------------------------------------------------------------------------

    def start_selection(self) -> Span | None:
        sentence = self.current
        if sentence is None:
            return None
        self.selection = Span(sentence.start, sentence.end)
        return self.selection

    def start_word_selection(self) -> Span | None:
        """Select the first word of the current sentence: a selection that starts at a word, which
        `W`/`B` then walk along the text and `w` grows."""
        sentence = self.current
        if sentence is None:
            return None
        word = selection.first_word(self.text, sentence.start, sentence.end)
        if word is None:
            return self.start_selection()
        self.selection = Span(*word)
        return self.selection

    def move_start(self, unit: str, delta: int) -> Span | None:
        """Move the selection's start forward (delta > 0) or back by a word or a clause.

        Moving the start past the end drags the end along (a one-word selection walks the text), so a
        span can begin at any word. The end stays where it is otherwise.
        """
        if self.selection is None or not self.sentences:
            return None
        start, end, text = self.selection.start, self.selection.end, self.text
        here = self.sentences[
            min(bisect_right(self._sentence_ends, start), len(self.sentences) - 1)
        ]
        if unit == "word" and delta > 0:
            start = selection.next_word_start(text, start)
        elif unit == "word":
            start = selection.previous_word_start(text, start)
        elif unit == "clause" and delta > 0:
            start = selection.next_clause_start(text, start, here.end)
        elif unit == "clause":
            start = selection.clause_start_before(text, start, here.start, here.end)
        else:
            raise ValueError(f"unknown unit {unit!r}")
        if start >= end:
            end = selection.word_end(text, start)
        self.selection = Span(start, end)
        self.move_to_offset(start)
        return self.selection

    def drop_last_clause(self) -> Span | None:
        """Move the selection's end back to the end of the clause before its last one (before the
        comma, semicolon, dash or bracket that starts it); unchanged when it holds one clause."""
        if self.selection is None:
            return None
        start = self.selection.start
        end = selection.end_before_last_clause(self.text, start, self.selection.end)
        self.selection = Span(start, end)
        self.move_to_offset(max(start, end - 1))
        return self.selection

    def cancel_selection(self) -> bool:
        had = self.selection is not None
        self.selection = None
        return had

    def select_exactly(self, start: int, end: int) -> Span | None:
        """Select a given span (an annotation opened from search); ignored if outside the text."""
        if not 0 <= start < end <= len(self.text):
            return None
        self.selection = Span(start, end)
        self.move_to_offset(start)
        return self.selection

    def select_range(self, a: int, b: int) -> Span:
        """Select between two offsets (a mouse drag), widened to whole words."""
        start, end = min(a, b), max(a, b)
        words = self._words(max(0, start - 64), min(len(self.text), end + 64))
        start = max((s for s, e in words if s <= start), default=start)
        end = min((e for s, e in words if e >= end), default=end)
        self.selection = Span(start, max(end, start + 1))
        self.move_to_offset(start)
        return self.selection

    def _words(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in _WORD.finditer(self.text, start, end)]

    def grow(self, unit: str, delta: int) -> Span | None:
        """Grow (delta > 0) or shrink (delta < 0) the selection's end by a word, sentence or paragraph.

        The start stays where `v` put it; the selection never shrinks below one word.
        """
        if self.selection is None:
            return None
        start, end = self.selection.start, self.selection.end
        if unit == "word":
            end = self._step_word(start, end, delta)
        elif unit == "sentence":
            end = self._step_to(self._sentence_ends, start, end, delta)
        elif unit == "paragraph":
            end = self._step_to([p.end for p in self.segmentation.paragraphs], start, end, delta)
        else:
            raise ValueError(f"unknown unit {unit!r}")
        self.selection = Span(start, end)
        self.move_to_offset(max(start, end - 1))
        return self.selection

    def _step_word(self, start: int, end: int, delta: int) -> int:
        # Only the words next to the end are looked at: the rest of a long text may follow it, and
        # a long selection may precede it.
        if delta > 0:
            limit = self.segmentation.paragraphs[-1].end if self.segmentation.paragraphs else end
            word = next(_WORD.finditer(self.text, end, min(len(self.text), limit)), None)
            return word.end() if word else end
        near = max(start, end - WORD_LOOKBACK)
        words = self._words(near, end)
        if near > start and len(words) < 3:  # the first may be cut by the window: look further
            words = self._words(start, end)
        return words[-2][1] if len(words) >= 2 else end

    @staticmethod
    def _step_to(ends: list[int], start: int, end: int, delta: int) -> int:
        """The next (delta > 0) or previous boundary in `ends` from `end`, never at or before `start`."""
        if delta > 0:
            i = bisect_right(ends, end)
            return ends[i] if i < len(ends) else end
        i = bisect_left(ends, end) - 1
        return ends[i] if i >= 0 and ends[i] > start else end
