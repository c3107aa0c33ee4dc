"""Export and import formats: one typed record per format in `FORMATS`, one module each.

The CLI, the export dialog, the palette and a README test read the records, so a format is described in
one place. Modules load on first use so that importing reader stays cheap; `reader.transfer` runs them.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import NamedTuple


@dataclass(frozen=True)
class Format:
    name: str  # on the command line
    module: str  # under reader.formats
    title: str  # what users call it
    purpose: str  # who reads it
    extension: str  # of the file an export writes; "" for a format written as a folder
    leaves_out: tuple[str, ...] = ()  # the fields it never holds, as users name them
    imports: bool = True

    @property
    def folder(self) -> bool:
        return not self.extension

    @property
    def label(self) -> str:
        return f"{self.title} — {self.purpose}"

    def load(self) -> ModuleType:
        return importlib.import_module(f"reader.formats.{self.module}")


FORMATS = {
    f.name: f
    for f in (
        Format("json", "native", "JSON", "reader's own, every field", ".json"),
        Format("csv", "table", "CSV", "pandas, R, spreadsheets", ".csv"),
        # The last-modified date is shown, not its time.
        Format(
            "md",
            "markdown",
            "Markdown",
            "a report per document",
            ".md",
            ("offsets", "created"),
            imports=False,
        ),
        Format(
            "jsonl",
            "doccano",
            "doccano JSONL",
            "ML training",
            ".jsonl",
            ("ids", "tags", "origin", "annotator", "created", "modified"),
        ),
        Format("w3c", "w3c", "W3C Web Annotation", "Hypothesis and friends", ".jsonld"),
        Format(
            "brat",
            "brat",
            "brat standoff folder",
            "brat, INCEpTION",
            "",
            ("ids", "origin", "annotator", "created", "modified"),
        ),
        # Argdown relations are support or attack; the type's polarity (corpus.toml) says which.
        Format(
            "argdown",
            "argdown",
            "Argdown",
            "argument maps: Argdown's editor and tools",
            ".argdown",
            ("offsets", "origin", "annotator", "created", "modified", "link types"),
            imports=False,
        ),
        Format("aif", "aif", "AIF JSON", "argument maps: OVA, AIFdb, arguebuf", ".aif.json"),
    )
}
EXPORT_FORMATS = tuple(FORMATS)
IMPORT_FORMATS = tuple(name for name, f in FORMATS.items() if f.imports)
FOLDER_FORMATS = tuple(name for name, f in FORMATS.items() if f.folder)


def module(name: str) -> ModuleType:
    return FORMATS[name].load()


def format_of_name(path: Path, names: tuple[str, ...]) -> str | None:
    """The one of `names` whose extension `path` ends with (the longest: `.aif.json` is AIF, not
    reader's JSON); None when no extension matches."""
    lower = path.name.lower()
    matches = [n for n in names if FORMATS[n].extension and lower.endswith(FORMATS[n].extension)]
    return max(matches, key=lambda n: len(FORMATS[n].extension), default=None)


class Told(NamedTuple):
    """The format an import is read as when none is given: the format (None: it cannot be told),
    how it was told (or, without a format, what to do), and whether from what the file holds."""

    format: str | None
    how: str
    by_content: bool = False


# What the start of a `.json` file holds, whichever shows first: reader's own JSON names its schema;
# a W3C annotation, page or collection its @context or type, Hypothesis's rows their target; AIF
# its nodes. Inside a JSON string a
# quote is escaped, so a note quoting any of these does not match.
_JSON_KINDS = (
    ("json", re.compile(rb'"schema"\s*:\s*"reader-annotations/')),
    ("w3c", re.compile(rb'"@context"|"type"\s*:\s*\[?\s*"Annotation|"target"\s*:')),
    ("aif", re.compile(rb'"nodes"\s*:')),
)
_JSON_HEAD = 65_536


def import_format(path: Path) -> Told:
    """How an import of `path` is read when no format is given: a folder is brat, a file goes by
    its extension, and a `.json` file by what its start holds (reader's JSON, W3C or AIF all come as
    `.json`)."""
    choices = ", ".join(IMPORT_FORMATS)
    if not path.exists():
        return Told(None, f"{path}: no such file or folder")
    if path.is_dir():
        return Told("brat", "a folder")
    if path.suffix.lower() == ".ann":
        return Told(
            None, f"{path.name} is one file of a brat folder: import the folder that holds it"
        )
    name = format_of_name(path, IMPORT_FORMATS)
    written = format_of_name(path, tuple(FORMATS))
    if name is None and written is not None:  # a report or another tool's view: nothing to read
        return Told(
            None,
            f"{path.name} is a {FORMATS[written].title} export, which reader writes but cannot "
            f"read back; import one of: {choices}",
        )
    if name is None:
        return Told(
            None,
            f"cannot tell the format of {path.name} from its name; say which with --format: {choices}",
        )
    if name != "json":
        return Told(name, "its extension")
    try:
        with path.open("rb") as file:
            head = file.read(_JSON_HEAD)
    except OSError as exc:
        return Told(None, f"{path}: cannot be read ({exc.strerror or exc})")
    found = [(m.start(), kind) for kind, pattern in _JSON_KINDS if (m := pattern.search(head))]
    if found:  # the first to show: reader's AIF and W3C exports name reader's schema further on
        kind = min(found)[1]
        return Told(kind, "its extension" if kind == "json" else "what it holds", kind != "json")
    return Told(
        None,
        f"{path.name} is JSON, but not reader's, W3C annotations or AIF as far as its start shows; "
        "say which with --format: json, w3c or aif",
    )
