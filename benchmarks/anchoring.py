"""Re-anchoring after edits: how many annotations are found exactly, approximately, orphaned or
misplaced for each kind of edit, and how long re-anchoring takes.

    python -m benchmarks.anchoring [--runs N] [--megabytes MB] [--annotations N] [--seed S]

Texts: the four shipped op-eds (40 random spans each, many runs) and one synthetic document of MB
megabytes (shipped sentences shuffled into paragraphs, so every sentence has many copies) with N
annotations on random word-aligned spans of 20-180 characters. Each kind of edit is applied at random
places, and every annotation's true new place is worked out from the edit itself. Outcomes:

- exact: placed on its true place with its quote (status unchanged or moved);
- approximate: placed overlapping its true place, marked approximate;
- copy: placed on an identical copy of its quote elsewhere (the text is the quote, but not its place);
- elsewhere: placed approximately on text like its quote (as similar as the threshold asks) that is
  not its true place: a near-copy of the quote, as repeated sentences make;
- orphaned: not placed;
- misplaced: placed on text that is neither its quote nor like it, nor overlapping its true place.

"untouched" annotations are those the edit left whole (their text is in the new document): the target
is 100% exact. "≤10%" are those whose quote lost or gained at most a tenth of its characters: the
target is ≥ 95% found (exact or approximate). Then the time to re-anchor the N annotations after one
edit, against hashing the document (which any open does) measured in the same run, and the cost of
opening an unchanged document (one hash comparison per annotation until one differs), and a sweep of
the approximate threshold over the same edits.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from benchmarks.make_corpus import shipped_sentences
from reader import anchoring
from reader.anchoring import approximate, changed, reanchor
from reader.corpus.documents import Corpus, sha256_text
from reader.model.annotation import Annotation, annotation_for

# An edit: replace text[pos:pos+cut] with insert. `source` is the old offset the inserted text was cut
# from (a paragraph moved), so annotations in it follow it.
Op = tuple[int, int, str, int | None]


@dataclass
class Case:
    ann: Annotation
    truth: tuple[int, int] | None
    damage: float  # share of the quote's characters deleted or inserted by the edit


def apply(text: str, ops: list[Op]) -> str:
    out, last = [], 0
    for pos, cut, insert, _source in sorted(ops, key=lambda op: op[0]):
        out += [text[last:pos], insert]
        last = pos + cut
    return "".join([*out, text[last:]])


def where(ops: list[Op], offset: int, side: str) -> int:
    """Where an old offset is in the new text; inside a cut, at the cut's end (or start)."""
    delta = 0
    for pos, cut, insert, _source in sorted(ops, key=lambda op: op[0]):
        if pos + cut <= offset and not (cut == 0 and pos == offset and side == "start"):
            delta += len(insert) - cut
        elif pos < offset:  # inside a cut
            return pos + delta + (len(insert) if side == "start" else 0)
    return offset + delta


def truth(ops: list[Op], ann: Annotation, edited: str) -> Case:
    start, end = ann.start or 0, ann.end or 0
    for pos, _cut, insert, source in ops:  # moved along with a paragraph
        if source is not None and source <= start and end <= source + len(insert):
            new = where(ops, pos, "start") + start - source
            return Case(ann, (new, new + end - start), 0.0)
    new_start, new_end = where(ops, start, "start"), where(ops, end, "end")
    if new_end <= new_start:
        return Case(ann, None, 1.0)
    # Characters deleted plus inserted, over the quote's length: a quote that lost a tenth of its
    # characters, or gained a tenth, is at 0.1.
    damage = Indel.distance(ann.quote, edited[new_start:new_end]) / max(1, end - start)
    return Case(ann, (new_start, new_end), damage)


# The kinds of edit. Each returns ops on `text`, given the annotations (for edits inside them).
Edit = Callable[[random.Random, str, list[Annotation]], list[Op]]
PARAGRAPH = re.compile(r"[^\n]+")
SENTENCE = re.compile(r"[^.!?\n]+[.!?]+")


def spots(text: str, rng: random.Random, count: int) -> list[int]:
    return sorted({m.start() for m in re.finditer(" ", text)} and rng.sample(
        [m.start() for m in re.finditer(" ", text)], count))  # fmt: skip


