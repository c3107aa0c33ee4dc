"""The README's pictures are the app as it is: each is one of the screenshot tests' snapshots at
160×45 (copy the snapshot over the picture when a change to the screens is meant)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SNAPSHOTS = REPO / "tests" / "tui" / "__snapshots__" / "test_snapshots"


@pytest.mark.parametrize(
    ("picture", "snapshot"),
    [
        ("library.svg", "test_library[size1].svg"),
        ("document.svg", "test_document_with_all_layers_and_panel[size1].svg"),
    ],
)
def test_a_readme_picture_is_the_current_snapshot(picture: str, snapshot: str) -> None:
    assert f"](docs/{picture})" in (REPO / "README.md").read_text(encoding="utf-8")
    shown = (REPO / "docs" / picture).read_bytes()
    assert shown == (SNAPSHOTS / snapshot).read_bytes(), (
        f"docs/{picture} is older than the snapshot {snapshot}: copy it over"
    )
