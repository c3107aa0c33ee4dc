"""Re-anchoring where a quote has identical copies in the text: the copy with the most context no
longer wins over the quote where it should be, one annotation sent to a far copy does not drag its
neighbours after it, and an approximate span is fitted to the corrected text."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.anchoring import reanchor
from reader.corpus.documents import sha256_text
from reader.model.annotation import Annotation, annotation_for


def filler(tag: str, words: int) -> str:
    """Text found nowhere else: a different word every time."""
    return " ".join(f"{tag}{n}" for n in range(words)) + ". "


def on(text: str, quote: str, occurrence: int = 0, **fields: object) -> Annotation:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return annotation_for("oped", text, sha256_text(text), start, start + len(quote), **fields)


def placed(edited: str, anns: list[Annotation]) -> dict[str, Annotation]:
    return {o.annotation.id: o.applied() for o in reanchor(edited, sha256_text(edited), anns)}


QUOTE = "Derbyshire on our socialist agenda. The Brexit"
SUFFIX = " divide is one that the Tories are wrong about."


def test_a_quote_whose_neighbour_changed_stays_though_a_far_copy_keeps_more_context() -> None:
    near = "the result was tabled.\n\nWe can win in North East " + QUOTE + SUFFIX
    far = "over 8,000. We can win in North East " + QUOTE + SUFFIX
    text = filler("a", 50) + near + filler("b", 2000) + far + filler("c", 50)
    ann = on(text, QUOTE)
    # A line on top (every offset moves) and the words before the quote reworded: here the quote
    # keeps its suffix only; the copy far below keeps its suffix and more of its prefix.
    edited = "Updated: a line added.\n" + text.replace(
        "We can win in North", "We will win in North", 1
    )
    new = placed(edited, [ann])[ann.id]
    truth = edited.index(QUOTE)
    assert (new.anchor_status, new.start, new.end) == ("moved", truth, truth + len(QUOTE))


FIRST = "The first claim is made here and it is a long one."
SECOND = "The second claim follows it closely in the text."
BLOCK = (
    "Opening words shared by both copies: " + FIRST + " " + SECOND + " Closing words shared too."
)


def test_a_quote_sent_to_a_far_copy_does_not_take_its_neighbours_with_it() -> None:
    text = filler("a", 50) + BLOCK + " " + filler("b", 2000) + BLOCK + " " + filler("c", 50)
    first, second = on(text, FIRST), on(text, SECOND)
    # An aside inserted into the first claim where it is: only its copy far below still reads
    # as it did, so that is where it goes; the second claim did not move.
    aside = " (and an aside, added much later, that doubles its length)"
    at = text.index("first claim") + len("first claim")
    edited = text[:at] + aside + text[at:]
    new = placed(edited, [first, second])
    truth = edited.index(SECOND)
    assert (new[second.id].start, new[second.id].end) == (truth, truth + len(SECOND))
    assert new[second.id].anchor_status == "moved"


LONG = (
    "economics, strong trade links with the US, and a ramping up of the hostile environment, "
    "all of it sold as renewal"
)


def test_a_typo_fixed_in_a_long_quote_is_fitted_to_the_corrected_text() -> None:
    typo = LONG.replace("hostile", "hostlie")
    text = (
        filler("a", 50) + "It would involve an emphasis on free market " + typo + " in the end. "
        + filler("b", 120) + "It would involve an emphasis on free market " + LONG + " in the end. "
        + filler("c", 50)
    )  # fmt: skip
    ann = on(text, typo)
    edited = text.replace(typo, LONG, 1)
    new = placed(edited, [ann])[ann.id]
    truth = edited.index(LONG)
    assert (new.anchor_status, new.start, new.end) == ("approximate", truth, truth + len(LONG))
    assert new.quote == LONG and new.old_quote == typo


SENTENCES = (
    "The red wall fell in 2019.",
    "Labour lost the seat.",
    "The vote fell in every ward.",
    "We have to win here.",
)


@st.composite
def repeated(draw: st.DrawFn) -> tuple[str, list[Annotation], str, int, int]:
    """A text of a few sentences repeated in random order, annotations on whole sentences (their
    quotes have many copies, some with the same context), and one edit outside every quote
    and its context. Returns the text, the annotations, the edited text, where the edit was and
    how many characters it added (negative: removed)."""
    order = draw(st.lists(st.sampled_from(SENTENCES), min_size=12, max_size=40))
    text = " ".join(order) + "\n"
    starts = [sum(len(s) + 1 for s in order[:i]) for i in range(len(order))]
    chosen = sorted(draw(st.sets(st.integers(0, len(order) - 1), min_size=1, max_size=6)))
    sha = sha256_text(text)
    anns = [
        annotation_for("d", text, sha, starts[i], starts[i] + len(order[i]), id=f"A{i}")
        for i in chosen
    ]
    # Outside every quote with its 32 characters either side: the true place keeps its context.
    free = [
        at
        for at in range(len(text) + 1)
        if all(at <= (a.start or 0) - 32 or at >= (a.end or 0) + 32 for a in anns)
    ]
    assume(free)
    at = draw(st.sampled_from(free))
    if draw(st.booleans()):
        insert = draw(st.text(alphabet="xyz ", min_size=1, max_size=300))
        return text, anns, text[:at] + insert + text[at:], at, len(insert)
    cut = draw(st.integers(1, 300))
    assume(all(at + cut <= (a.start or 0) - 32 or at >= (a.end or 0) + 32 for a in anns))
    return text, anns, text[:at] + text[at + cut :], at, -cut


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(repeated())
def test_an_edit_away_from_repeated_quotes_leaves_each_on_its_own_copy(
    case: tuple[str, list[Annotation], str, int, int],
) -> None:
    _text, anns, edited, at, delta = case
    right_so_far = True
    for outcome in reanchor(edited, sha256_text(edited), anns):  # in document order
        ann, new = outcome.annotation, outcome.applied()
        assert ann.start is not None and new.start is not None
        assert outcome.status in ("unchanged", "moved")
        assert edited[new.start : new.end] == ann.quote
        truth = ann.start + (delta if ann.start >= at else 0)
        # Each is expected to have moved as the one before it did: when that one took the
        # wrong copy (two copies with all their context, about as near), the rest may follow
        # it. Nothing in the text tells those copies apart.
        if not right_so_far:
            continue
        right_so_far = new.start == truth
        # Where the copies agree in all their context, the nearest to the old place is the
        # one: when that is the true place, it must be found there.
        whole = ann.prefix + ann.quote + ann.suffix
        copies = [i + len(ann.prefix) for i in range(len(edited)) if edited.startswith(whole, i)]
        nearest = sorted(copies, key=lambda c: abs(c - ann.start))  # type: ignore[operator]
        if (
            nearest
            and nearest[0] == truth
            and (len(nearest) == 1 or abs(nearest[1] - ann.start) > abs(truth - ann.start))
        ):
            assert new.start == truth


def test_a_cut_at_the_top_of_a_repetitive_text_keeps_a_quote_on_its_own_copy() -> None:
    # Every offset moves back 52 characters; a copy of the quote lands 4 characters from its old
    # offset with all but 3 characters of its context. The quote with all of its context, 52
    # characters back, is the one: a near copy with part of its context must not outrank it.
    red, vote = SENTENCES[0], SENTENCES[2]
    text = " ".join([red] * 14 + [vote, red, vote, red, red]) + "\n"
    ann = on(text, vote)
    edited = text[52:]
    new = placed(edited, [ann])[ann.id]
    assert (new.anchor_status, new.start) == ("moved", ann.start - 52)  # type: ignore[operator]
