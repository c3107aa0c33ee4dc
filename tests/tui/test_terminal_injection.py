"""No text from a document, a note, a tag, a label, an author or a file name can act on the terminal.

Every screen and dialog is opened on a real pseudo-terminal with hostile values in every field; the bytes
the app writes are then searched for the values' escape sequences (a title change, a clipboard write), for
C1 controls and bidirectional overrides. Each value must show instead, as visible placeholders.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store import AnnotationStore
from tests.conftest import SHIPPED_CORPUS
from tests.tui.pty_app import PtyApp

# OSC 0 sets the window title, OSC 52 writes the clipboard, CSI (as the C1 byte) 2J clears the screen,
# U+202E reverses what follows.
CLIPBOARD = "\x1b]52;c;SGVsbG8=\x07"


def hostile(field: str) -> str:
    return f"\x1b]0;pwned-{field}\x07{CLIPBOARD}\x9b2J\u202e{field}"


def shown(field: str) -> str:
    """How `hostile(field)` starts once made visible."""
    return f"␛]0;pwned-{field}␇"


DOC_ID = "evil" + hostile("id")
FIELDS = ["id", "title", "author", "party", "text", "label", "tag", "note", "annotator"]
TEXT = (
    f"Headline {hostile('text')}\n\n"
    "The figures show that 42% of voters left the party in 2019. "
    f"We must win them back {hostile('text')} now.\n"
)


def toml_string(value: str) -> str:
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in value) + '"'


def hostile_project(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (corpus / f"{DOC_ID}.txt").write_text(TEXT, encoding="utf-8")
    shipped = (SHIPPED_CORPUS / "corpus.toml").read_text(encoding="utf-8")
    labels = shipped[shipped.index("[[labels]]") :]
    meta = "\n".join(f"{key} = {toml_string(hostile(key))}" for key in ("title", "author", "party"))
    (corpus / "corpus.toml").write_text(
        f"[documents.{toml_string(DOC_ID)}]\n{meta}\n\n{labels}", encoding="utf-8"
    )
    (root / "annotations").mkdir()
    doc = Corpus.load(corpus).get(DOC_ID)
    assert doc is not None
    start = doc.text.index("The figures")
    annotation = annotation_from_document(
        doc,
        start,
        doc.text.index("2019.") + 5,
        label=hostile("label"),
        tags=[hostile("tag")],
        note=hostile("note") + "\nsecond line of the note",
        author=hostile("annotator"),
    )
    with AnnotationStore.open(root / "annotations" / "store.json") as store:
        store.add(annotation)
    return root


# What must never reach the terminal: an OSC carrying a value, a clipboard write, a bell, a C1 control,
# a bidirectional override or isolate.
FORBIDDEN = {
    "a value's OSC": "\x1b\\][^\x07\x1b]*pwned",
    "a clipboard write": "\x1b\\]52;",
    "a bell": "\x07",
    "a C1 control": "[\x80-\x9f]",
    "a bidi override": "[\u202a-\u202e\u2066-\u2069]",
}


def assert_inert(output: bytes) -> str:
    """The output holds none of the FORBIDDEN sequences; returns it decoded."""
    # The app's own OSC: the mouse pointer's shape.
    text = re.sub("\x1b\\]22;[a-z-]*\x07", "", output.decode("utf-8", "replace"))
    for what, pattern in FORBIDDEN.items():
        found = re.search(pattern, text)
        assert found is None, (
            f"{what} reached the terminal: {text[found.start() - 300 : found.end() + 50]!r}"
        )
    return text


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"READER_CONFIG": str(tmp_path / "none.toml")}


def test_every_screen_keeps_hostile_text_inert(tmp_path: Path, env: dict[str, str]) -> None:
    root = hostile_project(tmp_path / "project")
    app = PtyApp([str(root)], env)
    try:
        app.wait_for("sorted by")  # the library, with its title, author and party columns
        app.send("\r")
        app.wait_for("Under the cursor")  # the document, its header and the panel's list
        app.send("]")
        app.wait_for("second line of the note")  # the annotation under the cursor, in full
        app.send("t")
        app.wait_for("Used so far")  # the tag dialog with the tags already used
        app.send("\x1b")
        app.send("a")
        app.wait_for("Note (Markdown)")  # the note editor
        app.send("\x1b")
        app.send("/")
        app.wait_for("Search notes")
        app.send("figures")
        app.wait_for("1 annotation")  # a hit with its title, label, tags, quote and note
        app.send("\x1b")
        app.send("?")
        app.wait_for("Keys")
        app.send("\x1b")
        app.send("\x10")  # ctrl+p: the palette lists the documents and the annotations
        app.wait_for("Search for commands")  # keys typed before it is open go to the library
        app.send("pwned")
        app.wait_for("Annotation")
        app.send("\x1b")
        app.send("\x10")
        app.wait_for("Search for commands")
        app.send("Export")
        app.wait_for("Export")
        app.send("\r")
        app.wait_for("Export all annotations")
        app.send("\x1b")
        app.send("\x1b")  # back to the library
        app.wait_for("sorted by")
        app.send("q")
    finally:
        code = app.close()
    assert code == 0
    text = assert_inert(app.output)
    for field in FIELDS:
        assert shown(field) in text, f"the {field} is not shown"


def test_error_screen_keeps_a_hostile_store_name_inert(tmp_path: Path, env: dict[str, str]) -> None:
    root = hostile_project(tmp_path / "project")
    store = tmp_path / f"store{hostile('store')}.json"
    store.write_text("{ not json", encoding="utf-8")
    app = PtyApp([str(root), "--store", str(store)], env)
    try:
        app.wait_for("cannot be opened")
        app.send("q")
    finally:
        code = app.close()
    assert code == 0
    text = assert_inert(app.output)
    assert shown("store") in text
