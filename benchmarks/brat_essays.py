"""A brat project in the shape of the published persuasive-essays corpus (Stab & Gurevych): essays
`essay001`..., each annotated by three annotators (folders of `.ann` files only) and a `gold` folder
(`.ann` with its `.txt`), every folder with brat's `annotation.conf`; labels MajorClaim, Claim and
Premise, `supports`/`attacks` relations, a `Stance` attribute For/Against on claims, AnnotatorNotes,
and the quirks real files have: `T` lines ending in a tab after the span text, one discontinuous
span and one `N` normalisation.

    make_essays(root, essays=40, annotators=3) -> Essays

writes `root/corpus` (the texts, corpus.toml declaring the labels and relations, and the brat
project's annotation.conf, as a corpus made from a brat project keeps it) and `root/brat/<folder>`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

LABELS = ("MajorClaim", "Claim", "Premise")
CONF = """[entities]
MajorClaim
Claim
Premise

[relations]
supports Arg1:Premise, Arg2:Premise|Claim
attacks Arg1:Premise, Arg2:Premise|Claim

[events]

[attributes]
Stance Arg:Claim, Value:For|Against
"""
CORPUS_TOML = """[[labels]]
name = "MajorClaim"
key = "1"

[[labels]]
name = "Claim"
key = "2"

[[labels]]
name = "Premise"
key = "3"

[[relations]]
name = "supports"
polarity = "supports"

