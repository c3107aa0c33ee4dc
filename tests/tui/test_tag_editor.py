"""The tag editor: completion that ignores case and accents, the list of tags used, ctrl+q."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.modals import ConfirmScreen, TagEditor

from .conftest import PEACE
from .test_document import SIZE, open_peace, stored

ROWLEY = "rowley-2019-12-holding-north-east-derbyshire"


def tag_elsewhere(project: Path, tags: list[str]) -> None:
    """An annotation in another document carrying `tags`, so the editor knows them."""
    doc = Corpus.load(project / "corpus").get(ROWLEY)
    assert doc is not None
    start = doc.text.index("red wall")
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, start, start + 8, tags=tags))


def peace_tags(project: Path) -> list[tuple[str, ...]]:
    return [a.tags for a in stored(project) if a.doc == PEACE]


async def test_completion_ignores_accents_and_case(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    tag_elsewhere(project, ["électorat", "economy"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("t", *"brexit ELE")
        await pilot.pause()
        await pilot.press("right")  # take the suggestion
        box = app.screen.query_one(Input)
        assert box.value == "brexit électorat"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
    assert peace_tags(project) == [("brexit", "électorat")]


async def test_the_tags_used_so_far_are_shown_whole_or_counted(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    used = [f"theme-number-{n:02}" for n in range(15)]
    tag_elsewhere(project, used)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, TagEditor)
        known = editor.query_one(".known")
        dialog = known.parent
        assert dialog is not None
        # Inside the dialog, every line of it, and the tags not listed counted.
        assert known.region.right <= dialog.content_region.right
        strips = app.screen._compositor.render_strips()[known.region.y : known.region.bottom]
        shown = " ".join(s.crop(known.region.x, known.region.right).text.strip() for s in strips)
        listed = [tag for tag in used if tag in shown]
        assert listed == used[: len(listed)] and f"and {len(used) - len(listed)} more" in shown


async def test_ctrl_q_in_the_tag_editor_asks_before_throwing_typed_tags_away(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("t", *"economy", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.return_code is None  # still running
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        assert app.screen.query_one(Input).value == "economy"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("t", *" brexit", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # quit without the new tag
        await pilot.pause()
    assert app.return_code == 0
    assert peace_tags(project) == [("economy",)]


async def test_ctrl_q_in_an_unchanged_tag_editor_just_quits(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("t", "ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_t_keeps_the_old_tags_and_typing_adds_one_in_the_users_order(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("t", *"brexit, doorstep", "enter")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        box = app.screen.query_one(Input)
        assert box.selection.is_empty and box.cursor_position == len(box.value)
        await pilot.press(*"sourcing", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
    assert peace_tags(project) == [("brexit", "doorstep", "sourcing")]


async def test_tags_keep_the_order_they_were_typed_in(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        await pilot.press("t", *"colonialism, causal", "enter")
        await pilot.pause()
    assert peace_tags(project) == [("colonialism", "causal")]