def few(rng: random.Random, text: str, n: int) -> int:
    return max(1, min(n, len(text) // 2000))


def insert_before(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    return [(0, 0, "Standfirst: a new line added above the text, as editors do.\n\n", None)]


def insert_between(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    return [
        (at, 0, " And another thing was said here.", None)
        for at in spots(text, rng, few(rng, text, 50))
    ]


def insert_inside(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    out = {}
    for ann in rng.sample(anns, min(len(anns), 60)):
        quote = ann.quote
        gaps = [m.start() for m in re.finditer(" ", quote)]
        if gaps:
            at = (ann.start or 0) + rng.choice(gaps)
            out[at] = (at, 0, " very", None)
    return list(out.values())


def delete_before(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    first = PARAGRAPH.search(text, 1)
    return [(0, first.end() if first else 10, "", None)]


def delete_between(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    out, last = [], -1
    for at in spots(text, rng, few(rng, text, 40)):
        if at > last:
            cut = rng.randint(5, 60)
            out.append((at, min(cut, len(text) - at), "", None))
            last = at + cut
    return out


def delete_inside(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    out: dict[int, Op] = {}
    for ann in rng.sample(anns, min(len(anns), 60)):
        words = list(re.finditer(r" \w+", ann.quote))
        if words:
            word = rng.choice(words)
            at = (ann.start or 0) + word.start()
            out[at] = (at, word.end() - word.start(), "", None)
    return _disjoint(out.values())


def typo_fix(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    out: dict[int, Op] = {}
    for ann in rng.sample(anns, min(len(anns), 60)):
        letters = [i for i, c in enumerate(ann.quote) if c.isalpha()]
        if letters:
            at = (ann.start or 0) + rng.choice(letters)
            out[at] = (at, 1, "q" if text[at] != "q" else "z", None)
    return _disjoint(out.values())


def whitespace(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    return [(at, 1, "  ", None) for at in spots(text, rng, few(rng, text, 80))]


def punctuation(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    commas = [m.start() for m in re.finditer(",", text)]
    return [(at, 1, ";", None) for at in rng.sample(commas, min(len(commas), 80))]


def sentence_deleted(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    found = list(SENTENCE.finditer(text))
    chosen = rng.sample(found, min(len(found), few(rng, text, 30)))
    return _disjoint((m.start(), m.end() - m.start(), "", None) for m in chosen)


def paragraph_moved(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    found = list(PARAGRAPH.finditer(text))
    moved = rng.choice(found[1:-1] or found)
    target = rng.choice([m for m in found if m is not moved]).start()
    body = moved.group() + "\n"
    return [(moved.start(), len(body), "", None), (target, 0, body, moved.start())]


def paragraph_duplicated(rng: random.Random, text: str, anns: list[Annotation]) -> list[Op]:
    found = list(PARAGRAPH.finditer(text))
    dup = rng.choice(found)
    return [(dup.end(), 0, "\n" + dup.group(), None)]


def _disjoint(ops: object) -> list[Op]:
    out: list[Op] = []
    for op in sorted(ops, key=lambda op: op[0]):  # type: ignore[attr-defined]
        if not out or op[0] >= out[-1][0] + out[-1][1]:
            out.append(op)
    return out


KINDS: dict[str, Edit] = {
    "insert before spans": insert_before,
    "insert between spans": insert_between,
    "insert inside spans": insert_inside,
    "delete before spans": delete_before,
    "delete between spans": delete_between,
    "delete inside spans": delete_inside,
    "paragraph moved": paragraph_moved,
    "whitespace changed": whitespace,
    "punctuation changed": punctuation,
    "typo fixed in quotes": typo_fix,
    "sentences deleted": sentence_deleted,
    "paragraph duplicated": paragraph_duplicated,
}


def annotate(text: str, count: int, rng: random.Random) -> list[Annotation]:
    sha = sha256_text(text)
    starts = [m.end() for m in re.finditer(r"\s+", text)]
    out = []
    for start in rng.sample(starts, min(count, len(starts))):
        end = start + rng.randint(20, 180)
        space = text.rfind(" ", start + 10, end)
        end = space if space > start else min(end, len(text))
        out.append(annotation_for("d", text, sha, start, end, id=f"A{len(out)}"))
    return out


def classify(
    edited: str, cases: dict[str, Case], outcomes: list[anchoring.Outcome]
) -> Counter[str]:
    counts: Counter[str] = Counter()
    for outcome in outcomes:
        case = cases[outcome.annotation.id]
        new = outcome.applied()
        group = "untouched" if case.damage == 0 and case.truth else (
            "small" if case.truth and case.damage <= 0.1 else "large")  # fmt: skip
        counts[f"n {group}"] += 1
        if new.start is None or new.end is None:
            result = "orphaned"
        elif case.truth and new.start < case.truth[1] and case.truth[0] < new.end:
            result = "approximate" if outcome.status == "approximate" else "exact"
        elif new.quote == case.ann.quote:
            result = "copy"
        elif Indel.normalized_similarity(new.quote, case.ann.quote) >= approximate.SIMILARITY:
            result = "elsewhere"
        else:
            result = "misplaced"
        counts[f"{result} {group}"] += 1
        counts[result] += 1
    return counts


def texts(megabytes: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    sentences = shipped_sentences()
    paragraphs: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return ["\n\n".join(paragraphs) + "\n"]


def shipped_texts() -> list[str]:
    from pathlib import Path

    corpus = Corpus.load(Path(__file__).resolve().parent.parent / "corpus")
    return [doc.text for doc in corpus]


def quality(docs: list[tuple[str, int]], runs: int, seed: int) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    rng = random.Random(seed)
    for text, count in docs:
        for _run in range(runs):
            anns = annotate(text, count, rng)
            for kind, edit in KINDS.items():
                ops = edit(rng, text, anns)
                edited = apply(text, ops)
                cases = {ann.id: truth(ops, ann, edited) for ann in anns}
                outcomes = reanchor(edited, sha256_text(edited), anns)
                table[kind] += classify(edited, cases, outcomes)
    return table


def percent(part: int, whole: int) -> str:
    # Rounded down: 10,717 of 10,718 is 99.9%, not 100.0%.
    return f"{math.floor(1000 * part / whole) / 10:.1f}%" if whole else "-"


def print_quality(table: dict[str, Counter[str]]) -> None:
    print(
        "| edit | annotations | untouched: exact | ≤10% changed: found | exact | approximate | copy | elsewhere | orphaned | misplaced |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")  # fmt: skip
    for kind, c in table.items():
        n = sum(c[f"n {g}"] for g in ("untouched", "small", "large"))
        small_found = c["exact small"] + c["approximate small"]
        print(
            f"| {kind} | {n} | {percent(c['exact untouched'], c['n untouched'])}: "
            f"{c['exact untouched']:,} of {c['n untouched']:,} | "
            f"{percent(small_found, c['n small'])}: {small_found:,} of {c['n small']:,} | "
            f"{c['exact']} | {c['approximate']} | {c['copy']} | {c['elsewhere']} | {c['orphaned']} | {c['misplaced']} |"
        )


def timing(text: str, count: int, runs: int, seed: int) -> None:
    rng = random.Random(seed)
    anns = annotate(text, count, rng)
    sha = sha256_text(text)
    rows: list[tuple[str, float]] = []
    hashing = statistics.median(_time(lambda: sha256_text(text)) for _ in range(runs))
    rows.append(("hash the document (baseline)", hashing))
    rows.append(("unchanged: changed() over every annotation", statistics.median(
        _time(lambda: changed(anns, sha)) for _ in range(runs))))  # fmt: skip
    for kind in (
        "insert before spans",
        "paragraph moved",
        "typo fixed in quotes",
        "sentences deleted",
    ):
        ops = KINDS[kind](rng, text, anns)
        edited = apply(text, ops)
        new_sha = sha256_text(edited)
        times = [_time(lambda: reanchor(edited, new_sha, anns)) for _ in range(runs)]  # noqa: B023
        rows.append((f"re-anchor after: {kind}", statistics.median(times)))
    print(f"\n{count:,} annotations in a {len(text) / 1e6:.2f} MB document, median of {runs}:\n")
    print("| measure | median | ratio to hashing |\n|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000:.2f} ms | {seconds / hashing:.2f} |")


def _time(work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def sweep(docs: list[tuple[str, int]], seed: int) -> None:
    print(
        "\nThe approximate threshold (rapidfuzz Indel similarity), over the same edits, one run each:\n"
    )
    print("| threshold | ≤10% changed: found | approximate | elsewhere |\n|---|---|---|---|")
    # The threshold lives where approximate matching reads it.
    saved = approximate.SIMILARITY
    try:
        for threshold in (0.6, 0.7, 0.8, 0.9, 0.95):
            approximate.SIMILARITY = threshold
            table = quality(docs, 1, seed)
            small = sum(c["n small"] for c in table.values())
            found = sum(c["exact small"] + c["approximate small"] for c in table.values())
            approx = sum(c["approximate"] for c in table.values())
            off = sum(c["elsewhere"] + c["misplaced"] for c in table.values())
            print(f"| {threshold} | {percent(found, small)} of {small} | {approx} | {off} |")
    finally:
        approximate.SIMILARITY = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--annotations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    big = texts(args.megabytes, args.seed)[0]
    docs = [(text, 40) for text in shipped_texts()] + [(big, args.annotations)]
    print(
        f"Outcomes per kind of edit ({args.runs} runs on each shipped op-ed, 1 on the big document):\n"
    )
    table = quality([(t, n) for t, n in docs[:-1]], args.runs, args.seed)
    for kind, counts in quality(docs[-1:], 1, args.seed).items():
        table[kind] += counts
    print_quality(table)
    timing(big, args.annotations, args.runs, args.seed)
    sweep([(t, n) for t, n in docs[:-1]] + [(big, min(args.annotations, 2000))], args.seed)


if __name__ == "__main__":
    main()
