"""Import speed on crafted files: hostile shapes against a well-formed file of the same size.

    python -m benchmarks.import_crafted [--annotations N] [--documents D] [--runs R]

Builds a synthetic corpus of D documents (benchmarks.make_corpus) plus one of a megabyte, and native
JSON imports of N annotations each (default 100,000):

- well-formed (the baseline): random spans with labels, tags, notes and links, as exported;
- one-char quote, one document: every annotation quotes "e" in the same document, with offsets past
  the end of the text and a prefix and suffix found nowhere, so each is looked for afresh;
- one-char quote, 1 MB document: the same in a document of a megabyte (shuffled corpus sentences);
- one-char quote, spread: quote "e" on every document in turn, offsets past the end, the prefix and
  suffix of some real "e" of that document;
- long repeated quote: 2,000 characters of "ab" (in no document) with offsets past the end.

Each file is imported end to end with `reader import --dry-run` (a subprocess) and for real into a new
store (also a subprocess, with --allow-unmatched so unmatched shapes still write the others). Prints
the median seconds of R runs and the ratio to the well-formed file measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from benchmarks.document import big_document
from benchmarks.export import make_annotations
from benchmarks.make_corpus import make_corpus
from reader.corpus.documents import Corpus, Document
from reader.transfer import export

REPO = Path(__file__).resolve().parent.parent
FAR = 10**12  # an offset past the end of any document
BIG = "big"  # a document of a megabyte, added to the synthetic corpus

Record = dict[str, Any]


def _garbage(rng: random.Random, size: int) -> str:
    return "".join(rng.choice("qzxjkv#%") for _ in range(size))


def _crafted(doc: Document, number: int, quote: str, prefix: str, suffix: str) -> Record:
    start = FAR + number
    return {"doc": doc.id, "start": start, "end": start + len(quote), "quote": quote,
            "prefix": prefix, "suffix": suffix}  # fmt: skip


def one_char_one_document(docs: list[Document], count: int, rng: random.Random) -> list[Record]:
    return [_crafted(docs[0], n, "e", _garbage(rng, 32), _garbage(rng, 32)) for n in range(count)]


def one_char_big_document(docs: list[Document], count: int, rng: random.Random) -> list[Record]:
    big = next(doc for doc in docs if doc.id == BIG)
    return [_crafted(big, n, "e", _garbage(rng, 32), _garbage(rng, 32)) for n in range(count)]


def one_char_spread(docs: list[Document], count: int, rng: random.Random) -> list[Record]:
    out = []
    for n in range(count):
        doc = docs[n % len(docs)]
        text = doc.text
        at = text.find("e", rng.randrange(len(text) // 2))
        out.append(_crafted(doc, n, "e", text[max(0, at - 32) : at], text[at + 1 : at + 33]))
    return out


def long_repeated_quote(docs: list[Document], count: int, rng: random.Random) -> list[Record]:
    return [_crafted(docs[n % len(docs)], n, "ab" * 1000, "", "") for n in range(count)]


SHAPES: dict[str, Callable[[list[Document], int, random.Random], list[Record]]] = {
    "one-char quote, one document": one_char_one_document,
    "one-char quote, 1 MB document": one_char_big_document,
    "one-char quote, spread": one_char_spread,
    "long repeated quote": long_repeated_quote,
}


def make_project(folder: Path, documents: int, megabytes: float = 1.0) -> Path:
    project = make_corpus(documents, folder)
    (project / "corpus" / f"{BIG}.txt").write_text(big_document(megabytes), encoding="utf-8")
    return project


def make_files(corpus: Corpus, count: int, folder: Path) -> dict[str, Path]:
    """The well-formed file and one file per hostile shape, each of `count` annotations."""
    files = {"well-formed": folder / "well-formed.json"}
    anns = make_annotations(corpus, count)
    export("json", anns, corpus, files["well-formed"])
    template = anns[0].to_json()
    rng = random.Random(3)
    for name, shape in SHAPES.items():
        records = []
        for ann, fields in zip(anns, shape(corpus.documents, count, rng), strict=True):
            record = {**template, **fields, "id": ann.id, "links": [], "note": "n"}
            records.append(record)
        payload = {"schema": "reader-annotations/1", "annotations": records}
        files[name] = folder / (name.replace(" ", "-").replace(",", "") + ".json")
        files[name].write_bytes(orjson.dumps(payload))
    return files


def run_import(project: Path, path: Path, store: Path, dry_run: bool) -> float:
    args = [sys.executable, "-m", "reader", "import", str(path), "--format", "json", str(project)]
    args += ["--store", str(store), "--allow-unmatched"] + (["--dry-run"] if dry_run else [])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, env=env, text=True)
    elapsed = time.perf_counter() - started
    if "Traceback" in done.stderr or done.returncode not in (0, 2):
        raise SystemExit(f"{path.name}: import failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def measure(
    project: Path, files: dict[str, Path], runs: int, folder: Path
) -> dict[str, dict[str, list[float]]]:
    """Seconds per run for each file: {"dry run": [...], "import": [...]}; runs alternate files."""
    times: dict[str, dict[str, list[float]]] = {
        name: {"dry run": [], "import": []} for name in files
    }
    for run in range(runs):
        for name, path in files.items():
            store = folder / f"store-{run}-{path.stem}.json"
            times[name]["dry run"].append(run_import(project, path, store, dry_run=True))
            times[name]["import"].append(run_import(project, path, store, dry_run=False))
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = make_project(folder / "project", args.documents)
        corpus = Corpus.load(project / "corpus")
        files = make_files(corpus, args.annotations, folder)
        times = measure(project, files, args.runs, folder)
    print(f"{args.annotations:,} annotations over {args.documents:,} documents, {args.runs} runs")
    base = {kind: statistics.median(times["well-formed"][kind]) for kind in ("dry run", "import")}
    print(f"{'file':<30} {'dry run':>9} {'ratio':>6} {'import':>9} {'ratio':>6}")
    for name, kinds in times.items():
        cells = []
        for kind in ("dry run", "import"):
            median = statistics.median(kinds[kind])
            cells.append(f"{median:>7.2f} s {median / base[kind]:>5.2f}x")
        print(f"{name:<30} {cells[0]} {cells[1]}")


if __name__ == "__main__":
    main()
