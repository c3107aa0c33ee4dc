"""corpus.toml: per-document metadata ([documents."ID"]) and the label scheme ([[labels]] and
[[relations]]), checked.

A value of the wrong type is a CorpusError naming the file, the key and what to write instead, never a
traceback later on; values with an obvious reading as text (TOML dates, whole numbers) are read so.
"""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import Any

from reader.errors import AnnotationError, CorpusError
from reader.model.labels import LabelScheme

CORPUS_TOML = "corpus.toml"
# `url`: where the text is published; the W3C export names it as the target's source, so tools that
# anchor on the web page (Hypothesis) can place the annotations, and imports map it back.
META_FIELDS = ("title", "author", "party", "outlet", "date", "summary", "url")
_DEFAULT_LABELS = Path(__file__).parent.parent / "model" / "labels.toml"


def document_entries(config: dict[str, Any], path: Path) -> dict[str, dict[str, str]]:
    """The metadata of each [documents."ID"] table as text, or a CorpusError naming the key.

    TOML dates and times become ISO 8601 text and whole numbers their digits (`date = 2019`,
    `title = 1984`); other values a user would not mean as text are refused rather than guessed at.
    """
    documents = config.get("documents", {})
    if not isinstance(documents, dict):
        raise CorpusError(
            f"{path}: 'documents' is {_kind(documents)}, not a table; write one section per "
            'document, like [documents."my-file"] followed by title = "..." lines'
        )
    entries: dict[str, dict[str, str]] = {}
    for doc_id, entry in documents.items():
        where = f'documents."{doc_id}"'
        if not isinstance(entry, dict):
            raise CorpusError(
                f"{path}: {where} is {_kind(entry)}, not a table; write it as a section, "
                f'[{where}] followed by title = "..." lines'
            )
        fields: dict[str, str] = {}
        for key, value in entry.items():
            if key not in META_FIELDS:
                # A table here is [documents.dir.name] written for [documents."dir/name"].
                if isinstance(value, dict):
                    raise CorpusError(
                        f"{path}: {where}.{key} is a table inside a document's section; put an id "
                        f'that holds "/" or "." in quotes, like [documents."{doc_id}/{key}"]'
                    )
                continue  # other keys are for other tools, or later versions
            text = _as_text(value)
            if text is None:
                raise CorpusError(
                    f"{path}: {where}.{key} is {_kind(value)}; it must be text, like "
                    f'{key} = "..."'
                    + (' (a date as "2019-05" or 2019-05-01)' if key == "date" else "")
                )
            if text:
                fields[key] = text
        entries[doc_id] = fields
    return entries


def _as_text(value: object) -> str | None:
    """A metadata value as text, or None when it has no sensible reading as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.date):  # dates and date-times; a time of day alone is no date
        return value.isoformat()
    return None


def _kind(value: object) -> str:
    """How a user would name a TOML value's type, with the value when it is short."""
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "an array"}
    names |= {dict: "a table", datetime.time: "a time of day"}
    name = names.get(type(value), "a date")
    shown = repr(value) if isinstance(value, str | int | float) else ""
    return f"{name} ({shown[:40]})" if shown else name


def label_scheme(config: dict[str, Any], path: Path) -> LabelScheme:
    """The label scheme of corpus.toml's [[labels]] and [[relations]] tables; the default scheme's
    labels or relation types where it declares none."""
    defaults = load_config(_DEFAULT_LABELS)
    labels = (
        _tables(config, "labels", path, "name, key, color and description") or defaults["labels"]
    )
    relations = (
        _tables(config, "relations", path, "name, key, polarity and description")
        or defaults["relations"]
    )
    try:
        return LabelScheme.from_config(labels, source=str(path), relations=relations)
    except AnnotationError as exc:
        raise CorpusError(str(exc)) from None


def _tables(config: dict[str, Any], name: str, path: Path, fields: str) -> list[Any]:
    """The [[name]] tables of corpus.toml, or [] when it declares none."""
    tables = config.get(name, [])
    if not isinstance(tables, list):
        raise CorpusError(
            f"{path}: {name!r} is {_kind(tables)}; write each entry as its own [[{name}]] section "
            f"with {fields}"
        )
    return tables


def load_config(path: Path) -> dict[str, Any]:
    """Read a TOML file; a missing file is an empty config, a broken one a CorpusError naming the line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: {exc}; fix the TOML syntax there") from exc
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from exc
