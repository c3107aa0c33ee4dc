"""Switching the annotator layer, headless: what `L` costs the reading session on a dense document.

    python -m benchmarks.layers [--runs N] [--annotations 10000] [--annotators 4]

A document of shuffled corpus sentences holds N annotations of 20-180 characters at random places, by
A annotators in turn. Measured, as medians over runs: building the session's index of every annotation
(what opening the document did before layers: the baseline), switching to one annotator's layer and
back to all (each rebuilds the index once), and what a key costs once a layer is shown: `]` and a store
change arriving (one annotation added and removed), in all annotators and in one annotator's layer.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from benchmarks.make_corpus import shipped_sentences
from reader.claims.scores import score_document
from reader.model.annotation import Annotation, annotation_for
from reader.model.layers import Layer
from reader.model.span_index import SpanIndex
from reader.session import ReadingSession

SHA = "0" * 64


def make_text(chars: int, seed: int = 1) -> str:
    sentences = shipped_sentences()
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        paragraph = " ".join(rng.choice(sentences) for _ in range(5))
        parts.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(parts)


def make_annotations(text: str, count: int, annotators: int, seed: int = 1) -> list[Annotation]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randrange(20, 180)
        out.append(
            annotation_for("doc", text, SHA, start, end, author=f"annotator-{i % annotators}")
        )
    return out


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def measure(runs: int, annotations: int, annotators: int) -> dict[str, float]:
    text = make_text(max(200_000, annotations * 60))
    anns = make_annotations(text, annotations, annotators)
    session = ReadingSession(text, score_document(text), anns, me="annotator-0")
    one, every = Layer("annotator", "annotator-1"), Layer("all")
    extra = annotation_for("doc", text, SHA, 100, 160, author="annotator-1")
    middle = len(session.sentences) // 2

    def step() -> object:
        session.move_to_sentence(middle)
        return session.next_annotation(1)

    def change(layer: Layer) -> Callable[[], object]:
        session.set_layer(layer)

        def run() -> None:
            session.apply_change(None, extra)
            session.apply_change(extra, None)

        return run

    figures = {
        "index every annotation (baseline)": median_ms(lambda: SpanIndex(anns), runs),
        "switch to one annotator's layer": median_ms(lambda: session.set_layer(one), runs),
        "switch back to all annotators": median_ms(lambda: session.set_layer(every), runs),
    }
    for name, layer in (("all annotators", every), ("one annotator", one)):
        session.set_layer(layer)
        figures[f"`]`, {name}"] = median_ms(step, runs)
        figures[f"a store change, {name}"] = median_ms(change(layer), runs)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--annotations", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=4)
    args = parser.parse_args()
    figures = measure(args.runs, args.annotations, args.annotators)
    baseline = figures["index every annotation (baseline)"]
    print(f"{args.annotations:,} annotations by {args.annotators} annotators, {args.runs} runs")
    print(f"{'measure':<40} {'median ms':>10} {'ratio':>7}")
    for name, value in figures.items():
        print(f"{name:<40} {value:>10.3f} {value / baseline:>7.2f}")


if __name__ == "__main__":
    main()
