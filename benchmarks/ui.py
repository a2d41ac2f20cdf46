"""UI numbers, measured on the real app in a pseudo-terminal with the null audio backend.

- cold start: `python -m reader PAGE --audio null --speech-log LOG` started -> the first word
  event in the log (the first word's audio reached the device). Target: <= 1.0 s median.
- key -> announcement: a key written to the terminal -> the start event of what it says (its
  first audio reached the device). Target: <= 150 ms p95.

Run: .venv/bin/python benchmarks/ui.py [--runs 7] [--presses 40] [--page FILE]
"""

from __future__ import annotations

import argparse
import fcntl
import json
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
PAGE = ROOT / "tests" / "fixtures" / "seed_like.html"
POLL = 0.002
# key -> what its announcement starts with (reading keys are answered by reading itself)
KEYS = [
    (b"]", "Rate "),
    (b"[", "Rate "),
    (b"w", "Section "),
    (b"n", "Section "),
    (b"p", "Section "),
    (b"+", "Font size "),
    (b"-", "Font size "),
    (b"V", "Volume "),
    (b"v", "Volume "),
]


class Reader:
    def __init__(self, page: Path, workdir: Path) -> None:
        self.log = workdir / f"log-{time.monotonic_ns()}.jsonl"
        env = dict(os.environ)
        env.update(
            READER_CONFIG_DIR=str(workdir / "config"),
            READER_DATA_DIR=str(workdir / f"data-{time.monotonic_ns()}"),  # no resume
            READER_AUDIO="null",
            TERM="xterm-256color",
            PYTHONPATH=str(ROOT),
        )
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.started = time.monotonic()
        command = [sys.executable, "-m", "reader", str(page), "--audio", "null"]
        self.proc = subprocess.Popen(
            [*command, "--speech-log", str(self.log)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self._offset = 0
        self._buffer = ""
        self.records: list[dict] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            try:
                if not os.read(self.master, 65536):
                    return
            except OSError:
                return

    def poll(self) -> list[dict]:
        """New complete log records since the last poll."""
        try:
            with self.log.open(encoding="utf-8") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
                self._offset = handle.tell()
        except FileNotFoundError:
            return []
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split("\n")
        new = [json.loads(line) for line in lines if line.strip()]
        self.records.extend(new)
        return new

    def wait_for(self, match, timeout: float = 20.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for record in self.poll():
                if match(record):
                    return time.monotonic()
            time.sleep(POLL)
        raise TimeoutError("the reader did not say it in time")

    def quit(self) -> None:
        try:
            os.write(self.master, b"q")
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def cold_start(page: Path, runs: int, workdir: Path) -> list[float]:
    times = []
    for _ in range(runs):
        reader = Reader(page, workdir)
        try:
            when = reader.wait_for(lambda r: r["event"] == "word")
            times.append(when - reader.started)
        finally:
            reader.quit()
    return times


def key_latency(page: Path, presses: int, workdir: Path) -> list[float]:
    reader = Reader(page, workdir)
    times = []
    try:
        reader.wait_for(lambda r: r["event"] == "word")
        for i in range(presses):
            key, prefix = KEYS[i % len(KEYS)]
            time.sleep(0.3)  # let the previous announcement play a little
            reader.poll()
            sent = time.monotonic()
            os.write(reader.master, key)
            when = reader.wait_for(
                lambda r, p=prefix: r["event"] == "start" and r["text"].startswith(p)
            )
            times.append(when - sent)
    finally:
        reader.quit()
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=45)
    parser.add_argument("--page", type=Path, default=PAGE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        starts = cold_start(args.page, args.runs, workdir)
        keys = key_latency(args.page, args.presses, workdir)
    rows = [
        ("cold start -> first word", starts, statistics.median(starts), "median", 1.0),
        ("key -> announcement audio", keys, p95(keys), "p95", 0.150),
    ]
    print(f"{'measure':28} {'n':>3} {'median':>9} {'p95':>9} {'target':>12}  ok")
    for name, values, value, kind, target in rows:
        ok = "yes" if value <= target else "NO"
        goal = f"{kind} <= {int(target * 1000)}ms"
        print(
            f"{name:28} {len(values):>3} {statistics.median(values) * 1000:>7.0f}ms"
            f" {p95(values) * 1000:>7.0f}ms {goal:>12}  {ok}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
