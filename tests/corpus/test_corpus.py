from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest

from reader.corpus import documents as corpus_module
from reader.corpus.documents import Corpus, Status, normalise, read_text, sha256_text
from reader.errors import CorpusError
from tests.conftest import SHIPPED_CORPUS


def test_shipped_corpus_has_four_documents_with_metadata() -> None:
    corpus = Corpus.load(SHIPPED_CORPUS)
    assert len(corpus) == 4
    authors = sorted(doc.author for doc in corpus)
    assert authors == ["Chris Peace", "Chris Williamson", "Lee Rowley", "Lee Rowley"]
    for doc in corpus:
        assert doc.status == Status.OK
        assert doc.title and doc.party and doc.date and doc.summary
    peace = corpus.get("peace-2019-09-winning-back-labours-heartlands")
    assert peace is not None and peace.outlet == "LabourList"


def test_corpus_toml_metadata_keys_match_files() -> None:
    config = tomllib.loads((SHIPPED_CORPUS / "corpus.toml").read_text())
    ids = {doc.id for doc in Corpus.load(SHIPPED_CORPUS)}
    assert set(config["documents"]) == ids
    labels = [label["name"] for label in config["labels"]]
    assert labels == ["claim", "premise", "evidence", "counterclaim", "rebuttal"]
    assert [label["key"] for label in config["labels"]] == ["1", "2", "3", "4", "5"]


# sha256 of the original op-ed files as they were handed over, recorded once.
ORIGINAL_SHA256 = {
    "rowley-2019-12-holding-north-east-derbyshire": "3efbf12f59bba6a235f7fca46be72402739da3df64f0ba1ffa9f1e1d4ba9d0ac",
    "rowley-2019-05-killamarsh-conservatism": "7b53dcd2700f58738cf5b114a837a12e370572c0c96bcc91c8e12722fc04e69b",
    "williamson-2017-07-how-labour-won-back-derby-north": "269d3c553fe0949942dbf3d5ca5a925fa974b671c42ead51bc4075f4a4053e61",
    "peace-2019-09-winning-back-labours-heartlands": "08a8b45d4f2bf00ca2622899594c773da379e7d1fd209d5edcdb036a706a802b",
}


def test_shipped_texts_are_byte_for_byte_the_originals() -> None:
    shipped = {
        path.stem: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in SHIPPED_CORPUS.glob("*.txt")
    }
    assert shipped == ORIGINAL_SHA256


def test_normalise_changes_only_line_endings_and_bom() -> None:
    assert normalise("\ufeffa\r\nb\rc\n\td  e") == "a\nb\nc\n\td  e"
    assert normalise("x\u00a0y\u2019") == "x\u00a0y\u2019"


def test_decoding_utf8_bom_utf16_and_cp1252(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9\r\nend")
    (tmp_path / "u16.txt").write_bytes("Caf\u00e9\r\nend".encode("utf-16"))
    (tmp_path / "win.txt").write_bytes(b"Caf\xe9 \x93quoted\x94\r\nend")
    assert read_text(tmp_path / "bom.txt").text == "Caf\u00e9\nend"
    assert read_text(tmp_path / "u16.txt").text == "Caf\u00e9\nend"
    cp = read_text(tmp_path / "win.txt")
    assert cp.text == "Caf\u00e9 \u201cquoted\u201d\nend"
    assert cp.encoding == "cp1252" and cp.warning and "win.txt" in cp.warning


def test_sha256_is_of_the_normalised_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"one\r\ntwo")
    (tmp_path / "b.txt").write_bytes(b"one\ntwo")
    assert read_text(tmp_path / "a.txt").sha256 == read_text(tmp_path / "b.txt").sha256
    assert read_text(tmp_path / "a.txt").sha256 == sha256_text("one\ntwo")


def test_ids_are_relative_paths_without_extension_and_discovery_is_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "inner.md").write_text("Inner title\n\nbody")
    (tmp_path / "a.txt").write_text("First line is the title\nrest")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("nope")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    corpus = Corpus.load(tmp_path)
    assert [doc.id for doc in corpus] == ["a", "b/inner"]
    assert corpus.get("a") is not None
    assert corpus.get("a").title == "First line is the title"  # type: ignore[union-attr]


def test_front_matter_gives_metadata_and_body_offset(tmp_path: Path) -> None:
    text = "---\ntitle: A headline\nauthor: Jo Bloggs\nparty: Green\n---\nBody starts here.\n"
    (tmp_path / "doc.md").write_text(text)
    doc = Corpus.load(tmp_path).documents[0]
    assert (doc.title, doc.author, doc.party) == ("A headline", "Jo Bloggs", "Green")
    assert doc.text[doc.body_start :] == "Body starts here.\n"
    assert doc.words == 3


