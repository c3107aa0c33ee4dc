"""`reader export` / `reader import` as a user sees them: messages, exit status, files written."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.model.annotation import Annotation, Link, annotation_from_document
from reader.store import AnnotationStore
from tests.conftest import REPO
from tests.formats.formats_helpers import Fixture, make_project


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_project(tmp_path / "project")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def claim(fx: Fixture, start: int = 0, end: int = 33, **fields: object) -> Annotation:
    plain = fx.corpus.get("plain")
    assert plain is not None
    return annotation_from_document(plain, start, end, **{"label": "claim", **fields})


def store_path(fx: Fixture) -> Path:
    return fx.root / "annotations" / "store.json"


def add(fx: Fixture, *anns: Annotation) -> None:
    with AnnotationStore.open(store_path(fx)) as store:
        store.add_many(anns)


def test_the_default_export_folder_is_git_ignored() -> None:
    # The app's Export… writes PROJECT/exports/ by default; in a checkout that is the repository.
    for path in ("exports/annotations.csv", "exports/brat/plain.ann"):
        done = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", path], cwd=REPO, check=False
        )
        assert done.returncode == 0, path


def test_export_messages_use_the_singular_for_one(fx: Fixture) -> None:
    add(fx, claim(fx))
    code, _, err = run("export", "--format", "csv", str(fx.root))
    assert code == 0 and "exported 1 annotation;" in err and "(s)" not in err
    add(fx, claim(fx, 34, 65))
    code, _, err = run("export", "--format", "csv", str(fx.root))
    assert code == 0 and "exported 2 annotations;" in err


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_export_files_get_the_users_umask(fx: Fixture, tmp_path: Path, umask: int) -> None:
    add(fx, claim(fx))
    old = os.umask(umask)
    try:
        for fmt in ("json", "csv", "md", "jsonl", "w3c", "brat"):
            out = tmp_path / f"{umask:o}-{fmt}"
            code, _, err = run("export", "--format", fmt, str(fx.root), "-o", str(out))
            assert code == 0, err
            files = sorted(out.rglob("*")) if out.is_dir() else [out]
            for path in files:
                if path.is_file():
                    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, (fmt, path)
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporaries left


def test_export_over_a_file_keeps_its_permissions(fx: Fixture, tmp_path: Path) -> None:
    add(fx, claim(fx))
    out = tmp_path / "shared.csv"
    out.write_text("old")
    out.chmod(0o640)
    code, _, err = run("export", "--format", "csv", str(fx.root), "-o", str(out))
    assert code == 0, err
    assert out.read_text().startswith('"id"') and stat.S_IMODE(out.stat().st_mode) == 0o640


def test_export_to_a_pipe_writes_into_it_rather_than_replacing_it(
    fx: Fixture, tmp_path: Path
) -> None:
    # `-o /dev/stdout` or a named pipe: renaming a file over it would replace the device or pipe.
    add(fx, claim(fx))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run("export", "--format", "csv", str(fx.root), "-o", str(pipe))
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(pipe.stat().st_mode) and received[0].startswith(b'"id","doc"')


def test_export_query_warnings_go_to_stderr(fx: Fixture) -> None:
    add(fx, claim(fx), claim(fx, 34, 65, label="premise"))
    code, out, err = run("export", "--format", "json", str(fx.root), "--query", "label:claim OR")
    assert code == 0, err
    assert [a["label"] for a in orjson.loads(out)["annotations"]] == ["claim"]
    assert "warning: query position 13: OR needs a term on each side; ignored" in err


def test_export_query_on_the_documents_text_is_refused_with_a_reason(
    fx: Fixture, tmp_path: Path
) -> None:
    add(fx, claim(fx))
    out = tmp_path / "out.json"
    code, _, err = run(
        "export", "--format", "json", str(fx.root), "--query", "text:economy", "-o", str(out)
    )
    assert code == 2 and not out.exists()
    assert "text:" in err and "sentences" in err and "selects no annotations" in err
    assert "Traceback" not in err


def test_export_query_with_no_terms_is_refused(fx: Fixture, tmp_path: Path) -> None:
    add(fx, claim(fx))
    out = tmp_path / "out.json"
    code, _, err = run(
        "export", "--format", "json", str(fx.root), "--query", " OR ", "-o", str(out)
    )
    assert code == 2 and not out.exists() and "no search terms" in err


# -- import: the summary says what happened ---------------------------------------------------------


def write_file(
    fx: Fixture, tmp_path: Path, anns: list[Annotation], **edits: dict[str, object]
) -> Path:
    """A native export of `anns`, with edits (field -> value) applied to annotation N (key "N")."""
    data = {"schema": "reader-annotations/1", "annotations": [a.to_json() for a in anns]}
    for number, fields in edits.items():
        data["annotations"][int(number.lstrip("n"))].update(fields)
    path = tmp_path / "file.json"
    path.write_bytes(orjson.dumps(data))
    return path


def stored(fx: Fixture) -> list[Annotation]:
    if not store_path(fx).exists():
        return []
    with AnnotationStore.open(store_path(fx), read_only=True) as store:
        return store.annotations()


def import_(fx: Fixture, path: Path, *extra: str) -> tuple[int, str, str]:
    return run("import", str(path), "--format", "json", str(fx.root), *extra)


def test_import_refused_for_unmatched_says_nothing_was_imported(
    fx: Fixture, tmp_path: Path
) -> None:
    file = write_file(fx, tmp_path, [claim(fx), claim(fx, 34, 65)], n1={"doc": "missing"})
    code, out, err = import_(fx, file)
    assert code == 2 and stored(fx) == []
    assert "imported" not in out.replace("nothing imported", "")
    assert out.startswith("nothing imported") and "1 unmatched" in out
    assert "file.json: annotation 2: no document 'missing'" in err and "--allow-unmatched" in err


def test_import_with_everything_unmatched_fails_even_when_allowed(
    fx: Fixture, tmp_path: Path
) -> None:
    file = write_file(fx, tmp_path, [claim(fx)], n0={"doc": "missing"})
    code, out, err = import_(fx, file, "--allow-unmatched")
    assert code == 2 and stored(fx) == []
    assert out.startswith("nothing imported")
    assert "the one annotation in" in err and "could not be matched to the corpus" in err
    file = write_file(fx, tmp_path, [claim(fx), claim(fx, 1, 4)], n0={"doc": "x"}, n1={"doc": "y"})
    code, out, err = import_(fx, file, "--allow-unmatched")
    assert code == 2 and stored(fx) == [] and "none of the 2 annotations in" in err


def test_a_link_to_an_annotation_left_out_is_left_out_too_and_said(
    fx: Fixture, tmp_path: Path
) -> None:
    target = claim(fx)
    linking = claim(fx, 34, 65, label="evidence", links=[Link("supports", target.id)])
    file = write_file(fx, tmp_path, [target, linking], n0={"doc": "missing"})
    code, out, err = import_(fx, file, "--allow-unmatched")
    assert code == 0, err
    [kept] = stored(fx)
    assert kept.id == linking.id and kept.links == ()  # no link to an annotation that is not there
    assert f"supports link to {target.id} is left out" in err and "1 warning" in out


def test_import_of_a_file_without_annotations_fails(fx: Fixture, tmp_path: Path) -> None:
    file = write_file(fx, tmp_path, [])
    code, out, err = import_(fx, file)
    assert code == 2 and out.startswith("nothing imported") and "holds no annotations" in err


def test_import_with_some_unmatched_allowed_imports_the_others(fx: Fixture, tmp_path: Path) -> None:
    file = write_file(fx, tmp_path, [claim(fx), claim(fx, 34, 65)], n1={"doc": "missing"})
    code, out, err = import_(fx, file, "--allow-unmatched")
    assert code == 0, err
    assert out.strip() == "1 imported, 0 updated, 0 skipped, 1 unmatched (left out)"
    assert len(stored(fx)) == 1


def test_import_lists_why_annotations_were_skipped_and_where(fx: Fixture, tmp_path: Path) -> None:
    anns = [claim(fx, n, n + 3) for n in range(6)]
    add(fx, *anns)
    with AnnotationStore.open(store_path(fx)) as store:
        store.update(anns[5].id, note="edited after the export")
    file = write_file(fx, tmp_path, anns)
    code, out, err = import_(fx, file)
    assert code == 0, err  # a re-import that finds everything in place is not a failure
    assert out.strip() == "0 imported, 0 updated, 6 skipped, 0 unmatched"
    lines = err.splitlines()
    assert (
        "skipped 5 already in the store unchanged: file.json: annotation 1, "
        "file.json: annotation 2, file.json: annotation 3, and 2 more" in lines
    )
    assert "skipped 1 kept as the store's copy was modified later: file.json: annotation 6" in lines


def test_dry_run_says_what_would_happen(fx: Fixture, tmp_path: Path) -> None:
    file = write_file(fx, tmp_path, [claim(fx), claim(fx, 34, 65)])
    code, out, err = import_(fx, file, "--dry-run")
    assert code == 0, err
    assert (
        out.strip() == "dry run, nothing changed: 2 to import, 0 to update, 0 to skip, 0 unmatched"
    )
    file = write_file(fx, tmp_path, [claim(fx), claim(fx, 34, 65)], n1={"doc": "missing"})
    code, out, err = import_(fx, file, "--dry-run")
    assert code == 2 and stored(fx) == []
    assert out.startswith("dry run, nothing changed") and "--allow-unmatched" in err


def test_a_brat_folder_that_cannot_be_made_is_reported(fx: Fixture, tmp_path: Path) -> None:
    add(fx, claim(fx))
    (tmp_path / "file").write_text("a file, not a folder")
    code, _, err = run(
        "export", "--format", "brat", str(fx.root), "-o", str(tmp_path / "file" / "out")
    )
    assert code == 2 and err.startswith("reader: ") and err.count("\n") == 1
    assert str(tmp_path / "file" / "out") in err and "Errno" not in err


def test_import_into_a_store_open_elsewhere_says_to_close_it_and_retry(
    fx: Fixture, tmp_path: Path
) -> None:
    path = write_file(fx, tmp_path, [claim(fx)])
    with AnnotationStore.open(store_path(fx)):  # the app, say, has it open for writing
        code, out, err = import_(fx, path)
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert f"pid {os.getpid()}" in line and "close that reader" in line
    assert "import again" in line and "nothing was imported" in line
    assert "read-only" not in line  # an import cannot be run read-only
