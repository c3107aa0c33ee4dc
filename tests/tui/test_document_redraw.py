"""A cursor move repaints only the rows of the cursor and selection, before and after; whatever the keys
do, the rows on screen are the rows a full repaint draws."""

from __future__ import annotations

from reader.model.annotation import annotation_for
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
