"""Speech responsiveness and fidelity, measured on miniaudio's null backend.

Usage: python benchmarks/speech.py [--trials N]

The null device consumes audio at real-time speed; the player records, for every audio
period it hands over, the time and whether any sample in it was non-silent. Latencies
below are measured against those records, i.e. against audio actually delivered:

- stop latency: stop() -> the device gets silence from then on;
- first audio: speak([sentence]) on an idle queue -> first non-silent period delivered;
- skip latency: speak([title, ...], interrupt=True) while reading -> the title's first
  non-silent period;
- rate fidelity: one 100-word text at 100..700 wpm; words per minute of the audio with
  silent runs longer than 100 ms removed;
- word-mark accuracy: for each word, the audio length (trailing silence trimmed) of the
  text before it synthesised alone is where that word starts; compared with the mark;
- export speed: a 2 000-word article to WAV (reader.export.export_article), audio seconds
  per wall-clock second.

Prints a table with PASS/FAIL per target; always exits 0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from voices.base import Audio, SpeechEvent, SpeechItem, SynthDriver  # noqa: E402
from voices.drivers import make_driver  # noqa: E402
from voices.measure import WINDOW, loud_windows, samples, speech_seconds  # noqa: E402,F401
from voices.player import AudioPlayer, make_player  # noqa: E402
from voices.queue import SpeechQueue  # noqa: E402

SENTENCES = [
    "The infusion nurse checks the line before every treatment begins.",
    "Patients may feel cold as the medicine enters the vein.",
    "Most sessions last between one and three hours in the clinic.",
    "Tell the team at once if you notice a rash or shortness of breath.",
    "Drink plenty of water on the day before your appointment.",
    "Bring a book, a blanket and a list of your current medicines.",
    "Your blood pressure is measured before and after the infusion.",
    "Some treatments are repeated every four to eight weeks.",
]
LONG = " ".join(SENTENCES[:4])


# ---- helpers -----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def trimmed_length(audio: Audio) -> float:
    """Seconds up to the last non-silent window."""
    loud = loud_windows(audio)
    last = max((i for i, v in enumerate(loud) if v), default=-1)
    return (last + 1) * WINDOW


def leading_silence(audio: Audio) -> float:
    loud = loud_windows(audio)
    return next((i for i, v in enumerate(loud) if v), len(loud)) * WINDOW


class Events:
    """Thread-safe event log with waiting."""

    def __init__(self) -> None:
        self.items: list[SpeechEvent] = []
        self._cv = threading.Condition()

    def __call__(self, event: SpeechEvent) -> None:
        with self._cv:
            self.items.append(event)
            self._cv.notify_all()

    def wait(self, test: Callable[[SpeechEvent], bool], timeout: float = 10) -> SpeechEvent:
        with self._cv:
            found: list[SpeechEvent] = []

            def seen() -> bool:
                found[:] = [e for e in self.items if test(e)]
                return bool(found)

            if not self._cv.wait_for(seen, timeout):
                raise TimeoutError("speech event never came")
            return found[0]

    def clear(self) -> None:
        with self._cv:
            self.items.clear()


def first_audible_after(player: AudioPlayer, since: float, timeout: float = 5) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for period in player.periods_since(since):
            if period.audible:
                return period.time
        time.sleep(0.002)
    raise TimeoutError("no audible audio was delivered")


def silent_from(player: AudioPlayer, since: float) -> float:
    """Time of the first period after `since` from which every period is silent
    (conservative: a period handed over just after `since` counts even if already silent)."""
    periods = list(player.periods_since(since))
    last_loud = max((i for i, p in enumerate(periods) if p.audible), default=-1)
    if last_loud + 1 >= len(periods):
        return float("inf")
    return periods[last_loud + 1].time


# ---- measurements ------------------------------------------------------------------------


def stop_latency(queue: SpeechQueue, events: Events, trials: int) -> list[float]:
    out = []
    for n in range(trials):
        events.clear()
        queue.speak([SpeechItem(LONG, ("stop", n))])
        events.wait(lambda e: e.kind == "start")
        time.sleep(random.uniform(0.05, 0.4))  # stop at a random point mid-speech
        t0 = time.monotonic()
        queue.stop()
        time.sleep(0.2)
        out.append(max(0.0, silent_from(queue.player, t0) - t0))
    return out


def first_audio(queue: SpeechQueue, events: Events, trials: int) -> list[float]:
    out = []
    for n in range(trials):
        queue.stop()
        queue.player.wait_idle(2)
        time.sleep(0.05)
        events.clear()
        text = SENTENCES[n % len(SENTENCES)]
        t0 = time.monotonic()
        queue.speak([SpeechItem(text, ("first", n))])
        out.append(first_audible_after(queue.player, t0) - t0)
        events.wait(lambda e: e.kind == "word")
    queue.stop()
    return out


def skip_latency(queue: SpeechQueue, events: Events, trials: int) -> list[float]:
    out = []
    for n in range(trials):
        events.clear()
        old = [SpeechItem(s, ("old", n, i)) for i, s in enumerate(SENTENCES[:4])]
        queue.speak(old)
        events.wait(lambda e: e.kind == "start")
        time.sleep(random.uniform(0.05, 0.4))
        title = SpeechItem(f"Section {n + 2}: Side effects.", ("title", n))
        rest = [SpeechItem(s, ("new", n, i)) for i, s in enumerate(SENTENCES[4:6])]
        t0 = time.monotonic()
        queue.speak([title, *rest], interrupt=True)
        start = events.wait(lambda e, t=title: e.kind == "start" and e.item is t)
        out.append(first_audible_after(queue.player, start.time - 0.001) - t0)
    queue.stop()
    return out


def rate_fidelity(driver: SynthDriver) -> list[tuple[int, float, float]]:
    """(asked, wpm excluding pauses, wpm of the whole audio) per rate."""
    words = " ".join(SENTENCES * 3).split()[:100]
    text = " ".join(words)
    out = []
    for rate in (100, 175, 300, 450, 700):
        driver.rate = rate
        audio = driver.synthesize(text)
        minutes = speech_seconds(audio) / 60, audio.duration / 60
        out.append((rate, len(words) / minutes[0], len(words) / minutes[1]))
    driver.rate = 175
    return out


def mark_accuracy(driver: SynthDriver, rate: int) -> list[float]:
    """Where does word k really start? Synthesise the rest of the sentence from word k
    alone: it ends where the full sentence ends (same sentence-final prosody), so the word
    starts at (end of full audio) - (length of that tail audio), both without silence at
    the edges. (The prefix up to word k alone is no good: eSpeak lengthens a phrase's last
    syllable, which puts every word ~90 ms late.)"""
    driver.rate = rate
    errors = []
    for text in SENTENCES:
        full = driver.synthesize(text)
        end = trimmed_length(full)
        for mark in full.marks:
            tail = driver.synthesize(text[mark.offset :])
            truth = end - (trimmed_length(tail) - leading_silence(tail))
            errors.append(abs(mark.time - truth))
    driver.rate = 175
    return errors


def export_speed(driver: SynthDriver) -> tuple[float, str]:
    from reader.model import Article, Block, Section

    words = " ".join(SENTENCES * 30).split()[:2000]
    sections = []
    for s in range(10):
        chunk = words[s * 200 : (s + 1) * 200]
        paragraphs = [" ".join(chunk[i : i + 50]) + "." for i in range(0, 200, 50)]
        sections.append(
            Section(f"Part {s + 1}", 2, "section", [Block("paragraph", p) for p in paragraphs])
        )
    article = Article("Benchmark article", "en", "benchmark", sections)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.wav"
        try:
            from reader.export import export_article
        except ImportError:
            # Not written yet: time the synthesis it would do, sentence by sentence.
            t0 = time.monotonic()
            seconds = sum(
                driver.synthesize(b.text).duration for sec in sections for b in sec.blocks
            )
            return seconds / (time.monotonic() - t0), "driver only (no reader.export yet)"
        t0 = time.monotonic()
        export_article(article, path)
        elapsed = time.monotonic() - t0
        with wave.open(str(path), "rb") as w:
            seconds = w.getnframes() / w.getframerate()
    return seconds / elapsed, "reader.export.export_article"


# ---- report --------------------------------------------------------------------------------


def row(name: str, values: list[float], target: float, unit: str = "ms") -> str:
    med, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
    verdict = "PASS" if p95 <= target else "FAIL"
    return f"{name:<22} {med:>9.1f} {p95:>9.1f}   p95 <= {target:g} {unit:<8} {verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    args = parser.parse_args(argv)
    random.seed(3)

    driver = make_driver()
    driver.synthesize("Warm up.")  # start the worker before timing anything
    queue = SpeechQueue(driver, make_player("null"))
    events = Events()
    queue.subscribe(events)
    try:
        stops = stop_latency(queue, events, args.trials)
        firsts = first_audio(queue, events, args.trials)
        skips = skip_latency(queue, events, args.trials)
    finally:
        queue.close()
    rates = rate_fidelity(driver)
    marks = {rate: mark_accuracy(driver, rate) for rate in (175, 450)}
    speed, how = export_speed(driver)
    driver.close()

    print(f"speech benchmark: null backend, {args.trials} trials each\n")
    print(f"{'latency':<22} {'median':>9} {'p95':>9}   target")
    print(row("stop latency", stops, 50))
    print(row("first audio", firsts, 100))
    print(row("skip latency", skips, 150))

    print(f"\n{'rate fidelity':<22} {'asked':>9} {'measured':>9} {'error':>8}   with pauses")
    ok = True
    for rate, wpm, whole in rates:
        err = (wpm - rate) / rate
        ok &= abs(err) <= 0.15
        whole_err = (whole - rate) / rate
        print(f"{'':<22} {rate:>9} {wpm:>9.0f} {err:>+8.1%}   {whole:>6.0f} {whole_err:+.1%}")
    measured = [wpm for _, wpm, _ in rates]
    monotonic = all(a < b for a, b in zip(measured, measured[1:], strict=False))
    verdict = "PASS" if ok and monotonic else "FAIL"
    print(f"{'':<22} excluding pauses within +-15 %: {ok}, monotonic: {monotonic}   {verdict}")

    print()
    for rate, errors in marks.items():
        mae = statistics.mean(errors) * 1000
        print(
            f"word-mark accuracy     {rate} wpm: MAE {mae:.1f} ms over {len(errors)} words "
            f"(median {statistics.median(errors) * 1000:.0f}, max {max(errors) * 1000:.0f})"
            f"   target <= 80 ms   {'PASS' if mae <= 80 else 'FAIL'}"
        )
    print(
        f"export speed           {speed:.0f}x real time ({how})   target >= 50x   "
        f"{'PASS' if speed >= 50 else 'FAIL'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
