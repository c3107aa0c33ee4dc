"""A key in the document repaints what it changed: the panel's box keeps its height so the list below
stays put, a shorter list does not render its entries again, the text's scrollbar is left alone, the
screen is not laid out twice — and what is on the screen is still what a full layout and repaint
would show."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import Visual
from textual.widgets import OptionList

from reader.corpus.documents import Corpus
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView
from reader.tui.widgets.keybar import KeyBar
from reader.tui.widgets.panel import AnnotationPanel
from reader.tui.widgets.steady import SteadyOptionList, SteadyScrollView

from .conftest import wait_for_document
from .test_panel_entries import DOC, annotate

SIZE = (120, 40)


@asynccontextmanager
async def document_open(
    make_app: Callable[..., ReaderApp], project: Path, annotations: int = 30
) -> AsyncIterator[tuple[ReaderApp, Pilot[None], DocumentScreen]]:
    """The op-ed open at SIZE, with `annotations` annotations at random places."""
    if annotations:
        annotate(project, annotations)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_document(DOC)
        yield app, pilot, await wait_for_document(app, pilot)


def rendered(options: OptionList) -> dict[Any, Any]:
    """The list's rendered entries, by (option, style, padding)."""
    cache = options._option_render_cache
    return {key: cache.get(key) for key in list(cache.keys())}


async def full_repaint_agrees(app: ReaderApp, pilot: object) -> None:
    """What is on the screen is what the widgets show rendered afresh: every kept rendering and
    every remembered size thrown away, the screen laid out and repainted whole."""
    shown = app.export_screenshot()
    for widget in app.screen.query("*"):
        if isinstance(widget, OptionList):
            widget._clear_caches()
        if isinstance(widget, SteadyScrollView):
            widget._sizes_seen = None
        widget.refresh()
    app.screen.refresh(layout=True)
    await pilot.pause()  # type: ignore[attr-defined]
    assert shown == app.export_screenshot()


