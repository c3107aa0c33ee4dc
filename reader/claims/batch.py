"""`reader claims` output for one document, a large one shared out among processes.

Scoring and reasons are pure Python work per sentence, so one process runs at the speed of one
core. Sentences never reach across a blank line (segmentation, the document scan and the blanking of
escape sequences all stop at one), so a large text is cut at blank lines into parts of about equal
size, one per available core; each part is scored in a forked process, exactly as the whole would
be, and each process writes its part's output straight to the output's file descriptor when its
turn comes. The output is byte for byte the single-process output (tests hold the two alike).

Each process writes its own part because the output is five times the text: passed back to this
process through a pipe or a file, 20 MB took a tenth of a second to copy, a tenth of the whole run.

Without `os.fork` (Windows), or with one core, or for a text under PART_CHARS characters, or for an
output with no file descriptor (a test's buffer), everything runs in this process.
"""

from __future__ import annotations

import codecs
import io
import os
import signal
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import IO, Any, TextIO

import orjson

from reader.claims.scores import KINDS, default_lexicon, score_with
from reader.collector import collector_paused
from reader.descriptors import write_all
from reader.errors import ReaderError
from reader.text import display_safe, paragraph_breaks

PART_CHARS = 1_000_000  # below this a part costs more to fork and join than it saves
# What a forked process scored: it exits without freeing it (os._exit), which spares it the time
# of taking some hundred thousand objects apart one by one.
_kept: list[object] = []
# What a forked process tells this one through its status pipe.
_DATA, _EMPTY, _FAILED, _WRITING, _WRITTEN, _WRITE_ERROR = b"d", b"e", b"f", b"w", b"k", b"x"
# What this one answers when the part's turn comes: write it after a joint, or without one.
_JOINED, _ALONE = b",", b"."
Output = bytes | memoryview  # a part's output
# Encodings that encode a text in parts as they encode it whole: no byte-order mark, no state.
_PART_BY_PART = frozenset({"utf-8", "ascii", "iso8859-1", "iso8859-15", "cp1252"})


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def parts(
    text: str, start: int, part_chars: int = PART_CHARS, cores: int | None = None
) -> list[tuple[int, int]]:
    """(start, end) of each part of `text[start:]`: cut at blank lines near equal sizes, one part
    per core (`cores`, or those this process may use) at most and none much under `part_chars`.
    One part where processes cannot fork."""
    count = min(cores or _cores(), (len(text) - start) // max(part_chars, 1))
    if count < 2 or not hasattr(os, "fork"):
        return [(start, len(text))]
    size = (len(text) - start) / count
    targets = [start + round(size * k) for k in range(1, count)]
    pieces, begin = [], start
    for gap_start, gap_end in paragraph_breaks(text, start, targets):
        pieces.append((begin, gap_start))
        begin = gap_end
    pieces.append((begin, len(text)))
    return pieces


def _child(work: Callable[[], Output], fd: int, joint: bytes, turn: int, status: int) -> None:
    """A forked process's work: score its part, say whether it has output, wait for its turn,
    say it starts writing, write the output (after `joint` if asked) straight to `fd`, say how
    that went."""
    _kept.append(None)  # a part scored from here on is kept, not freed
    try:
        data = work()
    except BaseException:  # the parent does the part again and reports the error
        os.write(status, _FAILED)
        return
    os.write(status, _DATA if data else _EMPTY)
    if not data:
        return
    answer = os.read(turn, 1)  # nothing: the parent has given up on the output
    if answer not in (_JOINED, _ALONE):
        return
    os.write(status, _WRITING)
    try:
        if answer == _JOINED:
            write_all(fd, joint)
        write_all(fd, data)
    except OSError as exc:
        os.write(status, _WRITE_ERROR + str(exc.errno or 0).encode())
    else:
        os.write(status, _WRITTEN)


class _Part:
    """One part at work in a forked process, which writes it to the output when given its turn.
    Without an output descriptor `fd` to share, where no process can be forked (too many, too
    little memory, no descriptors left), or when the process ends before writing anything, the
    part is done here."""

    def __init__(self, work: Callable[[], Output], fd: int | None, joint: bytes) -> None:
        self._work = work
        self._pid = -1
        self._pipes: list[int] = []
        if fd is None:
            return
        try:
            turn, self._turn = self._pipe()
            self._status, status = self._pipe()
            # Ctrl-C held back while forking: delivered in the child, it would run this
            # process's clean-up there, and in this one, it would leave a child unaccounted for.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                self._pid = os.fork()
            finally:
                if self._pid != 0:
                    signal.pthread_sigmask(signal.SIG_SETMASK, held)
        except OSError:
            self.close()
            return
        if self._pid == 0:  # the child: never returns, never flushes this process's buffers
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                for end in (self._turn, self._status):
                    os.close(end)
                _child(work, fd, joint, turn, status)
            finally:  # nor frees what it scored
                os._exit(0)
        for end in (turn, status):
            os.close(end)
            self._pipes.remove(end)

    def _pipe(self) -> tuple[int, int]:
        ends = os.pipe()
        self._pipes.extend(ends)
        return ends

    def _status_byte(self) -> bytes:
        return os.read(self._status, 1) if self._pid > 0 else b""

    def write(self, out: IO[bytes], joined: bool, joint: bytes) -> bool:
        """Write the part's output to `out`, after `joint` if `joined` and it has any: whether it
        had any. A part whose process failed or ended before writing is done again here, where an
        error is raised as the single-process run would raise it."""
        status = self._status_byte()  # nothing if there is no process or it ended
        if status == _EMPTY:
            return False
        if status == _DATA:
            out.flush()  # what comes before it, out of this process's buffer first
            with suppress(BrokenPipeError):  # the process ended while waiting for its turn
                os.write(self._turn, _JOINED if joined else _ALONE)
            if self._status_byte() == _WRITING:
                status = os.read(self._status, 32)
                if status == _WRITTEN:
                    return True
                if status[:1] == _WRITE_ERROR and status[1:].isdigit() and int(status[1:]):
                    code = int(status[1:])
                    raise OSError(code, os.strerror(code))
                raise ReaderError(
                    f"the process writing part of the output ended ({self._ended()}); "
                    "the output is incomplete: run the command again"
                )
        data = self._work()
        if data:
            out.write(joint + data if joined else data)
        return bool(data)

    def _ended(self) -> str:
        """How the part's process ended (it has, or is about to)."""
        _, code = os.waitpid(self._pid, 0)
        self._pid = -1
        if os.WIFSIGNALED(code):
            return f"killed by signal {os.WTERMSIG(code)}"
        return f"exit status {os.waitstatus_to_exitcode(code)}"

    def close(self) -> None:
        """End the process and wait for it: it has written what it had to, or its output is no
        longer wanted (an error was raised) and it need not score on."""
        for end in self._pipes:
            os.close(end)
        self._pipes = []
        if self._pid > 0:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = -1


def _fileno(out: IO[bytes]) -> int | None:
    try:
        return out.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):  # a buffer in memory, a closed file
        return None


