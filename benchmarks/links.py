"""The links to an annotation, as the app asks for them on every move onto one (the panel lists the
annotations from other documents that link to it): `AnnotationStore.linking_to`, which keeps an index,
against a walk through every annotation of the store (`store.annotations()`, as code without the
index would look; the store's own walk before the index skipped building that list), in the same run.

    python -m benchmarks.links [--sizes 10000,100000] [--docs 100] [--asks 50]

A store of each size, spread over --docs documents, one annotation in ten with a link to another at
random; every document read (as after a session that visited them); medians in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.store import make_annotations
from reader.model.annotation import Annotation, Link
from reader.store import AnnotationStore


def linked(count: int, docs: int, seed: int = 1) -> list[Annotation]:
    rng = random.Random(seed)
    anns = make_annotations(count, docs, seed)
    return [
        a.with_changes(links=(Link("supports", rng.choice(anns).id),)) if n % 10 == 0 else a
        for n, a in enumerate(anns)
    ]


def walked(store: AnnotationStore, id: str) -> list[Annotation]:
    return [a for a in store.annotations() if any(link.to == id for link in a.links)]


def measure(count: int, docs: int, asks: int) -> tuple[float, float]:
    """(median ms of linking_to, median ms of the walk)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.json"
        anns = linked(count, docs)
        with AnnotationStore.open(path) as store:
            store.add_many(anns)
            store.compact()
        with AnnotationStore.open(path) as store:
            store.annotations()  # every document parsed
            ids = [a.id for a in random.Random(2).sample(anns, asks)]
            indexed, walks = [], []
            for id in ids:
                began = time.perf_counter()
                found = store.linking_to(id)
                indexed.append(time.perf_counter() - began)
                began = time.perf_counter()
                walk = walked(store, id)
                walks.append(time.perf_counter() - began)
                assert sorted(a.id for a in found) == sorted(a.id for a in walk)
    return statistics.median(indexed) * 1000, statistics.median(walks) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--asks", type=int, default=50)
    args = parser.parse_args(argv)
    print(f"{'annotations':>12} {'linking_to ms':>14} {'walk ms':>10} {'ratio':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        indexed, walk = measure(size, args.docs, args.asks)
        print(f"{size:>12,} {indexed:>14.4f} {walk:>10.2f} {walk / max(indexed, 1e-9):>9.0f}×")


if __name__ == "__main__":
    main()
