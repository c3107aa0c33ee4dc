"""Opening the argument map of a document dense with links, against opening the document, in the app.

    python -m benchmarks.argument_map [--runs N] [--annotations 1000] [--links 1000]

A synthetic document (shuffled sentences of the shipped corpus) holds N annotations (spans of 20-180
characters at random places) and L links between random pairs of them (a random relation type, no
link to itself, no pair twice: shared reasons, chains and cycles all occur). Measured in one app
session, headless at 120×40: from `open_document` to the first paint of the document (scores cached,
the baseline); from `m` to the first paint of the map; and building the map alone (no Textual).
Prints medians and the ratio of opening the map to opening the document.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.document import annotate, make_project, open_and_move
from reader.config import Config
from reader.model.annotation import Link
from reader.model.argument import build_map
from reader.project import Project
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.argument_map import ArgumentMapScreen
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView

TYPES = ("supports", "attacks", "rebuts", "undercuts", "restates")


def link_at_random(project: Path, count: int, seed: int = 5) -> int:
    """Add `count` links between random pairs of the store's annotations; returns how many."""
    rng = random.Random(seed)
    with AnnotationStore.open(project / "annotations" / "store.json") as store:
        anns = store.annotations()
        links: dict[str, list[Link]] = {}
        pairs: set[tuple[str, str]] = set()
        while len(pairs) < min(count, len(anns) * (len(anns) - 1)):
            source, target = rng.sample(anns, 2)
            if (source.id, target.id) in pairs:
                continue
            pairs.add((source.id, target.id))
            links.setdefault(source.id, []).append(Link(rng.choice(TYPES), target.id))
        store.update_many([(id, {"links": found}) for id, found in links.items()])
    return len(pairs)


async def open_both(project: Path, doc_id: str, rounds: int) -> tuple[list[float], list[float]]:
    """Seconds to open the document, and to open its map, `rounds` times each, alternating."""
    app = ReaderApp(Project.resolve(project), config=Config(annotator="bench"))
    opened: list[float] = []
    mapped: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(rounds):
            painted = asyncio.Event()
            start = time.perf_counter()
            app.open_document(doc_id)
            while not (isinstance(app.screen, DocumentScreen) and app.screen.session is not None):
                await asyncio.sleep(0.001)
            screen = app.screen
            screen.query_one(DocumentView).call_after_refresh(painted.set)
            await painted.wait()
            opened.append(time.perf_counter() - start)
            await pilot.pause()
            painted = asyncio.Event()
            start = time.perf_counter()
            screen.action_argument_map()
            while not isinstance(app.screen, ArgumentMapScreen):
                await asyncio.sleep(0.001)
            app.screen.call_after_refresh(painted.set)
            await painted.wait()
            mapped.append(time.perf_counter() - start)
            await pilot.pause()
            app.screen.dismiss(None)
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
    return opened, mapped


def build_times(project: Path, doc_id: str, rounds: int) -> list[float]:
    with AnnotationStore.open(project / "annotations" / "store.json", read_only=True) as store:
        anns = store.annotations(doc_id)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        build_map(anns)
        times.append(time.perf_counter() - start)
    return times


async def measure(
    runs: int, annotations: int, links: int, megabytes: float = 0.3
) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), megabytes)
        await open_and_move(project, "big", cold=True, moves=0)  # scores cached from here on
        annotate(project, "big", annotations)
        made = link_at_random(project, links)
        assert made == min(links, annotations * (annotations - 1))
        opened, mapped = await open_both(project, "big", runs)
        built = build_times(project, "big", runs)
    return {"open the document": opened, "open the argument map": mapped, "build the map": built}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--annotations", type=int, default=1000)
    parser.add_argument("--links", type=int, default=1000)
    args = parser.parse_args()
    results = asyncio.run(measure(args.runs, args.annotations, args.links))
    baseline = statistics.median(results["open the document"])
    print(f"{args.annotations} annotations, {args.links} links, median of {args.runs} runs")
    print(f"{'measure':<24} {'median':>10} {'ratio':>7}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<24} {median * 1000:>8.1f} ms {median / baseline:>6.2f}")


if __name__ == "__main__":
    main()
