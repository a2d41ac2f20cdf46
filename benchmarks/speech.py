"""Speech responsiveness and fidelity per driver, side by side, on miniaudio's null backend.

Usage: python benchmarks/speech.py [--trials N] [--drivers pyttsx3,piper] [--quick]

Drivers: pyttsx3 (eSpeak NG, the default voice) and piper (the natural voice, the optional
`natural` group). Each is measured the same way in the same run.

The null device consumes audio at real-time speed; the player records, for every audio
period it hands over, the time and whether any sample in it was non-silent. Latencies
below are measured against those records, i.e. against audio actually delivered:

- stop latency: stop() -> the device gets silence from then on;
- first audio: speak([sentence]) on an idle queue -> first non-silent period delivered;
- skip latency: speak([title, ...], interrupt=True) while reading -> the title's first
  non-silent period (a title never heard before: it is made after the key);
- next sentence: while reading, speak(the sentences from the next one on) -> its first
  non-silent period (the right arrow: the next sentence was made while this one played);
- rate fidelity: one 100-word text at 80..1000 wpm; words per minute of the audio with
  silent runs longer than 100 ms removed;
- word-mark accuracy, two methods: (tail) for each word, the rest of the sentence from it
  synthesised alone ends where the full sentence ends, so the word starts at (end of full
  audio) - (length of that tail audio); (onsets) in eight sentences read as one utterance,
  every place where speech resumes after a pause of >= 150 ms is a word start (see
  voices.measure.word_onsets: a level relative to the audio's own); compared with the
  nearest mark. Piper's voice varies a little from run to run (its
  model samples noise), which the tail method counts as error;
- where first audio's time goes: the first piece the queue asks for, synthesised alone (its
  words; the model's time and all the worker's, as the worker reports them; the driver and the
  pipe both ways), the player's start (audio handed to an idle player -> its first audible
  period), the queue's share (the rest of the median first audio), and the warm-up (a fresh
  driver's first synthesis of such a piece against its later ones);
- export speed: a 2 000-word article to WAV (reader.export.export_article), audio seconds
  per wall-clock second, and the peak memory (VmHWM) of the synthesis worker and of this
  process.

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
from voices.measure import (  # noqa: E402,F401
    WINDOW,
    loud_windows,
    samples,
    speech_seconds,
    word_onsets,
)
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
RATES = (80, 100, 175, 300, 450, 700, 1000)
TARGETS = {  # driver: (first audio ms, stop ms, skip ms, word-mark MAE ms, export x real time)
    "pyttsx3": (100, 50, 150, 80, 50),
    "piper": (150, 50, 150, 60, 10),
}
PEAK_MEMORY_MB = 700  # the natural voice's target (issue 14)


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


def first_audio_parts(driver: SynthDriver, player: AudioPlayer, trials: int) -> dict[str, float]:
    """Median milliseconds of each part of first audio (see the module docstring)."""
    split = getattr(driver, "split", None)
    pieces = [split(text)[0][1] if split else text for text in SENTENCES]
    parts: dict[str, list[float]] = {"words": [], "onnx": [], "worker": [], "synthesis": []}
    audios = []
    for n in range(trials):
        piece = pieces[n % len(pieces)]
        t0 = time.perf_counter()
        audios.append(driver.synthesize(piece))
        parts["synthesis"].append(time.perf_counter() - t0)
        parts["words"].append(len(piece.split()))
        timing = getattr(driver, "last_timing", {})
        for key in ("onnx", "worker"):
            if key in timing:
                parts[key].append(timing[key])
    parts["player"] = []
    for n in range(trials):
        player.stop()
        player.wait_idle(2)
        time.sleep(random.uniform(0.03, 0.06))  # anywhere in the device's period
        t0 = time.monotonic()
        player.enqueue(audios[n % len(audios)])
        parts["player"].append(first_audible_after(player, t0) - t0)
    player.stop()
    out = {key: statistics.median(v) * 1000 for key, v in parts.items() if v}
    out["words"] = statistics.median(parts["words"])
    return out


def warm_up(name: str) -> tuple[float, float]:
    """(first, later median) ms to synthesise a first piece with a freshly started driver."""
    driver = make_driver(name)
    try:
        getattr(driver, "startup_seconds", None)  # wait until its worker is ready
        split = getattr(driver, "split", None)
        piece = split(SENTENCES[0])[0][1] if split else SENTENCES[0]
        times = []
        for _ in range(6):
            t0 = time.perf_counter()
            driver.synthesize(piece)
            times.append(time.perf_counter() - t0)
    finally:
        driver.close()
    return times[0] * 1000, statistics.median(times[1:]) * 1000


def next_latency(queue: SpeechQueue, events: Events, trials: int) -> list[float]:
    """The right arrow: reading on from the next sentence, which was made while this one
    played, -> its first non-silent period."""
    out = []
    for n in range(trials):
        events.clear()
        queue.speak([SpeechItem(s, ("old", n, i)) for i, s in enumerate(SENTENCES[:4])])
        events.wait(lambda e: e.kind == "start")
        time.sleep(random.uniform(0.4, 0.8))  # long enough for the next to be made
        rest = [SpeechItem(s, ("next", n, i)) for i, s in enumerate(SENTENCES[1:4])]
        t0 = time.monotonic()
        queue.speak(rest, interrupt=True)
        start = events.wait(lambda e, t=rest[0]: e.kind == "start" and e.item is t)
        out.append(first_audible_after(queue.player, start.time - 0.001) - t0)
    queue.stop()
    return out


def rate_fidelity(driver: SynthDriver) -> list[tuple[int, float, float]]:
    """(asked, wpm excluding pauses, wpm of the whole audio) per rate."""
    words = " ".join(SENTENCES * 3).split()[:100]
    text = " ".join(words)
    out = []
    for rate in RATES:
        driver.rate = rate
        audio = driver.synthesize(text)
        minutes = speech_seconds(audio) / 60, audio.duration / 60
        out.append((rate, len(words) / minutes[0], len(words) / minutes[1]))
    driver.rate = 175
    return out


def onset_accuracy(driver: SynthDriver, rate: int) -> list[float]:
    """|mark - onset| for every word onset after a pause (see the module docstring)."""
    driver.rate = rate
    errors = []
    for _ in range(2):
        audio = driver.synthesize(" ".join(SENTENCES))
        last = audio.marks[-1].time + 0.08  # pauses after it are inside the last word
        for onset in (t for t in word_onsets(audio, pause=0.15) if t < last):
            errors.append(min(abs(m.time - onset) for m in audio.marks))
    driver.rate = 175
    return errors


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


def export_speed(driver: SynthDriver) -> tuple[float, str, float]:
    """(x real time, how, peak MB of the worker) for a 2 000-word article."""
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
            return seconds / (time.monotonic() - t0), "driver only", worker_peak_mb(driver)
        t0 = time.monotonic()
        export_article(article, path, driver=driver)
        elapsed = time.monotonic() - t0
        with wave.open(str(path), "rb") as w:
            seconds = w.getnframes() / w.getframerate()
    return seconds / elapsed, "reader.export.export_article", worker_peak_mb(driver)


def worker_peak_mb(driver: SynthDriver) -> float:
    """Peak resident memory of the driver's worker process so far (Linux: VmHWM)."""
    pid = getattr(driver, "worker_pid", None)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# ---- report --------------------------------------------------------------------------------


