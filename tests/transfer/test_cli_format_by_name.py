"""`reader export -o FILE` and `reader import PATH` without --format: the file's name says which
format (a folder is brat), and a `.json` file what its start holds, since reader's JSON, W3C and AIF
all come as `.json`."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from reader.formats import FORMATS, IMPORT_FORMATS
from reader.model.annotation import Annotation
from reader.store import AnnotationStore
from tests.formats.formats_helpers import Fixture, make_project
from tests.transfer.test_cli_transfer import add, claim, run, store_path


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    fixture = make_project(tmp_path / "project")
    add(fixture, claim(fixture, note="why"), claim(fixture, 34, 64, label="premise"))
    return fixture


def spans(store: Path) -> list[tuple[str, int, int, str | None]]:
    with AnnotationStore.open(store, read_only=True) as opened:
        return sorted((a.doc, a.start, a.end, a.label) for a in opened.annotations())


def empty_copy(fx: Fixture, tmp_path: Path) -> Path:
    other = tmp_path / "other"
    shutil.copytree(fx.root / "corpus", other / "corpus")
    (other / "annotations").mkdir()
    return other


@pytest.mark.parametrize("name", [n for n in IMPORT_FORMATS if not FORMATS[n].folder])
def test_an_export_named_for_its_format_imports_back_by_its_name(
    fx: Fixture, tmp_path: Path, name: str
) -> None:
    file = tmp_path / f"annotations{FORMATS[name].extension}"
    code, _, err = run("export", "-o", str(file), str(fx.root))
    assert code == 0, err
    assert f"; {name} leaves out" in err  # written as the format its name says
    other = empty_copy(fx, tmp_path)
    code, _, err = run("import", str(file), str(other))
    assert code == 0, err
    assert spans(store_path(fx)) == spans(other / "annotations" / "store.json")


def test_a_folder_is_imported_as_brat(fx: Fixture, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    assert run("export", "--format", "brat", "-o", str(folder), str(fx.root))[0] == 0
    other = empty_copy(fx, tmp_path)
    code, _, err = run("import", str(folder), str(other))
    assert code == 0, err
    assert spans(store_path(fx)) == spans(other / "annotations" / "store.json")


@pytest.mark.parametrize(("exported", "title"), [("w3c", "W3C"), ("aif", "AIF")])
def test_a_json_file_is_read_as_what_it_holds_and_says_so(
    fx: Fixture, tmp_path: Path, exported: str, title: str
) -> None:
    # Hypothesis and AIFdb hand out plain `.json` files.
    file = tmp_path / "download.json"
    assert run("export", "--format", exported, "-o", str(file), str(fx.root))[0] == 0
    other = empty_copy(fx, tmp_path)
    code, _, err = run("import", str(file), str(other))
    assert code == 0, err
    assert f"Reading download.json as {title}" in err
    assert spans(store_path(fx)) == spans(other / "annotations" / "store.json")


def test_a_bare_list_of_w3c_annotations_is_read_as_w3c(fx: Fixture, tmp_path: Path) -> None:
    page = tmp_path / "page.jsonld"
    assert run("export", "-o", str(page), str(fx.root))[0] == 0
    collection = orjson.loads(page.read_bytes())
    items = collection["first"]["items"] if "first" in collection else collection["items"]
    listed = tmp_path / "listed.json"
    listed.write_bytes(orjson.dumps(items))  # a bare list of annotations
    other = empty_copy(fx, tmp_path)
    code, _, err = run("import", str(listed), str(other))
    assert code == 0, err
    assert "as W3C" in err and len(spans(other / "annotations" / "store.json")) == 2


def test_a_name_that_says_no_format_is_refused_naming_the_file_and_the_choices(
    fx: Fixture, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not annotations")
    code, _, err = run("import", str(notes), str(fx.root))
    assert code == 2 and "notes.txt" in err and "--format" in err and "jsonl" in err
    code, _, err = run("export", "-o", str(tmp_path / "out.txt"), str(fx.root))
    assert code == 2 and "out.txt does not say which format" in err
    assert not (tmp_path / "out.txt").exists()
    assert len(spans(store_path(fx))) == 2  # nothing imported


def test_a_markdown_report_is_refused_as_export_only(fx: Fixture, tmp_path: Path) -> None:
    # It was told to "say which with --format", as if a format could read it.
    report = tmp_path / "report.md"
    assert run("export", "--format", "md", "-o", str(report), str(fx.root))[0] == 0
    code, _, err = run("import", str(report), str(fx.root))
    assert code == 2 and "report.md is a Markdown export" in err and "cannot read back" in err
    assert "--format" not in err and "jsonl" in err


def test_one_ann_file_is_pointed_to_its_folder(fx: Fixture, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    assert run("export", "--format", "brat", "-o", str(folder), str(fx.root))[0] == 0
    one = next(folder.glob("*.ann"))
    code, _, err = run("import", str(one), str(fx.root))
    assert code == 2 and "import the folder that holds it" in err


def test_a_given_format_wins_over_the_name(fx: Fixture, tmp_path: Path) -> None:
    file = tmp_path / "table.json"
    code, _, err = run("export", "--format", "csv", "-o", str(file), str(fx.root))
    assert code == 0 and "; csv leaves out" in err
    other = empty_copy(fx, tmp_path)
    assert run("import", "--format", "csv", str(file), str(other))[0] == 0
    assert len(spans(other / "annotations" / "store.json")) == 2


def hypothesis_row(n: int, text: str, exact: str, start: int, **extra: object) -> dict[str, object]:
    """One annotation as Hypothesis's API and its client's JSON download hold it."""
    return {
        "id": f"hYp{n}AbCdEfGh",
        "created": "2026-11-02T10:00:00.000000+00:00",
        "updated": "2026-11-03T11:30:00.000000+00:00",
        "user": "acct:sam_reads@hypothes.is",
        "uri": "https://example.org/plain",
        "text": text,
        "tags": ["economy", "to check"],
        "group": "__world__",
        "permissions": {"read": ["group:__world__"]},
        "target": [
            {
                "source": "https://example.org/plain",
                "selector": [
                    {"type": "RangeSelector", "startContainer": "/main[1]/p[1]",
                     "startOffset": start, "endContainer": "/main[1]/p[1]",
                     "endOffset": start + len(exact)},
                    {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
                    {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
                ],
            }
        ],
        "document": {"title": ["Plain"]},
        "links": {"html": f"https://hypothes.is/a/hYp{n}AbCdEfGh"},
        "user_info": {"display_name": "Sam Reads"},
        "flagged": False,
        "hidden": False,
        **extra,
    }  # fmt: skip


def plain_at_its_url(fx: Fixture) -> str:
    """The fixture's "plain" document given the address Hypothesis rows name; its text."""
    (fx.root / "corpus" / "corpus.toml").write_text(
        '[documents."plain"]\nurl = "https://example.org/plain"\n', encoding="utf-8"
    )
    return (fx.root / "corpus" / "plain.txt").read_text(encoding="utf-8")


