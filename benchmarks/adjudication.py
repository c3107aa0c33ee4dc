"""Adjudication with thousands of disagreements: building the list, opening the screen, and each key.

    python -m benchmarks.adjudication [--disagreements 5000] [--runs 5]

A synthetic project (benchmarks.make_corpus documents) where three annotators marked a span every 70
characters: the same span with other labels, overlapping spans, a span only one of them marked, or (one
in five) the same span and label, an agreement that is left out. Measured in one app session, headless
at 120×40:
- baseline: opening a document of the project to its first paint (from `open_document`);
- building the disagreement list alone (reader.adjudication, no Textual), from the open store, and
  from a store just opened (read only), which parses every document's annotations first;
- opening the adjudication screen: to its first paint ("Finding the disagreements…"; the list is
  built in a thread), and to the first disagreement shown;
- one key, to the repaint: `j` (next), `J` (next document), `1` (take a version into gold, which
  moves on to the next open disagreement) and `u` (undo it).
Prints medians and each one's ratio to the baseline's median.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks import timing
from benchmarks.make_corpus import make_corpus
from reader.adjudication import Adjudication
from reader.config import Config
from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, annotation_from_document
from reader.project import Project
from reader.store.annotation_store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.adjudicate import AdjudicationScreen
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView

SLOT = 70
KINDS = ("label", "span", "only", "agree")


def make_team_project(folder: Path, disagreements: int, seed: int = 7) -> tuple[Path, int]:
    """A project whose store holds `disagreements` disagreements; returns it and the annotations."""
    rng = random.Random(seed)
    make_corpus(max(1, disagreements // 40 + 1), folder)
    corpus = Corpus.load(folder / "corpus")
    anns: list[Annotation] = []
    made = 0
    for doc in corpus:
        text = doc.text
        for position in range(doc.body_start, len(text) - SLOT, SLOT):
            if made >= disagreements:
                break
            kind = rng.choices(KINDS, weights=(3, 3, 2, 2))[0]
            made += kind != "agree"
            end = position + rng.randint(20, 50)

            marks = [("ann", position, "claim")]
            if kind != "only":
                marks.append(("bob", position + (5 if kind == "span" else 0), "claim"))
                marks.append(("cat", position, "premise" if kind == "label" else "claim"))
            anns.extend(
                annotation_from_document(doc, start, end, label=label, author=author)
                for author, start, label in marks
            )
    with AnnotationStore.open(folder / "annotations" / "store.json") as store:
        store.add_many(anns)
    return folder, len(anns)


async def painted(screen_or_widget: DocumentView | AdjudicationScreen) -> None:
    done = asyncio.Event()
    screen_or_widget.call_after_refresh(done.set)
    await done.wait()


async def measure(project: Path, runs: int, keys: int) -> tuple[dict[str, list[float]], int]:
    app = ReaderApp(Project.resolve(project), config=Config(annotator="bench"))
    times: dict[str, list[float]] = {
        name: []
        for name in (
            "baseline: open a document",
            "build the list",
            "build, store just opened",
            "open the screen: first paint",
            "open: first disagreement shown",
            "j: next",
            "J: next document",
            "1: take a version",
            "u: undo it",
        )
    }
    count = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        store = app.store
        assert store is not None
        first = next(iter(app.corpus)).id
        for _ in range(runs):
            start = time.perf_counter()
            app.open_document(first)
            while not (isinstance(app.screen, DocumentScreen) and app.screen.session is not None):
                await asyncio.sleep(0.001)
            await painted(app.screen.query_one(DocumentView))
            times["baseline: open a document"].append(time.perf_counter() - start)
            app.pop_screen()
            await pilot.pause()

            start = time.perf_counter()
            count = len(Adjudication(store).items)
            times["build the list"].append(time.perf_counter() - start)

            # As `reader adjudicate` pays it: every document's annotations parsed for the first time.
            start = time.perf_counter()
            with AnnotationStore.open(store.path, read_only=True) as fresh:
                Adjudication(fresh)
            times["build, store just opened"].append(time.perf_counter() - start)

            start = time.perf_counter()
            screen = AdjudicationScreen()
            await app.push_screen(screen)
            await painted(screen)
            times["open the screen: first paint"].append(time.perf_counter() - start)
            while screen.adjudication is None:
                await asyncio.sleep(0.001)
            await painted(screen)
            times["open: first disagreement shown"].append(time.perf_counter() - start)

            actions: list[tuple[str, Callable[[], None]]] = [
                ("j: next", partial(screen.action_step, 1)),
                ("J: next document", partial(screen.action_document, 1)),
                ("1: take a version", partial(screen.action_take, 1)),
                ("u: undo it", screen.action_undo),
            ]
            for _ in range(keys):
                for name, action in actions:
                    start = time.perf_counter()
                    action()
                    await painted(screen)
                    times[name].append(time.perf_counter() - start)
            app.pop_screen()
            await pilot.pause()
    return times, count


def report(times: dict[str, list[float]]) -> list[str]:
    return timing.report(times, width=32, decimals=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--disagreements", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=20, help="presses of each key per run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        project, annotations = make_team_project(Path(tmp) / "project", args.disagreements)
        times, count = asyncio.run(measure(project, args.runs, args.keys))
    print(
        f"{count:,} disagreements among {annotations:,} annotations by 3 annotators, {args.runs} runs"
    )
    print("\n".join(report(times)))


if __name__ == "__main__":
    main()
