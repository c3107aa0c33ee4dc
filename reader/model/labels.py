"""The label scheme a corpus offers: its labels (corpus.toml [[labels]]) and the relation types links
may have ([[relations]]), each saying whether it supports or attacks what it points at.
"""

from __future__ import annotations

import re
import reprlib
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.errors import AnnotationError

if TYPE_CHECKING:
    from reader.model.annotation import Annotation


# What an annotation without a label is called wherever a user sees it: the panel, the palette, undo
# messages, the argument map, and the exports whose formats need a type for every span.
UNLABELLED = "unlabelled"


def label_name(label: str | None) -> str:
    """An annotation's label as the user reads it: its name, or UNLABELLED."""
    return label or UNLABELLED


_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxother, _BRIEF.maxlong = 2, 60, 60, 40


def brief(value: Any) -> str:
    """A short repr of a value from a file, for an error message: at most about 60 characters of a
    string, a few items of a list, two levels of nesting (a plain repr of a value nested a thousand
    deep raises RecursionError, and of a megabyte string makes a megabyte message)."""
    try:
        return _BRIEF.repr(value)
    except ValueError:  # an int too long to print
        return f"a {type(value).__name__}"


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    key: str | None = None
    color: str | None = None
    description: str = ""


POLARITIES = ("supports", "attacks")


@dataclass(frozen=True, slots=True)
class RelationType:
    """A type of link: from the annotation that gives a reason to the one it bears on."""

    name: str
    polarity: str  # "supports" or "attacks": how argument maps, Argdown and AIF draw it
    key: str | None = None  # the key that makes this link in the app
    description: str = ""

    @property
    def attacks(self) -> bool:
        return self.polarity == "attacks"


@dataclass(frozen=True, slots=True)
class LabelScheme:
    """The labels a corpus offers, in the order corpus.toml lists them, and its relation types."""

    labels: tuple[Label, ...]
    relations: tuple[RelationType, ...] = ()
    _by_name: dict[str, Label] = field(init=False, repr=False, compare=False)
    _by_key: dict[str, Label] = field(init=False, repr=False, compare=False)
    _relations: dict[str, RelationType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {label.name: label for label in self.labels})
        object.__setattr__(
            self, "_by_key", {label.key: label for label in self.labels if label.key is not None}
        )
        object.__setattr__(self, "_relations", {r.name: r for r in self.relations})

    @classmethod
    def from_config(
        cls,
        entries: Iterable[Mapping[str, Any]],
        source: str = "corpus.toml",
        relations: Iterable[Mapping[str, Any]] = (),
    ) -> LabelScheme:
        """Build from the raw [[labels]] and [[relations]] tables; `source` names the file in error
        messages."""
        labels: list[Label] = []
        names: set[str] = set()
        keys: set[str] = set()
        for number, entry in enumerate(entries, start=1):
            where = _checked_table(entry, f"{source}: [[labels]] entry {number}", "color")
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip() or name != name.strip():
                raise AnnotationError(f"{where} needs a name without surrounding spaces")
            if name in names:
                raise AnnotationError(f"{where}: label {name!r} is defined twice")
            key = _checked_key(entry, where, keys, "label")
            color = entry.get("color")
            if color is not None and not (
                isinstance(color, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", color)
            ):
                raise AnnotationError(f"{where}: color {color!r} must look like #e9a23b")
            description = entry.get("description", "")
            if not isinstance(description, str):
                raise AnnotationError(f"{where}: description must be a string")
            names.add(name)
            labels.append(Label(name=name, key=key, color=color, description=description))
        return cls(labels=tuple(labels), relations=_relation_types(relations, source))

    @classmethod
    def from_toml(cls, path: Path) -> LabelScheme:
        """Load the [[labels]] of a corpus.toml file."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise AnnotationError(f"{path}: cannot read the label scheme: {exc}") from None
        entries = data.get("labels", [])
        if not isinstance(entries, list):
            raise AnnotationError(f"{path}: 'labels' must be an array of tables ([[labels]])")
        return cls.from_config(entries, source=str(path))

    def __iter__(self) -> Iterator[Label]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def by_name(self, name: str) -> Label | None:
        return self._by_name.get(name)

    def by_key(self, key: str) -> Label | None:
        return self._by_key.get(key)

    def matching(self, name: str) -> Label | None:
        """The label called `name`, else the one label whose name differs only in case (a brat
        project's `Claim` for the highlighter's `claim`); None when there is none or several."""
        exact = self._by_name.get(name)
        if exact is not None:
            return exact
        folded = [label for label in self.labels if label.name.casefold() == name.casefold()]
        return folded[0] if len(folded) == 1 else None

    def relation(self, name: str) -> RelationType | None:
        """The declared relation type of this name; None for a type only an import brought."""
        return self._relations.get(name)

    def attacks(self, link_type: str) -> bool:
        """Whether a link of this type attacks its target. Undeclared types (from imports) are
        taken as supporting unless their name says otherwise."""
        declared = self._relations.get(link_type)
        if declared is not None:
            return declared.attacks
        return link_type in ("attacks", "rebuts", "undercuts", "contradicts")

    def validate(self, annotation: Annotation) -> None:
        """Raise AnnotationError if the annotation's label is not in this scheme."""
        if annotation.label is not None and annotation.label not in self._by_name:
            raise AnnotationError(
                f"annotation {annotation.id!r} in {annotation.doc!r}: label {annotation.label!r} is "
                f"not in the label scheme ({', '.join(self.names) or 'no labels defined'})"
            )


def _relation_types(entries: Iterable[Mapping[str, Any]], source: str) -> tuple[RelationType, ...]:
    found: list[RelationType] = []
    names: set[str] = set()
    keys: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = _checked_table(entry, f"{source}: [[relations]] entry {number}", "polarity")
        name = entry.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
            raise AnnotationError(
                f"{where} needs a name that is a lower-case word, like 'supports'"
            )
        if name in names:
            raise AnnotationError(f"{where}: relation {name!r} is defined twice")
        polarity = entry.get("polarity")
        if polarity not in POLARITIES:
            raise AnnotationError(
                f"{where}: polarity {brief(polarity)} must be 'supports' or 'attacks'"
            )
        key = _checked_key(entry, where, keys, "relation")
        description = entry.get("description", "")
        if not isinstance(description, str):
            raise AnnotationError(f"{where}: description must be a string")
        names.add(name)
        found.append(RelationType(name, str(polarity), key, description))
    return tuple(found)


def _checked_table(entry: Any, where: str, own_field: str) -> str:
    """`where`, once `entry` is a table with no fields but name, key, description and its own."""
    if not isinstance(entry, Mapping):
        raise AnnotationError(f"{where} must be a table")
    unknown = sorted(set(entry) - {"name", "key", "description", own_field})
    if unknown:
        raise AnnotationError(f"{where} has unknown field(s) {unknown}")
    return where


def _checked_key(entry: Mapping[str, Any], where: str, keys: set[str], what: str) -> str | None:
    """The entry's key, if any: one character no other entry of the table has (added to `keys`)."""
    key = entry.get("key")
    if key is None:
        return None
    if not isinstance(key, str) or len(key) != 1 or key.isspace():
        raise AnnotationError(f"{where}: key {brief(key)} must be a single character")
    if key in keys:
        raise AnnotationError(f"{where}: key {key!r} is already used by another {what}")
    keys.add(key)
    return key
