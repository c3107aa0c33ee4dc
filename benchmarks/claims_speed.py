"""Speed of the claim/fact highlighter: segmentation + scoring, in MB/s (median of several runs).

    python -m benchmarks.claims_speed [--size 1000000] [--docs 200] [--runs 7]
                                      [--cli-size 8000000] [--cli-runs 5]

Two workloads: one document of about --size bytes built by shuffling the shipped corpus's sentences
into paragraphs, and a synthetic corpus of --docs documents from benchmarks.make_corpus, scored one
by one as the app would. Two baselines are measured in the same run on the same text: sentencex
alone (the floor any highlighter built on it pays) and the reference matcher, which walks the
lexicon's trie word by word, sentence by sentence (`Lexicon.sentence_hits`, how the highlighter
scored before the document scan; it now only checks). MB here is 10**6 bytes of UTF-8.

Then `reader claims` end to end: a generated file of about --cli-size bytes, each output format run as
a subprocess from process start to exit, its output read through a pipe, every sentence's reasons
included; beside it the CPU time the command took (all its processes: a large file is shared out
among the cores, so CPU time is what other jobs on the machine disturb least), the scorer alone on
the same text, in this process, and the ratio of the two.

Last, where the time goes: the command's start-up (run on one sentence), then each step of it on
the same text, one after the other in this process, one core (segmentation, the scan and scores,
placing the reasons, the jsonl rows, orjson, the text view).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import reader
from benchmarks.make_corpus import make_corpus, shipped_sentences
from reader.claims.lexicon import Lexicon, prepare
from reader.claims.render import render_plain
from reader.claims.scores import KINDS, default_lexicon, score_document, score_with
from reader.collector import collector_paused
from reader.text import segment_text


def one_document(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    sentences = shipped_sentences()
    paragraphs, total = [], 0
    while total < size:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        total += len(paragraph.encode()) + 2
    return "\n\n".join(paragraphs)


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def walk(lexicon: Lexicon, text: str) -> list[tuple[float, float]]:
    """Segment, then sum every sentence's markers with the reference matcher."""
    prepared = prepare(text)
    return [
        lexicon.hits_z(lexicon.sentence_hits(text, prepared, s.start, s.end))
        for s in segment_text(text).sentences
    ]


def measure(texts: list[str], runs: int) -> tuple[float, float, float, float]:
    """(MB, median seconds to score, to walk, and for sentencex alone)."""
    from sentencex import get_sentence_boundaries

    lexicon = default_lexicon()
    megabytes = sum(len(t.encode()) for t in texts) / 1e6

    def score() -> None:
        for text in texts:
            score_with(lexicon, text)

    def walked() -> None:
        for text in texts:
            walk(lexicon, text)

    def baseline() -> None:
        for text in texts:
            get_sentence_boundaries("en", text)

    return (
        megabytes,
        median_seconds(score, runs),
        median_seconds(walked, runs),
        median_seconds(baseline, runs),
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(path: Path, fmt: str, runs: int) -> tuple[float, float, bytes]:
    """Median seconds of `reader claims --format fmt path` from process start to exit, output piped,
    median CPU seconds of its processes, and the output of the last run."""
    env = dict(os.environ)
    root = str(
        Path(reader.__file__).parent.parent
    )  # the reader being measured, not an installed one
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "reader", "claims", "--format", fmt, str(path)]
    times, cpu, output = [], [], b""
    for _ in range(runs):
        began, used = time.perf_counter(), _children_cpu()
        # From the root too: `-m` puts the working folder first on the path.
        done = subprocess.run(command, cwd=root, env=env, stdout=subprocess.PIPE, check=True)
        times.append(time.perf_counter() - began)
        cpu.append(_children_cpu() - used)  # its forked parts are waited for: counted in
        output = done.stdout
    return statistics.median(times), statistics.median(cpu), output


def end_to_end(size: int, runs: int) -> list[tuple[str, float, float, float, float]]:
    """(command, MB, median seconds end to end, median CPU seconds, median seconds of the scorer
    alone) per format."""
    text = one_document(size, seed=3)
    megabytes = len(text.encode()) / 1e6
    scorer = median_seconds(lambda: score_document(text), runs)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        path.write_text(text, encoding="utf-8")
        for fmt in ("jsonl", "text"):
            seconds, cpu, _ = run_cli(path, fmt, runs)
            rows.append((f"reader claims --format {fmt}", megabytes, seconds, cpu, scorer))
    return rows


