"""Opening the app (`reader`, `reader PROJECT`), what is run most, straight from the entry point
(reader.cli.main): every other command line goes through the parser (click, in base), loaded only
then; the parser and what it loads cost a start-up more than any other part of reader's own."""

from __future__ import annotations

import sys
from pathlib import Path

from reader.errors import ReaderError
from reader.project import Project
from reader.text import display_safe

USER_ERROR = 2

# Each command's module loads only when that command runs: opening the app does not pay for the
# export formats, and an export does not pay for Textual. "name": "module:function".
COMMANDS = {
    "open": "app_commands:open_command",
    "adjudicate": "app_commands:adjudicate_command",
    "list": "report_commands:list_command",
    "claims": "report_commands:claims_command",
    "search": "report_commands:search_command",
    "stats": "report_commands:stats_command",
    "agree": "report_commands:agree_command",
    "export": "transfer_commands:export_command",
    "import": "transfer_commands:import_command",
    "check": "transfer_commands:check_command",
    "merge": "transfer_commands:merge_command",
}


def run_app(project: Project, read_only: bool = False) -> None:
    """Open the reading app on `project`.

    The garbage collector rests until the first screen has painted: loading Textual and building
    the app make tens of thousands of objects that mostly live as long as the app, and the ninety
    collections they set off went over them again and again (about 20 ms of start-up,
    benchmarks/startup.py). The app resumes it; so does this, whatever happens.
    """
    from reader.collector import pause_collector

    resume = pause_collector()
    try:
        corpus = project.load_corpus()
        from reader.tui.app import ReaderApp  # Textual loads only when the app is wanted

        app = ReaderApp(project, corpus, read_only=read_only)
        app.resume_collector_after_start(resume)
        app.run()
    finally:
        resume()


def just_a_project(args: list[str]) -> tuple[bool, Path | None]:
    """Whether `args` only open the app (nothing, or one existing folder that is no command's
    name), and on which folder (None: the current one)."""
    if not args:
        return True, None
    (word, *rest) = args
    if rest or word.startswith("-") or word in COMMANDS or not Path(word).is_dir():
        return False, None
    return True, Path(word)


def error_line(exc: ReaderError) -> str:
    """How every command says a user's error: one line naming the file; its control characters
    shown, never let act (messages quote what files hold)."""
    return f"reader: {display_safe(str(exc))}"


def open_project(folder: Path | None) -> None:
    """`reader [FOLDER]`: the app on FOLDER (None: the current one), its errors said as the parser's
    commands say them."""
    try:
        run_app(Project.resolve(folder, None, None))
    except ReaderError as exc:
        print(error_line(exc), file=sys.stderr)
        sys.exit(USER_ERROR)
    except KeyboardInterrupt:  # ctrl-c while the corpus loads: as the parser answers it
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
