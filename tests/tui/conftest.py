from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen

PEACE = "peace-2019-09-winning-back-labours-heartlands"


@contextmanager
def fixed_copy(path: Path) -> Iterator[Path]:
    """A fresh copy of the shipped corpus at `path`, with an empty annotations folder, removed after.

    Snapshots show where the corpus lives, so the path is fixed; the exclusive lock keeps two test
    runs on one machine from rebuilding the same folder under each other.
    """
    from ..conftest import SHIPPED_CORPUS

    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(SHIPPED_CORPUS, path / "corpus")
        (path / "annotations").mkdir()
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)


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
            # The open's last step (placing the cursor, filling the panel) runs after the first
            # paint; on a slow machine it may not have yet, and would fall on the test's first key.
            for _ in range(50):
                if not (screen._callbacks or screen._layout_required or screen._dirty_widgets):
                    break
                await pilot.pause()
            return screen
    raise AssertionError("the document did not open")


@pytest.fixture
def make_app(project: Path) -> Callable[..., ReaderApp]:
    def make(config: Config | None = None) -> ReaderApp:
        return ReaderApp(Project.resolve(project), config=config or Config(annotator="tester"))

    return make
