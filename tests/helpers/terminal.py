"""The reader as a user starts it: `python -m reader …` in a real pseudo-terminal, its screen
output drained (so it never blocks) and its speech log read."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from helpers.paths import ROOT, python_path
from helpers.speechlog import FollowedLog
from helpers.waiting import DEADLINE

DOWN, UP, RIGHT, ENTER = b"\x1b[B", b"\x1b[A", b"\x1b[C", b"\r"


def terminal_env(**extra: str) -> dict[str, str]:
    """The environment for a reader in a terminal: this test's user folders (the conftest set
    them in os.environ), null audio, a colour terminal and this checkout on the path."""
    environment = dict(os.environ)
    environment.update(
        READER_AUDIO="null", TERM="xterm-256color", PYTHONPATH=python_path(), **extra
    )
    environment.pop("READER_DEBUG", None)
    return environment


def open_pty(rows: int = 30, columns: int = 100) -> tuple[int, int]:
    """A pseudo-terminal of the given size: (master, slave)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return master, slave


def spawn_in_pty(
    command: list[str],
    env: dict[str, str],
    *,
    rows: int = 30,
    columns: int = 100,
    stdin: int | None = None,
    own_terminal: bool = False,
) -> tuple[subprocess.Popen[bytes], int]:
    """`command` in a new session on a fresh pty (its stdin too, unless `stdin` is given):
    (process, master). With `own_terminal` the pty becomes the session's controlling terminal,
    as in a terminal window, so closing the master end is the window closing."""
    master, slave = open_pty(rows, columns)

    def take_terminal() -> None:
        fcntl.ioctl(1, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        command,
        stdin=slave if stdin is None else stdin,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        preexec_fn=take_terminal if own_terminal else None,
    )
    os.close(slave)
    return proc, master


def drain(master: int, feed: Callable[[bytes], None]) -> threading.Thread:
    """A thread that reads the terminal's output as it comes and hands it to `feed`: a full
    pty buffer would block the app's writes and so the app."""

    def loop() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            feed(chunk)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


class Terminal:
    """The reader running in a pty; its screen output is drained so it never blocks."""

    def __init__(self, proc: subprocess.Popen[bytes], master: int, log: Path) -> None:
        self.proc, self.master, self.log = proc, master, log
        self.output = bytearray()
        self._followed = FollowedLog(log)
        self._reader = drain(master, self.output.extend)

    def send(self, keys: bytes) -> int:
        mark = len(self.records())
        os.write(self.master, keys)
        return mark

    def records(self) -> list[dict[str, Any]]:
        return self._followed.records()

    def starts(self, after: int = 0) -> list[dict[str, Any]]:
        return [r for r in self.records()[after:] if r["event"] == "start"]

    def wait(self, check: Callable[[], Any], timeout: float = DEADLINE) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = check()
            if value:
                return value
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        tail = bytes(self.output[-2000:]).decode("utf-8", "replace")
        raise AssertionError(f"not met; log tail {self.records()[-6:]}; screen tail {tail!r}")

    def said(self, text: str, after: int = 0) -> dict[str, Any]:
        return self.wait(
            lambda: next((r for r in self.starts(after) if r["text"].startswith(text)), None)
        )

    def reading(self, after: int = 0) -> dict[str, Any]:
        """The first sentence of the article read after `after`."""
        return self.wait(
            lambda: next((r for r in self.starts(after) if r["section"] is not None), None)
        )

    def reads(self, section: int, sentence: int, after: int = 0) -> dict[str, Any]:
        return self.wait(
            lambda: next(
                (
                    r
                    for r in self.starts(after)
                    if (r["section"], r["sentence"]) == (section, sentence)
                ),
                None,
            )
        )

    def screen(self) -> str:
        return bytes(self.output).decode("utf-8", "replace")


@contextmanager
def reader_in_pty(
    page: Path | str, log: Path, env: dict[str, str], *options: str
) -> Iterator[Terminal]:
    """`python -m reader PAGE --audio null --speech-log LOG [options]` in a 100x30 pty."""
    proc, master = spawn_in_pty(reader_command(page, log, *options), env)
    term = Terminal(proc, master, log)
    try:
        yield term
    finally:
        end(proc, master)


def reader_command(page: Path | str, log: Path, *options: str) -> list[str]:
    return [
        *(sys.executable, "-m", "reader", str(page), "--audio", "null"),
        *("--speech-log", str(log), *options),
    ]


def end(proc: subprocess.Popen[bytes], master: int) -> None:
    """Kill the process if it still runs, reap it and close the terminal."""
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    if master >= 0:
        os.close(master)


def plain_screen(output: str) -> str:
    """The terminal output without escape sequences or any white space (Textual moves the
    cursor between the words of a wrapped line)."""
    return re.sub(r"\s+", "", re.sub(r"\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|[^\[])", "", output))
