"""What the library's first paint imports: not the Markdown parser a note needs, nor the claims scorer,
nor the export formats, the other commands or the command-line parser (they load when first used),
since start-up time is import time for the most part."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LATER = (
    "rich.markdown",
    "markdown_it",
    "reader.claims.scores",
    "reader.tui.screens.document",
    "reader.tui.widgets.panel",
    "reader.cli.report_commands",
    "reader.cli.transfer_commands",
    "reader.formats",
    "reader.transfer",
    "reader.anchoring",
    "textual.widgets._text_area",
    "click",  # `reader [PROJECT]` opens the app without the command-line parser
    "hashlib",  # a document is hashed when opened, not listed
    "secrets",
    "reader.stats",  # the preview's counts come after the first paint
    "reader.tui.screens.help",
)


def test_the_first_screen_leaves_heavy_modules_for_later() -> None:
    code = (
        "import sys\n"
        "import reader.__main__, reader.cli.entry, reader.tui.app, reader.tui.screens.library\n"
        f"print(','.join(sorted(m for m in sys.modules if m.startswith({LATER!r}))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


RUN = """
import asyncio, sys
from pathlib import Path
from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp

async def main():
    app = ReaderApp(Project.resolve(Path(sys.argv[1])), config=Config(annotator="t"))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            await pilot.pause()
        print(type(app.screen).__name__)

asyncio.run(main())
print(",".join(sorted(m for m in sys.modules if m.startswith(tuple(sys.argv[2].split(","))))))
"""


def test_the_library_on_screen_has_not_loaded_the_document_screen(project: Path) -> None:
    # The scorer may load by now (the background count starts after the first paint); the
    # document screen, its panel and Markdown wait until a document opens.
    later = "reader.tui.screens.document,reader.tui.widgets.panel,rich.markdown,markdown_it"
    result = subprocess.run(
        [sys.executable, "-c", RUN, str(project), later], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    shown, loaded = result.stdout.splitlines()[-2:]
    assert shown == "LibraryScreen" and loaded == "", result.stdout