def test_title_is_trimmed_to_100_characters(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text("x" * 300 + "\nbody")
    assert len(Corpus.load(tmp_path).documents[0].title) == 100


def _statuses(root: Path) -> dict[str, str]:
    return {doc.id: doc.status for doc in Corpus.load(root)}


def test_hostile_files_are_listed_with_a_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "undecodable.txt").write_bytes(b"abc \x81\x8d\x8f\x90\x9d")
    (tmp_path / "broken.md").write_text("---\ntitle: unterminated\nno colon here\n")
    (tmp_path / "fine.txt").write_text("A fine document.\n")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "again").symlink_to(tmp_path)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    statuses = _statuses(tmp_path)
    assert statuses["empty"] == Status.EMPTY
    assert statuses["binary"] == Status.BINARY
    assert statuses["undecodable"] == Status.UNDECODABLE
    assert statuses["broken"] == Status.BAD_FRONT_MATTER
    assert statuses["fine"] == Status.OK
    assert statuses["loop/again"] == Status.SYMLINK_LOOP
    assert statuses["self"] == Status.SYMLINK_LOOP


def test_too_large_file_is_listed_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "big.txt").write_text("over the lowered limit\n")
    monkeypatch.setattr(corpus_module, "MAX_BYTES", 10)
    doc = Corpus.load(tmp_path).documents[0]
    assert doc.status == Status.TOO_LARGE and "big.txt" in doc.message
    with pytest.raises(CorpusError, match="limit"):
        read_text(doc.path)


def test_file_without_read_permission_is_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, who reads anything; the file read itself is the boundary. Listing asks
    # nothing of the file system per file; the status shows when the row is first inspected.
    (tmp_path / "secret.txt").write_text("no access")

    def refuse(path: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(corpus_module, "_read_head", refuse)
    [doc] = Corpus.load(tmp_path).documents
    assert doc.status == Status.UNREADABLE
    assert "secret.txt" in doc.message and not doc.readable


def test_unreadable_file_as_root_is_reported_on_open(tmp_path: Path) -> None:
    """Permission errors surface when the text is read, whoever runs the tests."""
    path = tmp_path / "gone.txt"
    path.write_text("text")
    corpus = Corpus.load(tmp_path)
    path.unlink()
    doc = corpus.documents[0]
    with pytest.raises(CorpusError, match=r"gone\.txt"):
        _ = doc.text
    assert doc.status == Status.UNREADABLE


def test_errors_name_the_file_and_say_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"ab\x00cd")
    with pytest.raises(CorpusError) as info:
        read_text(tmp_path / "bin.txt")
    assert "bin.txt" in str(info.value) and "offset 2" in str(info.value)


def test_listing_does_not_read_full_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(5):
        (tmp_path / f"d{n}.txt").write_text(f"Title {n}\n" + "word " * 5000)
    calls: list[Path] = []
    real = corpus_module.read_text
    monkeypatch.setattr(corpus_module, "read_text", lambda p: calls.append(p) or real(p))
    corpus = Corpus.load(tmp_path)
    assert [doc.title for doc in corpus] == [f"Title {n}" for n in range(5)]
    assert calls == []
    assert corpus.documents[0].words == 5002
    assert corpus.documents[0].words == 5002
    assert len(calls) == 1  # read once, then cached


def test_control_sequences_are_kept_in_the_model(tmp_path: Path) -> None:
    evil = "Title \x1b]52;c;ZXZpbA==\x07 and \x1b[31mred\x1b[0m\x08\rend"
    (tmp_path / "evil.txt").write_text(evil, newline="")
    doc = Corpus.load(tmp_path).documents[0]
    assert doc.text == evil.replace("\r", "\n")
    assert doc.status == Status.OK


def test_broken_corpus_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "corpus.toml").write_text("[documents\n")
    with pytest.raises(CorpusError, match=r"corpus\.toml"):
        Corpus.load(tmp_path)


