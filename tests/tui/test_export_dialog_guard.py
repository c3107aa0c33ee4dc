"""The app's Export… dialog never writes over the annotation store or a corpus document."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from reader.config import Config
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.export import ExportScreen

from .test_document import SIZE
from .test_read_only import add_one


async def test_the_export_dialog_refuses_to_write_over_the_store(project: Path) -> None:
    add_one(project)
    store_path = project / "annotations" / "store.json"
    app = ReaderApp(Project.resolve(project), config=Config(annotator="tester"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = store_path.read_bytes()
        app.action_export()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#path", Input).value = "annotations/store.json"
        await pilot.press("tab", "enter")  # from the format list to the path
        await pilot.pause()
        if not isinstance(app.screen, ExportScreen):  # "replace it?" asked first
            await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen  # still open, to choose another path
        told = [str(n.message) for n in app._notifications]
        assert any("annotation store" in m and "not written there" in m for m in told), told
        assert store_path.read_bytes() == before
    with AnnotationStore.open(store_path, read_only=True) as store:
        assert len(store) == 1