def import_hypothesis(fx: Fixture, tmp_path: Path, payload: object) -> tuple[list[Annotation], str]:
    """`payload` saved as hypothesis.json and imported into an empty copy of the project: what
    its store then holds, and what the import said on stderr."""
    download = tmp_path / "hypothesis.json"
    download.write_bytes(orjson.dumps(payload))
    other = empty_copy(fx, tmp_path)
    shutil.copy(fx.root / "corpus" / "corpus.toml", other / "corpus" / "corpus.toml")
    code, _, err = run("import", str(download), str(other))
    assert code == 0, err
    with AnnotationStore.open(other / "annotations" / "store.json", read_only=True) as store:
        return list(store.annotations()), err


def test_hypothesiss_own_download_imports_with_notes_tags_and_annotator(
    fx: Fixture, tmp_path: Path
) -> None:
    text = plain_at_its_url(fx)
    rows = [
        hypothesis_row(1, "**Source?** The ONS says 1.8%.", text[0:33], 0),
        hypothesis_row(2, "A page note", "", 0, target=[{"source": "https://example.org/plain"}]),
    ]
    export = {"export_date": "2026-12-01T09:00:00.000Z", "export_userid": "acct:sam_reads@hypothes.is",
              "client_version": "1.1500.0", "annotations": rows}  # fmt: skip
    annotations, err = import_hypothesis(fx, tmp_path, export)
    assert "Reading hypothesis.json as W3C" in err
    imported = sorted(annotations, key=lambda a: a.start or -1)
    page, span = imported
    assert (span.start, span.end, span.note) == (0, 33, "**Source?** The ONS says 1.8%.")
    assert (
        span.tags == ("economy", "to-check") and span.author == "Sam Reads"
    )  # tags as reader spells them
    assert span.modified.startswith("2026-11-03") and span.created.startswith("2026-11-02")
    assert page.start is None and page.note == "A page note"


