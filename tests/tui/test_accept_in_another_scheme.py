"""`y` on a corpus whose labels are not reader's defaults (a brat project's MajorClaim, Claim,
Premise): a suggested claim is accepted as the scheme's `Claim`; a suggested fact, for which the
scheme has no label, is refused with what to do instead of leaving an unlabelled annotation."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.brat_essays import CORPUS_TOML
from reader.config import Config
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp

from ..conftest import SHIPPED_CORPUS
from .conftest import PEACE, messages, wait_for_document


async def test_y_accepts_as_the_scheme_s_own_claim_or_says_what_to_do(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus")
    toml = tmp_path / "corpus" / "corpus.toml"
    documents = toml.read_text("utf-8").split("[[labels]]")[0]  # the op-eds' metadata only
    toml.write_text(documents + CORPUS_TOML, "utf-8")
    app = ReaderApp(Project.resolve(tmp_path), config=Config(annotator="tester"))
    kinds_seen: set[str] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_document(PEACE)
        screen = await wait_for_document(app, pilot)
        session = screen.session
        assert session is not None
        for _ in range(len(session.suggestions())):
            await pilot.press("n")
            await pilot.pause()
            suggestion = session.suggestion_at_cursor()
            assert suggestion is not None
            kind = "claim" if "claim" in suggestion.labels else "factual"
            if kind in kinds_seen:
                continue
            kinds_seen.add(kind)
            before = session.open_suggestion_count()
            await pilot.press("y")
            await pilot.pause()
            assert app.store is not None
            on_it = [
                a
                for a in app.store.annotations(PEACE)
                if (a.start, a.end) == (suggestion.start, suggestion.end)
            ]
            if kind == "claim":
                assert [a.label for a in on_it] == ["Claim"]
                assert session.open_suggestion_count() == before - 1
                assert messages(app)[-1].startswith("Accepted as Claim")
            else:
                assert on_it == []
                assert "no evidence label" in messages(app)[-1]
                assert "2 Claim" in messages(app)[-1]
            if kinds_seen == {"claim", "factual"}:
                break
    assert kinds_seen == {"claim", "factual"}
    with AnnotationStore.open(tmp_path / "annotations" / "store.json", read_only=True) as store:
        assert all(a.label for a in store.annotations())
