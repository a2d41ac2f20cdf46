"""UI numbers, measured on the real app in a pseudo-terminal with the null audio backend.

- cold start: `python -m reader PAGE --audio null --speech-log LOG` started -> the first word
  event in the log (the first word's audio reached the device). Target: <= 1.0 s median.
- key -> announcement: a key written to the terminal -> the start event of what it says (its
  first audio reached the device). Target: <= 150 ms p95.
- element jump -> first audio of the target (issue 12): 1-6 and shift, l / L, ctrl+down / up
  on a page with headings, lists and paragraphs (tests/fixtures/navigation/guide.html): the
  key -> the first start event after it (the heading's title, the list's "List, 5 items",
  the paragraph, or "No next …"). Target: <= 150 ms p95. Baseline, in the same reader and
  run, interleaved: n / p (next / previous section), measured the same way.
- "where am I", its first sentence ("42 percent, 6 minutes left.") as eSpeak says it at 175
  words a minute, over a spread of places and times: the longest. Target: <= 3 s of audio.

Run: .venv/bin/python benchmarks/ui.py [--runs 7] [--presses 40] [--page FILE]
     .venv/bin/python benchmarks/ui.py --only elements   (the element and where-am-I rows)
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
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
GUIDE = ROOT / "tests" / "fixtures" / "navigation" / "guide.html"
POLL = 0.002
# key -> a pattern its announcement starts with (reading keys are answered by reading itself)
KEYS = [
    (b"]", "Rate "),
    (b"[", "Rate "),
    (b"w", r"\d+ percent, "),
    (b"n", "Section "),
    (b"p", "Section "),
    (b"+", "Font size "),
    (b"-", "Font size "),
    (b"V", "Volume "),
    (b"v", "Volume "),
]


# element keys (as a terminal sends them), with the baseline's section keys between them
ELEMENT_KEYS = [b"2", b"@", b"l", b"\x1b[1;5B", b"3", b"L", b"\x1b[1;5A", b"!", b"2", b"#"]
BASELINE_KEYS = [b"n", b"p"]


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
                lambda r, p=prefix: r["event"] == "start" and re.match(p, r["text"]) is not None
            )
            times.append(when - sent)
    finally:
        reader.quit()
    return times


def element_latency(presses: int, workdir: Path) -> tuple[list[float], list[float]]:
    """Element keys and, interleaved, the section keys: key -> the first start event after it."""
    reader = Reader(GUIDE, workdir)
    elements: list[float] = []
    sections: list[float] = []
    try:
        reader.wait_for(lambda r: r["event"] == "word")
        for i in range(presses):
            baseline = i % 3 == 2
            keys = BASELINE_KEYS if baseline else ELEMENT_KEYS
            key = keys[i % len(keys)]
            time.sleep(0.3)
            reader.poll()
            sent = time.monotonic()
            os.write(reader.master, key)
            when = reader.wait_for(lambda r: r["event"] == "start")
            (sections if baseline else elements).append(when - sent)
    finally:
        reader.quit()
    return elements, sections


def where_first_sentence() -> list[tuple[float, float, str]]:
    """(speech end, whole audio, text) of where am I's first sentence at 175 wpm, longest
    first, over percents and times left chosen for their long spoken numbers."""
    import array

    from reader.reading.timekeeping import time_left
    from voices.drivers import make_driver

    driver = make_driver()
    driver.rate = 175
    results = []
    try:
        # The longest numbers eSpeak says: seventy-seven, ninety-seven; seventeen hours.
        for percent in (0, 7, 17, 42, 67, 77, 97, 100):
            for minutes in (0.5, 1, 7, 9, 17, 26, 34, 45, 54, 60, 95, 17 * 60, 23 * 60):
                text = f"{percent} percent, {time_left(round(minutes * 175), 175)} left."
                audio = driver.synthesize(text)
                pcm = array.array("h", audio.pcm)
                end = len(pcm) - 1
                while end > 0 and abs(pcm[end]) < 300:  # trailing silence is not heard speech
                    end -= 1
                results.append((end / audio.sample_rate, audio.duration, text))
    finally:
        driver.close()
    return sorted(results, reverse=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=45)
    parser.add_argument("--page", type=Path, default=PAGE)
    parser.add_argument("--only", choices=["elements"], help="only the element rows")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.only is None:
            starts = cold_start(args.page, args.runs, workdir)
            keys = key_latency(args.page, args.presses, workdir)
            rows += [
                ("cold start -> first word", starts, statistics.median(starts), "median", 1.0),
                ("key -> announcement audio", keys, p95(keys), "p95", 0.150),
            ]
        elements, sections = element_latency(max(args.presses, 30), workdir)
    rows += [
        ("element jump -> target audio", elements, p95(elements), "p95", 0.150),
        ("  baseline: n / p -> audio", sections, p95(sections), "p95", 0.150),
    ]
    print(f"{'measure':28} {'n':>3} {'median':>9} {'p95':>9} {'target':>12}  ok")
    for name, values, value, kind, target in rows:
        ok = "yes" if value <= target else "NO"
        goal = f"{kind} <= {int(target * 1000)}ms"
        print(
            f"{name:28} {len(values):>3} {statistics.median(values) * 1000:>7.0f}ms"
            f" {p95(values) * 1000:>7.0f}ms {goal:>12}  {ok}"
        )
    where = where_first_sentence()
    end, whole, text = where[0]
    ok = "yes" if end <= 3.0 else "NO"
    print(f"where am I, first sentence at 175 wpm: longest {end:.2f} s heard ({whole:.2f} s")
    print(f"  with its trailing silence), {text!r}; target <= 3 s  {ok}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
