"""Export and import formats: one typed record per format in `FORMATS`, one module each.

The CLI, the export dialog, the palette and a README test read the records, so a format is described in
one place. Modules load on first use so that importing reader stays cheap; `reader.transfer` runs them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


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


def import_format(path: Path) -> tuple[str | None, str]:
    """The format an import of `path` is read as when none is given, and how it was told: a folder
    is brat, a file by its extension; a `.json` file by what it holds (reader's JSON, a W3C
    annotation, page or collection such as a Hypothesis export, or AIF), since all three come
    as `.json`. (None, what to do) when neither tells."""
    choices = ", ".join(IMPORT_FORMATS)
    if path.is_dir():
        return "brat", "a folder"
    if path.suffix.lower() == ".ann":
        return None, f"{path.name} is one file of a brat folder: import the folder that holds it"
    name = format_of_name(path, IMPORT_FORMATS)
    if name is None:
        return (
            None,
            f"cannot tell the format of {path.name} from its name; say which with --format: {choices}",
        )
    if name != "json":
        return name, "its extension"
    import orjson

    from reader.errors import FormatError
    from reader.formats.common import decode_utf8, read_limited

    try:
        data = orjson.loads(decode_utf8(read_limited(path, "JSON"), path))
    except (orjson.JSONDecodeError, FormatError, OSError):
        return "json", "its extension"  # reader's JSON reader then says what is wrong with it
    first = data[0] if isinstance(data, list) and data else data
    if isinstance(data, dict) and "annotations" in data:
        return "json", "its extension"
    if isinstance(data, dict) and isinstance(data.get("nodes"), list):
        return "aif", "what it holds (AIF nodes)"
    if isinstance(first, dict) and ("@context" in first or "target" in first or "type" in first):
        return "w3c", "what it holds (W3C annotations)"
    return "json", "its extension"
