from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp

PEACE = "peace-2019-09-winning-back-labours-heartlands"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never read the developer's own config.toml in tests.
    monkeypatch.setenv("READER_CONFIG", str(tmp_path / "no-config.toml"))


def messages(app: ReaderApp) -> list[str]:
    """What the app has notified so far, oldest first."""
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def make_app(project: Path) -> Callable[..., ReaderApp]:
    def make(config: Config | None = None) -> ReaderApp:
        return ReaderApp(Project.resolve(project), config=config or Config(annotator="tester"))

    return make
