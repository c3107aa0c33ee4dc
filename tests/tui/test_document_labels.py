"""Labels and what the document screen says about them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.tui.app import ReaderApp
from reader.tui.widgets.document_view import DocumentView

from .conftest import messages
from .test_document import SIZE, open_peace, stored
from .test_document_theme import painted_view


async def test_a_label_without_a_colour_gets_a_default_one(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    toml = project / "corpus" / "corpus.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('color = "#b48ee0"\n', ""), encoding="utf-8"
    )
    app = make_app()
    assert app.scheme.by_key("5") is not None and app.scheme.by_key("5").color is None  # type: ignore[union-attr]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        await pilot.press("j", "5")
        session = screen.session
        assert session is not None and session.current is not None
        words = session.text[session.current.start : session.current.end].split()
        await pilot.press("j")  # off the sentence: only the label's colour marks it now
        await pilot.pause()
        view = screen.query_one(DocumentView)
        surface = view.rich_style.bgcolor
        highlighted = [s for s in painted_view(app) if s.style and s.style.bgcolor != surface]
        assert words[0] in "".join(s.text for s in highlighted)
        panel = " ".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "rebuttal" in panel
    [annotation] = stored(project)
    assert annotation.label == "rebuttal"


async def test_an_annotation_with_a_label_the_scheme_lacks_is_still_coloured(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_peace(app, pilot)
        session = screen.session
        assert session is not None and app.store is not None
        await pilot.press("j", "1")
        [annotation] = app.store.annotations()
        # An import from another project, or a label since removed from corpus.toml.
        app.store.update(annotation.id, label="hypothesis")
        await pilot.press("j")
        await pilot.pause()
        view = screen.query_one(DocumentView)
        surface = view.rich_style.bgcolor
        highlighted = [s for s in painted_view(app) if s.style and s.style.bgcolor != surface]
        assert annotation.quote.split()[0] in "".join(s.text for s in highlighted)
        await pilot.press("k")  # the panel shows the annotation under the cursor
        await pilot.pause()
        assert "hypothesis" in " ".join(s.text for s in app.screen._compositor.render_strips())


async def test_relabelling_with_the_same_label_changes_nothing(
    make_app: Callable[..., ReaderApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_peace(app, pilot)
        store = app.store
        assert store is not None
        await pilot.press("j", "1")
        [labelled] = store.annotations()
        app._notifications.clear()
        await pilot.press("1")
        await pilot.pause()
        said = messages(app)
        assert said and all("Labelled" not in m for m in said)
        assert any("already" in m.lower() for m in said)
        assert store.annotations() == [labelled]  # not even its modified time moved
        await pilot.press("u")  # one undo takes back the only change: the first label
        assert store.annotations() == []
        assert not store.can_undo
