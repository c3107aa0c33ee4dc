"""Cohen's κ, Krippendorff's α, sentence labels and token overlap, each against a peer or a case
worked by hand."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
from bratiaa.utils import TokenOverlap, tokenize
from hypothesis import given
from hypothesis import strategies as st

from reader.agreement.sentences import NONE, cohen_kappa, krippendorff_alpha, sentence_labels
from reader.agreement.spans import Counts, Tokens, exact_counts, relation_counts

CATEGORIES = st.sampled_from(["Claim", "Premise", "MajorClaim", NONE])


def test_cohen_kappa_worked_by_hand() -> None:
    # 10 sentences: A says Claim 6, Premise 4; B says Claim 5, Premise 5; they agree on 7.
    a = ["Claim"] * 6 + ["Premise"] * 4
    b = ["Claim"] * 4 + ["Premise"] * 2 + ["Claim"] + ["Premise"] * 3
    # p_o = 0.7; p_e = 0.6·0.5 + 0.4·0.5 = 0.5; κ = 0.2 / 0.5 = 0.4
    kappa = cohen_kappa(a, b)
    assert kappa is not None and math.isclose(kappa, 0.4)


def test_cohen_kappa_is_undefined_when_both_give_one_category() -> None:
    assert cohen_kappa(["Claim"] * 4, ["Claim"] * 4) is None
    assert cohen_kappa([], []) is None


@given(st.lists(CATEGORIES, min_size=2).filter(lambda v: len(set(v)) > 1))
def test_identical_annotators_have_kappa_and_alpha_one(values: list[str]) -> None:
    assert cohen_kappa(values, list(values)) == 1.0
    alpha = krippendorff_alpha(zip(values, values, values, strict=True))
    assert alpha is not None and math.isclose(alpha, 1.0)


def _peer_alpha(units: list[list[str | None]]) -> float:
    codes = {c: float(i) for i, c in enumerate(sorted({v for u in units for v in u if v}))}
    codes[NONE] = float(len(codes))
    data = np.array(
        [[np.nan if v is None else codes[v] for v in unit] for unit in units]
    ).T  # annotators × units
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@given(
    st.integers(min_value=2, max_value=4).flatmap(
        lambda n: st.lists(
            st.lists(st.one_of(st.none(), CATEGORIES), min_size=n, max_size=n),
            min_size=2,
            max_size=40,
        )
    )
)
def test_alpha_equals_the_krippendorff_package(units: list[list[str | None]]) -> None:
    ours = krippendorff_alpha(units)
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    values = {v for u in pairable for v in u if v is not None}
    if len(values) < 2:
        assert ours is None  # no variation: α undefined (the package divides by zero)
        return
    assert ours is not None and math.isclose(ours, _peer_alpha(units), abs_tol=1e-9)


def test_sentence_labels_take_the_label_covering_most() -> None:
    sentences = [(0, 10), (11, 20), (21, 30), (31, 40)]
    spans = [(0, 4, "Premise"), (2, 10, "Claim"), (15, 25, "Premise"), (22, 25, "Claim")]
    # s0: Claim 8 > Premise 4; s1: Premise; s2: Premise 4 vs Claim 3; s3: nothing.
    assert sentence_labels(sentences, spans) == ["Claim", "Premise", "Premise", NONE]
    # a tie goes to the label first in alphabetical order, whatever the order of the spans
    assert sentence_labels([(0, 10)], [(0, 5, "Premise"), (5, 10, "Claim")]) == ["Claim"]
    assert sentence_labels([(0, 10)], [(5, 10, "Claim"), (0, 5, "Premise")]) == ["Claim"]


# \x1c and the no-break space: whitespace to str.split and to bratiaa's regex alike.
TEXTS = st.text(alphabet=st.sampled_from("ab \n\t.\x1c\xa0"), min_size=1, max_size=60)


@given(TEXTS, st.data())
def test_touched_tokens_are_bratiaa_s(text: str, data: st.DataObject) -> None:
    ends = data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=8))
    spans = list(tokenize(text))
    if not spans:
        return
    tokens = Tokens(text, ends)  # several spans at once, as a document's are counted
    for start, end in zip(ends[::2], ends[1::2], strict=False):
        start, end = min(start, end), max(start, end)
        peer = list(TokenOverlap(text, spans).overlapping_tokens(start, end))
        first, last = tokens.touched(start, end)
        assert spans[first:last] == [tuple(t) for t in peer], (start, end)


def test_exact_counts_pool_into_f1() -> None:
    a = {(0, 5, "Claim"), (6, 9, "Premise")}
    b = {(0, 5, "Claim"), (6, 8, "Premise"), (10, 12, "Premise")}
    counts = exact_counts(a, b)
    assert counts["Claim"] == Counts(1, 2) and counts["Premise"] == Counts(0, 3)
    assert Counts().f1 is None


def test_links_agree_with_the_same_type_between_matching_spans() -> None:
    claim, premise = (0, 10, "Claim"), (11, 20, "Premise")
    a = {("supports", premise, claim), ("attacks", (21, 30, "Premise"), claim)}
    b = {("supports", (12, 20, "Premise"), claim), ("supports", (21, 30, "Premise"), claim)}
    exact, overlap = relation_counts(a, b)
    assert exact["supports"] == Counts(0, 3) and exact["attacks"] == Counts(0, 1)
    # overlap: A's supports link matches B's first (start moved by one); the attack has no match
    assert overlap["supports"].f1 == 2 / 3 and overlap["attacks"].f1 == 0
