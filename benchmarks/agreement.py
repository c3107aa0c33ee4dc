"""Agreement speed: `reader agree` on a team project, against loading the store and against bratiaa.

    python -m benchmarks.agreement [--annotators 3] [--docs 40] [--spans 12] [--runs 5]
    python -m benchmarks.agreement --annotators 4 --docs 1000 --spans 25 --no-bratiaa   # 100,000

A team project is a corpus from benchmarks.make_corpus annotated by several annotators the way argument
annotation goes (persuasive essays: MajorClaim, Claim, Premise, supports/attacks): a reference set of
sentence spans, which each annotator keeps, relabels, drops, moves by a few characters (often into the
middle of a word) or adds to. The same annotations are written as a brat project (one folder per
annotator, `annotation.conf` at the root), which bratiaa reads.

Measured, from nothing each run (warm file cache), alternating:
- baseline: open the store read only and build every annotation (`store.annotations()`);
- reader agree: load the corpus, read the store, compute every figure (spans, sentences, links);
- reader agree, the command: `reader agree --format json` in a new process (start-up included);
- reader agree, figures only: the computation on annotations already in memory;
- bratiaa: exact and token F1 per label, per document and overall on the brat folder (what
  `bratiaa` and `bratiaa -t` print), without its printing.
The table gives medians and the ratio to the baseline's median.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.make_corpus import make_corpus
from benchmarks.timing import report, time_cases
from reader.agreement import Agreement, compute, corpus_text_of
from reader.corpus.documents import Corpus
from reader.model.annotation import Link, annotation_from_document, new_id
from reader.store import AnnotationStore
from reader.text import segment

REPO = Path(__file__).resolve().parent.parent
LABELS = ("MajorClaim", "Claim", "Premise")
CONF = """[entities]
MajorClaim
Claim
Premise

[relations]
supports Arg1:Premise|Claim, Arg2:MajorClaim|Claim|Premise
attacks Arg1:Premise|Claim, Arg2:MajorClaim|Claim|Premise

[events]

[attributes]
"""


@dataclass
class Span:
    start: int
    end: int
    label: str
    id: str = field(default_factory=new_id)
    links: list[tuple[str, Span]] = field(default_factory=list)


def _noisy(rng: random.Random, text: str, reference: list[Span]) -> list[Span]:
    """One annotator's version of the reference spans, links kept where both ends survive."""
    mine: dict[int, Span] = {}
    for number, span in enumerate(reference):
        roll = rng.random()
        if roll < 0.07:
            continue  # missed
        start, end, label = span.start, span.end, span.label
        if roll < 0.14:
            label = rng.choice([other for other in LABELS if other != label])
        elif roll < 0.3:  # boundaries moved, often into a word
            start = max(0, start + rng.randint(-6, 12))
            end = min(len(text), max(start + 1, end + rng.randint(-12, 6)))
            if "\n" in text[start:end]:  # brat would need two fragments: keep the reference's
                start, end = span.start, span.end
        mine[number] = Span(start, end, label)
    for number, span in enumerate(reference):
        for kind, target in span.links:
            to = reference.index(target)
            if number in mine and to in mine and rng.random() < 0.85:
                mine[number].links.append((kind, mine[to]))
    spans = list(mine.values())
    if rng.random() < 0.5:  # a span of one's own
        start = rng.randrange(0, max(1, len(text) - 80))
        end = start + rng.randint(10, 80)
        newline = text.find("\n", start, end)
        end = end if newline < 0 else newline
        if start < end:
            spans.append(Span(start, end, rng.choice(LABELS)))
    return spans


def team_annotations(
    corpus: Corpus, annotators: list[str], spans: int, seed: int
) -> dict[str, dict[str, list[Span]]]:
    """annotator -> document -> spans."""
    rng = random.Random(seed)
    out: dict[str, dict[str, list[Span]]] = {name: {} for name in annotators}
    for doc in corpus:
        text = doc.text
        sentences = segment(text, doc.body_start)
        chosen = sorted(rng.sample(sentences, min(spans, len(sentences))))
        reference = [
            Span(s.start, s.end, "MajorClaim" if i == 0 else rng.choice(LABELS[1:]))
            for i, s in enumerate(chosen)
        ]
        for span in reference[1:]:  # claims bear on the major claim, premises on anything
            others = [r for r in reference if r is not span]
            target = reference[0] if span.label == "Claim" else rng.choice(others)
            span.links.append(("supports" if rng.random() < 0.8 else "attacks", target))
        for name in annotators:
            out[name][doc.id] = _noisy(rng, text, reference)
    return out


