"""Annotator layers: which annotators' annotations are shown (the app's layer key, `reader export --by`).

Every annotation belongs to an annotator (`Annotation.author`); a layer is a choice among them: mine
(the current user's), all, one annotator's, or `gold` (the adjudicated layer, an annotator named
"gold"). A layer is kept per project as a short string (`Layer.key`), so it survives restarts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

GOLD = "gold"  # the annotator name the adjudicated layer is written under

KINDS = ("all", "mine", "annotator", "gold")


@dataclass(frozen=True, slots=True)
class Layer:
    """`kind`: all, mine, annotator (`name` says who) or gold."""

    kind: str = "all"
    name: str = ""

    def shows(self, author: str, me: str) -> bool:
        """Whether an annotation by `author` is in this layer, for the user `me`."""
        if self.kind == "all":
            return True
        if self.kind == "mine":
            return author == me
        if self.kind == "gold":
            return author == GOLD
        return author == self.name

    def writer(self, me: str) -> str | None:
        """Who a new annotation made while this layer is shown belongs to: the user in mine and
        all, gold in gold; None for another annotator's layer (nobody writes in someone's name)."""
        if self.kind == "gold":
            return GOLD
        if self.kind == "annotator":
            return me if self.name == me else None
        return me

    def describe(self, me: str) -> str:
        """As the status line says it: "all annotators", "mine (sam)", "sam's layer", "gold"."""
        if self.kind == "all":
            return "all annotators"
        if self.kind == "mine":
            return f"mine ({me})"
        if self.kind == "gold":
            return "gold layer"
        return f"{self.name}'s layer"

    @property
    def key(self) -> str:
        """How the layer is kept in the project's store: "all", "mine", "gold", "annotator:NAME"."""
        return f"annotator:{self.name}" if self.kind == "annotator" else self.kind

    @classmethod
    def from_key(cls, value: object) -> Layer:
        """The layer kept as `value`; all for anything else (a missing or damaged value)."""
        if not isinstance(value, str):
            return cls()
        kind, _, name = value.partition(":")
        if kind == "annotator" and name:
            return cls("annotator", name)
        return cls(kind) if kind in KINDS and kind != "annotator" and not name else cls()


def cycle(me: str, annotators: Iterable[str]) -> list[Layer]:
    """The layers the layer key steps through: all, mine, each other annotator present (A to Z), gold."""
    others = sorted({a for a in annotators if a not in (me, GOLD)}, key=str.casefold)
    return [Layer("all"), Layer("mine"), *(Layer("annotator", a) for a in others), Layer("gold")]


def next_layer(current: Layer, me: str, annotators: Iterable[str]) -> Layer:
    """The layer after `current` in `cycle` (an annotator no longer present: back to all)."""
    layers = cycle(me, annotators)
    if current.kind == "annotator" and current.name == me:
        current = Layer("mine")
    try:
        i = layers.index(current)
    except ValueError:
        return layers[0]
    return layers[(i + 1) % len(layers)]
