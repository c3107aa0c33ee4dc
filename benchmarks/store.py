"""Annotation store figures: save latency with the sync, open and compaction time, RSS, crash trials.

    .venv/bin/python -m benchmarks.store [--size 100000] [--docs 1000] [--samples 2000]
                                          [--stock-samples 3] [--opens 5] [--trials 200] [--dir DIR]

Stock TinyDB (JSONStorage, which rewrites the file on every insert) is measured in the same run, at 10k
and at the full size, as the baseline for the save ratio. Opening is compared with opening the same
snapshot with its checksum broken, which makes the store parse and validate every record (what every
open did before the checksum). The files go to a temporary folder under --dir (default: the system's);
point it at a real disk, since fsync on tmpfs costs nothing.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

from reader.model.annotation import Annotation, annotation_for
from reader.store import AnnotationStore
from tests.store.store_child import SHA, TEXT, run_trials


def make_annotations(count: int, docs: int, seed: int = 1) -> list[Annotation]:
    """`count` annotations over `docs` documents, a tenth of them (up to 10,000) in the first one."""
    rng = random.Random(seed)
    heavy = min(10_000, count // 10)
    out = []
    for i in range(count):
        doc = "doc0000" if i < heavy else f"doc{rng.randrange(1, docs):04d}"
        start = rng.randrange(0, len(TEXT) - 60)
        out.append(
            annotation_for(
                doc, TEXT, SHA, start, start + rng.randrange(5, 60), label="claim",
                tags=["economy"], note=f"Note {i}: the figure needs a source.",
            )
        )  # fmt: skip
    return out


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def measure_open(path: Path, opens: int, checked_samples: int) -> dict[str, float]:
    """Open times (medians), RSS after opening and after reading everything, checked-open baseline."""
    gc.collect()
    base_rss = rss_mb()
    store = AnnotationStore.open(path)
    figures = {"rss_open_mb": rss_mb() - base_rss}
    heavy = max(store.counts().items(), key=lambda item: item[1])[0]
    store.annotations()
    figures["rss_mb"] = rss_mb() - base_rss
    store.close()
    del store
    opened, docs, alls = [], [], []
    for _ in range(opens):
        gc.collect()
        start = time.perf_counter()
        store = AnnotationStore.open(path, read_only=True)
        opened.append(time.perf_counter() - start)
        docs.append(timed(lambda s=store: s.annotations(heavy)))  # type: ignore[misc]
        store.close()
        store = AnnotationStore.open(path, read_only=True)
        alls.append(timed(store.annotations))
        store.close()
        del store
    # The same snapshot with its checksum broken: every record is parsed and validated.
    broken = path.with_name("checked-" + path.name)
    shutil.copyfile(path, broken)
    raw = broken.read_bytes()
    broken.write_bytes(re.sub(rb'"crc32":\d+', b'"crc32":0', raw, count=1))
    del raw
    checked = []
    for _ in range(checked_samples):
        gc.collect()
        checked.append(timed(lambda: AnnotationStore.open(broken, read_only=True).close()))
    figures |= {
        "open_s": statistics.median(opened),
        "heavy_doc_s": statistics.median(docs),
        "all_s": statistics.median(alls),
        "checked_open_s": statistics.median(checked),
    }
    figures["open_ratio"] = figures["checked_open_s"] / figures["open_s"]
    return figures


def measure_store(
    folder: Path, anns: list[Annotation], samples: int, opens: int, checked_samples: int
) -> dict[str, float]:
    path = folder / f"store-{len(anns)}.json"
    with AnnotationStore.open(path) as store:
        for k in range(0, len(anns), 5_000):
            store.add_many(anns[k : k + 5_000])
    figures = measure_open(path, opens, checked_samples)
    store = AnnotationStore.open(path)
    extra = make_annotations(samples, 1000, seed=2)
    adds = [timed(lambda a=a: store.add(a)) for a in extra]  # type: ignore[misc]
    rng = random.Random(3)
    targets = [anns[rng.randrange(len(anns))].id for _ in range(samples)]
    updates = [
        timed(lambda t=t, n=n: store.update(t, note=f"revised {n}"))  # type: ignore[misc]
        for n, t in enumerate(targets)
    ]
    figures["compact_s"] = timed(store.compact)
    figures["snapshot_mb"] = path.stat().st_size / 1e6
    store.close()
    figures |= {
        "add_med_ms": statistics.median(adds) * 1e3,
        "add_p99_ms": p99(adds) * 1e3,
        "upd_med_ms": statistics.median(updates) * 1e3,
        "upd_p99_ms": p99(updates) * 1e3,
    }
    return figures


def measure_stock(folder: Path, anns: list[Annotation], samples: int) -> float:
    """Median seconds per insert for stock TinyDB(path) holding len(anns) documents."""
    path = folder / f"stock-{len(anns)}.json"
    db = TinyDB(path)
    db.table("annotations").insert_multiple(a.to_json() for a in anns)
    extra = make_annotations(samples, 1000, seed=4)
    times = [timed(lambda a=a: db.table("annotations").insert(a.to_json())) for a in extra]  # type: ignore[misc]
    db.close()
    return statistics.median(times)


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--docs", type=int, default=1_000)
    parser.add_argument("--samples", type=int, default=2_000)
    parser.add_argument("--stock-samples", type=int, default=3)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)
    sizes = sorted({min(10_000, args.size), args.size})
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-store-") as tmp:
        folder = Path(tmp)
        every = make_annotations(args.size, args.docs)
        rows = []
        for size in sizes:
            ours = measure_store(folder, every[:size], args.samples, args.opens, args.stock_samples)
            stock = measure_stock(folder, every[:size], args.stock_samples)
            ratio = stock / (ours["add_med_ms"] / 1e3)
            rows.append((size, ours, stock, ratio))
            results[str(size)] = {**ours, "stock_insert_ms": stock * 1e3, "ratio": ratio}
        report = run_trials(folder / "crash" / "store.json", args.trials, seed=7)
        results["kill"] = report
    print(f"annotation store, {args.samples} saves per size, each synced (fdatasync)")
    head = (
        f"{'annotations':>11} {'add med':>8} {'add p99':>8} {'upd med':>8} {'upd p99':>8} "
        f"{'compact':>8} {'stock':>9} {'ratio':>7}"
    )
    print(head)
    for size, ours, stock, ratio in rows:
        print(
            f"{size:>11,} {ours['add_med_ms']:>6.2f}ms {ours['add_p99_ms']:>6.2f}ms "
            f"{ours['upd_med_ms']:>6.2f}ms {ours['upd_p99_ms']:>6.2f}ms "
            f"{ours['compact_s']:>7.2f}s {stock * 1e3:>7.1f}ms {ratio:>6.0f}x"
        )
    print("stock = median of stock TinyDB(path).insert at that size; ratio = stock / add median.")
    print()
    print(f"opening, median of {args.opens}")
    print(
        f"{'annotations':>11} {'open':>8} {'heavy doc':>10} {'all':>8} {'checked':>8} "
        f"{'ratio':>6} {'RSS open':>9} {'RSS all':>8}"
    )
    for size, ours, _stock, _ratio in rows:
        print(
            f"{size:>11,} {ours['open_s'] * 1e3:>6.0f}ms {ours['heavy_doc_s'] * 1e3:>8.0f}ms "
            f"{ours['all_s'] * 1e3:>6.0f}ms {ours['checked_open_s'] * 1e3:>6.0f}ms "
            f"{ours['open_ratio']:>5.0f}x {ours['rss_open_mb']:>7.0f}MB {ours['rss_mb']:>6.0f}MB"
        )
    print("heavy doc / all = after opening, reading the largest document / every annotation;")
    print("checked = opening the same snapshot with its checksum broken (every record validated);")
    print("ratio = checked / open; RSS = memory the open store adds, before and after reading all.")
    print(
        f"kill -9 trials: {report.trials}, acknowledged writes {report.acknowledged}, "
        f"lost {report.lost}, stores that failed to open {report.failed_opens}, "
        f"killed with a write in flight {report.killed_in_flight}"
    )
    for error in report.errors:
        print("  ", error)
    return results


if __name__ == "__main__":
    main()