def _write_shared(
    out: IO[bytes],
    pieces: list[tuple[int, int]],
    work: Callable[[int, int], Output],
    joint: bytes = b"",
    gap: Callable[[int], bytes] = lambda _: b"",
    head: Callable[[], bytes] = lambda: b"",
) -> None:
    """Write `head()`, then `work(start, end)` of every piece to `out` in order, `gap(k)` before
    the k-th piece but the first and `joint` between two pieces with output.

    Shared out, every piece is done in a forked process and this one only hands out the turns: it
    then never holds a part's objects, which take a part's process no time to drop (it exits
    without freeing them) but would take this one a twentieth of its part's time to free."""
    fd = _fileno(out) if len(pieces) > 1 else None
    if fd is not None:
        default_lexicon()  # built once, before forking, for every process to share
        from reader.claims.scan import scanner

        scanner(default_lexicon())
    shared: list[_Part] = []
    try:
        for a, b in pieces:
            shared.append(_Part(partial(work, a, b), fd, joint))
        out.write(head())  # while the parts are at work
        written = False
        for k, part in enumerate(shared):
            if k:
                out.write(gap(k))
            written = part.write(out, written, joint) or written
    finally:
        for part in shared:
            part.close()


def _sentences(text: str, start: int, end: int, kinds: tuple[str, ...]) -> Any:
    """The jsonl record's sentences of `text[start:end]` (end at a blank line or the text's end).

    Called with the collector paused: between scoring and the rows it would otherwise look through
    every object the scores hold (a few million for 8 MB), none of them in a reference cycle."""
    # The rows have no use for the text's hash: "" spares hashing megabytes for nothing.
    scores = score_with(default_lexicon(), text if end == len(text) else text[:end], start, "")
    sentences = scores.to_json("")["sentences"]
    if _kept:
        _kept.append((scores, sentences))
    if kinds != KINDS:
        for sentence in sentences:
            sentence["labels"] = [label for label in sentence["labels"] if label in kinds]
    return sentences


