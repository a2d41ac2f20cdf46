"""Element keys, the links list and backspace in a real pseudo-terminal, as a listener meets
them: `python -m reader URL --audio null --speech-log LOG` on pages served on 127.0.0.1, keys
written as a terminal sends them (shift+1 is "!", ctrl+down is ESC [1;5B, backspace is DEL),
checked through the speech log."""

from __future__ import annotations

import fcntl
import os
import pty
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

import pytest
from conftest import returning_user

from reader.speechlog import read_log

PAGES = Path(__file__).parent / "fixtures" / "navigation"
ROOT = Path(__file__).resolve().parent.parent
UP, ENTER, CTRL_DOWN, BACKSPACE = b"\x1b[A", b"\r", b"\x1b[1;5B", b"\x7f"


class Terminal:
    """The reader in a pty; its screen output is drained so it never blocks."""

    def __init__(self, proc: subprocess.Popen[bytes], master: int, log: Path) -> None:
        self.proc, self.master, self.log = proc, master, log
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            try:
                if not os.read(self.master, 65536):
                    return
            except OSError:
                return

    def starts(self, after: int = 0) -> list[dict[str, Any]]:
        records = read_log(self.log) if self.log.exists() else []
        return [r for r in records[after:] if r["event"] == "start"]

    def send(self, keys: bytes) -> int:
        mark = len(read_log(self.log)) if self.log.exists() else 0
        os.write(self.master, keys)
        return mark

    def wait(self, check: Callable[[], Any], timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = check()
            if value:
                return value
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        said = [r["text"] for r in self.starts()][-10:]
        raise AssertionError(f"not met; last said: {said}")

    def said(self, text: str, after: int = 0) -> dict[str, Any]:
        return self.wait(
            lambda: next((r for r in self.starts(after) if r["text"].startswith(text)), None)
        )

    def reading(self, after: int = 0) -> dict[str, Any]:
        """The first sentence of the article read after `after`."""
        return self.wait(
            lambda: next((r for r in self.starts(after) if r["section"] is not None), None)
        )


@contextmanager
def reader_in_pty(source: str, tmp_path: Path) -> Iterator[Terminal]:
    returning_user(tmp_path / "config")
    env = dict(os.environ)
    env.update(
        READER_CONFIG_DIR=str(tmp_path / "config"),
        READER_DATA_DIR=str(tmp_path / "data"),
        READER_AUDIO="null",
        TERM="xterm-256color",
        PYTHONPATH=str(ROOT),
    )
    log = tmp_path / "speech.jsonl"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    command = [sys.executable, "-m", "reader", source, "--audio", "null", "--rate", "250"]
    proc = subprocess.Popen(
        [*command, "--speech-log", str(log)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    try:
        yield Terminal(proc, master, log)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        os.close(master)


@pytest.fixture
def site(httpserver) -> Callable[[str], str]:
    for page in PAGES.glob("*.html"):
        httpserver.expect_request(f"/{page.name}").respond_with_data(
            page.read_text(encoding="utf-8"), content_type="text/html; charset=utf-8"
        )
    return lambda name: httpserver.url_for(f"/{name}")


def test_element_keys_links_and_back_in_a_real_terminal(tmp_path: Path, site) -> None:
    with reader_in_pty(site("guide.html"), tmp_path) as term:
        term.reading()  # it reads by itself
        mark = term.send(b"2")
        term.said("Treatment", mark)
        term.said("heading level 2", mark)
        mark = term.send(b"!")  # shift+1, as the terminal sends it
        term.said("Living with MS: a guide", mark)
        term.said("heading level 1", mark)
        mark = term.send(CTRL_DOWN)
        paragraph = term.reading(mark)
        assert paragraph["text"].startswith(("Multiple sclerosis", "Read it from the start"))
        mark = term.send(b"3")
        term.said("Infusions", mark)
        assert term.reading(mark)["section"] == 2  # its title, then on
        mark = term.send(b"k")
        term.said("Links, 3. MS Society, 2 of 3.", mark)
        # Where reading stood when the list opened: backspace must come back there.
        heard = [r for r in term.starts() if r["section"] is not None and r["section"] == 2]
        place = (heard[-1]["section"], heard[-1]["sentence"])
        mark = term.send(UP)
        term.said("guide to infusion side effects, 1 of 3", mark)
        mark = term.send(ENTER)
        term.said("Loading guide to infusion side effects", mark)
        other = term.reading(mark)
        assert other["text"].startswith("Infusion side effects")
        mark = term.send(BACKSPACE)
        said = term.said("Back to Living with MS: a guide.", mark)
        assert "Resuming at section 3 of 7, Infusions" in said["text"]
        back = term.reading(mark)
        assert (back["section"], back["sentence"]) == place
        mark = term.send(b"q")
        term.said("Goodbye", mark)
        assert term.wait(lambda: term.proc.poll() is not None)
        assert term.proc.returncode == 0
