"""Export and import formats, one module each; `reader.transfer` runs them.

Modules load on first use so that importing reader stays cheap.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# name on the command line -> module under reader.formats
MODULES = {
    "json": "native",
    "csv": "table",
    "md": "markdown",
    "jsonl": "doccano",
    "w3c": "w3c",
    "brat": "brat",
}
EXPORT_FORMATS = tuple(MODULES)
IMPORT_FORMATS = ("json", "csv", "jsonl", "w3c", "brat")
# Formats written as a folder rather than one file.
FOLDER_FORMATS = ("brat",)


def module(name: str) -> ModuleType:
    return importlib.import_module(f"reader.formats.{MODULES[name]}")
