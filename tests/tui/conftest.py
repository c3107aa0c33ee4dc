from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen

PEACE = "peace-2019-09-winning-back-labours-heartlands"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never read the developer's own config.toml in tests.
    monkeypatch.setenv("READER_CONFIG", str(tmp_path / "no-config.toml"))


def messages(app: ReaderApp) -> list[str]:
    """What the app has notified so far, oldest first."""
    return [str(n.message) for n in app._notifications]


async def wait_for_document(app: ReaderApp, pilot: Pilot[None]) -> DocumentScreen:
    """The document screen once it has opened and finished loading; fails if it does not open."""
    for _ in range(200):
        await pilot.pause(0.01)
        screen = app.screen
        if isinstance(screen, DocumentScreen) and screen.session is not None:
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen
    raise AssertionError("the document did not open")


@pytest.fixture
def make_app(project: Path) -> Callable[..., ReaderApp]:
    def make(config: Config | None = None) -> ReaderApp:
        return ReaderApp(Project.resolve(project), config=config or Config(annotator="tester"))

    return make