def measure(name: str, trials: int, quick: bool) -> dict[str, object]:
    """Every figure for one driver."""
    driver = make_driver(name)
    driver.synthesize("Warm up.")  # start the worker before timing anything
    queue = SpeechQueue(driver, make_player("null"))
    events = Events()
    queue.subscribe(events)
    try:
        out: dict[str, object] = {
            "stop": stop_latency(queue, events, trials),
            "first": first_audio(queue, events, trials),
            "skip": skip_latency(queue, events, trials),
            "next": next_latency(queue, events, trials),
        }
        out["parts"] = first_audio_parts(driver, queue.player, trials)
    finally:
        queue.close()
    out["warm"] = warm_up(name)
    out["rates"] = rate_fidelity(driver)
    out["onsets"] = {rate: onset_accuracy(driver, rate) for rate in (175, 450)}
    out["tail"] = {} if quick else {rate: mark_accuracy(driver, rate) for rate in (175, 450)}
    out["export"] = export_speed(driver)
    driver.close()
    return out


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: dict[str, dict[str, object]]) -> list[str]:
    names = list(results)
    lines = [f"{'measure':<34}" + "".join(f"{n + ' (target)':>26}" for n in names)]

    def line(label: str, cells: list[str]) -> None:
        lines.append(f"{label:<34}" + "".join(f"{c:>26}" for c in cells))

    for key, label, index in (
        ("first", "first audio p95", 0),
        ("stop", "stop p95", 1),
        ("skip", "skip p95", 2),
        ("next", "next sentence (made ahead) p95", 2),
    ):
        cells = []
        for n in names:
            values = results[n][key]
            target = TARGETS[n][index]
            p95 = percentile(values, 0.95) * 1000
            cells.append(f"{p95:.0f} ms (<= {target}) {verdict(p95 <= target)}")
        line(label, cells)
    line("first audio: where the time goes", [""] * len(names))
    parts_lines(results, line)
    for rate in (175, 450):
        for key, method in (("onsets", "onsets"), ("tail", "tail")):
            cells = []
            for n in names:
                errors = results[n][key].get(rate, [])
                if not errors:
                    cells.append("-")
                    continue
                mae, target = statistics.mean(errors) * 1000, TARGETS[n][3]
                cells.append(f"{mae:.0f} ms n={len(errors)} (<= {target}) {verdict(mae <= target)}")
            line(f"word-mark MAE {rate} wpm ({method})", cells)
    for i, rate in enumerate(RATES):
        cells = []
        for n in names:
            asked, wpm, whole = results[n]["rates"][i]
            err = (wpm - asked) / asked
            cells.append(f"{wpm:.0f} ({err:+.0%}; {whole:.0f} w/ pauses)")
        line(f"wpm asked {rate} (pauses excluded)", cells)
    cells = []
    for n in names:
        measured = [wpm for _, wpm, _ in results[n]["rates"]]
        within = all(abs(w - r) / r <= 0.15 for (r, w, _) in results[n]["rates"])
        mono = all(a < b for a, b in zip(measured, measured[1:], strict=False))
        cells.append(f"+-15%: {within}, rising: {mono} {verdict(within and mono)}")
    line("wpm within +-15 %, monotonic", cells)
    cells, memory = [], []
    for n in names:
        speed, how, peak = results[n]["export"]
        target = TARGETS[n][4]
        cells.append(f"{speed:.0f}x (>= {target}) {verdict(speed >= target)}")
        memory.append(f"{peak:.0f} MB (<= {PEAK_MEMORY_MB}) {verdict(peak <= PEAK_MEMORY_MB)}")
    line("export 2 000 words, x real time", cells)
    line("export peak memory of the worker", memory)
    return lines


