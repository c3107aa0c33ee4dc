"""`reader agree`'s span F1 against bratiaa on the same annotations, written as a brat project
(one folder per annotator, annotation.conf at the root) and as a reader store."""

from __future__ import annotations

from pathlib import Path

import pytest
from bratiaa import compute_f1_agreement
from bratiaa.utils import tokenize

from benchmarks.agreement import agree, make_team_project
from reader.agreement import Agreement


def _three(value: float | None) -> str:
    assert value is not None
    return f"{value:.3f}"


def _check_against_bratiaa(agreement: Agreement, brat: Path) -> None:
    for kind, token_func in enumerate((None, tokenize)):
        peer = compute_f1_agreement(str(brat), token_func=token_func)
        assert peer.annotators == agreement.annotators
        assert [doc.removesuffix(".ann") for doc in peer.documents] == agreement.documents
        means, sds = peer.mean_sd_per_label()
        assert peer.labels == sorted(agreement.by_label)
        for label, mean, sd in zip(peer.labels, means, sds, strict=True):
            ours = agreement.by_label[label][kind]
            assert (_three(ours.mean), _three(ours.sd)) == (f"{mean:.3f}", f"{sd:.3f}"), label
        means, sds = peer.mean_sd_per_document()
        for doc, mean, sd in zip(peer.documents, means, sds, strict=True):
            ours = agreement.by_document[doc.removesuffix(".ann")][kind]
            assert (_three(ours.mean), _three(ours.sd)) == (f"{mean:.3f}", f"{sd:.3f}"), doc
        mean, sd = peer.mean_sd_total()
        overall = agreement.overall[kind]
        assert (_three(overall.mean), _three(overall.sd)) == (f"{mean:.3f}", f"{sd:.3f}")
        matrix = peer.compute_total_f1_matrix()
        index = {name: i for i, name in enumerate(peer.annotators)}
        for pair in agreement.pairs:
            ours_pair = pair.exact if kind == 0 else pair.overlap
            assert _three(ours_pair) == f"{matrix[index[pair.a]][index[pair.b]]:.3f}"


@pytest.mark.parametrize(("annotators", "seed"), [(3, 1), (3, 2), (2, 3), (4, 4)])
def test_span_f1_equals_bratiaa_exact_and_token(tmp_path: Path, annotators: int, seed: int) -> None:
    folder = make_team_project(tmp_path / "team", annotators, docs=6, spans=10, seed=seed)
    agreement = agree(folder)
    assert len(agreement.annotators) == annotators and len(agreement.documents) == 6
    _check_against_bratiaa(agreement, folder / "brat")


def test_the_figures_are_not_trivial(tmp_path: Path) -> None:
    """The project disagrees enough that a wrong definition would show: exact below overlap,
    neither 0 nor 1, and the standard deviation over pairs non-zero."""
    agreement = agree(make_team_project(tmp_path / "team", 3, docs=5, spans=10, seed=7))
    exact, overlap = agreement.overall
    assert exact.mean is not None and overlap.mean is not None
    assert 0.2 < exact.mean < overlap.mean < 1
    assert exact.sd is not None and exact.sd > 0
