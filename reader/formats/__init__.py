"""Export and import formats: one typed record per format in `FORMATS`, one module each.

The CLI, the export dialog, the palette and a README test read the records, so a format is described in
one place. Modules load on first use so that importing reader stays cheap; `reader.transfer` runs them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
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
