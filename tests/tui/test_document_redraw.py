"""A cursor move repaints only the rows of the cursor and selection, before and after; whatever the keys
do, the rows on screen are the rows a full repaint draws."""

from __future__ import annotations

from reader.model.annotation import Link, annotation_for
from reader.tui.widgets.document_view import DocumentView

from .test_document_view import ViewApp, long_session


def rows(view: DocumentView) -> list[list[tuple[str, object]]]:
    height = view.scrollable_content_region.height
    return [[(s.text, s.style) for s in view.render_line(y)] for y in range(height)]


async def test_partial_repaints_draw_what_a_full_repaint_draws() -> None:
    session = long_session()
    text = session.text
    here = session.current
    assert here is not None
    session.set_annotations(
        [
            annotation_for(
                "d", text, "0" * 64, here.start + n * 9, here.start + n * 9 + 40, label="claim"
            )
            for n in range(-20, 30)
        ]
    )
    app = ViewApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(DocumentView)
        steps = [
            lambda: session.move(1),
            lambda: session.move(1),
            lambda: session.start_selection(),
            lambda: session.grow("word", 1),
            lambda: session.grow("sentence", 1),
            lambda: session.cancel_selection(),
            lambda: session.move(-1),
            lambda: session.cycle_layers(),
            lambda: session.move(-1),
            lambda: session.apply_change(session.annotations[3], None),
            lambda: session.move(1),
        ]
        for step in steps:
            step()
            view.redraw()
            view.scroll_to_cursor()
            await pilot.pause()
            partial = rows(view)
            view.redraw(everything=True)
            assert partial == rows(view)


async def test_a_change_repaints_its_rows_and_the_screen_shows_what_a_full_repaint_shows() -> None:
    session = long_session()
    text = session.text
    here = session.current
    assert here is not None

    def made(offset: int, length: int, label: str | None = "claim", **fields: object):  # type: ignore[no-untyped-def]
        start = here.start + offset
        return annotation_for("d", text, "0" * 64, start, start + length, label=label, **fields)

    session.set_annotations([made(n * 9, 40) for n in range(-20, 30)])
    app = ViewApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(DocumentView)
        added = made(15, 200, label="premise")
        steps = [
            lambda: session.apply_change(None, added),
            lambda: session.move(1),
            lambda: session.apply_change(added, added.with_changes(label=None, note="n")),
            lambda: session.apply_change(session.annotations[5], None),
            lambda: session.apply_change(None, made(300, 30, label="evidence")),
            lambda: session.set_dismissed(set(session.dismissed)),  # unchanged: nothing to redraw
        ]
        for step in steps:
            drawn = dict(view._strips)
            looks = session.looks
            step()
            restyled = session.restyled_since(looks)
            assert restyled is not None
            view.redraw()
            await pilot.pause()
            partial = app.export_screenshot()
            # Rows away from the changed spans and the cursor kept their styled strips.
            kept = [row for row, strip in drawn.items() if view._strips.get(row) is strip]
            assert kept or not drawn
            view.redraw(everything=True)
            await pilot.pause()
            assert partial == app.export_screenshot()
        # Changes that may show anywhere are drawn in full: a link (it marks where both ends start),
        # a layer.
        looks = session.looks
        first, other = session.annotations[0], session.annotations[1]
        session.apply_change(first, first.with_changes(note="why"))
        assert session.restyled_since(looks) == [(first.start, first.end)] * 2
        linked = first.with_changes(links=(Link("supports", other.id),))
        session.apply_change(first, linked)
        assert session.restyled_since(looks) is None
        looks = session.looks
        session.cycle_layers()
        assert session.restyled_since(looks) is None
