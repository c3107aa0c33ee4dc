"""Why a sentence was suggested, in words a reader understands: the lexicon's labels for its
categories ("a figure", "telling what happened"), never its identifiers or weights, cues for a
kind before the ones against it. The panel and `reader claims --format text` both say it this way;
`--format jsonl` keeps the identifiers and weights for programs."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from reader.text import shorten

if TYPE_CHECKING:
    from reader.claims.lexicon import Lexicon
    from reader.claims.scores import DocumentScores

KIND_WORDS = {"claim": "claim", "factual": "fact"}


@cache
def _shapes(lexicon: Lexicon) -> frozenset[str]:
    """The features of a whole sentence's shape: their reasons quote nothing."""
    return frozenset(feature.name for feature in lexicon.features)


def suggested(count: int) -> str:
    """How many suggestions, saying what they are: the library's Claims column counts claims only,
    a suggestion may be a claim or a fact ("33 claims and facts", "1 claim or fact")."""
    return "1 claim or fact" if count == 1 else f"{count:,} claims and facts"


QUOTE = 24  # characters of a marker's words quoted, cut at a word
MAX_CUES = 4  # categories named per side when space is short; the rest are counted


def _side(cues: list[tuple[str, list[str]]], limit: int | None) -> str:
    shown = cues if limit is None else cues[:limit]
    parts = [
        f"{label} “{'”, “'.join(quotes)}”".strip() if quotes else label.strip()
        for label, quotes in shown
    ]
    if len(cues) > len(shown):
        parts.append(f"{len(cues) - len(shown)} more")
    return "; ".join(parts)


def why(
    scores: DocumentScores,
    index: int,
    kinds: tuple[str, ...],
    limit: int | None = None,
) -> str:
    """Per kind, the score and the cues for and against it, as a reader reads it:
    `fact 0.98: a figure “2,681”; a result or measure “votes”, “seat” · against: a possibility or
    wish “could”`. `limit`: at most that many categories per side (the rest counted)."""
    labels, shapes, text = scores.lexicon.labels, _shapes(scores.lexicon), scores.text
    # The quotes of each category, by kind and side (for it, against), in the reasons' order.
    sides: dict[tuple[str, bool], dict[str, list[str]]] = {}
    for of_kind, category, start, end, weight in scores.found(index):
        if of_kind not in kinds:
            continue
        side = sides.setdefault((of_kind, weight > 0), {})
        quotes = side.setdefault(labels.get(category, category), [])
        if category in shapes:
            continue
        if end - start <= QUOTE:  # what `shorten` gives a text this short, found faster
            quote = " ".join(text[start:end].split())
        else:
            quote = shorten(text[start:end], QUOTE)
        if quote and quote not in quotes:
            quotes.append(quote)
    scored, parts = scores.sentences[index], []
    for kind in kinds:
        line = f"{KIND_WORDS.get(kind, kind)} {scored.score(kind):.2f}: "
        line += _side(list(sides.get((kind, True), {}).items()), limit) or "no cues for it"
        if (kind, False) in sides:
            line += " · against: " + _side(list(sides[kind, False].items()), limit)
        parts.append(line)
    return " · ".join(parts)
