"""Run a terminal program on a pseudo-terminal and time it from launch to exit."""

from __future__ import annotations

import os
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
