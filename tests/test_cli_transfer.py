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
from reader.model import Annotation, annotation_from_document
from reader.store import AnnotationStore
from tests.conftest import REPO
from tests.formats_helpers import Fixture, make_project


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
    assert code == 0 and "exported 1 annotation\n" in err and "(s)" not in err
    add(fx, claim(fx, 34, 65))
    code, _, err = run("export", "--format", "csv", str(fx.root))
    assert code == 0 and "exported 2 annotations\n" in err


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
