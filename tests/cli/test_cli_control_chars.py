"""Terminal escape sequences in documents, notes and tags never reach a terminal through the commands'
text output; CSV, which import reads back, keeps them exactly."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.model.annotation import Annotation, annotation_from_document
from reader.store import AnnotationStore
from tests.formats.formats_helpers import Fixture, make_project
from tests.tui.pty_app import PtyApp

# OSC 52 asks the terminal to put "hi" on the clipboard; CSI 2J clears the screen; BEL rings.
CLIPBOARD = "\x1b]52;c;aGk=\x07"
TEXTS = {
    "hostile": (
        "Red \x1b[31mwall\x1b[0m op-ed\n"
        f"The figures show 42% of voters left {CLIPBOARD} in 2019.\n\n"
        "A carriage\rreturn and a \u202eoverride\u202c here.\n"
    ),
}
# Any character that can act on a terminal: C0 controls but newline and tab, DEL, C1 controls and
# the bidirectional overrides and isolates.
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project", TEXTS)


def hostile_annotation(fx: Fixture) -> Annotation:
    doc = fx.corpus.get("hostile")
    assert doc is not None
    start = doc.text.index("The figures")
    end = doc.text.index("2019.") + 5
    return annotation_from_document(
        doc,
        start,
        end,
        label="claim",
        tags=["red\x1b[5mblink"],
        note="=HYPERLINK(1) see \x1b[2J and\x07 bell",
        author="ev\x1b]0;pwned\x07il",
    )


def stored(fx: Fixture, *anns: Annotation) -> None:
    with AnnotationStore.open(fx.root / "annotations" / "store.json") as store:
        store.add_many(anns)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_markdown_report_shows_control_characters_as_placeholders(fx: Fixture) -> None:
    ann = hostile_annotation(fx)
    assert CLIPBOARD in ann.quote
    stored(fx, ann)
    code, out, err = run("export", "--format", "md", str(fx.root))
    assert code == 0, err
    assert not ACTIVE.search(out), ACTIVE.findall(out)
    # Shown, not dropped: the escape sequences are visible in the report, as in the app (Markdown
    # escapes aside).
    shown = out.replace("\\", "")
    assert "␛]52;c;aGk=␇" in shown
    assert "see ␛[2J and␇ bell" in shown  # the note
    assert "Red ␛[31mwall␛[0m op-ed" in shown  # the title, from the first line
    assert "red␛[5mblink" in shown and "ev␛]0;pwned␇il" in shown  # tag and annotator


def test_csv_keeps_control_characters_exactly_and_still_defuses_formulas(
    fx: Fixture, tmp_path: Path
) -> None:
    ann = hostile_annotation(fx)
    stored(fx, ann)
    path = tmp_path / "out.csv"
    code, _, err = run("export", "--format", "csv", str(fx.root), "-o", str(path))
    assert code == 0, err
    with path.open(encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["quote"] == ann.quote and CLIPBOARD in row["quote"]
    assert row["note"] == "'" + ann.note  # a formula gets its leading quote
    assert row["annotator"] == ann.author
    # Import reads it back unchanged into another store.
    other = make_project(tmp_path / "other", TEXTS)
    code, _, err = run("import", str(path), "--format", "csv", str(other.root))
    assert code == 0, err
    with AnnotationStore.open(other.root / "annotations" / "store.json") as store:
        assert store.annotations() == [ann]


def test_search_text_output_has_no_active_control_characters(fx: Fixture) -> None:
    stored(fx, hostile_annotation(fx))
    code, out, err = run("search", "figures", str(fx.root))
    assert code == 0, err
    assert "figures" in out
    assert not ACTIVE.search(out), ACTIVE.findall(out)
    assert "␛]52;c;aGk=␇" in out


def test_claims_text_output_has_no_active_control_characters(fx: Fixture) -> None:
    code, out, err = run("claims", str(fx.root / "corpus" / "hostile.txt"))
    assert code == 0, err
    assert "figures" in out
    assert not ACTIVE.search(out), ACTIVE.findall(out)
    assert "␛]52;c;aGk=␇" in out


def test_error_messages_show_control_characters_in_file_names_as_placeholders(
    tmp_path: Path,
) -> None:
    code, out, err = run("list", str(tmp_path / "no\x1b]52;c;aGk=\x07such"))
    assert code == 2 and out == ""
    assert not ACTIVE.search(err), ACTIVE.findall(err)
    assert "no␛]52;c;aGk=␇such" in err


def test_export_to_a_terminal_shows_control_characters_as_placeholders(fx: Fixture) -> None:
    stored(fx, hostile_annotation(fx))
    for fmt in ("csv", "jsonl"):  # JSON escapes C0 controls itself, but not C1 or bidi ones
        app = PtyApp(["export", "--format", fmt, str(fx.root)], {})
        assert app.close() == 0
        # The terminal turns each newline into CRLF.
        out = app.output.decode("utf-8").replace("\r\n", "\n")
        assert not ACTIVE.search(out), ACTIVE.findall(out)
        if fmt == "csv":
            assert "␛]52;c;aGk=␇" in out  # the quote, visible
            assert "ev␛]0;pwned␇il" in out  # the annotator
            # stdout and stderr share the terminal: the advice is in it too.
            assert "-o FILE" in out


def test_export_through_a_pipe_keeps_control_characters_exactly(fx: Fixture) -> None:
    ann = hostile_annotation(fx)
    stored(fx, ann)
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--format", "csv", str(fx.root)],
        capture_output=True,
        check=True,
    )
    (row,) = csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline=""))
    assert row["quote"] == ann.quote and row["annotator"] == ann.author
    assert b"placeholders" not in result.stderr


def test_json_search_shows_bidi_overrides_as_placeholders_on_a_terminal_only(
    fx: Fixture,
) -> None:
    args = ["search", "text:override", "--format", "json", str(fx.root)]
    app = PtyApp(args, {})
    assert app.close() == 0
    out = app.output.decode("utf-8").replace("\r\n", "\n")
    assert "override" in out
    assert not ACTIVE.search(out), ACTIVE.findall(out)
    piped = subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "\u202eoverride\u202c" in piped  # exactly, for the program reading it


def test_claims_jsonl_shows_c1_and_bidi_controls_as_placeholders_on_a_terminal_only(
    fx: Fixture,
) -> None:
    # JSON escapes C0 controls itself, not C1 ones (a CSI of its own) nor bidi overrides.
    path = fx.root / "corpus" / "c1.txt"
    path.write_text("We must act \x9b2J now.\n\nIt is \u202eclear\u202c that 40% left.\n", "utf-8")
    app = PtyApp(["claims", "--format", "jsonl", str(path)], {})
    assert app.close() == 0
    out = app.output.decode("utf-8").replace("\r\n", "\n")
    assert '"sentences"' in out
    assert not ACTIVE.search(out), ACTIVE.findall(out)
    piped = subprocess.run(
        [sys.executable, "-m", "reader", "claims", "--format", "jsonl", str(path)],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    assert "\x9b2J" in piped and "\u202eclear" in piped  # exactly, for the program reading it