def parts_lines(
    results: dict[str, dict[str, object]], line: Callable[[str, list[str]], None]
) -> None:
    """Where first audio's time goes, per driver (medians; see the module docstring)."""
    names = list(results)
    rows = (
        ("words", "  first piece: words", "{:.0f}"),
        ("onnx", "  synthesis: the model", "{:.0f} ms"),
        ("worker", "  synthesis: all the worker's work", "{:.0f} ms"),
        ("synthesis", "  synthesis with driver and pipe", "{:.0f} ms"),
        ("player", "  player start", "{:.0f} ms"),
    )
    for key, label, shape in rows:
        cells = []
        for n in names:
            value = results[n]["parts"].get(key)
            cells.append("-" if value is None else shape.format(value))
        line(label, cells)
    cells = []
    for n in names:
        parts = results[n]["parts"]
        first = statistics.median(results[n]["first"]) * 1000
        cells.append(f"{first - parts['synthesis'] - parts['player']:.0f} ms")
    line("  queue (the rest of the median)", cells)
    line("  first synthesis after start", [f"{results[n]['warm'][0]:.0f} ms" for n in names])
    line("  later ones", [f"{results[n]['warm'][1]:.0f} ms" for n in names])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--drivers", default="pyttsx3,piper")
    parser.add_argument("--quick", action="store_true", help="skip the slow tail-method marks")
    args = parser.parse_args(argv)
    random.seed(3)
    results = {}
    for name in args.drivers.split(","):
        results[name] = measure(name, args.trials, args.quick)
    print(f"speech benchmark: null backend, {args.trials} trials each\n")
    print("\n".join(report(results)))
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nthis process's peak memory: {peak:.0f} MB (the players and queues of every driver)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
