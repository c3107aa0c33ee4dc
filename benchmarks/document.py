"""Opening a document and moving the cursor, in the app, headless.

    python -m benchmarks.document [--runs N] [--megabytes MB]

Measures, in one run: open to first paint of the document view (highlighter cache cold, and warm) for a
shipped op-ed (the baseline) and for a synthetic document of MB megabytes (sentences of the shipped corpus,
shuffled, in paragraphs); and the work of one `j` (moving the cursor a sentence: session, panel and the
rows on screen redrawn). Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.make_corpus import shipped_sentences
from reader.claims import clear_cache
from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView

REPO = Path(__file__).resolve().parent.parent
SHIPPED_ID = "rowley-2019-12-holding-north-east-derbyshire"


def big_document(megabytes: float, seed: int = 7) -> str:
    rng = random.Random(seed)
    sentences = shipped_sentences()
    paragraphs: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "A synthetic long document\n\n" + "\n\n".join(paragraphs) + "\n"


def make_project(folder: Path, megabytes: float) -> Path:
    shutil.copytree(REPO / "corpus", folder / "corpus")
    (folder / "annotations").mkdir()
    (folder / "corpus" / "big.txt").write_text(big_document(megabytes), encoding="utf-8")
    return folder


async def open_and_move(
    project: Path, doc_id: str, cold: bool, moves: int
) -> tuple[float, list[float]]:
    """Seconds from open_document to the first paint of the view; seconds of work per cursor move."""
    app = ReaderApp(Project.resolve(project), config=Config(annotator="bench"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if cold:
            clear_cache()
        painted = asyncio.Event()
        start = time.perf_counter()
        app.open_document(doc_id)
        elapsed = 0.0
        while True:
            await asyncio.sleep(0.001)
            screen = app.screen
            if isinstance(screen, DocumentScreen) and screen.session is not None:
                view = screen.query_one(DocumentView)
                view.call_after_refresh(painted.set)
                await painted.wait()
                elapsed = time.perf_counter() - start
                break
        move_times: list[float] = []
        height = view.scrollable_content_region.height
        for _ in range(moves):
            t0 = time.perf_counter()
            screen.action_move(1)
            for y in range(height):  # the rows a repaint asks for
                view.render_line(y)
            move_times.append(time.perf_counter() - t0)
            await pilot.pause()
    return elapsed, move_times


async def measure(runs: int, megabytes: float) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {
        "open op-ed, cold": [],
        "open op-ed, warm": [],
        f"open {megabytes:g} MB, cold": [],
        f"open {megabytes:g} MB, warm": [],
        "move a sentence, op-ed": [],
        f"move a sentence, {megabytes:g} MB": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), megabytes)
        for _ in range(runs):
            for doc_id, name in ((SHIPPED_ID, "op-ed"), ("big", f"{megabytes:g} MB")):
                (project / "annotations" / "store.json").unlink(missing_ok=True)
                cold, moves = await open_and_move(project, doc_id, cold=True, moves=20)
                warm, _ = await open_and_move(project, doc_id, cold=False, moves=0)
                results[f"open {name}, cold"].append(cold)
                results[f"open {name}, warm"].append(warm)
                results[f"move a sentence, {name}"].extend(moves)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args(argv)
    results = asyncio.run(measure(args.runs, args.megabytes))
    print(f"Document open and cursor move, {args.runs} runs (median, ms)")
    print(f"{'measure':<28} {'median':>8} {'p90':>8} {'vs op-ed':>9}")
    names = list(results)
    for name in names:
        values = sorted(results[name])
        median = statistics.median(values)
        p90 = values[int(0.9 * (len(values) - 1))]
        base_name = name.replace(f"{args.megabytes:g} MB", "op-ed")
        base = statistics.median(results[base_name])
        print(f"{name:<28} {median * 1000:8.1f} {p90 * 1000:8.1f} {median / base:8.1f}×")


if __name__ == "__main__":
    main()
