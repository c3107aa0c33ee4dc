"""A note of megabytes, in the app, headless.

    python -m benchmarks.long_note [--runs N] [--megabytes MB]

Measures, in one run, for an annotation with a short note (the baseline) and one with a note of MB
megabytes (an import gone wrong): moving the cursor onto it (the panel shows the note) and opening the
note editor on it. Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, annotation_from_document
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.screens.modals import NoteEditor

REPO = Path(__file__).resolve().parent.parent
DOC_ID = "rowley-2019-12-holding-north-east-derbyshire"
LINE = "A line of a note that was imported by mistake and goes on for a long while. " * 2


def long_note(megabytes: float) -> str:
    return (LINE + "\n") * max(1, int(megabytes * 1_000_000) // (len(LINE) + 1))


def make_project(folder: Path, note: str) -> Path:
    shutil.copytree(REPO / "corpus", folder / "corpus")
    (folder / "annotations").mkdir()
    doc = Corpus.load(folder / "corpus").get(DOC_ID)
    assert doc is not None
    annotation = annotation_from_document(doc, 0, 20, label="claim", author="bench")
    # A note over the limit can only come from a store written before there was one; it still opens.
    annotation = Annotation.from_json({**annotation.to_json(), "note": note})
    with AnnotationStore.open(folder / "annotations" / "store.json") as store:
        store.add(annotation)
    return folder


async def onto_and_open(project: Path) -> tuple[float, float]:
    """Seconds to move onto the annotation (panel redrawn), and to open the note editor on it."""
    app = ReaderApp(Project.resolve(project), config=Config(annotator="bench"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_document(DOC_ID, 0)
        while not (isinstance(app.screen, DocumentScreen) and app.screen.session is not None):
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("]")
        await pilot.pause()
        onto = time.perf_counter() - start
        start = time.perf_counter()
        await pilot.press("a")
        while not isinstance(app.screen, NoteEditor):
            await pilot.pause(0.001)
        await pilot.pause()
        opened = time.perf_counter() - start
        await pilot.press("escape")
    return onto, opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--megabytes", type=float, default=10.0)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, note in (
            ("short note", "A short note."),
            ("long note", long_note(args.megabytes)),
        ):
            project = make_project(Path(tmp) / name.replace(" ", "-"), note)
            runs = [asyncio.run(onto_and_open(project)) for _ in range(args.runs)]
            onto = statistics.median(r[0] for r in runs)
            opened = statistics.median(r[1] for r in runs)
            rows.append((f"{name} ({len(note):,} characters)", onto, opened))
    base = rows[0]
    print(f"{'':40} {'onto it (panel)':>18} {'ratio':>6} {'note editor':>12} {'ratio':>6}")
    for name, onto, opened in rows:
        print(
            f"{name:40} {onto * 1000:15.0f} ms {onto / base[1]:6.1f}"
            f" {opened * 1000:9.0f} ms {opened / base[2]:6.1f}"
        )


if __name__ == "__main__":
    main()