def test_default_label_scheme_without_corpus_toml(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("text")
    names = list(Corpus.load(tmp_path).scheme.names)
    assert names == ["claim", "premise", "evidence", "counterclaim", "rebuttal"]


def test_files_sharing_a_name_get_distinct_ids(tmp_path: Path) -> None:
    """a.txt and a.md side by side: each keeps its own id, title and annotations."""
    (tmp_path / "a.txt").write_text("Plain text version\nbody")
    (tmp_path / "a.md").write_text("Markdown version\nbody")
    (tmp_path / "a.txt.txt").write_text("Doubled extension\nbody")  # its bare id is "a.txt"
    (tmp_path / "other.txt").write_text("Other\nbody")
    corpus = Corpus.load(tmp_path)
    ids = [doc.id for doc in corpus]
    assert len(set(ids)) == len(ids) == 4
    assert "other" in ids  # a name used once keeps its extension-free id
    first_lines = {path.name: path.read_text().split("\n")[0] for path in tmp_path.iterdir()}
    for doc_id in ids:
        doc = corpus.get(doc_id)
        assert doc is not None and doc.title == first_lines[doc.path.name]
    assert [doc.id for doc in Corpus.load(tmp_path)] == ids  # the same ids on every load


def test_annotations_on_same_named_files_stay_on_their_own_document(tmp_path: Path) -> None:
    from reader.model.annotation import annotation_from_document
    from reader.store import AnnotationStore

    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "a.txt").write_text("The plain text says one thing.\n")
    (corpus_dir / "a.md").write_text("The markdown file says another.\n")
    corpus = Corpus.load(corpus_dir)
    with AnnotationStore.open(tmp_path / "store.json") as store:
        for doc in corpus:
            store.add(annotation_from_document(doc, 4, 9, note=doc.path.name))
    reloaded = Corpus.load(corpus_dir)
    with AnnotationStore.open(tmp_path / "store.json", read_only=True) as store:
        anns = store.annotations()
    assert len(anns) == 2
    for ann in anns:
        doc = reloaded.get(ann.doc)
        assert doc is not None and doc.path.name == ann.note
        assert doc.text[ann.start : ann.end] == ann.quote
        assert doc.sha256 == ann.doc_sha256


def test_metadata_for_a_same_named_file_uses_its_full_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("text\n")
    (tmp_path / "a.md").write_text("markdown\n")
    (tmp_path / "corpus.toml").write_text('[documents."a.md"]\ntitle = "The markdown one"\n')
    corpus = Corpus.load(tmp_path)
    assert corpus.get("a.md").title == "The markdown one"  # type: ignore[union-attr]
    assert corpus.get("a.txt").title == "text"  # type: ignore[union-attr]


def test_metadata_is_inspected_once_when_threads_ask_at_the_same_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library's counting worker and the UI thread both ask for titles and statuses."""
    import threading
    import time

    for n in range(4):
        (tmp_path / f"d{n}.md").write_text(f"---\nauthor: Writer {n}\n---\nTitle {n}\nbody\n")
    (tmp_path / "bin.txt").write_bytes(b"Title\x00binary")
    reads: list[Path] = []
    real = corpus_module._read_head

    def slow_read_head(path: Path) -> bytes:
        reads.append(path)
        time.sleep(0.02)  # widen the window in which another thread asks too
        return real(path)

    monkeypatch.setattr(corpus_module, "_read_head", slow_read_head)
    corpus = Corpus.load(tmp_path)
    threads = 8
    barrier = threading.Barrier(threads)
    seen: list[list[tuple[str, str, str, int]]] = []

    def ask() -> None:
        barrier.wait()
        seen.append([(doc.title, doc.author, doc.status, doc.body_start) for doc in corpus])

    workers = [threading.Thread(target=ask) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    expected = [("bin", "", Status.BINARY, 0)]
    body = len("---\nauthor: Writer 0\n---\n")
    expected += [(f"Title {n}", f"Writer {n}", Status.OK, body) for n in range(4)]
    assert seen == [expected] * threads
    assert sorted(reads) == sorted(doc.path for doc in corpus)  # each head read once


def test_sha256_of_a_document_is_computed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library and the app ask for the hash on every repaint; a long text must not be rehashed."""
    (tmp_path / "doc.txt").write_text("Title\n" + "word " * 10_000)
    hashed: list[int] = []
    sha256 = hashlib.sha256

    def counting_sha256(data: bytes) -> hashlib._Hash:
        hashed.append(len(data))
        return sha256(data)

    monkeypatch.setattr(hashlib, "sha256", counting_sha256)
    doc = Corpus.load(tmp_path).documents[0]
    first = doc.sha256
    assert all(doc.sha256 == first for _ in range(5))
    assert doc.to_json()["sha256"] == first
    assert first == sha256(doc.text.encode()).hexdigest()
    assert len(hashed) == 1
