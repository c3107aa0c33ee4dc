"""The names and escapes brat standoff needs, shared by writing (brat.py) and reading (brat_read.py):
types and values %-encoded, attribute types in the characters brat's annotation.conf takes, notes with
their line breaks escaped, and the note line that holds a normalisation.
"""

from __future__ import annotations

import re

# How reader wrote every tag before attributes kept their names (`Tag T1 economy`); still read.
TAG_ATTRIBUTE = "Tag"
# A note line that holds a brat normalisation: `brat N: Reference Wikipedia:534366<tab>Barack Obama`.
NORMALISATION = "brat N: "
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPE = re.compile(r"\\(.)")


def brat_name(name: str) -> str:
    """A type or value brat can hold: letters, digits and `_-.` (not first) kept, the rest %-encoded."""
    out = []
    for n, ch in enumerate(name):
        if ch.isalnum() or (n > 0 and ch in "_-."):
            out.append(ch)
        else:
            out.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")))
    return "".join(out)


_STORABLE = re.compile(r"[A-Za-z0-9-]")
_UNNAME = re.compile(r"__|(?:_[0-9A-F]{2})+")


def attribute_name(name: str) -> str:
    """An attribute type brat's annotation.conf can hold as it is (`[A-Za-z0-9_-]`): every other
    character as `_` and its UTF-8 bytes in hex, and `_` itself doubled (`stance:against` →
    `stance_3Aagainst`); brat would turn a %-encoded name into another one."""
    out = []
    for ch in name:
        if _STORABLE.fullmatch(ch):
            out.append(ch)
        elif ch == "_":
            out.append("__")
        else:
            out.append("".join(f"_{byte:02X}" for byte in ch.encode("utf-8")))
    return "".join(out)


def tag_name(name: str) -> str:
    """`attribute_name` undone; a foreign name's `_AB` that is no UTF-8 stays as it is."""

    def undo(match: re.Match[str]) -> str:
        found = match.group(0)
        if found == "__":
            return "_"
        try:
            return bytes.fromhex(found.replace("_", "")).decode("utf-8")
        except UnicodeDecodeError:
            return found

    return _UNNAME.sub(undo, name)


def escape_note(note: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in note) if note else note


def unescape_note(text: str) -> str:
    table = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    return _UNESCAPE.sub(lambda m: table.get(m.group(1), m.group(0)), text)