def write_store(folder: Path, corpus: Corpus, team: dict[str, dict[str, list[Span]]]) -> None:
    with AnnotationStore.open(folder / "annotations" / "store.json") as store:
        for name, by_doc in team.items():
            batch = []
            for doc_id, spans in by_doc.items():
                doc = corpus.get(doc_id)
                for span in spans:
                    links = [Link(kind, target.id) for kind, target in span.links]
                    batch.append(
                        annotation_from_document(
                            doc,
                            span.start,
                            span.end,
                            label=span.label,
                            id=span.id,
                            author=name,
                            links=links,
                        )
                    )
            store.add_many(batch)


def write_brat(folder: Path, corpus: Corpus, team: dict[str, dict[str, list[Span]]]) -> Path:
    """One folder per annotator with each document's .txt and .ann; annotation.conf at the root."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "annotation.conf").write_text(CONF, encoding="utf-8")
    for name, by_doc in team.items():
        (folder / name).mkdir()
        for doc_id, spans in by_doc.items():
            doc = corpus.get(doc_id)
            assert doc is not None
            (folder / name / f"{doc_id}.txt").parent.mkdir(parents=True, exist_ok=True)
            (folder / name / f"{doc_id}.txt").write_text(doc.text, encoding="utf-8", newline="")
            number = {span.id: n for n, span in enumerate(spans, 1)}
            lines = [
                f"T{n}\t{span.label} {span.start} {span.end}\t{doc.text[span.start : span.end]}"
                for n, span in enumerate(spans, 1)
            ]
            relation = 0
            for n, span in enumerate(spans, 1):
                for kind, target in span.links:
                    relation += 1
                    lines.append(f"R{relation}\t{kind} Arg1:T{n} Arg2:T{number[target.id]}")
            (folder / name / f"{doc_id}.ann").write_text(
                "".join(line + "\n" for line in lines), encoding="utf-8"
            )
    return folder


def make_team_project(
    folder: Path, annotators: int = 3, docs: int = 40, spans: int = 12, seed: int = 5
) -> Path:
    """A project (corpus + store) annotated by `annotators` people, and its brat copy in folder/brat."""
    make_corpus(docs, folder, seed)
    corpus = Corpus.load(folder / "corpus")
    names = [f"annotator{n}" for n in range(1, annotators + 1)]
    team = team_annotations(corpus, names, spans, seed)
    write_store(folder, corpus, team)
    write_brat(folder / "brat", corpus, team)
    return folder


def agree(folder: Path) -> Agreement:
    corpus = Corpus.load(folder / "corpus")
    with AnnotationStore.open(folder / "annotations" / "store.json", read_only=True) as store:
        annotations = store.annotations()
    return compute(annotations, corpus_text_of(corpus))


def command(folder: Path) -> None:
    """`reader agree --format json` as a user runs it: a new Python, imports included."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(
        [sys.executable, "-m", "reader", "agree", str(folder), "--format", "json"],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )


def bratiaa_figures(brat: Path) -> list[object]:
    """What `bratiaa` and `bratiaa -t` compute: per document, per label and overall, both ways."""
    from bratiaa import compute_f1_agreement
    from bratiaa.utils import tokenize

    out: list[object] = []
    for token_func in (None, tokenize):
        f1 = compute_f1_agreement(str(brat), token_func=token_func)
        out += [f1.mean_sd_per_document(), f1.mean_sd_per_label(), f1.mean_sd_total()]
    return out


def measure(folder: Path, runs: int, with_bratiaa: bool) -> dict[str, list[float]]:
    corpus = Corpus.load(folder / "corpus")
    with AnnotationStore.open(folder / "annotations" / "store.json", read_only=True) as store:
        annotations = store.annotations()
    texts = {doc.id: (doc.text, doc.body_start) for doc in corpus}

    def baseline() -> int:
        with AnnotationStore.open(folder / "annotations" / "store.json", read_only=True) as s:
            return len(s.annotations())

    cases: dict[str, Callable[[], object]] = {
        "baseline: load annotations": baseline,
        "reader agree, whole": lambda: agree(folder),
        "reader agree, the command": lambda: command(folder),
        "reader agree, figures only": lambda: compute(annotations, texts.get),
    }
    if with_bratiaa:
        cases["bratiaa, exact and token"] = lambda: bratiaa_figures(folder / "brat")
    return time_cases(cases, runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--spans", type=int, default=12, help="reference spans per document")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bratiaa", action="store_true", help="leave bratiaa out")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_team_project(Path(tmp) / "team", args.annotators, args.docs, args.spans)
        figures = agree(folder)
        with AnnotationStore.open(folder / "annotations" / "store.json", read_only=True) as store:
            count = len(store)
        times = measure(folder, args.runs, not args.no_bratiaa)
    print(
        f"{len(figures.annotators)} annotators, {len(figures.documents):,} documents, "
        f"{count:,} annotations, {figures.sentences:,} sentences, {args.runs} runs"
    )
    print("\n".join(report(times)))


if __name__ == "__main__":
    main()
