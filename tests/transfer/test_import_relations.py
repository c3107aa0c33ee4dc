"""An import that brings a link type the corpus does not declare says so, as for labels."""

from __future__ import annotations

from pathlib import Path

import orjson

from reader.model.annotation import Link
from reader.transfer import import_file
from tests.formats.formats_helpers import Fixture, make_project
from tests.transfer.test_import import sample, store_of


def test_an_unknown_link_type_is_unmatched_and_named(tmp_path: Path) -> None:
    fx: Fixture = make_project(tmp_path / "project")
    claim, premise = sample(fx)
    premise = premise.with_changes(links=[Link("contradicts", claim.id)])
    data = {"schema": "reader-annotations/1", "annotations": [claim.to_json(), premise.to_json()]}
    (tmp_path / "a.json").write_bytes(orjson.dumps(data))
    with store_of(fx) as store:
        report = import_file(tmp_path / "a.json", "json", fx.corpus, store)
        [unmatched] = report.unmatched
        assert "link type 'contradicts' is not among the corpus's relation types" in (
            unmatched.reason
        )
        assert "supports, attacks, rebuts, undercuts, restates" in unmatched.reason
        assert "[[relations]]" in unmatched.reason
        assert not report.applied and store.annotations() == []
        report = import_file(tmp_path / "a.json", "json", fx.corpus, store, allow_unmatched=True)
        assert report.applied and store.annotations() == [claim]


def test_declared_link_types_import_as_before(tmp_path: Path) -> None:
    fx: Fixture = make_project(tmp_path / "project")
    anns = sample(fx)
    data = {"schema": "reader-annotations/1", "annotations": [a.to_json() for a in anns]}
    (tmp_path / "a.json").write_bytes(orjson.dumps(data))
    with store_of(fx) as store:
        report = import_file(tmp_path / "a.json", "json", fx.corpus, store)
        assert report.applied and report.unmatched == []
        assert sorted(store.annotations(), key=lambda a: a.start or 0) == anns
