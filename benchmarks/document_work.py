"""What each key of a reading session costs in a document dense with annotations, counted rather than
timed: counts do not change with the machine's load, where times on a shared machine do.

    python -m benchmarks.document_work [--megabytes 1] [--annotations 0,1000,10000] [--rounds 3]

For each key of `benchmarks.document` (the same keys, the same document and annotations): the strips
Textual composes (`Strip` objects made), the texts it wraps (`Content._wrap_and_format`) and the
layout passes of the screen, from the key's action to the repaint of the whole screen. Medians over
the rounds after the first (the first fills caches).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip

from benchmarks.document import (
    KEY_NAMES,
    KEYS,
    annotate,
    in_library,
    make_project,
    open_and_move,
    settle,
)
from reader.config import Config
from reader.project import Project
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen
from reader.tui.widgets.document_view import DocumentView

COUNTED = {
    "strips": (Strip, "__init__"),
    "wraps": (Content, "_wrap_and_format"),
    "layouts": (Screen, "_refresh_layout"),
}


@contextmanager
def counting(counts: Counter[str]) -> Iterator[None]:
    """Count the calls of each of COUNTED into `counts` while the block runs."""
    originals: list[tuple[Any, str, Callable[..., Any]]] = []

    def counted(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return original(*args, **kwargs)

        return call

    for name, (owner, attribute) in COUNTED.items():
        original = getattr(owner, attribute)
        originals.append((owner, attribute, original))
        setattr(owner, attribute, counted(name, original))
    try:
        yield
    finally:
        for owner, attribute, original in originals:
            setattr(owner, attribute, original)


async def count_keys(project: Path, doc_id: str, rounds: int) -> dict[str, dict[str, float]]:
    """Per key of KEYS (but "none"): the median count of each of COUNTED over rounds 2 on."""
    app = ReaderApp(Project.resolve(project), config=Config(annotator="bench"))
    seen: dict[str, list[Counter[str]]] = {key: [] for key in KEYS if key != "none"}
    async with app.run_test(size=(120, 40)) as pilot:
        await in_library(app, pilot)
        app.open_document(doc_id)
        while not (isinstance(app.screen, DocumentScreen) and app.screen.session is not None):
            await asyncio.sleep(0.001)
        painted = asyncio.Event()
        app.screen.query_one(DocumentView).call_after_refresh(painted.set)
        await painted.wait()
        await settle(app, pilot)
        for round in range(rounds):
            for keys in seen:
                counts: Counter[str] = Counter()
                with counting(counts):
                    for key in keys.split():
                        await app._check_bindings(KEY_NAMES.get(key, key))
                    await settle(app, pilot)
                if round or rounds == 1:
                    seen[keys].append(counts)
                await pilot.pause()
    return {
        keys: {name: statistics.median(c[name] for c in values) for name in COUNTED}
        for keys, values in seen.items()
    }


async def measure(megabytes: float, counts: list[int], rounds: int) -> dict[int, Any]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), megabytes)
        await open_and_move(project, "big", cold=True, moves=0)  # scores cached from here on
        for count in counts:
            annotate(project, "big", count)
            results[count] = await count_keys(project, "big", rounds)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--annotations", default="0,1000,10000", help="counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    counts = sorted({int(n) for n in args.annotations.split(",")})
    results = asyncio.run(measure(args.megabytes, counts, args.rounds))
    print(f"{args.megabytes:g} MB document: per key, strips / wraps / layout passes (median)")
    print(f"{'key':<6}" + "".join(f"{f'{count:,} annotations':>24}" for count in results))
    for keys in next(iter(results.values())):
        row = f"{keys:<6}"
        for per_key in results.values():
            figures = per_key[keys]
            row += f"{figures['strips']:>12g} / {figures['wraps']:>4g} / {figures['layouts']:>2g}"
        print(row)


if __name__ == "__main__":
    main()
