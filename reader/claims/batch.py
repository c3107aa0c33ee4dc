"""`reader claims` output for one document, a large one shared out among processes.

Scoring and reasons are pure Python work per sentence, so one process runs at the speed of one
core. Sentences never reach across a blank line (segmentation, the document scan and the blanking of
escape sequences all stop at one), so a large text is cut at blank lines into parts of about equal
size, one per available core; each part is scored in a forked process, exactly as the whole would
be, and the parts' output is joined in order. The joined output is byte for byte the single-process
output (tests hold the two alike). Without `os.fork` (Windows), or with one core, or for a text
under PART_CHARS characters, everything runs in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import orjson

from reader.claims.scores import KINDS, default_lexicon, score_with
from reader.collector import collector_paused
from reader.text import display_safe, paragraph_breaks

PART_CHARS = 1_000_000  # below this a part costs more to fork and join than it saves
# What a forked process scored: it exits without freeing it (os._exit), which spares it the time
# of taking some hundred thousand objects apart one by one.
_kept: list[object] = []


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


def _forked(work: Callable[[], bytes]) -> Callable[[], bytes | None]:
    """Run `work` in a forked process; the returned call waits for its bytes (None if it failed,
    and the caller does the work itself: an error is then raised where it is reported)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never flushes the parent's buffers
        code = 1
        try:
            os.close(read_end)
            _kept.append(None)  # a part scored from here on is kept, not freed
            data = work()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:  # the parent does the part again and reports it
            pass
        finally:
            os._exit(code)
    os.close(write_end)

    def result() -> bytes | None:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        return data if os.waitstatus_to_exitcode(status) == 0 else None

    return result


def _shared(pieces: list[tuple[int, int]], work: Callable[[int, int], bytes]) -> Iterator[bytes]:
    """`work(start, end)` of every piece in order, all but the first in forked processes: the first
    is given while the others are still at work, for the caller to write out meanwhile."""
    default_lexicon()  # built once, before forking, for every process to share
    from reader.claims.scan import scanner

    scanner(default_lexicon())
    waits = [_forked(partial(work, a, b)) for a, b in pieces[1:]]
    yield work(*pieces[0])
    for (a, b), wait in zip(pieces[1:], waits, strict=True):
        data = wait()
        yield work(a, b) if data is None else data


def _sentences(text: str, start: int, end: int, sha256: str, kinds: tuple[str, ...]) -> Any:
    """The jsonl record's sentences of `text[start:end]` (end at a blank line or the text's end).

    Called with the collector paused: between scoring and the rows it would otherwise look through
    every object the scores hold (a few million for 8 MB), none of them in a reference cycle."""
    scores = score_with(default_lexicon(), text if end == len(text) else text[:end], start, sha256)
    sentences = scores.to_json("")["sentences"]
    if _kept:
        _kept.append((scores, sentences))
    if kinds != KINDS:
        for sentence in sentences:
            sentence["labels"] = [label for label in sentence["labels"] if label in kinds]
    return sentences


def jsonl_pieces(
    path: str,
    text: str,
    start: int,
    kinds: tuple[str, ...],
    part_chars: int = PART_CHARS,
    cores: int | None = None,
) -> Iterator[bytes]:
    """The jsonl line of one document (its record and a newline), as `DocumentScores.to_json`
    gives it with only `kinds` among the labels, in pieces to write one after the other."""
    from reader.corpus.documents import sha256_text

    sha256 = sha256_text(text)
    pieces = parts(text, start, part_chars, cores)
    if len(pieces) == 1:
        with collector_paused():
            sentences = _sentences(text, start, len(text), sha256, kinds)
            line = orjson.dumps({"path": path, "sha256": sha256, "sentences": sentences})
        yield line + b"\n"
        return

    def work(a: int, b: int) -> bytes:
        with collector_paused():
            return orjson.dumps(_sentences(text, a, b, sha256, kinds))[1:-1]  # without [ ]

    yield orjson.dumps({"path": path, "sha256": sha256})[:-1] + b',"sentences":['
    first = True
    for part in _shared(pieces, work):
        if part:  # a part of blank lines only has no sentences
            if not first:
                yield b","
            first = False
            yield part
    yield b"]}\n"


def document_jsonl(
    path: str,
    text: str,
    start: int,
    kinds: tuple[str, ...],
    part_chars: int = PART_CHARS,
    cores: int | None = None,
) -> bytes:
    """`jsonl_pieces` as one line."""
    return b"".join(jsonl_pieces(path, text, start, kinds, part_chars, cores))


def plain_pieces(
    text: str,
    start: int,
    kinds: tuple[str, ...],
    part_chars: int = PART_CHARS,
    cores: int | None = None,
) -> Iterator[str]:
    """`render_plain` of one document (the claims view without styles), in pieces to write one
    after the other."""
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
    if len(pieces) == 1:
        yield view(start, len(text))
        return
    done = _shared(pieces, lambda a, b: view(a, b).encode("utf-8", "surrogatepass"))
    yield next(done).decode("utf-8", "surrogatepass")
    for (_, end), (begin, _), part in zip(pieces, pieces[1:], done, strict=False):
        yield display_safe(text[end:begin])  # the blank lines between the parts
        yield part.decode("utf-8", "surrogatepass")


def document_plain(
    text: str,
    start: int,
    kinds: tuple[str, ...],
    part_chars: int = PART_CHARS,
    cores: int | None = None,
) -> str:
    """`plain_pieces` as one string."""
    return "".join(plain_pieces(text, start, kinds, part_chars, cores))
