"""The panel's list after a change: the entries of unchanged annotations are kept as they were (measured
once), and the entry of the changed one shows the change."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.widgets.panel import UnderCursorBox

from .conftest import wait_for_document

DOC = "peace-2019-09-winning-back-labours-heartlands"


def annotate(project: Path, count: int) -> None:
    # By the app's own annotator (make_app's "tester"): a second annotator would rightly have
    # every entry made again to name its annotator.
    doc = Corpus.load(project / "corpus").get(DOC)
    assert doc is not None
    rng = random.Random(2)
    anns = []
    for _ in range(count):
        start = rng.randrange(doc.body_start, len(doc.text) - 100)
        label = rng.choice(["claim", "premise", "evidence"])
        anns.append(annotation_from_document(doc, start, start + 40, label=label, author="tester"))
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add_many(anns)


def entries(app: ReaderApp) -> dict[str, object]:
    options = app.screen.query_one("#annotation-list", OptionList)
    return {o.id: o for o in options.options if o.id is not None}


async def test_a_label_keeps_the_other_entries_and_shows_the_new_one(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    annotate(project, 30)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_document(DOC)
        screen = await wait_for_document(app, pilot)
        session = screen.session
        assert session is not None
        before = entries(app)
        assert len(before) == 30

        await pilot.press("j", "j", "v", "w", "1")  # a new annotation on a selection
        await pilot.pause()
        after = entries(app)
        assert len(after) == 31
        new = set(after) - set(before)
        assert len(new) == 1
        assert all(after[id] is option for id, option in before.items())
        # Measured once: kept entries were not wrapped again at another width.
        options = app.screen.query_one("#annotation-list", OptionList)
        width = options.scrollable_content_region.width
        for option in before.values():
            visual = option._visual  # type: ignore[attr-defined]
            assert visual is not None and visual._height_cache[0][0] == width

        # Relabelled (as an edit elsewhere or the label keys do): the entry is made again and shows
        # the new label; the others stay.
        (changed,) = new
        annotation = next(a for a in session.annotations if a.id == changed)
        label = "premise" if annotation.label != "premise" else "evidence"
        assert app.store is not None
        app.store.update(changed, label=label)
        await pilot.pause()
        final = entries(app)
        assert final[changed] is not after[changed]
        assert str(final[changed].prompt).split()[0] == label  # type: ignore[attr-defined]
        assert all(final[id] is option for id, option in before.items())


async def test_the_box_under_the_cursor_shows_each_move_as_a_full_layout_does(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The box's size is the panel's whatever it shows, so it is never laid out again; what it
    # shows is what a full layout shows, also when its text is longer than it (at 120×24).
    annotate(project, 30)
    layouts: list[bool] = []
    refresh = UnderCursorBox.refresh

    def recorded(self: UnderCursorBox, *regions: Any, layout: bool = False, **kw: Any) -> Any:
        layouts.append(layout)
        return refresh(self, *regions, layout=layout, **kw)

    monkeypatch.setattr(UnderCursorBox, "refresh", recorded)
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        app.open_document(DOC)
        await wait_for_document(app, pilot)
        layouts.clear()
        for _ in range(25):
            await pilot.press("j")
            await pilot.pause()
            shown = app.export_screenshot()
            app.screen.refresh(layout=True)
            refresh(app.screen.query_one(UnderCursorBox), layout=True)
            await pilot.pause()
            assert shown == app.export_screenshot()
    assert len(layouts) > 10 and not any(layouts)


async def test_entries_name_their_annotators_once_a_second_one_labels(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    doc = Corpus.load(project / "corpus").get(DOC)
    assert doc is not None
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, doc.body_start, doc.body_start + 40, author="ana"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_document(DOC)
        await wait_for_document(app, pilot)
        assert not any("ana" in str(o.prompt) for o in entries_list(app))  # one annotator: moot
        await pilot.press("j", "j", "j", "1")  # "tester" labels a sentence
        await pilot.pause()
        prompts = [str(o.prompt) for o in entries_list(app)]
        assert len(prompts) == 2
        assert any("ana" in p for p in prompts) and any("tester" in p for p in prompts)


def entries_list(app: ReaderApp) -> list[Any]:
    return list(app.screen.query_one("#annotation-list", OptionList).options)
