"""Search speed: building the index and answering queries, against TinyDB's own regex search.

    python -m benchmarks.search [--annotations N] [--documents D] [--runs R]

Builds a synthetic project of D documents (benchmarks.make_corpus) in a temporary folder and N annotations
on them: each quotes one sentence of its document, 80% carry a note of 6-30 words drawn from the corpus
vocabulary and a bank of analyst phrases, 60% a label, most one to three tags. Then times:
- building a SearchIndex from the annotations (median of 3 builds);
- queries of four kinds (one word, three words, a phrase, fields), each run R times with limit=20,
  after one first run right after building (which fills the per-term caches: "first run");
- TinyDB `Query().note.search(regex)` over the same annotations in TinyDB's MemoryStorage (no disk I/O,
  the fairest case for TinyDB; its query cache cleared before each run), for the one-word queries, as
  the baseline; the ratio is TinyDB's median over ours;
- the same store with one note of MB megabytes (--huge-note, 0 skips it; documents' text run together,
  ending in a word found nowhere else) against the store without it: building the index, and a
  one-word query with all its results rendered as `reader search` prints them (highlights included),
  plus whether the word at the very end of the huge note is found.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.make_corpus import make_corpus
from reader.corpus.documents import Corpus
from reader.model.annotation import Annotation, Link, new_id
from reader.search.engine import SearchIndex
from reader.search.render import hit_lines

QUERIES = {
    "one word": ["brexit", "council", "manifesto", "voters", "trust"],
    "three words": [
        "labour brexit votes",
        "council election seats",
        "corbyn manifesto promise",
        "leave voters trust",
        "working class towns",
    ],
    "phrase": ['"red wall"', '"general election"', '"the labour party"', '"leave voters"'],
    "fields": [
        "label:claim tag:brexit",
        "party:labour note:vote",
        "author:rowley has:note",
        "tag:economy -label:premise",
        "by:sam origin:suggestion",
    ],
}
PHRASES = [
    "cost Labour votes",
    "red wall",
    "check this figure",
    "weak evidence",
    "compare with the manifesto",
    "Brexit position",
    "strong claim, needs a source",
    "leave voters felt ignored",
    "local council results",
    "working class towns",
    "general election",
]
TAGS = ["brexit", "economy", "nhs", "red-wall", "leave", "remain", "council", "manifesto", "trust"]
TAGS += ["immigration", "class", "corbyn", "johnson", "turnout", "local", "national", "check"]
LABELS = ["claim", "premise", "evidence", "counterclaim", "rebuttal"]
AUTHORS = ["sam", "alex", "jo", "kim"]
SENTENCE = re.compile(r"[^.!?\n]+[.!?]")


def make_annotations(corpus: Corpus, count: int, seed: int = 1) -> list[Annotation]:
    rng = random.Random(seed)
    docs = [doc for doc in corpus if doc.readable]
    spans = {doc.id: [m.span() for m in SENTENCE.finditer(doc.text)] for doc in docs}
    vocabulary = sorted({w for doc in docs[:50] for w in re.findall(r"[A-Za-z’']+", doc.text)})
    stamp = "2024-05-01T12:00:00.000Z"
    out: list[Annotation] = []
    for n in range(count):
        doc = docs[n % len(docs)]
        start, end = rng.choice(spans[doc.id])
        while doc.text[start].isspace():
            start += 1
        note = ""
        if rng.random() < 0.8:
            words = [rng.choice(vocabulary) for _ in range(rng.randint(5, 25))]
            words.insert(rng.randrange(len(words)), rng.choice(PHRASES))
            note = " ".join(words)
        links = [Link("supports", out[-1].id)] if out and rng.random() < 0.1 else []
        out.append(
            Annotation(
                id=new_id(),
                doc=doc.id,
                doc_sha256=doc.sha256,
                start=start,
                end=end,
                quote=doc.text[start:end],
                label=rng.choice(LABELS) if rng.random() < 0.6 else None,
                tags=tuple(rng.sample(TAGS, rng.choice((0, 1, 1, 2, 3)))),
                note=note,
                links=tuple(links),
                origin="suggestion" if rng.random() < 0.2 else "manual",
                author=rng.choice(AUTHORS),
                created=stamp,
                modified=stamp,
            )
        )
    return out


def write_metadata(corpus: Path) -> None:
    """Authors and parties for the synthetic documents, so metadata fields have something to find."""
    people = [("Lee Rowley", "Conservative"), ("Chris Peace", "Labour")]
    people += [("Chris Williamson", "Labour"), ("Sam Jones", "Liberal Democrat")]
    lines = []
    for n, path in enumerate(sorted(corpus.rglob("*.txt"))):
        author, party = people[n % len(people)]
        doc_id = path.relative_to(corpus).with_suffix("").as_posix()
        lines += [f'[documents."{doc_id}"]', f'author = "{author}"', f'party = "{party}"', ""]
    (corpus / "corpus.toml").write_text("\n".join(lines), encoding="utf-8")


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def measure(annotations: int, documents: int, runs: int, folder: Path) -> dict[str, Any]:
    from tinydb import Query as TinyQuery
    from tinydb import TinyDB
    from tinydb.storages import MemoryStorage

    project = make_corpus(documents, folder)
    write_metadata(project / "corpus")
    corpus = Corpus.load(project / "corpus")
    anns = make_annotations(corpus, annotations)
    builds = []
    index = SearchIndex(corpus)
    for _ in range(3):
        start = time.perf_counter()
        index = SearchIndex(corpus)
        index.add_many(anns)
        index.search("warm")  # the vocabulary is sorted on first use: count it as building
        builds.append(time.perf_counter() - start)
    result: dict[str, Any] = {"build_ms": statistics.median(builds) * 1000, "kinds": {}}
    index = SearchIndex(corpus)
    index.add_many(anns)
    index.search("warm")
    firsts = {}
    for kind, queries in QUERIES.items():
        # The first run of each query on a fresh index counts its terms' statistics and bitsets.
        firsts[kind] = statistics.median(
            _median_ms(lambda q=query: index.search(q, limit=20), 1)[0] for query in queries
        )
    for kind, queries in QUERIES.items():
        medians, counts = [], []
        for query in queries:
            ms, _ = _median_ms(lambda q=query: index.search(q, limit=20), runs)
            medians.append(ms)
            counts.append(len(index.matching(query)))
        result["kinds"][kind] = (statistics.median(medians), max(medians), counts, firsts[kind])
    db = TinyDB(storage=MemoryStorage)
    db.insert_multiple(ann.to_json() for ann in anns)
    tiny = []
    for word in QUERIES["one word"]:
        pattern = rf"(?i)\b{re.escape(word)}"
        # TinyDB caches the results of a query it has seen: clear the cache, or every run after the
        # first times a dictionary lookup instead of the search.
        ms, found = _median_ms(
            lambda p=pattern: db.clear_cache() or db.search(TinyQuery().note.search(p)),
            max(1, runs // 10),
        )
        tiny.append((ms, len(found)))
    result["tinydb_ms"] = statistics.median(ms for ms, _ in tiny)
    result["tinydb_counts"] = [n for _, n in tiny]
    return result


LAST_WORD = "zyzzyva"


def huge_note(corpus: Corpus, megabytes: float) -> str:
    texts = [doc.text for doc in corpus if doc.readable]
    parts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        parts.append(texts[len(parts) % len(texts)])
        size += len(parts[-1])
    return "\n\n".join(parts) + f" {LAST_WORD}"


def measure_huge_note(
    corpus: Corpus, anns: list[Annotation], megabytes: float, runs: int
) -> dict[str, list[float]]:
    """Per store (without, with the huge note): build ms, then for `brexit` and for the note's last
    word, query + rendering ms (top 20) and the number of hits."""
    # Over the note limit: a store written before there was one still opens with it.
    big = Annotation.from_json({**anns[0].to_json(), "note": huge_note(corpus, megabytes)})
    with_note = [big, *anns[1:]]
    out = {}
    for name, store in (("without", anns), (f"with a {megabytes:g} MB note", with_note)):
        build, index = _median_ms(lambda s=store: _built(corpus, s), 3)
        figures = [build]
        for word in ("brexit", LAST_WORD):

            def query(index: SearchIndex = index, word: str = word) -> int:
                hits = index.search(word, limit=20)
                for hit in hits:
                    hit_lines(hit, corpus)
                return len(hits)

            figures += _median_ms(query, runs)
        out[name] = figures
    return out


def _built(corpus: Corpus, anns: list[Annotation]) -> SearchIndex:
    index = SearchIndex(corpus)
    index.add_many(anns)
    index.search("warm")
    return index


def print_huge_note(results: dict[str, list[float]]) -> None:
    base = results["without"]
    print(
        f"\n{'store':<22} {'build ms':>9} {'×':>5} {'brexit ms':>10} {'×':>5} {'hits':>5}", end=""
    )
    print(f" {LAST_WORD + ' ms':>11} {'hits':>5}  (query + render, top 20)")
    for name, (build, brexit, hits, last, last_hits) in results.items():
        print(
            f"{name:<22} {build:9.1f} {build / base[0]:5.1f} {brexit:10.2f} "
            f"{brexit / base[1]:5.1f} {hits:5.0f} {last:11.2f} {last_hits:5.0f}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--huge-note", type=float, default=10.0, help="megabytes; 0 skips")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        r = measure(args.annotations, args.documents, args.runs, Path(tmp))
        if args.huge_note:
            corpus = Corpus.load(Path(tmp) / "corpus")
            anns = make_annotations(corpus, args.annotations)
            huge = measure_huge_note(corpus, anns, args.huge_note, args.runs)
    one_word = r["kinds"]["one word"][0]
    print(f"Search over {args.annotations:,} annotations on {args.documents:,} documents")
    head = f"{'measure':<34} {'median ms':>10} {'max ms':>8} {'first run ms':>13}"
    print(f"{head} {'hits per query':>28}")
    print(f"{'build the index':<34} {r['build_ms']:10.1f}")
    for kind, (median, worst, counts, first) in r["kinds"].items():
        shown = ",".join(str(c) for c in counts)
        print(f"{'query: ' + kind:<34} {median:10.2f} {worst:8.2f} {first:13.2f} {shown:>28}")
    shown = ",".join(str(c) for c in r["tinydb_counts"])
    tiny = f"{'TinyDB note.search(regex), 1 word':<34} {r['tinydb_ms']:10.1f}"
    print(f"{tiny} {'':>8} {'':>13} {shown:>28}")
    print(f"ratio TinyDB / one-word query: {r['tinydb_ms'] / one_word:,.0f}x")
    if args.huge_note:
        print_huge_note(huge)


if __name__ == "__main__":
    main()
