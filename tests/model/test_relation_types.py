"""Relation types are data: corpus.toml declares them beside the labels, each with a polarity."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.corpus.documents import Corpus
from reader.errors import CorpusError
from tests.conftest import SHIPPED_CORPUS


def corpus_with(tmp_path: Path, toml: str) -> Corpus:
    (tmp_path / "a.txt").write_text("Some text.\n", encoding="utf-8")
    (tmp_path / "corpus.toml").write_text(toml, encoding="utf-8")
    return Corpus.load(tmp_path)


def test_the_shipped_corpus_declares_supports_and_attacks_with_their_keys() -> None:
    scheme = Corpus.load(SHIPPED_CORPUS).scheme
    names = [r.name for r in scheme.relations]
    assert names == ["supports", "attacks", "rebuts", "undercuts", "restates"]
    supports, attacks = scheme.relation("supports"), scheme.relation("attacks")
    assert supports is not None and supports.key == "s" and not supports.attacks
    assert attacks is not None and attacks.key == "a" and attacks.attacks


def test_a_corpus_without_relations_gets_the_default_ones(tmp_path: Path) -> None:
    scheme = corpus_with(tmp_path, "").scheme
    assert scheme.relation("rebuts") is not None and scheme.attacks("rebuts")


def test_declared_relations_replace_the_defaults(tmp_path: Path) -> None:
    scheme = corpus_with(
        tmp_path,
        '[[relations]]\nname = "contradicts"\nkey = "x"\npolarity = "attacks"\n',
    ).scheme
    assert [r.name for r in scheme.relations] == ["contradicts"]
    assert scheme.relation("supports") is None
    assert scheme.attacks("contradicts") and not scheme.attacks("supports")


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ('[[relations]]\nname = "backs"\npolarity = "helps"\n', "polarity"),
        ('[[relations]]\nname = "Backs"\npolarity = "supports"\n', "lower-case"),
        (
            '[[relations]]\nname = "a"\nkey = "s"\npolarity = "supports"\n'
            '[[relations]]\nname = "b"\nkey = "s"\npolarity = "attacks"\n',
            "already used",
        ),
        ('relations = "supports"\n', "[[relations]]"),
    ],
)
def test_a_broken_relation_table_names_the_file_and_what_to_fix(
    tmp_path: Path, toml: str, said: str
) -> None:
    with pytest.raises(CorpusError, match=r"corpus\.toml") as caught:
        corpus_with(tmp_path, toml)
    assert said in str(caught.value)