[[relations]]
name = "attacks"
polarity = "attacks"
"""
_WORDS = (
    "people students school education technology society government children life work money "
    "time family country world city knowledge experience skills teachers parents public young "
    "important necessary better more many should could because therefore moreover however also "
    "believe think argue clearly indeed often usually always never certainly"
)
WORDS = tuple(_WORDS.split(" "))
SPLIT_STANCES = ("For", "Against")
TRAILING_TABS = 7  # gold T lines ending with a tab after the span text, as in the published corpus


@dataclass
class Essays:
    root: Path
    corpus: Path
    folders: dict[str, Path] = field(default_factory=dict)  # annotator -> brat folder
    ids: list[str] = field(default_factory=list)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(7, 16))]
    return " ".join(words).capitalize() + "."


def essay_text(rng: random.Random, number: int) -> tuple[str, list[list[tuple[int, int]]]]:
    """The text, and per paragraph the (start, end) of each sentence without its full stop."""
    text = f"Essay {number}: {' '.join(rng.choice(WORDS) for _ in range(4))}\n\n"
    paragraphs: list[list[tuple[int, int]]] = []
    for _ in range(rng.randint(3, 5)):
        spans = []
        for index in range(rng.randint(3, 5)):
            sentence = _sentence(rng)
            if index:
                text += " "
            spans.append((len(text), len(text) + len(sentence) - 1))
            text += sentence
        paragraphs.append(spans)
        text += "\n"
    return text, paragraphs


@dataclass
class _Unit:
    label: str
    start: int
    end: int
    stance: str | None = None
    note: str = ""
    fragments: list[tuple[int, int]] | None = None


def _units(rng: random.Random, paragraphs: list[list[tuple[int, int]]]) -> list[_Unit]:
    units = [_Unit("MajorClaim", *paragraphs[0][-1])]
    for spans in paragraphs[1:]:
        units.append(_Unit("Claim", *spans[0], stance=rng.choice(["For", "For", "Against"])))
        units += [_Unit("Premise", *span) for span in spans[1:]]
    return units


def _annotator_units(rng: random.Random, gold: list[_Unit], text: str) -> list[_Unit]:
    """An annotator's version of the gold units: some left out, some boundaries moved, some stances
    the other way."""
    out = []
    for unit in gold:
        if unit.label != "MajorClaim" and rng.random() < 0.1:
            continue
        start = unit.start
        if rng.random() < 0.15:
            start = text.index(" ", start) + 1  # starts a word later
        stance = unit.stance
        if stance is not None and rng.random() < 0.2:
            stance = "Against" if stance == "For" else "For"
        out.append(_Unit(unit.label, start, unit.end, stance))
    return out


def _ann_lines(
    text: str, units: list[_Unit], rng: random.Random, extras: dict[str, int]
) -> list[str]:
    lines: list[str] = []
    ids: dict[int, str] = {}
    counts = {"A": 0, "#": 0, "R": 0}
    claim = major = None
    for number, unit in enumerate(units, start=1):
        ident = ids[number] = f"T{number}"
        parts = unit.fragments or [(unit.start, unit.end)]
        offsets = ";".join(f"{s} {e}" for s, e in parts)
        quote = " ".join(text[s:e] for s, e in parts)
        tail = "\t" if extras.get("tabs", 0) > 0 and unit.label == "Premise" else ""
        if tail:
            extras["tabs"] -= 1
        lines.append(f"{ident}\t{unit.label} {offsets}\t{quote}{tail}\n")
        if unit.stance:
            counts["A"] += 1
            lines.append(f"A{counts['A']}\tStance {ident} {unit.stance}\n")
        if unit.note:
            counts["#"] += 1
            lines.append(f"#{counts['#']}\tAnnotatorNotes {ident}\t{unit.note}\n")
        if unit.label == "MajorClaim":
            major = ident
        elif unit.label == "Claim":
            claim = ident
        elif claim is not None:
            counts["R"] += 1
            kind = "attacks" if rng.random() < 0.15 else "supports"
            lines.append(f"R{counts['R']}\t{kind} Arg1:{ident} Arg2:{claim}\n")
    if extras.pop("normalisation", 0) and major is not None:
        lines.append(f"N1\tReference {major} Wikipedia:534366\tBarack Obama\n")
    return lines


def make_essays(root: Path, essays: int = 40, annotators: int = 3, seed: int = 4) -> Essays:
    rng = random.Random(seed)
    out = Essays(root, root / "corpus")
    out.corpus.mkdir(parents=True, exist_ok=True)
    (out.corpus / "corpus.toml").write_text(CORPUS_TOML, encoding="utf-8")
    (out.corpus / "annotation.conf").write_text(CONF, encoding="utf-8")
    names = [f"annotator{n}" for n in range(1, annotators + 1)] + ["gold"]
    for name in names:
        out.folders[name] = root / "brat" / name
        out.folders[name].mkdir(parents=True, exist_ok=True)
        (out.folders[name] / "annotation.conf").write_text(CONF, encoding="utf-8")
    gold_extras = {"tabs": TRAILING_TABS, "normalisation": 1}
    for number in range(1, essays + 1):
        doc_id = f"essay{number:03d}"
        out.ids.append(doc_id)
        text, paragraphs = essay_text(rng, number)
        (out.corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        gold = _units(rng, paragraphs)
        if number == 1:
            # One discontinuous premise: its first three words and its last two, the middle left out.
            premise = next(unit for unit in gold if unit.label == "Premise")
            words = text[premise.start : premise.end].split(" ")
            head = premise.start + len(" ".join(words[:3]))
            tail = premise.end - len(" ".join(words[-2:]))
            premise.fragments = [(premise.start, head), (tail, premise.end)]
        gold[0].note = "The thesis restated in the last paragraph."
        for index, name in enumerate(names):
            units = gold if name == "gold" else _annotator_units(rng, gold, text)
            if number == 1 and name != "gold":
                # The span the annotators disagree on: For, Against, For, ... on the same claim.
                claim = next(unit for unit in gold if unit.label == "Claim")
                units = [u for u in units if u.label != "Claim" or u.end != claim.end]
                stance = SPLIT_STANCES[index % len(SPLIT_STANCES)]
                units.append(_Unit("Claim", claim.start, claim.end, stance))
                units.sort(key=lambda unit: unit.start)
            if name != "gold" and index == 1:
                for unit in units:
                    if unit.label == "Premise" and rng.random() < 0.2:
                        unit.note = "Boundary unclear: could end a clause earlier."
            extras = gold_extras if name == "gold" else {}
            lines = _ann_lines(text, units, rng, extras)
            (out.folders[name] / f"{doc_id}.ann").write_text("".join(lines), encoding="utf-8")
            if name == "gold":
                (out.folders[name] / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return out


def count_lines(folder: Path) -> dict[str, int]:
    """The `.ann` lines of a brat folder by type: T, R, A, N, # (and E, M, * if any)."""
    counts = dict.fromkeys(("T", "R", "A", "N", "#"), 0)
    for path in sorted(folder.rglob("*.ann")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                counts[line[0]] = counts.get(line[0], 0) + 1
    return counts
