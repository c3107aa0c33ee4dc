from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from reader.cli import cli
from reader.corpus.documents import read_text, sha256_text

CONTRACT = {
    "type": "object",
    "required": ["path", "sha256", "sentences"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "sentences": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start", "end", "text", "scores", "labels", "reasons"],
                "additionalProperties": False,
                "properties": {
                    "start": {"type": "integer"},
                    "end": {"type": "integer"},
                    "text": {"type": "string"},
                    "scores": {
                        "type": "object",
                        "required": ["claim", "factual"],
                        "additionalProperties": False,
                        "properties": {
                            "claim": {"type": "number", "minimum": 0, "maximum": 1},
                            "factual": {"type": "number", "minimum": 0, "maximum": 1},
                        },
                    },
                    "labels": {
                        "type": "array",
                        "items": {"enum": ["claim", "factual"]},
                        "uniqueItems": True,
                    },
                    "reasons": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["kind", "category", "start", "end", "weight"],
                            "additionalProperties": False,
                            "properties": {
                                "kind": {"enum": ["claim", "factual"]},
                                "category": {"type": "string"},
                                "start": {"type": "integer"},
                                "end": {"type": "integer"},
                                "weight": {"type": "number"},
                            },
                        },
                    },
                },
            },
        },
    },
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["claims", *args])
    return result.exit_code, result.stdout, result.stderr


def test_jsonl_follows_the_contract_for_every_sentence(project: Path) -> None:
    files = sorted(str(p) for p in (project / "corpus").glob("*.txt"))
    code, out, _ = run(*files, "--format", "jsonl")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(files) == 4
    for line, name in zip(lines, files, strict=True):
        record = json.loads(line)
        jsonschema.validate(record, CONTRACT)
        text = read_text(Path(name)).text
        assert record["path"] == name and record["sha256"] == sha256_text(text)
        for sentence in record["sentences"]:
            assert text[sentence["start"] : sentence["end"]] == sentence["text"]
            for reason in sentence["reasons"]:
                assert sentence["start"] <= reason["start"] < reason["end"] <= sentence["end"]
        assert any(s["labels"] == [] for s in record["sentences"])  # unlabelled ones are listed


def test_project_folder_means_all_its_documents(project: Path) -> None:
    code, out, _ = run(str(project), "--format", "jsonl", "--kind", "factual")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 4
    labels = {label for r in records for s in r["sentences"] for label in s["labels"]}
    assert labels == {"factual"}


def test_crlf_file_offsets_index_the_normalised_text(tmp_path: Path) -> None:
    path = tmp_path / "op-ed.txt"
    path.write_bytes("\ufeffTitle Line\r\n\r\nWe must act now.\r\nCosts rose by 40%.".encode())
    code, out, _ = run(str(path), "--format", "jsonl")
    record = json.loads(out)
    text = read_text(path).text
    assert [s["text"] for s in record["sentences"]] == [
        "Title Line",
        "We must act now.",
        "Costs rose by 40%.",
    ]
    assert all(text[s["start"] : s["end"]] == s["text"] for s in record["sentences"])
    assert code == 0


def test_text_view_highlights_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "piece.txt"
    path.write_text("We must scrap the tax.\n\nIt was raining.\x1b[31m", encoding="utf-8")
    code, out, _ = run(str(path))
    assert code == 0
    assert "We must scrap the tax." in out and "↳ claim" in out and "what must be done" in out
    assert "\x1b[31m" not in out  # control characters from the document never reach the terminal


def test_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt" in err and len(err.strip().splitlines()) == 1


def test_a_windows_1252_file_is_scored_with_a_warning_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes("Café owners say costs rose by 40% in 2019.\n".encode("cp1252"))
    code, out, err = run(str(path))
    assert code == 0 and "Café owners" in out
    (line,) = err.splitlines()
    assert str(path) in line and "Windows-1252" in line and "warning" in line
    # jsonl: the warning goes to stderr, stdout holds only the records.
    code, out, err = run(str(path), "--format", "jsonl")
    assert code == 0 and str(path) in err and "Windows-1252" in err
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["path"] == str(path)


def test_a_windows_1252_document_in_a_folder_is_named_in_a_warning(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "fine.txt").write_text("We must act now.\n", encoding="utf-8")
    odd = tmp_path / "corpus" / "odd.txt"
    odd.write_bytes("Café owners say costs rose by 40%.\n".encode("cp1252"))
    code, out, err = run(str(tmp_path))
    assert code == 0 and "Café owners" in out
    (line,) = err.splitlines()
    assert str(odd) in line and "Windows-1252" in line


def test_jsonl_reasons_are_the_reference_walks(project: Path) -> None:
    from reader.claims.scores import score_document

    files = sorted(str(p) for p in (project / "corpus").glob("*.txt"))
    code, out, _ = run(*files, "--format", "jsonl")
    assert code == 0
    for line, name in zip(out.splitlines(), files, strict=True):
        scores = score_document(read_text(Path(name)).text)
        walked = [
            [reason.to_json() for reason in scores.walked_reasons(i)]
            for i in range(len(scores.sentences))
        ]
        assert [s["reasons"] for s in json.loads(line)["sentences"]] == walked


def test_piped_text_view_is_what_rich_prints_without_a_terminal(project: Path) -> None:
    import io

    from rich.console import Console

    from reader.claims.render import render, render_plain
    from reader.claims.scores import KINDS, score_document

    texts = [read_text(p).text for p in sorted((project / "corpus").glob("*.txt"))]
    texts.append("Ünïcode “quotes” — 全角 We must act.\x1b[31m\n\nIt rose 40%\x07 in 2019")
    for text in texts:
        for kinds in (KINDS, ("factual",)):
            scores = score_document(text)
            console = Console(file=io.StringIO(), highlight=False, width=80)
            console.soft_wrap = True
            console.print(render(scores, kinds))
            assert not console.is_terminal and console.color_system is None
            assert render_plain(scores, kinds) + "\n" == console.file.getvalue()


def test_piped_text_view_expands_tabs_as_before(tmp_path: Path) -> None:
    path = tmp_path / "tabs.txt"
    path.write_text("We must\tact now.\n\nCosts\trose by 40%.", encoding="utf-8")
    code, out, _ = run(str(path))
    assert code == 0 and "\t" not in out  # to the next tab stop of 8 columns, as Rich lays it out
    assert "We must act now." in out and "Costs   rose by 40%." in out
