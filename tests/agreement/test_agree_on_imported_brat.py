"""The whole team workflow through the command line: three annotators' brat folders (`.ann` only, as a
published corpus ships them) imported into one store with `--annotator`, then `reader agree` — whose
span F1 must equal bratiaa's on the very same folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
from bratiaa import compute_f1_agreement
from bratiaa.utils import tokenize

from benchmarks.brat_essays import make_essays
from tests.conftest import REPO

ANNOTATORS = ("annotator1", "annotator2", "annotator3")


def _reader(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "READER_CONFIG": str(home / "no-config.toml")}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_agree_on_imported_annotator_folders_equals_bratiaa(tmp_path: Path) -> None:
    essays = make_essays(tmp_path / "essays", essays=6, annotators=3)
    for name in ANNOTATORS:
        done = _reader(
            "import",
            str(essays.folders[name]),
            str(essays.root),
            "--format",
            "brat",
            "--annotator",
            name,
            home=tmp_path,
        )
        assert done.returncode == 0, done.stderr
    done = _reader("agree", str(essays.root), "--format", "json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    ours = orjson.loads(done.stdout)
    assert ours["annotators"] == list(ANNOTATORS) and ours["documents"] == len(essays.ids)

    # bratiaa reads one folder per annotator under a root holding annotation.conf, and the texts
    # from the first annotator's folder.
    root = tmp_path / "bratiaa"
    root.mkdir()
    shutil.copy(essays.corpus / "annotation.conf", root / "annotation.conf")
    for name in ANNOTATORS:
        shutil.copytree(essays.folders[name], root / name, ignore=shutil.ignore_patterns("*.conf"))
    for doc_id in essays.ids:
        shutil.copy(essays.corpus / f"{doc_id}.txt", root / ANNOTATORS[0] / f"{doc_id}.txt")
    for kind, token_func in (("exact", None), ("overlap", tokenize)):
        peer = compute_f1_agreement(str(root), token_func=token_func)
        mean, sd = peer.mean_sd_total()
        overall = ours["overall"][kind]
        assert (f"{overall['mean']:.3f}", f"{overall['sd']:.3f}") == (f"{mean:.3f}", f"{sd:.3f}")
        for label, label_mean, label_sd in zip(peer.labels, *peer.mean_sd_per_label(), strict=True):
            figure = ours["by_label"][label][kind]
            assert (f"{figure['mean']:.3f}", f"{figure['sd']:.3f}") == (
                f"{label_mean:.3f}",
                f"{label_sd:.3f}",
            ), label
