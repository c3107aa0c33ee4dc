"""The core is a library: nothing outside reader/tui/ may import Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import reader


def core_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(reader.__path__, prefix="reader.")
        if not info.name.startswith("reader.tui")
    ]
    assert "reader.corpus.documents" in names and "reader.cli" in names
    return names


def test_core_modules_do_not_import_textual() -> None:
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_importing_the_package_is_cheap() -> None:
    code = "import sys, reader; print(len([m for m in sys.modules if m.startswith('reader')]))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "1"


def test_documented_names_stay_importable_where_other_tools_import_them() -> None:
    from reader.model import Annotation, LabelScheme, Link
    from reader.store import (
        AnnotationStore,
        ReadOnlyStoreError,
        StoreChangedError,
        StoreCorruptError,
        StoreLockedError,
    )

    assert AnnotationStore.__module__ == "reader.store.annotation_store"
    assert {Annotation.__name__, Link.__name__, LabelScheme.__name__} == {
        "Annotation",
        "Link",
        "LabelScheme",
    }
    for error in (StoreLockedError, StoreCorruptError, StoreChangedError, ReadOnlyStoreError):
        assert error.__module__ == "reader.errors"


def test_no_module_imports_itself_in_a_circle() -> None:
    import grimp

    graph = grimp.build_graph("reader", exclude_type_checking_imports=True)
    circles = sorted(
        f"{module} -> {imported}"
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert circles == []