def test_hypothesis_replies_say_which_passage_their_thread_is_about(
    fx: Fixture, tmp_path: Path
) -> None:
    # A reply has no selector of its own (a note on the whole document): without its thread's
    # passage it read as a remark about nothing in particular.
    text = plain_at_its_url(fx)
    bare = [{"source": "https://example.org/plain"}]
    root = hypothesis_row(1, "Source?", text[0:33], 0)
    rows = [
        root,
        hypothesis_row(2, "The ONS, table 3.", "", 0, target=bare, references=[root["id"]]),
        hypothesis_row(
            3, "Which year?", "", 0, target=bare, references=[root["id"], "hYp2AbCdEfGh"]
        ),
        hypothesis_row(4, "Agreed.", "", 0, target=bare, references=["elsewhere1"]),
        hypothesis_row(5, "A page note", "", 0, target=bare),
        hypothesis_row(6, "On the page.", "", 0, target=bare, references=["hYp5AbCdEfGh"]),
        hypothesis_row(7, "", "", 0, target=bare, references=[root["id"], 7, None]),
    ]
    annotations, _ = import_hypothesis(fx, tmp_path, {"total": len(rows), "rows": rows})
    notes = {a.note.rsplit("\n", 1)[-1]: a for a in annotations}
    passage = f"Reply in the thread on the passage “{text[0:33].strip()}”:\n\n"
    assert notes["Source?"].note == "Source?" and notes["Source?"].start == 0
    assert notes["The ONS, table 3."].note == passage + "The ONS, table 3."
    assert notes["Which year?"].note == passage + "Which year?"
    assert notes["Agreed."].note == (
        "Reply in the thread on an annotation not in this file:\n\nAgreed."
    )
    assert notes["On the page."].note == (
        "Reply in the thread on the whole document:\n\nOn the page."
    )
    assert notes[passage.rstrip(":\n") + "."].note == passage.rstrip(":\n") + "."  # no text
    assert all(notes[reply].start is None for reply in ("The ONS, table 3.", "Agreed."))


def test_json_of_another_shape_is_refused_not_read_as_readers_own(
    fx: Fixture, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_bytes(orjson.dumps({"version": 3, "items": [{"name": "not annotations"}]}))
    code, _, err = run("import", str(other), str(fx.root))
    assert code == 2 and "other.json is JSON, but not reader's" in err and "--format" in err
    assert len(spans(store_path(fx))) == 2  # nothing imported


def test_a_path_that_is_not_there_is_named_as_missing(fx: Fixture, tmp_path: Path) -> None:
    code, _, err = run("import", str(tmp_path / "brat_gold"), str(fx.root))
    assert code == 2 and "brat_gold: no such file or folder" in err


def test_an_export_to_an_existing_folder_is_brat(fx: Fixture, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "mine.txt").write_text("kept")
    code, _, err = run("export", "-o", str(folder), str(fx.root))
    assert code == 0 and "; brat leaves out" in err
    assert list(folder.glob("*.ann")) and (folder / "mine.txt").read_text() == "kept"
