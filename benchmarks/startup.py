"""Start-up time: `reader` from launch to the library on screen, against a Textual hello world.

    python -m benchmarks.startup [--runs N] [--project DIR] [--scale DIR] [--to exit|visible]
                                 [--dense]

Every program runs on a pseudo-terminal, in turn. `--to visible` (the default) times what the user
sees: from launch until the first library row's title (the hello world's text) has been written to the
terminal, then kills the program. `--to exit` times launch to exit right after the first paint
(`READER_EXIT_AFTER_PAINT=1` for reader), which adds the same teardown to each. `--scale DIR` adds
`reader` on a large project (build one with `python -m benchmarks.scale DIR`: 10,000 documents,
100,000 annotations). `--dense` adds `reader` reopening, as start-up does, the document read last:
the 1 MB document of benchmarks.document with no annotations and with 10,000, timed until the start
of its text is on the terminal. Prints medians and the ratio to the hello world.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks._pty import time_in_pty, time_until_text

REPO = Path(__file__).resolve().parent.parent


def first_row_title(project: Path) -> str:
    """The start of the title the library's first row shows (sorted by file name)."""
    from reader.project import Project
    from reader.text import display_safe

    corpus = Project.resolve(project).load_corpus()
    first = next(doc for doc in corpus if doc.readable)
    return " ".join(display_safe(first.title).split())[:16]


def dense_project(folder: Path, annotations: int) -> tuple[Path, str]:
    """A project whose reader last read the 1 MB document (holding `annotations`), at its start;
    and the start of the document's first paragraph, which start-up shows."""
    from benchmarks.document import annotate, make_project
    from reader.corpus.documents import Corpus
    from reader.store import AnnotationStore
    from reader.user_state import UserState

    project = make_project(folder, 1.0)
    annotate(project, "big", annotations)
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        UserState(store.meta).save_position("big", 0, 0.0)
    doc = Corpus.load(project / "corpus").get("big")
    assert doc is not None
    first = doc.text[doc.body_start :].split("\n\n")[1]  # after the headline
    return project, first[:20]


def measure(
    project: Path,
    runs: int,
    scale: Path | None = None,
    to: str = "visible",
    dense: Path | None = None,
) -> dict[str, list[float]]:
    commands = {
        "textual hello world": ([sys.executable, "-m", "benchmarks.hello"], "Hello, world"),
        f"reader {project.name}": (
            [sys.executable, "-m", "reader", str(project)],
            first_row_title(project),
        ),
    }
    if scale is not None:
        commands[f"reader {scale.name} (large)"] = (
            [sys.executable, "-m", "reader", str(scale)],
            first_row_title(scale),
        )
    if dense is not None:
        for count in (0, 10_000):
            folder, text = dense_project(dense / str(count), count)
            commands[f"reader, 1 MB reopened, {count:,} ann."] = (
                [sys.executable, "-m", "reader", str(folder)],
                text,
            )
    # Bytecode caches as an installed program has them, for both programs: a shell that sets
    # PYTHONDONTWRITEBYTECODE would leave reader's own modules (never installed, so never compiled
    # ahead) to be compiled on every launch, while Textual's come compiled with the package.
    # A private prefix keeps the caches out of the source tree; the warm-up run fills it.
    caches = tempfile.mkdtemp(prefix="reader-startup-pycache-")
    env = {"PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": caches}
    if to == "exit":
        env["READER_EXIT_AFTER_PAINT"] = "1"
    else:
        env["HELLO_STAY"] = "1"  # the hello world stays up like reader does

    def once(argv: list[str], text: str) -> float:
        return time_in_pty(argv, env) if to == "exit" else time_until_text(argv, env, text)

    times: dict[str, list[float]] = {name: [] for name in commands}
    try:
        for argv, text in commands.values():  # warm the file cache and .pyc files
            once(argv, text)
        for _ in range(runs):
            for name, (argv, text) in commands.items():
                times[name].append(once(argv, text))
    finally:
        shutil.rmtree(caches, ignore_errors=True)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--project", type=Path, default=REPO)
    parser.add_argument("--scale", type=Path, default=None)
    parser.add_argument("--to", choices=("visible", "exit"), default="visible")
    parser.add_argument("--dense", action="store_true", help="add a dense document reopened")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        dense = Path(folder) if args.dense else None
        times = measure(args.project, args.runs, args.scale, args.to, dense)
    baseline = statistics.median(next(iter(times.values())))
    what = "content on the terminal" if args.to == "visible" else "exit after the first paint"
    print(f"Start-up to {what}, {args.runs} alternating runs each (median, ms)")
    print(f"{'program':<32} {'median':>8} {'min':>8} {'max':>8} {'ratio':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:<32} {median * 1000:8.0f} {min(values) * 1000:8.0f} "
            f"{max(values) * 1000:8.0f} {median / baseline:7.2f}"
        )


if __name__ == "__main__":
    main()
