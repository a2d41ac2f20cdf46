"""Hang-up: how long the reader and its speech worker live on after their terminal closes.

    .venv/bin/python benchmarks/hangup.py [--runs 5]

Each run starts `python -m reader PAGE --audio null` in its own pseudo-terminal (as its
controlling terminal), waits until the speech worker is up and reading has begun, then closes
the terminal and times until no process of the family is left. Pages: the sample-like article
and one whose heading is 100 KB (it used to keep the event loop busy for a minute). Baseline,
measured in the same run: pressing q (the reader's own way out) until the same family is gone.
Target (issue 9): every process gone within 1 s of the hang-up.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed_like.html"


def busy_page(folder: Path) -> Path:
    words = " ".join(f"word{n}" for n in range(15_000))
    page = folder / "busy.html"
    page.write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>Busy</title></head><body><article>"
        f"<h1>{words}</h1><p>A short paragraph follows the heading.</p>"
        f"<p>And a second one.</p></article></body></html>"
    )
    return page


def family(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [pid, *map(int, out.split())]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def one_run(page: Path, folder: Path, how: str) -> float:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = dict(
        os.environ,
        READER_AUDIO="null",
        TERM="xterm-256color",
        READER_CONFIG_DIR=str(folder / "config"),
        READER_DATA_DIR=str(folder / "data"),
    )
    (folder / "config").mkdir(exist_ok=True)
    (folder / "config" / "settings.toml").touch()  # not a first run: no welcome
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", str(page), "--audio", "null"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(slave)
    threading.Thread(target=_drain, args=(master,), daemon=True).start()
    deadline = time.monotonic() + 60
    while len(family(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # reading has begun
    members = family(proc.pid)
    started = time.monotonic()
    if how == "hang-up":
        os.close(master)
        print(f"closed {time.time():.3f}", members)
    else:
        os.write(master, b"q")
    while any(alive(pid) for pid in members) and time.monotonic() - started < 120:
        proc.poll()
        time.sleep(0.01)
    took = time.monotonic() - started
    print("gone", f"{time.time():.3f}")
    proc.poll()
    if how != "hang-up":
        os.close(master)
    return took


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root)
        for name, page in (("article", SEED), ("100 KB heading", busy_page(folder))):
            for how in ("q (baseline)", "hang-up"):
                times = [one_run(page, folder, how) for _ in range(args.runs)]
                worst = max(times)
                verdict = (
                    ""
                    if how != "hang-up"
                    else f"; target <= 1 s: {'met' if worst <= 1 else 'MISSED'}"
                )
                print(
                    f"{name:15} {how:13} median {statistics.median(times):.2f} s, "
                    f"worst {worst:.2f} s{verdict}"
                )


if __name__ == "__main__":
    main()
