"""What the library's first paint imports: not the Markdown parser a note needs, nor the claims scorer
(they load when first used), since start-up time is import time for the most part."""

from __future__ import annotations

import subprocess
import sys

LATER = ("rich.markdown", "markdown_it", "reader.claims.scores", "reader.tui.screens.document")


def test_the_first_screen_leaves_heavy_modules_for_later() -> None:
    code = (
        "import sys\n"
        "import reader.cli, reader.tui.app, reader.tui.screens.library\n"
        f"print(','.join(sorted(m for m in sys.modules if m.startswith({LATER!r}))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
