from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CORPUS = REPO / "corpus"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of the shipped project folder (corpus + empty annotations/)."""
    shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus")
    (tmp_path / "annotations").mkdir()
    return tmp_path
