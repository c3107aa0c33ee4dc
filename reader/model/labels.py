"""The label scheme a corpus offers (corpus.toml [[labels]]), and the data model's error type.

Re-exported by reader.model.annotation, where other modules import them from.
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


@dataclass(frozen=True, slots=True)
class LabelScheme:
    """The labels a corpus offers, in the order corpus.toml lists them."""

    labels: tuple[Label, ...]
    _by_name: dict[str, Label] = field(init=False, repr=False, compare=False)
    _by_key: dict[str, Label] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {label.name: label for label in self.labels})
        object.__setattr__(
            self, "_by_key", {label.key: label for label in self.labels if label.key is not None}
        )

    @classmethod
    def from_config(
        cls, entries: Iterable[Mapping[str, Any]], source: str = "corpus.toml"
    ) -> LabelScheme:
        """Build from the raw [[labels]] tables; `source` names the file in error messages."""
        labels: list[Label] = []
        names: set[str] = set()
        keys: set[str] = set()
        for number, entry in enumerate(entries, start=1):
            where = f"{source}: [[labels]] entry {number}"
            if not isinstance(entry, Mapping):
                raise AnnotationError(f"{where} must be a table")
            unknown = sorted(set(entry) - {"name", "key", "color", "description"})
            if unknown:
                raise AnnotationError(f"{where} has unknown field(s) {unknown}")
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip() or name != name.strip():
                raise AnnotationError(f"{where} needs a name without surrounding spaces")
            if name in names:
                raise AnnotationError(f"{where}: label {name!r} is defined twice")
            key = entry.get("key")
            if key is not None:
                if not isinstance(key, str) or len(key) != 1 or key.isspace():
                    raise AnnotationError(f"{where}: key {key!r} must be a single character")
                if key in keys:
                    raise AnnotationError(f"{where}: key {key!r} is already used by another label")
                keys.add(key)
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
        return cls(labels=tuple(labels))

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

    def validate(self, annotation: Annotation) -> None:
        """Raise AnnotationError if the annotation's label is not in this scheme."""
        if annotation.label is not None and annotation.label not in self._by_name:
            raise AnnotationError(
                f"annotation {annotation.id!r} in {annotation.doc!r}: label {annotation.label!r} is "
                f"not in the label scheme ({', '.join(self.names) or 'no labels defined'})"
            )
