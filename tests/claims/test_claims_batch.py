"""A large document's claims output shared out among processes is the single-process output."""

from __future__ import annotations

import errno
import os
import resource
import signal
import threading
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import pytest

from reader.claims import batch
from reader.claims.batch import document_jsonl, document_plain, parts, write_jsonl, write_plain
from reader.claims.render import render_plain
from reader.claims.scores import KINDS, score_document
from reader.corpus.documents import read_text, sha256_text
from reader.errors import ReaderError
from reader.text import paragraph_breaks, segment_text

CORPUS = Path(__file__).parents[2] / "corpus"

# Escape sequences, controls in the blank lines between paragraphs, a capital sigma before a break,
# a headline after one, curly quotes, wide spaces and a paragraph of blanks only.
HOSTILE = (
    "\x1b]0;title\x07We believe \x1b[31mthe figures\x1b[0m rose 40% in 2019 because of it.\n"
    " \x1c\t\n\n\u2003\n"
    "ΟΔΟΣ Σ\n\n"
    "A Headline Without A Stop\nIt is clear that “the message” matters. Therefore, I think so?\n"
    "\n\n\n   \n\n"
    "The minister said\u00a0£3bn was spent; it caused delays.\x9b2J\n\n"
    "\u202eevil\u202c — no doubt, the reality is\t 12 of 30 failed\n\n"
)


def _texts() -> list[str]:
    texts = [read_text(path).text for path in sorted(CORPUS.glob("*.txt"))]
    return ["\n\n".join(texts) + "\n\n" + HOSTILE * 3, HOSTILE * 5]