def write_jsonl(
    out: IO[bytes],
    path: str,
    text: str,
    start: int,
    kinds: tuple[str, ...],
    part_chars: int = PART_CHARS,
    cores: int | None = None,
) -> None:
    """Write the jsonl line of one document (its record and a newline) to `out`, as
    `DocumentScores.to_json` gives it with only `kinds` among the labels."""
    from reader.corpus.documents import sha256_text

    def rows(a: int, b: int) -> memoryview:
        with collector_paused():  # without [ ]: a view, not a copy of megabytes
            return memoryview(orjson.dumps(_sentences(text, a, b, kinds)))[1:-1]

    def head() -> bytes:
        record = {"path": path, "sha256": sha256_text(text)}
        return orjson.dumps(record)[:-1] + b',"sentences":['

    # A part of blank lines only has no sentences, hence a joint only between two with rows.
    _write_shared(out, parts(text, start, part_chars, cores), rows, joint=b",", head=head)
    out.write(b"]}\n")


def document_jsonl(
    path: str,
    text: str,
    start: int,
    kinds: tuple[str, ...],
    part_chars: int = PART_CHARS,
    cores: int | None = None,
) -> bytes:
    """`write_jsonl`'s line as bytes (in this process: a buffer has no file descriptor)."""
    out = io.BytesIO()
    write_jsonl(out, path, text, start, kinds, part_chars, cores)
    return out.getvalue()


def write_plain(
    out: TextIO,
    text: str,
    start: int,
    kinds: tuple[str, ...],
    part_chars: int = PART_CHARS,
    cores: int | None = None,
) -> None:
    """Write `render_plain` of one document (the claims view without styles) to `out`. Shared
    out, the parts are encoded as `out` encodes and written through its binary buffer: only for
    an encoding that encodes each part as it would the whole (not one that starts with a
    byte-order mark) and where nothing translates line ends (nowhere that can fork)."""
    from reader.claims.render import render_plain

    def view(a: int, b: int) -> str:
        part = text if b == len(text) else text[:b]
        with collector_paused():  # not once between scoring and the view: see `_sentences`
            # The view has no use for the text's hash: "" spares hashing megabytes for nothing.
            scores = score_with(default_lexicon(), part, a, "")
            if _kept:
                _kept.append(scores)
            return render_plain(scores, kinds, a)

    pieces = parts(text, start, part_chars, cores)
    encoding, errors = out.encoding, out.errors or "strict"
    if len(pieces) == 1 or codecs.lookup(encoding).name not in _PART_BY_PART:
        out.write(view(start, len(text)))
        return

    def gap(k: int) -> bytes:  # the blank lines between two parts
        return display_safe(text[pieces[k - 1][1] : pieces[k][0]]).encode(encoding, errors)

    out.flush()
    _write_shared(out.buffer, pieces, lambda a, b: view(a, b).encode(encoding, errors), gap=gap)


def document_plain(
    text: str,
    start: int,
    kinds: tuple[str, ...],
    part_chars: int = PART_CHARS,
    cores: int | None = None,
) -> str:
    """`write_plain`'s view as a string (in this process: a buffer has no file descriptor)."""
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8")
    write_plain(out, text, start, kinds, part_chars, cores)
    view = buffer.getvalue().decode("utf-8")
    out.detach()  # the buffer is not closed with `out`
    return view