def steps(size: int, runs: int) -> list[tuple[str, float]]:
    """(step, median seconds) of `reader claims` on the end-to-end text in this process, one core:
    each step timed after the ones before it, on a fresh scoring each run. CPU time, which jobs
    sharing the cores disturb less than wall time; the start-up is wall time, as measured above."""
    import orjson

    text = one_document(size, seed=3)
    lexicon = default_lexicon()
    times: dict[str, list[float]] = {}

    def run_steps() -> None:
        began = time.process_time()
        segment_text(text)
        marks = [("segmentation (sentencex and paragraphs)", time.process_time())]
        scores = score_with(lexicon, text, 0, "")  # segments again: less the time above
        marks.append(("scan and scores", time.process_time()))
        scores.all_found()
        marks.append(("reasons placed", time.process_time()))
        record = scores.to_json("")
        marks.append(("jsonl rows", time.process_time()))
        orjson.dumps(record)
        marks.append(("orjson", time.process_time()))
        render_plain(scores, KINDS)
        marks.append(("text view (reasons worded)", time.process_time()))
        previous = began
        for name, at in marks:
            times.setdefault(name, []).append(at - previous)
            previous = at
        segmented = times["segmentation (sentencex and paragraphs)"][-1]
        times["scan and scores"][-1] -= segmented

    for _ in range(runs):
        with collector_paused():  # as the command runs them
            run_steps()
    rows = [(name, statistics.median(seconds)) for name, seconds in times.items()]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.txt"
        path.write_text("We must act now.", encoding="utf-8")
        rows.insert(0, ("start-up: the command on one sentence", run_cli(path, "jsonl", runs)[0]))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cli-size", type=int, default=8_000_000)
    parser.add_argument("--cli-runs", type=int, default=5)
    args = parser.parse_args(argv)
    score_with(default_lexicon(), "Warm up the lexicon.")
    rows = []
    document = one_document(args.size)
    rows.append((f"1 document, {len(document.encode()) / 1e6:.2f} MB", [document]))
    with tempfile.TemporaryDirectory() as folder:
        corpus = make_corpus(args.docs, Path(folder)) / "corpus"
        texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("*.txt"))]
    rows.append((f"synthetic corpus, {len(texts)} documents", texts))
    print(
        f"{'workload':<34} {'MB':>6} {'score s':>8} {'MB/s':>7} {'walk MB/s':>10} {'speed-up':>9} "
        f"{'sentencex MB/s':>15} {'ratio':>6}"
    )
    for name, workload in rows:
        megabytes, scored, walked, base = measure(workload, args.runs)
        print(
            f"{name:<34} {megabytes:6.2f} {scored:8.3f} {megabytes / scored:7.2f} "
            f"{megabytes / walked:10.2f} {walked / scored:8.1f}x {megabytes / base:15.2f} "
            f"{scored / base:6.1f}"
        )
    sentences = len(segment_text(document).sentences)
    print(
        f"(median of {args.runs} runs; the 1 MB document has {sentences} sentences; speed-up is "
        "walk time / score time, ratio is score time / sentencex time)"
    )
    print()
    print(
        f"{'end to end, output piped':<34} {'MB':>6} {'s':>8} {'MB/s':>7} {'CPU s':>7} "
        f"{'scorer MB/s':>12} {'ratio':>6}"
    )
    for name, megabytes, seconds, cpu, scorer in end_to_end(args.cli_size, args.cli_runs):
        print(
            f"{name:<34} {megabytes:6.2f} {seconds:8.3f} {megabytes / seconds:7.2f} {cpu:7.3f} "
            f"{megabytes / scorer:12.2f} {seconds / scorer:6.1f}"
        )
    print(
        f"(median of {args.cli_runs} runs from process start to exit, reasons included; CPU s is "
        "the command's processes' user + system time; scorer is segmentation + scoring alone on "
        "the same text; ratio is end-to-end time / scorer time)"
    )
    print()
    print(f"{'where the time goes, one core':<44} {'CPU s':>8} {'MB/s':>7}")
    megabytes = len(one_document(args.cli_size, seed=3).encode()) / 1e6
    for name, seconds in steps(args.cli_size, args.cli_runs):
        print(f"{name:<44} {seconds:8.3f} {megabytes / seconds:7.1f}")
    print(
        f"(the same {megabytes:.2f} MB text, in this process, median of {args.cli_runs} runs; "
        "start-up is wall time)"
    )


if __name__ == "__main__":
    main()
