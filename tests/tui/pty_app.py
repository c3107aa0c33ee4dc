"""Drive `python -m reader` on a real pseudo-terminal: send keys, wait for text, keep every byte the app
writes, so a test can look for escape sequences that should never reach a terminal."""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ESCAPE_DELAY = 0.3  # a lone ESC is a key only once no sequence follows it


class PtyApp:
    def __init__(self, args: Sequence[str], env: dict[str, str], cols: int = 120, rows: int = 40):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", **env}
        full_env.pop("COLUMNS", None)
        full_env.pop("LINES", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reader", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=Path(__file__).resolve().parents[2],
            start_new_session=True,
        )
        os.close(slave)
        self._output = bytearray()
        self._lock = threading.Lock()
        self._mark = 0  # wait_for looks for text written after this point
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        try:
            while chunk := os.read(self.master, 65536):
                with self._lock:
                    self._output += chunk
        except OSError:  # the app exited and the pty closed
            pass

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._output)

    def send(self, keys: str) -> None:
        """Type `keys`; a lone escape is given time to be read as the escape key."""
        with self._lock:
            self._mark = len(self._output)
        os.write(self.master, keys.encode())
        if keys == "\x1b":
            time.sleep(ESCAPE_DELAY)

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        """Until the app has drawn `text` (since the last key sent) and then stopped drawing: a
        screen is drawn before it takes keys, and a key sent while it is still being set up goes
        to the screen under it."""
        wanted = text.encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = wanted in self._output[self._mark :]
            if found:
                self._settle(deadline)
                return
            time.sleep(0.05)
        tail = self.output[-3000:].decode("utf-8", "replace")
        raise AssertionError(f"{text!r} never appeared; the app wrote last:\n{tail!r}")

    def _settle(self, deadline: float, quiet: float = 0.3) -> None:
        """Until nothing new has been written for `quiet` seconds (or the deadline)."""
        seen, since = len(self.output), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < quiet:
            time.sleep(0.05)
            if (now := len(self.output)) != seen:
                seen, since = now, time.monotonic()

    def open_first_document(self, moves: int = 0) -> None:
        """From the library: the first document opened, its cursor `moves` sentences on."""
        self.wait_for("sorted by")
        self.send("\r")
        self.wait_for("Under the cursor")
        if moves:
            self.send("j" * moves)
            self.wait_for(f"sentence {moves + 1}/")

    def kill_once(self, kept: Callable[[], bool], timeout: float = 30) -> None:
        """`kill -9` (no chance to save on the way out), once `kept()` says the store holds what
        the app keeps while it runs, or after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not kept():
            time.sleep(0.2)
        os.killpg(self.proc.pid, signal.SIGKILL)

    def close(self) -> int:
        """Wait for the app to exit (after its quit key), killing it if it does not."""
        try:
            code = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._reader.join(timeout=5)
        os.close(self.master)
        return code
