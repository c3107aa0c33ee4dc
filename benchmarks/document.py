"""Opening a document and moving the cursor, in the app, headless.

    python -m benchmarks.document [--runs N] [--megabytes MB] [--annotations 0,1000,10000]

Measures, in one run: open to first paint of the document view (highlighter cache cold, and warm) for a
shipped op-ed (the baseline) and for a synthetic document of MB megabytes (sentences of the shipped corpus,
shuffled, in paragraphs); and the work of one `j` (moving the cursor a sentence: session, panel and the
rows on screen redrawn). Prints medians and ratios.

Then, on the MB document holding each count of annotations (spans of 20-180 characters at random places,
as benchmarks.scale makes them), opened from the library: open (scores cached) until the whole screen
has painted, the first `j` half a second after that (FIRST_KEY_AFTER: a reader's first key), and the
work of each key of a reading session (the key's action, then the screen's repaint: layout and every
changed row, panel included), as medians and ratios against the same document with no
annotations, measured in the same run (counts interleaved run by run).
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

from textual.pilot import Pilot

from benchmarks.make_corpus import shipped_sentences
from benchmarks.scale import LABELS
from reader.claims.scores import clear_cache
from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.project import Project
from reader.store import AnnotationStore
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


async def in_library(app: ReaderApp, pilot: Pilot[None]) -> None:
    """Until the app shows the library with nothing else at work, as when a user picks a document
    there: start-up reopens the document read last, which is shown and then left."""
    await pilot.pause()
    while app._starting:
        await asyncio.sleep(0.001)
    if isinstance(app.screen, DocumentScreen):
        while app.screen.session is None:
            await asyncio.sleep(0.001)
        await settle(app, pilot)
        app.pop_screen()
    await settle(app, pilot)
    await app.workers.wait_for_complete()  # the library's counts, brought up to date
    await pilot.pause()


async def open_and_move(
    project: Path, doc_id: str, cold: bool, moves: int
) -> tuple[float, list[float]]:
    """Seconds from open_document to the first paint of the view; seconds of work per cursor move."""
    app = ReaderApp(Project.resolve(project), config=Config(annotator="bench"))
    async with app.run_test(size=(120, 40)) as pilot:
        await in_library(app, pilot)
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


# The keys of a reading session, in an order that leaves the document as it was: `v w` selects the
# sentence and grows it by a word, `1` labels that selection (a new annotation) and `u` undoes it.
# "none" presses nothing: what measuring itself costs (waiting for every widget's queue), the floor.
KEYS = ("none", "j", "k", "]", "[", "n", "v w", "1", "u")
KEY_NAMES = {"]": "right_square_bracket", "[": "left_square_bracket"}
FIRST_KEY_AFTER = 0.5  # seconds from the open's paint to the first key


def annotate(project: Path, doc_id: str, count: int, seed: int = 3) -> None:
    """Give the document `count` annotations (a fresh store)."""
    path = project / "annotations" / "store.json"
    for leftover in path.parent.glob("store.json*"):
        leftover.unlink()
    doc = Corpus.load(project / "corpus").get(doc_id)
    assert doc is not None
    rng = random.Random(seed)
    text = doc.text
    new = []
    for _ in range(count):
        start = rng.randrange(doc.body_start, len(text) - 200)
        end = start + rng.randint(20, 180)
        new.append(
            annotation_from_document(doc, start, end, label=rng.choice(LABELS), author="bench")
        )
    with AnnotationStore.open(path) as store:
        if new:
            store.add_many(new)


async def settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    """Until every widget has handled the messages so far, then the repaint (layout and changed rows,
    every widget's). Pilot's pause would add its own sleeps to the figure."""
    for _ in range(2):
        await pilot._wait_for_screen()
    app.screen._on_timer_update()


async def open_and_press(
    project: Path, doc_id: str, rounds: int
) -> tuple[float, dict[str, list[float]]]:
    """Seconds from open to the whole screen painted (text, panel and its list; scores cached);
    seconds of work of the first `j` after that, and of each key in KEYS."""
    app = ReaderApp(Project.resolve(project), config=Config(annotator="bench"))
    times: dict[str, list[float]] = {key: [] for key in ("first j", *KEYS)}
    async with app.run_test(size=(120, 40)) as pilot:
        await in_library(app, pilot)
        painted = asyncio.Event()
        start = time.perf_counter()
        app.open_document(doc_id)
        while not (isinstance(app.screen, DocumentScreen) and app.screen.session is not None):
            await asyncio.sleep(0.001)
        screen = app.screen
        view = screen.query_one(DocumentView)
        view.call_after_refresh(painted.set)
        await painted.wait()
        await settle(app, pilot)
        opened = time.perf_counter() - start
        # A reader's first key comes a moment after the text appears; the app uses that moment.
        await asyncio.sleep(FIRST_KEY_AFTER)
        for round in range(rounds):
            for keys in KEYS if round else ("first j", *KEYS):
                t0 = time.perf_counter()
                for key in {"none": [], "first j": ["j"]}.get(keys, keys.split()):
                    # What a key press runs (the binding's action), without Pilot's waiting.
                    await app._check_bindings(KEY_NAMES.get(key, key))
                await settle(app, pilot)
                times[keys].append(time.perf_counter() - t0)
                await pilot.pause()
    return opened, times


async def measure_dense(
    runs: int, megabytes: float, counts: list[int]
) -> dict[int, dict[str, list[float]]]:
    results: dict[int, dict[str, list[float]]] = {
        count: {"open": [], "first j": [], **{key: [] for key in KEYS}} for count in counts
    }
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), megabytes)
        await open_and_move(project, "big", cold=True, moves=0)  # scores cached from here on
        for _ in range(runs):
            for count in counts:  # interleaved, so a change in the machine's load hits all alike
                annotate(project, "big", count)
                opened, times = await open_and_press(project, "big", rounds=3)
                results[count]["open"].append(opened)
                for key, values in times.items():
                    results[count][key].extend(values)
    return results


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


def print_dense(results: dict[int, dict[str, list[float]]], megabytes: float) -> None:
    base = results[min(results)]
    print(
        f"\n{megabytes:g} MB document by number of annotations (median, ms; ratio to {min(results)})"
    )
    print(f"{'key':<8}" + "".join(f"{count:>12} {'×':>6}" for count in results))
    for name in base:
        row = f"{name:<8}"
        for figures in results.values():
            median = statistics.median(figures[name])
            row += f"{median * 1000:12.1f} {median / statistics.median(base[name]):6.1f}"
        print(row)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--annotations", default="0,1000,10000", help="counts, comma-separated")
    parser.add_argument("--only-annotations", action="store_true", help="skip the op-ed figures")
    args = parser.parse_args(argv)
    counts = sorted({int(n) for n in args.annotations.split(",")} | {0})
    if not args.only_annotations:
        print_basic(asyncio.run(measure(args.runs, args.megabytes)), args)
    print_dense(asyncio.run(measure_dense(args.runs, args.megabytes, counts)), args.megabytes)


def print_basic(results: dict[str, list[float]], args: argparse.Namespace) -> None:
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
