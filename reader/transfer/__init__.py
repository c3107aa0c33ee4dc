"""Export and import orchestration: choose the format, match documents, write atomically.

exporting.py writes (with guard.py refusing destinations that would destroy the store or a document,
and files.py writing atomically); importing.py reads, matches and re-anchors, then writes to the store.
"""

from __future__ import annotations

from reader.formats.common import ImportReport, Unmatched
from reader.transfer.exporting import ExportResult, annotations_to_export, export
from reader.transfer.importing import import_file, import_records, read_import

__all__ = [
    "ExportResult",
    "ImportReport",
    "Unmatched",
    "annotations_to_export",
    "export",
    "import_file",
    "import_records",
    "read_import",
]
