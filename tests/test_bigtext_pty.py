"""Large print in a real terminal: reading a long section at font size 4, every screen shows
whole glyph lines only -- none is cut at the bottom -- and the line being read is in view."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time

import pyte
import pytest
from helpers.paths import SEED
from helpers.terminal import DOWN, RIGHT, UP, drain, end, spawn_in_pty, terminal_env

from reader.ui.bigtext import GLYPH_HEIGHTS, line_height
from reader.ui.glyphs import QUADRANTS, SEXTANTS

COLUMNS, ROWS = 80, 30
INK = set(QUADRANTS) - {" "}
SEXTANT_INK = set(SEXTANTS) - set(QUADRANTS)  # the characters only sextants use


class Screen:
    """The reader in a pty, its output fed to a pyte terminal emulator."""

    def __init__(self, proc: subprocess.Popen[bytes], master: int) -> None:
        self.proc, self.master = proc, master
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.lock = threading.Lock()
        self.last_output = time.monotonic()
        drain(master, self.feed)

    def feed(self, chunk: bytes) -> None:
        with self.lock:
            self.stream.feed(chunk)
            self.last_output = time.monotonic()

    def settled(self, quiet: float = 0.4, timeout: float = 30.0) -> list[str]:
        """The screen once nothing has been drawn for `quiet` seconds (a whole frame)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if time.monotonic() - self.last_output >= quiet:
                    return list(self.screen.display)
            time.sleep(0.05)
        raise AssertionError("the screen never settled")

    def wait_for(self, pattern: str, timeout: float = 60.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            display = self.settled(quiet=0.2, timeout=timeout)
            if any(re.search(pattern, line) for line in display):
                return display
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} never shown; screen:\n" + "\n".join(display))


@pytest.fixture
def reader(request: pytest.FixtureRequest):
    # A slow rate: the highlight moves every ~0.6 s, so the screen falls quiet between words
    # even on a busy machine (at 400 wpm it redrew every 150 ms and never "settled").
    command = [sys.executable, "-m", "reader", str(SEED), "--audio", "null", "--rate", "100"]
    # Quadrants, as INK expects, even when the suite runs in a terminal that draws sextants.
    blocks = getattr(request, "param", "quadrants")
    env = terminal_env(READER_BLOCKS=blocks)
    proc, master = spawn_in_pty(command, env, rows=ROWS, columns=COLUMNS)
    try:
        yield Screen(proc, master)
    finally:
        end(proc, master)


def check_whole_lines(display: list[str], level: int, ink: set[str] = INK) -> int:
    """Every inked row sits where a whole line's glyph or marker rows go, and every line with
    ink fits entirely above the message line. Returns the number of lines seen."""
    pitch, height = line_height(level), GLYPH_HEIGHTS[level]
    pane_top, pane_bottom = 1, ROWS - 3  # title above; message, status, hint below
    slots = set()
    for row in range(pane_top, pane_bottom):
        text = display[row][: COLUMNS - 3]  # the scrollbar's own blocks are not letters
        if not ink & set(text):
            continue
        slot, offset = divmod(row - pane_top, pitch)
        assert 1 <= offset <= height or offset == height + 2, (
            f"row {row} is not a glyph or marker row of a whole line:\n" + "\n".join(display)
        )
        slots.add(slot)
    for slot in slots:
        last = pane_top + slot * pitch + height + 2  # the marker row: the line ends there
        assert last < pane_bottom, "a line is cut at the bottom:\n" + "\n".join(display)
    return len(slots)


def test_reading_a_long_section_at_size_4_never_cuts_a_line(reader: Screen) -> None:
    # The status line (words shortened at 80 columns) once the article is in: before that it
    # shows the font size over the loading box, and a busy machine takes seconds to load.
    reader.wait_for(r"Sec(tion)? 1/\d+ .*F(ont)? 1/5")
    os.write(reader.master, b"+++")
    reader.wait_for(r"F(ont)? 4/5")
    seen = 0
    for keys in [b""] * 3 + [RIGHT, DOWN, DOWN, UP, RIGHT, DOWN, RIGHT, RIGHT, DOWN, DOWN] * 2:
        if keys:
            os.write(reader.master, keys)
        display = reader.settled()
        seen += check_whole_lines(display, 4)
    assert seen >= 20  # the big print was on screen throughout, two lines at a time
    os.write(reader.master, b"q")
    deadline = time.monotonic() + 30
    while reader.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader.proc.returncode == 0


@pytest.mark.parametrize("reader", ["sextants"], indirect=True)
def test_sextants_reach_the_terminal_in_whole_lines(reader: Screen) -> None:
    """Characters outside the Basic Multilingual Plane go through Textual and the pty intact,
    one cell each, so the big print keeps its columns and whole lines."""
    reader.wait_for(r"Sec(tion)? 1/\d+ .*F(ont)? 1/5")
    os.write(reader.master, b"++")
    reader.wait_for(r"F(ont)? 3/5")
    display = reader.settled()
    assert any(SEXTANT_INK & set(row) for row in display), "\n".join(display)
    assert check_whole_lines(display, 3, INK | SEXTANT_INK) >= 1
    os.write(reader.master, b"q")