def test_parts_cut_only_at_blank_lines_and_cover_the_text() -> None:
    text = _texts()[0]
    pieces = parts(text, 7, part_chars=len(text) // 6, cores=6)
    assert len(pieces) > 3
    assert pieces[0][0] == 7 and pieces[-1][1] == len(text)
    for (_, end), (begin, _) in pairwise(pieces):
        assert end < begin and text[end:begin].count("\n") >= 2 and not text[end:begin].strip()


@pytest.mark.parametrize("cut_every", [50, 333, 2000])
def test_text_cut_at_its_paragraph_breaks_segments_as_the_whole(cut_every: int) -> None:
    text = _texts()[0]
    whole = [(s.start, s.end) for s in segment_text(text).sentences]
    pieces, begin = [], 0
    for gap_start, gap_end in paragraph_breaks(
        text, 0, list(range(cut_every, len(text), cut_every))
    ):
        pieces.append((begin, gap_start))
        begin = gap_end
    pieces.append((begin, len(text)))
    assert len(pieces) > 2
    cut = [(s.start, s.end) for a, b in pieces for s in segment_text(text[:b], a).sentences]
    assert cut == whole


def _jsonl_through(out: BinaryIO, text: str, kinds: tuple[str, ...], count: int) -> None:
    part_chars = len(text) // count
    write_jsonl(out, "doc.txt", text, 3, kinds, part_chars=part_chars, cores=count)
    out.flush()


def _piped(write: Callable[[BinaryIO], None]) -> bytes:
    """What `write` writes to a pipe, read by another thread as `reader claims | jq` would."""
    read_end, write_end = os.pipe()
    received: list[bytes] = []
    with os.fdopen(read_end, "rb") as source:
        reading = threading.Thread(target=lambda: received.append(source.read()))
        reading.start()
        with os.fdopen(write_end, "wb") as out:
            write(out)
        reading.join()
    return received[0]


@pytest.mark.parametrize("kinds", [KINDS, ("claim",), ("factual",)])
def test_jsonl_of_a_document_in_parts_is_the_single_process_output(
    kinds: tuple[str, ...], tmp_path: Path
) -> None:
    for text in _texts():
        record = score_document(text, 3).to_json("doc.txt")
        if kinds != KINDS:
            for sentence in record["sentences"]:
                sentence["labels"] = [label for label in sentence["labels"] if label in kinds]
        expected = orjson.dumps(record) + b"\n"
        assert record["sha256"] == sha256_text(text)
        assert document_jsonl("doc.txt", text, 3, kinds, part_chars=1) == expected
        for count in (5, 60):
            # Into a file and into a pipe, each part written by the process that scored it.
            path = tmp_path / f"{count}.jsonl"
            with path.open("wb") as out:
                _jsonl_through(out, text, kinds, count)
            assert path.read_bytes() == expected
            assert _piped(lambda out, t=text, c=count: _jsonl_through(out, t, kinds, c)) == expected


@pytest.mark.parametrize("kinds", [KINDS, ("factual",)])
def test_plain_view_of_a_document_in_parts_is_the_single_process_output(
    kinds: tuple[str, ...], tmp_path: Path
) -> None:
    for text in _texts():
        expected = render_plain(score_document(text, 3), kinds, 3)
        assert document_plain(text, 3, kinds, part_chars=1) == expected
        for count in (5, 60):
            path = tmp_path / f"{count}.txt"
            with path.open("w", encoding="utf-8") as out:
                out.write("before ")  # in the stream's buffer when the parts are written
                write_plain(out, text, 3, kinds, part_chars=len(text) // count, cores=count)
                out.write(" after")
            assert path.read_text(encoding="utf-8") == f"before {expected} after"


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The processes forked from here on (the list fills as they are)."""
    pids: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)
    return pids


def _ended(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_part_whose_process_fails_is_done_again_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = os.getpid()
    scores = batch.score_with

    def fails_when_forked(*args: Any) -> Any:
        if os.getpid() != here:
            raise MemoryError
        return scores(*args)

    monkeypatch.setattr(batch, "score_with", fails_when_forked)
    pids = _forks(monkeypatch)
    written, expected = _in_five_parts(tmp_path)
    assert len(pids) == 5  # one per part, this process only hands out the turns
    assert written == expected
    assert all(_ended(pid) for pid in pids)


def test_an_output_that_cannot_be_written_raises_and_leaves_no_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _texts()[0]
    pids = _forks(monkeypatch)
    with pytest.raises(OSError) as raised, open("/dev/full", "wb") as out:
        _jsonl_through(out, text, KINDS, 5)
    assert raised.value.errno == errno.ENOSPC
    assert pids and all(_ended(pid) for pid in pids)


def test_a_forked_process_that_cannot_write_its_part_raises_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = os.getpid()

    def work(a: int, b: int) -> bytes:
        if os.getpid() != here:  # a forked process may write no more than 100 bytes
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
        return b"x" * 10_000

    pids = _forks(monkeypatch)
    path = tmp_path / "out"
    with path.open("wb") as out, pytest.raises(OSError) as raised:
        batch._write_shared(out, [(0, 1), (2, 3)], work)
    assert raised.value.errno == errno.EFBIG
    assert len(pids) == 2 and all(_ended(pid) for pid in pids)
    assert path.stat().st_size == 100  # what the first part's process could write


def _in_five_parts(tmp_path: Path) -> tuple[bytes, bytes]:
    """The jsonl of a text written in five parts into a file, and as one process writes it."""
    text = _texts()[0]
    path = tmp_path / "out.jsonl"
    with path.open("wb") as out:
        _jsonl_through(out, text, KINDS, 5)
    return path.read_bytes(), document_jsonl("doc.txt", text, 3, KINDS, part_chars=1)


def test_a_part_whose_process_dies_waiting_for_its_turn_is_done_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dies_waiting(*args: Any) -> None:
        os.write(args[-1], batch._DATA)  # the status pipe: it has rows, then it is gone
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(batch, "_child", dies_waiting)
    pids = _forks(monkeypatch)
    written, expected = _in_five_parts(tmp_path)
    assert written == expected
    assert len(pids) == 5 and all(_ended(pid) for pid in pids)


def test_a_part_whose_process_dies_writing_is_reported_not_taken_for_a_disk_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dies_writing(work: Any, fd: int, joint: bytes, turn: int, status: int) -> None:
        os.write(status, batch._DATA)
        os.read(turn, 1)
        os.write(status, batch._WRITING)
        os.write(fd, b"half a row")
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(batch, "_child", dies_writing)
    pids = _forks(monkeypatch)
    with pytest.raises(ReaderError) as raised:
        _in_five_parts(tmp_path)
    assert "killed by signal 9" in str(raised.value) and "incomplete" in str(raised.value)
    assert all(_ended(pid) for pid in pids)


def test_without_pipes_to_spare_the_parts_are_done_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pipes() -> tuple[int, int]:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))

    monkeypatch.setattr(os, "pipe", no_pipes)
    pids = _forks(monkeypatch)
    written, expected = _in_five_parts(tmp_path)
    assert written == expected and pids == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_view_in_an_encoding_with_a_byte_order_mark_has_one(
    encoding: str, tmp_path: Path
) -> None:
    text = _texts()[0]
    expected = render_plain(score_document(text, 3), KINDS, 3)
    path = tmp_path / "view.txt"
    with path.open("w", encoding=encoding) as out:
        write_plain(out, text, 3, KINDS, part_chars=len(text) // 5, cores=5)
    assert path.read_text(encoding=encoding) == expected  # a second mark would be read as text