async def layouts_per_key(
    pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch, keys: list[str]
) -> list[int]:
    """The screen's layout passes, key by key, while `keys` are pressed."""
    passes: list[int] = []
    layout = Screen._refresh_layout

    def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
        passes[-1] += 1
        layout(self, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(Screen, "_refresh_layout", counted)
        for key in keys:
            passes.append(0)
            await pilot.press(key)
            await pilot.pause()
    return passes


async def test_moves_leave_the_list_where_it_is(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    """The box above the list keeps its height whatever it shows, so the list does not jump up and
    down under the reader's eyes (and the screen is not laid out again) as the cursor moves."""
    async with document_open(make_app, project) as (app, pilot, _):
        options = app.screen.query_one("#annotation-list", OptionList)
        box = app.screen.query_one("#under-cursor")
        region = options.region
        shown: set[int] = set()
        for _ in range(20):
            await pilot.press("j")
            await pilot.pause()
            shown.add(len(str(box.render()).splitlines()))
            assert options.region == region
            await full_repaint_agrees(app, pilot)
        assert len(shown) > 2  # the box showed texts of several heights on the way


async def test_a_shorter_list_keeps_its_rendered_entries(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    async with document_open(make_app, project) as (app, pilot, _):
        options = app.screen.query_one("#annotation-list", OptionList)
        cache = options._option_render_cache
        await pilot.press("j", "j")
        await pilot.pause()
        height, before = options.size.height, rendered(options)
        await pilot.resize_terminal(SIZE[0], SIZE[1] - 6)
        await pilot.pause()
        assert options.size.height < height
        # Every entry rendered before is still that rendering: only the height changed.
        assert before and all(cache.get(key) is strips for key, strips in before.items())
        await full_repaint_agrees(app, pilot)


async def test_a_narrower_terminal_wraps_the_lists_entries_again(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    async with document_open(make_app, project) as (app, pilot, _):
        options = app.screen.query_one("#annotation-list", OptionList)
        wide = options.scrollable_content_region.width
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        narrow = options.scrollable_content_region.width
        assert narrow < wide
        cache = options._option_render_cache
        strips = [strip for key in list(cache.keys()) for strip in cache.get(key) or []]
        assert strips and all(s.cell_length == narrow for s in strips)
        await full_repaint_agrees(app, pilot)


async def test_moves_that_do_not_scroll_leave_the_texts_scrollbar_alone(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with document_open(make_app, project, annotations=0) as (app, pilot, _):
        view = app.screen.query_one(DocumentView)
        bar = view.vertical_scrollbar
        repaints: list[object] = []
        refresh = bar.refresh
        monkeypatch.setattr(bar, "refresh", lambda *a, **k: repaints.append(a) or refresh(*a, **k))
        top = view.scroll_y
        for _ in range(4):
            await pilot.press("j")
        await pilot.pause()
        assert view.scroll_y == top and not repaints
        await pilot.press("G")  # scrolled: the thumb moves
        await pilot.pause()
        assert view.scroll_y > top and bar.position == view.scroll_y
        await full_repaint_agrees(app, pilot)


# The box keeps its height, so a move lays nothing out, unless the annotation list is given other
# entries (its window moves along, with 200 annotations): one pass then, where the list's scrollbar
# used to ask for a second of its own.
@pytest.mark.parametrize("annotations", [0, 200])
async def test_a_move_lays_the_screen_out_once_at_most(
    make_app: Callable[..., ReaderApp],
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    annotations: int,
) -> None:
    async with document_open(make_app, project, annotations) as (app, pilot, screen):
        passes = await layouts_per_key(pilot, monkeypatch, ["j"] * 15)
        await full_repaint_agrees(app, pilot)
    assert screen.session is not None
    assert len(passes) == 15 and max(passes) <= 1
    if not annotations:
        assert sum(passes) == 0


async def test_after_a_label_kept_entries_keep_their_rendering_and_clicks_find_their_entry(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with document_open(make_app, project) as (app, pilot, screen):
        session = screen.session
        assert session is not None
        options = app.screen.query_one("#annotation-list", OptionList)
        await pilot.press("j", "j")
        await pilot.pause()
        shown = sum(1 for key in rendered(options) if key[0].id is not None)
        made: list[object] = []
        to_strips = Visual.to_strips

        def counted(widget: object, *args: Any, **kwargs: Any) -> list[Strip]:
            if widget is options:
                made.append(args[0])
            return to_strips(widget, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Visual, "to_strips", staticmethod(counted))
        await pilot.press("v", "w", "1")  # a new annotation: every entry after it moves down one
        await pilot.pause()
        monkeypatch.undo()
        assert len(session.annotations) == 31
        # Rendered again: the new entry and the two whose highlight changed, not every one shown.
        assert shown > 6 and len(made) <= 3
        await full_repaint_agrees(app, pilot)

        # A click reports the option drawn where it lands (the index in each row's meta).
        checked = 0
        for row in range(options.size.height):
            line = int(options.scroll_offset.y) + row
            if line >= len(options._lines):
                break
            index, _ = options._lines[line]
            metas = {s.style.meta.get("option") for s in options.render_line(row) if s.style}
            assert metas - {None} == {index}
            checked += 1
        assert checked > 10


async def test_entries_are_drawn_again_when_the_lists_scrollbar_comes_or_goes(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    # A label or an undo can make the list long enough for a scrollbar (or too short for one): the
    # entries then have two columns less (or more), though the list's size stays the same.
    async with document_open(make_app, project, annotations=4) as (app, pilot, _):
        options = app.screen.query_one("#annotation-list", OptionList)
        scrollbar = set()
        for _ in range(12):
            await pilot.press("j", "v", "1")
            await pilot.pause()
            scrollbar.add(options.show_vertical_scrollbar)
            await full_repaint_agrees(app, pilot)
        for _ in range(12):
            await pilot.press("u")
            await pilot.pause()
            scrollbar.add(options.show_vertical_scrollbar)
            await full_repaint_agrees(app, pilot)
        assert scrollbar == {True, False}


async def test_the_highlighted_entry_stays_in_sight_when_the_list_gets_shorter(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    async with document_open(make_app, project, annotations=40) as (app, pilot, _):
        options = app.screen.query_one("#annotation-list", OptionList)
        for _ in range(60):
            await pilot.press("j")
            await pilot.pause()
            if options.highlighted is None or not options.size.height:
                continue
            top = int(options.scroll_offset.y)
            first = options._line_cache.index_to_line[options.highlighted]
            assert top <= first < top + options.size.height, "the highlighted entry is out of sight"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_list_never_starts_on_the_tail_of_an_entry_cut_off_above(
    make_app: Callable[..., ReaderApp], project: Path, size: tuple[int, int]
) -> None:
    """The list's first row is an entry's first row (a new user read a cut-off tail at the top as
    garbled text), going down and coming back up."""
    annotate(project, 40)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        app.open_document(DOC)
        await wait_for_document(app, pilot)
        options = app.screen.query_one("#annotation-list", OptionList)
        moved = 0
        for key in ["j"] * 60 + ["k"] * 60:
            await pilot.press(key)
            await pilot.pause()
            if options.highlighted is None or not options.size.height:
                continue
            top = int(options.scroll_offset.y)
            moved += top > 0
            lines = options._line_cache
            index, line = lines.lines[top]
            if line and top == options.max_scroll_y:
                # At the list's end the highlighted entry may be one an entry's first row on top
                # would cut: then, and only then, another's tail shows.
                start = top - line
                end = lines.index_to_line[options.highlighted] + lines.heights[options.highlighted]
                assert end > start + options.scrollable_content_region.height
                continue
            assert line == 0, f"the list starts on line {line} of entry {index}"
        assert moved, "the list never scrolled: the test shows nothing"


async def test_the_lists_rows_are_the_rows_optionlist_itself_draws(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    """The list draws its rows from what it works out once per repaint; row for row, that is what
    OptionList's own drawing gives: highlighted, hovered, disabled ("… N before") and plain
    entries, every row of each."""
    async with document_open(make_app, project, annotations=150) as (app, pilot, _):
        options = app.screen.query_one("#annotation-list", SteadyOptionList)
        kinds: set[str] = set()
        for _ in range(50):
            await pilot.press("]")  # on through the annotations: "… N before" comes at 30
            await pilot.pause()
            height = options.scrollable_content_region.height
            options._mouse_hovering_over = (options.highlighted or 0) + 1
            for top in (int(options.scroll_y), 0, int(options.max_scroll_y)):  # both ends too
                options.scroll_to(y=top, animate=False, immediate=True)
                options._row_padding = options.get_component_styles("option-list--option").padding
                options._row_styles = {}
                fast = [list(options.render_line(y)) for y in range(height)]
                options._row_padding = None
                own = [list(OptionList.render_line(options, y)) for y in range(height)]
                assert fast == own
                for index, _line in options._line_cache.lines[top : top + height]:
                    option = options.options[index]
                    kinds.add(
                        "disabled"
                        if option.disabled
                        else "highlighted"
                        if index == options.highlighted
                        else "hovered"
                        if index == options._mouse_hovering_over
                        else "plain"
                    )
        assert kinds == {"disabled", "highlighted", "hovered", "plain"}


async def test_moving_the_highlight_repaints_the_two_entries_it_leaves_and_reaches(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with document_open(make_app, project) as (app, pilot, _):
        options = app.screen.query_one("#annotation-list", SteadyOptionList)
        drawn: list[int] = []
        render_line = SteadyOptionList.render_line

        def counted(self: SteadyOptionList, y: int) -> Strip:
            if self is options:
                drawn.append(y)
            return render_line(self, y)

        monkeypatch.setattr(SteadyOptionList, "render_line", counted)
        checked = 0
        for _ in range(8):
            before, top = options.highlighted, options.scroll_y
            drawn.clear()
            await pilot.press("right_square_bracket")  # on to the next annotation
            await pilot.pause()
            after = options.highlighted
            if before is None or after is None or before == after or options.scroll_y != top:
                continue  # the list scrolled (or did not move): every row is new
            lines = options._line_cache
            assert len(drawn) == lines.heights[before] + lines.heights[after]
            checked += 1
            await full_repaint_agrees(app, pilot)
        assert checked >= 3


async def test_the_key_bar_lays_nothing_out(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bar is worked out again whenever the screen's bindings change (here: a selection starts
    # and ends); it is one row whatever it holds.
    async with document_open(make_app, project, annotations=0) as (app, pilot, _):
        bar = app.screen.query_one(KeyBar)
        passes: list[str] = []
        layout = Screen._refresh_layout

        def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
            passes.append(str(bar.render()))
            layout(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        asked: list[object] = []
        signal = app.screen.bindings_updated_signal
        publish = signal.publish
        monkeypatch.setattr(signal, "publish", lambda data: asked.append(data) or publish(data))
        for key in ("v", "w", "escape", "v", "escape"):
            await pilot.press(key)
            await pilot.pause()
        monkeypatch.undo()
        assert asked and not passes
        await full_repaint_agrees(app, pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_document_reopened_further_down_lists_from_an_entrys_first_row(
    make_app: Callable[..., ReaderApp], project: Path, size: tuple[int, int]
) -> None:
    """The list is filled, then gets its scrollbar and wraps its entries again, narrower: where it
    had scrolled to is then the middle of an entry, unless it scrolls again."""
    annotate(project, 40)
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        text = Corpus.load(project / "corpus").get(DOC)
        assert text is not None
        store.meta[f"position:{DOC}"] = {"offset": len(text.text) * 2 // 3, "progress": 0.6}
        store.meta["last_session"] = {"doc": DOC}
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_for_document(app, pilot)
        await pilot.pause()
        options = app.screen.query_one("#annotation-list", OptionList)
        top = int(options.scroll_offset.y)
        assert top > 0 and options.show_vertical_scrollbar  # the case in question
        index, line = options._line_cache.lines[top]
        assert line == 0 or top == options.max_scroll_y, f"starts on line {line} of entry {index}"


async def test_with_the_panel_stepped_aside_a_move_lays_nothing_out(
    make_app: Callable[..., ReaderApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A terminal too narrow for the panel beside the text: the panel is hidden, its box has no width.
    annotate(project, 30)
    app = make_app()
    async with app.run_test(size=(60, 24)) as pilot:
        app.open_document(DOC)
        await wait_for_document(app, pilot)
        await pilot.pause()
        assert not app.screen.query_one(AnnotationPanel).display
        passes = await layouts_per_key(pilot, monkeypatch, ["j"] * 10)
        assert passes == [0] * 10
        await full_repaint_agrees(app, pilot)
