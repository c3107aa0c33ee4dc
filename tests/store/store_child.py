"""Crash trials for the annotation store: a child writes in a loop and is SIGKILLed at a random moment.

Run as a child: `python -m tests.store.store_child STORE SEED`. It prints `I <op> <id> <value>` before each
write and `K` once the write has returned (is acknowledged), flushing each line. The parent side,
`run_trials`, kills it, reopens the store and checks that the contents equal the acknowledged writes,
plus at most the one write that was in flight. Used by tests/test_store_kill.py (30 trials) and by
benchmarks/store.py (200 trials).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from reader.model.annotation import annotation_for
from reader.store import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Councils cut bus routes by 40% and voters noticed. " * 40
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
# Small, so that size-triggered compactions (and kills inside them) happen within a trial.
CHILD_COMPACT_BYTES = 16_000

State = tuple[dict[str, str], object]


def child(path: str, seed: int) -> None:
    rng = random.Random(seed)
    store = AnnotationStore.open(path, compact_bytes=CHILD_COMPACT_BYTES)
    ids = [a.id for a in store.annotations()]
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    counter = 0
    while True:
        counter += 1
        roll = rng.random()
        if roll < 0.55 or len(ids) < 3:
            start = rng.randrange(0, len(TEXT) - 20)
            ann = annotation_for(f"doc{rng.randrange(5)}", TEXT, SHA, start, start + 20, note="a")
            out.write(f"I add {ann.id} a\n")
            out.flush()
            store.add(ann)
            ids.append(ann.id)
        elif roll < 0.85:
            target = rng.choice(ids)
            out.write(f"I update {target} n{counter}\n")
            out.flush()
            store.update(target, note=f"n{counter}")
        elif roll < 0.95:
            target = ids.pop(rng.randrange(len(ids)))
            out.write(f"I delete {target} -\n")
            out.flush()
            store.delete(target)
        else:
            out.write(f"I meta pos {counter}\n")
            out.flush()
            store.meta["pos"] = counter
        out.write("K\n")
        out.flush()
        if counter % 60 == 0:
            store.compact()


def _apply(state: State, line: str) -> State:
    notes, pos = dict(state[0]), state[1]
    _, op, ident, value = line.split(" ")
    if op == "add" or op == "update":
        notes[ident] = value
    elif op == "delete":
        notes.pop(ident, None)
    else:
        pos = int(value)
    return notes, pos


def _read(path: Path) -> tuple[State, int]:
    with AnnotationStore.open(path) as store:
        state = {a.id: a.note for a in store.annotations()}, store.meta.get("pos")
        return state, len(store.warnings)


@dataclass
class TrialReport:
    trials: int = 0
    acknowledged: int = 0
    lost: int = 0
    failed_opens: int = 0
    killed_in_flight: int = 0
    torn_tails: int = 0
    errors: list[str] = field(default_factory=list)


def run_trials(path: Path, trials: int, seed: int = 0, max_delay: float = 0.25) -> TrialReport:
    """Kill a writing child `trials` times; count acknowledged writes missing after each reopen."""
    rng = random.Random(seed)
    report = TrialReport()
    expected: State = ({}, None)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for trial in range(trials):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.store.store_child",
                str(path),
                str(rng.randrange(1 << 30)),
            ],
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
            text=True,
        )
        assert proc.stdout is not None
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0, 0.15))  # sometimes while it is still opening the store
        else:
            proc.stdout.readline()
            time.sleep(rng.uniform(0, max_delay))
        proc.send_signal(signal.SIGKILL)
        output = proc.stdout.read()
        proc.wait()
        proc.stdout.close()
        acked = expected
        in_flight: str | None = None
        for line in output.splitlines():
            if line.startswith("I "):
                in_flight = line
            elif line == "K" and in_flight is not None:
                acked = _apply(acked, in_flight)
                report.acknowledged += 1
                in_flight = None
        report.trials += 1
        try:
            actual, torn = _read(path)
            report.torn_tails += torn
        except Exception as exc:
            report.failed_opens += 1
            report.errors.append(f"trial {trial}: store did not open: {exc}")
            break
        if actual == acked:
            expected = actual
            continue
        if in_flight is not None and actual == _apply(acked, in_flight):
            report.killed_in_flight += 1
            expected = actual
            continue
        missing = [i for i, note in acked[0].items() if actual[0].get(i) != note]
        report.lost += max(1, len(missing))
        report.errors.append(
            f"trial {trial}: store differs from acknowledged writes: {missing[:5]}"
        )
        expected = actual
    return report


if __name__ == "__main__":
    child(sys.argv[1], int(sys.argv[2]))
