"""The second clause of a sentence is labelled by keyboard in a few keys."""

from __future__ import annotations

from collections.abc import Callable

from reader.tui.app import ReaderApp

from .test_document import SIZE, open_peace


async def test_v_then_greater_than_then_a_label_labels_the_second_clause(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        assert screen.session is not None
        text = screen.session.text
        screen.session.move_to_offset(text.index("We provide our content free"))
        for key in ("v", "greater_than_sign", "1"):
            await pilot.press(key)
        await pilot.pause()
        assert app.store is not None
        [made] = app.store.annotations()
        assert made.quote == "but providing daily Labour news, comment and analysis costs money."
        assert made.label == "claim"


async def test_capital_v_starts_at_a_word_and_capital_w_walks_it(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        assert screen.session is not None
        text = screen.session.text
        screen.session.move_to_offset(text.index("We provide our content free"))
        for key in ("V", "W", "W", "w", "less_than_sign", "2"):
            await pilot.press(key)
        await pilot.pause()
        assert app.store is not None
        [made] = app.store.annotations()
        assert made.quote == "our content"
        assert made.label == "premise"
