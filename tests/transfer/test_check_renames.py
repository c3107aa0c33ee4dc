"""A document whose id changed (a file moved into a folder, two files gaining .txt/.md ids, a file
renamed and edited): `reader check --fix` and the app move its annotations, reading position and
dismissed suggestions to the new id as one undoable step, and say which id became which."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.corpus.documents import Corpus, sha256_text
from reader.errors import AnnotationError
from reader.store.annotation_store import AnnotationStore
from reader.transfer.checking import check_store, relink_renamed
from reader.user_state import dismissed_key, dismissed_value, follow_meta, position_key
from tests.transfer.test_check import CLAIM, OPED, project, reader, stored

STORE = ("annotations", "store.json")


def keep_state(root: Path, doc_id: str, text: str) -> None:
    """A reading position and a dismissed suggestion (on the claim) kept for `doc_id`."""
    start = text.index(CLAIM)
    with AnnotationStore.open(root.joinpath(*STORE)) as store:
        store.meta[position_key(doc_id)] = {"offset": start, "furthest": 0.5}
        store.meta[dismissed_key(doc_id)] = dismissed_value(
            sha256_text(text), {f"{start}-{start + len(CLAIM)}"}
        )
        store.meta["last_session"] = {"doc": doc_id}


def meta(root: Path) -> dict[str, object]:
    with AnnotationStore.open(root.joinpath(*STORE), read_only=True) as store:
        return dict(store.meta.items())


def test_a_move_into_a_folder_takes_annotations_position_and_dismissals_as_one_step(
    tmp_path: Path,
) -> None:
    root, anns = project(tmp_path)
    keep_state(root, "oped", OPED)
    before, meta_before = stored(root), meta(root)
    (root / "corpus" / "2019").mkdir()
    (root / "corpus" / "oped.txt").rename(root / "corpus" / "2019" / "oped.txt")
    done = reader("check", str(root), "--fix", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "oped became 2019/oped (the same text): 3 annotations moved to it" in done.stderr
    now = stored(root)
    assert {ann.doc for ann in now.values()} == {"2019/oped"}
    assert all(now[a.id].start == a.start and now[a.id].quote == a.quote for a in anns)
    kept = meta(root)
    assert kept[position_key("2019/oped")] == meta_before[position_key("oped")]
    assert kept[dismissed_key("2019/oped")] == meta_before[dismissed_key("oped")]
    assert position_key("oped") not in kept and dismissed_key("oped") not in kept
    assert kept["last_session"] == {"doc": "2019/oped"}
    # Settled: nothing more to say.
    assert "every annotation is where its text is" in reader("check", str(root)).stdout
    # One undo step takes it all back.
    with AnnotationStore.open(root.joinpath(*STORE)) as store:
        assert store.undo()
    assert stored(root) == before and meta(root) == meta_before


def test_two_files_gaining_extension_ids_relink_to_the_one_with_the_same_text(
    tmp_path: Path,
) -> None:
    root, _anns = project(tmp_path)
    # oped.md beside oped.txt: the ids become oped.txt and oped.md, and "oped" is gone.
    (root / "corpus" / "oped.md").write_text("# Another text\n\nNothing alike.\n", "utf-8")
    assert {doc.id for doc in Corpus.load(root / "corpus")} == {"oped.txt", "oped.md"}
    done = reader("check", str(root), "--fix")
    assert "oped became oped.txt (the same text): 3 annotations moved to it" in done.stdout
    assert {ann.doc for ann in stored(root).values()} == {"oped.txt"}


def test_a_renamed_and_edited_file_is_found_by_its_quotes_and_re_anchored(tmp_path: Path) -> None:
    root, (claim, fact, marginal) = project(tmp_path)
    keep_state(root, "oped", OPED)
    edited = "A standfirst added on top.\n" + OPED
    (root / "corpus" / "oped.txt").unlink()
    (root / "corpus" / "derbyshire.md").write_text(edited, encoding="utf-8")
    done = reader("check", str(root), "--format", "json")
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert rows[claim.id]["doc"] == "derbyshire" and rows[claim.id]["status"] == "moved"
    assert edited[rows[claim.id]["start"] : rows[claim.id]["end"]] == CLAIM
    assert "oped became derbyshire (3 of 3 quotes found in it)" in done.stderr
    assert {ann.doc for ann in stored(root).values()} == {"oped"}  # nothing written
    fixed = reader("check", str(root), "--fix")
    assert fixed.returncode == 0, fixed.stderr
    now = stored(root)
    start = edited.index(CLAIM)
    assert (now[claim.id].doc, now[claim.id].start) == ("derbyshire", start)
    assert now[fact.id].doc_sha256 == sha256_text(edited)
    # The reading position and the dismissal moved with the text, under the new id.
    kept = meta(root)
    assert kept[position_key("derbyshire")] == {"offset": start, "furthest": 0.5}
    assert kept[dismissed_key("derbyshire")] == dismissed_value(
        sha256_text(edited), {f"{start}-{start + len(CLAIM)}"}
    )
    assert marginal.id in now


def test_the_store_refuses_a_changed_doc_except_through_relink(tmp_path: Path) -> None:
    root, (claim, _fact, _marginal) = project(tmp_path)
    path = root.joinpath(*STORE)
    with AnnotationStore.open(path) as store:
        with pytest.raises(AnnotationError, match="doc cannot be changed"):
            store.update(claim.id, doc="elsewhere")  # the plain update path still refuses
        (moved,) = store.relink([(claim.id, {"doc": "elsewhere"})], {"k": 1})
        assert moved.doc == "elsewhere" and store.meta["k"] == 1
        assert [a.id for a in store.annotations("elsewhere")] == [claim.id]
        # As a crash would leave it: the move only in the journal, replayed on opening.
        copy = tmp_path / "copy"
        copy.mkdir()
        for name in ("store.json", "store.json.journal"):
            shutil.copy(path.parent / name, copy / name)
    with AnnotationStore.open(copy / "store.json", read_only=True) as replayed:
        assert replayed.get(claim.id).doc == "elsewhere"  # type: ignore[union-attr]
        assert replayed.meta["k"] == 1
    # The move survives reopening (read from the snapshot written on closing).
    with AnnotationStore.open(path) as store:
        assert store.get(claim.id) is not None
        assert store.get(claim.id).doc == "elsewhere"  # type: ignore[union-attr]
        assert store.undo()
        assert store.get(claim.id).doc == "oped"  # type: ignore[union-attr]
        assert "k" not in store.meta


def test_relink_renamed_is_one_step_and_nothing_when_every_document_is_there(
    tmp_path: Path,
) -> None:
    root, anns = project(tmp_path)
    with AnnotationStore.open(root.joinpath(*STORE)) as store:
        version = store.version
        assert relink_renamed(store, Corpus.load(root / "corpus")) == {}
        assert store.version == version
    (root / "corpus" / "oped.txt").rename(root / "corpus" / "op-ed.txt")
    with AnnotationStore.open(root.joinpath(*STORE)) as store:
        moved = relink_renamed(store, Corpus.load(root / "corpus"))
        assert moved == {"oped": ("op-ed", "the same text", 3)}
        assert {a.doc for a in store.annotations()} == {"op-ed"}
        step = store.undo_step()
        assert step is not None and len(step) == len(anns)


def test_follow_meta_without_renames_moves_the_position_with_the_text(tmp_path: Path) -> None:
    root, _anns = project(tmp_path)
    keep_state(root, "oped", OPED)
    edited = "Top line.\n" + OPED
    (root / "corpus" / "oped.txt").write_text(edited, encoding="utf-8")
    with AnnotationStore.open(root.joinpath(*STORE), read_only=True) as store:
        report = check_store(store, Corpus.load(root / "corpus"))
        changes = follow_meta(store.meta, {}, report.outcomes)
    shift = len("Top line.\n")
    assert changes[position_key("oped")] == {
        "offset": OPED.index(CLAIM) + shift,
        "furthest": 0.5,
    }


def test_search_follows_a_rename_without_writing(tmp_path: Path) -> None:
    root, (claim, _fact, _marginal) = project(tmp_path)
    (root / "corpus" / "2019").mkdir()
    (root / "corpus" / "oped.txt").rename(root / "corpus" / "2019" / "oped.txt")
    before = stored(root)
    hits = json.loads(reader("search", "label:claim", str(root), "--format", "json").stdout)
    assert {hit["doc"] for hit in hits} == {"2019/oped"}
    start = OPED.index(CLAIM)
    assert {(hit["id"], hit["start"]) for hit in hits} >= {(claim.id, start)}
    assert stored(root) == before


def test_check_says_when_corpus_toml_still_describes_the_old_id(tmp_path: Path) -> None:
    # The title, author and date live in corpus.toml under the document's id: after a move they
    # describe nothing until the entry follows, and check says so, before and after --fix.
    root, _anns = project(tmp_path)
    (root / "corpus" / "corpus.toml").write_text(
        '[documents."oped"]\ntitle = "An op-ed"\nauthor = "A. Writer"\n', "utf-8"
    )
    (root / "corpus" / "2019").mkdir()
    (root / "corpus" / "oped.txt").rename(root / "corpus" / "2019" / "oped.txt")
    advice = 'rename [documents."oped"] to [documents."2019/oped"]'
    first = reader("check", str(root))
    assert advice in first.stdout, first.stdout
    fixed = reader("check", str(root), "--fix")
    assert advice in fixed.stdout
    after = reader("check", str(root))
    assert "corpus.toml describes oped, which is not in the corpus" in after.stdout
    text = (root / "corpus" / "corpus.toml").read_text("utf-8").replace('"oped"', '"2019/oped"')
    (root / "corpus" / "corpus.toml").write_text(text, "utf-8")
    assert "corpus.toml" not in reader("check", str(root)).stdout
    assert Corpus.load(root / "corpus").get("2019/oped").author == "A. Writer"  # type: ignore[union-attr]


def test_an_export_follows_a_rename_without_writing_to_the_store(tmp_path: Path) -> None:
    root, _anns = project(tmp_path)
    (root / "corpus" / "2019").mkdir()
    (root / "corpus" / "oped.txt").rename(root / "corpus" / "2019" / "oped.txt")
    before = stored(root)
    out = tmp_path / "out.json"
    done = reader("export", str(root), "--format", "json", "-o", str(out))
    assert done.returncode == 0, done.stderr
    exported = json.loads(out.read_text("utf-8"))["annotations"]
    assert {a["doc"] for a in exported} == {"2019/oped"}
    text = (root / "corpus" / "2019" / "oped.txt").read_text("utf-8")
    assert all(text[a["start"] : a["end"]] == a["quote"] for a in exported)
    brat = tmp_path / "brat"
    assert reader("export", str(root), "--format", "brat", "-o", str(brat)).returncode == 0
    assert (brat / "2019" / "oped.ann").exists() and not (brat / "oped.ann").exists()
    assert stored(root) == before  # the move itself is left to check --fix or the app


def test_a_rename_carries_the_document_s_adjudication_decisions_along() -> None:
    from reader.user_state import adjudication_key, renamed_meta

    meta = {adjudication_key("oped"): ["01A|01B"], position_key("oped"): {"offset": 3}}
    moved = renamed_meta(meta, {"oped": "2019/oped"})
    assert moved[adjudication_key("2019/oped")] == ["01A|01B"]
    assert moved[adjudication_key("oped")] is None
    assert moved[position_key("2019/oped")] == {"offset": 3}


def test_check_lists_a_stale_corpus_toml_entry_before_anything_is_annotated(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "corpus").mkdir(parents=True)
    (root / "corpus" / "a.txt").write_text("A text.\n", "utf-8")
    (root / "corpus" / "corpus.toml").write_text('[documents."old"]\ntitle = "Old"\n', "utf-8")
    done = reader("check", str(root))
    assert done.returncode == 0, done.stderr
    assert "corpus.toml describes old, which is not in the corpus" in done.stdout


def test_annotations_on_a_deleted_document_are_not_called_in_place(tmp_path: Path) -> None:
    # The file is gone and no document became it: not "every annotation is where its text is"
    # with exit 0, but said as what it is, with exit status 1 as for orphans.
    root, _anns = project(tmp_path)
    (root / "corpus" / "oped.txt").unlink()
    done = reader("check", str(root))
    assert done.returncode == 1, done.stderr
    first, *rest = done.stdout.splitlines()
    assert first.startswith("3 annotations on documents no longer in the corpus")
    assert "oped: not in the corpus (3 annotations left as they are)" in rest
