"""Quality of the claim/fact highlighter on the hand-labelled shipped corpus.

    python -m benchmarks.claims_eval [--labels tests/data/claims_dev.json] [--corpus corpus]

Prints precision, recall, F1 and average precision per kind, beside two trivial baselines measured on
the same sentences: "label everything" (for P/R/F1) and a random order (for AP, mean of 200 shuffles).
Sentences are matched to labels by their offsets; a label whose span the segmenter does not produce is
counted as missed, so segmentation errors cost here too.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

from reader.claims.scores import KINDS, Lexicon, default_lexicon, score_with
from reader.corpus.documents import read_text

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    f1: float
    ap: float


def average_precision(scores: list[float], gold: list[int]) -> float:
    """AP of a ranking by score; ties broken by position, so the figure is deterministic."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if gold[i]:
            hits += 1
            total += hits / rank
    return total / max(1, sum(gold))


def prf(predicted: list[int], gold: list[int]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    precision = tp / max(1, sum(predicted))
    recall = tp / max(1, sum(gold))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def collect(
    labels_path: Path, corpus: Path, lexicon: Lexicon
) -> dict[str, tuple[list[float], list[int], list[int]]]:
    """Per kind: (scores, predicted labels, gold labels), one entry per labelled sentence."""
    rows = json.loads(labels_path.read_text(encoding="utf-8"))
    by_doc: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_doc.setdefault(str(row["doc"]), []).append(row)
    out: dict[str, tuple[list[float], list[int], list[int]]] = {k: ([], [], []) for k in KINDS}
    for doc, doc_rows in sorted(by_doc.items()):
        text = read_text(corpus / doc).text
        scored = {(s.start, s.end): s for s in score_with(lexicon, text).sentences}
        for row in doc_rows:
            found = scored.get((int(str(row["start"])), int(str(row["end"]))))
            for kind in KINDS:
                scores, predicted, gold = out[kind]
                scores.append(found.score(kind) if found else 0.0)
                predicted.append(int(found is not None and kind in found.labels))
                gold.append(int(str(row[kind])))
    return out


def evaluate(labels_path: Path, corpus: Path, lexicon: Lexicon) -> dict[str, Figures]:
    results = {}
    for kind, (scores, predicted, gold) in collect(labels_path, corpus, lexicon).items():
        results[kind] = Figures(*prf(predicted, gold), average_precision(scores, gold))
    return results


def baselines(labels_path: Path, corpus: Path, lexicon: Lexicon) -> dict[str, Figures]:
    rng = random.Random(0)
    results = {}
    for kind, (scores, _, gold) in collect(labels_path, corpus, lexicon).items():
        everything = prf([1] * len(gold), gold)
        shuffles = []
        for _ in range(200):
            noise = [rng.random() for _ in scores]
            shuffles.append(average_precision(noise, gold))
        results[kind] = Figures(*everything, sum(shuffles) / len(shuffles))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=REPO / "tests" / "data" / "claims_dev.json")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--lexicon", type=Path, default=None)
    args = parser.parse_args(argv)
    lexicon = Lexicon.load(args.lexicon) if args.lexicon else default_lexicon()
    ours = evaluate(args.labels, args.corpus, lexicon)
    base = baselines(args.labels, args.corpus, lexicon)
    gold = collect(args.labels, args.corpus, lexicon)
    print(
        f"{'kind':<8} {'n+':>4} {'P':>6} {'R':>6} {'F1':>6} {'AP':>6}   baseline: all P/R/F1, random AP"
    )
    for kind in KINDS:
        o, b = ours[kind], base[kind]
        positives = sum(gold[kind][2])
        print(
            f"{kind:<8} {positives:>4} {o.precision:6.3f} {o.recall:6.3f} {o.f1:6.3f} {o.ap:6.3f}"
            f"   {b.precision:.3f}/{b.recall:.3f}/{b.f1:.3f}, {b.ap:.3f}"
        )
    print(f"sentences: {len(gold['claim'][2])}")


if __name__ == "__main__":
    main()
