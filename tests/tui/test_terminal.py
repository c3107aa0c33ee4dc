"""The real thing: `reader` in a real terminal (tmux), driven with real keys.

Opens the first document, moves to the first suggestion, accepts it, writes a note, saves, quits; then reads
the store through its API and checks the terminal was given back in the state it was found.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from reader.store import AnnotationStore

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

NOTE = "Labour lost four seats here"


class Tmux:
    def __init__(self, tmp_path: Path) -> None:
        self.name = f"reader-test-{uuid.uuid4().hex[:8]}"
        self.socket = str(tmp_path / "tmux.sock")

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def start(self, command: str) -> None:
        self.run(
            "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", "bash --norc --noprofile"
        )
        self.run("send-keys", "-t", self.name, command, "Enter")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.name, key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def flag(self, name: str) -> str:
        return self.run("display-message", "-p", "-t", self.name, f"#{{{name}}}").strip()

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on screen:\n{self.screen()}")

    def kill(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


def test_reading_session_in_a_real_terminal(project: Path, tmp_path: Path) -> None:
    tmux = Tmux(tmp_path)
    env = f"READER_CONFIG={shlex.quote(str(tmp_path / 'none.toml'))} TERM=xterm-256color"
    command = f"{env} {shlex.quote(sys.executable)} -m reader {shlex.quote(str(project))}; echo READER-EXITED-$?"
    try:
        tmux.start(command)
        tmux.wait_for("Lee Rowley")  # the library is painted
        assert tmux.flag("alternate_on") == "1"
        tmux.keys("Enter")
        tmux.wait_for("Under the cursor")
        tmux.keys("n")
        tmux.wait_for("y accept")
        tmux.keys("y")
        tmux.wait_for("Accepted as")
        tmux.keys("a")
        tmux.wait_for("Note (Markdown)")
        tmux.type(NOTE)
        tmux.wait_for(NOTE)
        tmux.keys("C-s")
        tmux.wait_for("Note saved")
        tmux.keys("q")
        screen = tmux.wait_for("READER-EXITED-0")
        assert "Under the cursor" not in screen  # the app's screen is gone
        assert tmux.flag("alternate_on") == "0"
        assert tmux.flag("mouse_any_flag") == "0"
        assert tmux.flag("cursor_flag") == "1"  # the cursor is visible again
    finally:
        tmux.kill()
    store_path = project / "annotations" / "store.json"
    with AnnotationStore.open(store_path, read_only=True) as store:
        annotations = store.annotations()
    assert [a.note for a in annotations] == [NOTE]
    assert annotations[0].origin == "suggestion"
