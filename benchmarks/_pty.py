"""Run a terminal program on a pseudo-terminal and time it from launch to exit."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from collections.abc import Sequence


def time_in_pty(argv: Sequence[str], env: dict[str, str], cols: int = 120, rows: int = 40) -> float:
    """Seconds from spawn to exit of `argv` running on a fresh pty of the given size."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
    full_env.update(env)

    def drain() -> None:
        # The program blocks once the pty buffer is full; keep reading until it closes.
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env)
    code = proc.wait(timeout=120)
    elapsed = time.perf_counter() - start
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    if code != 0:
        raise RuntimeError(f"{argv} exited with {code}")
    return elapsed


_ESCAPES = re.compile(rb"\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def time_until_text(
    argv: Sequence[str],
    env: dict[str, str],
    text: str,
    cols: int = 120,
    rows: int = 40,
    timeout: float = 60.0,
) -> float:
    """Seconds from spawn until `text` has been written to the pty (what a terminal would show),
    escape sequences left out; the program is then killed. Raises if it never appears."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
    full_env.update(env)
    wanted = text.encode()
    seen = threading.Event()
    found_at: list[float] = []

    def watch() -> None:
        output = bytearray()
        try:
            while chunk := os.read(master, 65536):
                output += chunk
                if not seen.is_set() and wanted in _ESCAPES.sub(b"", bytes(output)):
                    found_at.append(time.perf_counter())
                    seen.set()
        except OSError:
            pass
        seen.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True
    )
    seen.wait(timeout)
    proc.kill()
    proc.wait()
    os.close(slave)
    watcher.join(timeout=5)
    os.close(master)
    if not found_at:
        raise RuntimeError(f"{argv}: {text!r} never appeared")
    return found_at[0] - start
