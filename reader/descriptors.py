"""Writing to a file descriptor: what the store's journal and the forked parts of `reader claims`
both need, without the buffering of a Python file object between them and the kernel."""

from __future__ import annotations

import os


def write_all(fd: int, data: bytes | memoryview) -> None:
    """Write all of `data` to `fd`: a write may take only part of it (a pipe, a signal)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
