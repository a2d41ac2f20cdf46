"""Pyttsx3Driver: the default synth driver, with pyttsx3 kept in its own worker process.

pyttsx3 on Linux prints to stdout, blocks, and keeps state between calls; in a separate process
(voices/_worker.py) none of that can reach the UI, and a crash costs one restart, not the app.
The worker is started at construction without waiting for it, so its start-up overlaps the
caller's own; the first request waits for it to be ready.

The worker is stateless from here: every synthesis request carries the wanted rate, volume,
pitch and voice, so a restarted worker speaks exactly like the one it replaces.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import threading
import time
import unicodedata
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

from voices._worker import read_message, write_message
from voices.base import DEFAULT_RATE, MAX_RATE, MIN_RATE, Audio, VoiceInfo, WordMark
from voices.errors import SpeechError

READY_TIMEOUT = 10.0  # seconds for the worker to load eSpeak (a cold disk can be slow)
SYNTH_TIMEOUT = 10.0  # plus a little per character: eSpeak is ~1000x real time, so generous
DEFAULT_SAMPLE_RATE = 22050
MAX_PIECE = 2000  # characters per worker request (~2 minutes of speech at 175 wpm)


class WorkerDied(Exception):
    """The worker exited, hung or answered nonsense; the caller may restart and retry."""


class _Worker:
    """One worker process and its pipes. Not thread-safe: the driver holds the lock."""

    unavailable = "Speech is not available"  # said, with the worker's reason, when it cannot start
    process = "the speech process"  # in WorkerDied's reasons
    ready_timeout = READY_TIMEOUT

    def __init__(self, command: list[str] | None = None) -> None:
        self.started = time.perf_counter()
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        try:
            self.proc = subprocess.Popen(
                command or [sys.executable, "-m", "voices._worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                close_fds=True,
            )
        except OSError as err:
            raise SpeechError(f"The speech process could not be started ({err}).") from err
        self._finalizer = weakref.finalize(self, _kill, self.proc)
        # A worker that dies while the reader is idle (paused, killed from outside) would stay
        # a zombie until the next sentence: a thread that waits on it reaps it as it dies.
        threading.Thread(target=self.proc.wait, name="reader-speech-reaper", daemon=True).start()
        self.ready: dict[str, Any] | None = None
        self.startup_seconds = 0.0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_ready(self) -> dict[str, Any]:
        if self.ready is None:
            reply = self._receive(self.ready_timeout)
            if reply.get("kind") == "fatal":
                self.kill()
                raise SpeechError(f"{self.unavailable}: {reply.get('error')}")
            if not reply.get("ready"):
                raise WorkerDied(f"{self.process} did not start properly")
            self.ready = reply
            self.startup_seconds = self.startup(reply)
        return self.ready

    def startup(self, ready: dict[str, Any]) -> float:
        """Seconds the worker took to start (here: since it was launched)."""
        return time.perf_counter() - self.started

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        self.wait_ready()
        try:
            write_message(self.proc.stdin, message)
        except (BrokenPipeError, OSError, ValueError) as err:
            raise WorkerDied(f"{self.process} is gone ({err})") from err
        return self._receive(timeout)

    def _receive(self, timeout: float) -> dict[str, Any]:
        stdout = self.proc.stdout
        # select() on the pipe before reading: a hung worker must not hang the reader.
        ready, _, _ = select.select([stdout], [], [], timeout)
        if not ready:
            self.kill()
            raise WorkerDied(f"{self.process} did not answer within {timeout:.0f} seconds")
        try:
            reply = read_message(stdout)
        except Exception as err:  # noqa: BLE001 - a torn or garbled frame
            self.kill()
            raise WorkerDied(f"{self.process} sent garbage ({err})") from err
        if not isinstance(reply, dict):
            self.kill()
            raise WorkerDied(f"{self.process} ended unexpectedly")
        return reply

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                write_message(self.proc.stdin, {"op": "quit"})
                self.proc.wait(timeout=1.0)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        self.kill()

    def kill(self) -> None:
        self._finalizer()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=2.0)
    except subprocess.TimeoutExpired:
        pass
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream:
                stream.close()
        except OSError:
            pass


class WorkerDriver:
    """What every driver with a worker process shares: volume, pitch and voice as clamped
    properties (a clamped value leaves a sentence for the user in `last_message`), a worker
    started afresh when it has died, and use as a context manager. Subclasses set
    `worker_class`, `resolve_voice` and `close`, and may add a word on a rate (`rate_note`)."""

    worker_class: type[_Worker] = _Worker
    worker_command: list[str] | None
    last_message: str
    restarts: int
    _worker: _Worker | None
    _lock: threading.RLock
    _rate: int
    _volume: float
    _pitch: int
    _voice: str | None

    @property
    def rate(self) -> int:
        return self._rate

    @rate.setter
    def rate(self, wpm: float) -> None:
        self._rate, clamped = _clamped("Speech rate", wpm, MIN_RATE, MAX_RATE, "words per minute")
        self.last_message = clamped or self.rate_note()

    def rate_note(self) -> str:
        """A sentence for the user about the rate just set ("": nothing to say)."""
        return ""

    def twice(self, send: Callable[[], dict[str, Any]], who: str) -> dict[str, Any]:
        """`send()`'s reply; if the worker died, hung or failed inside, a fresh worker (the old
        one may be left in a bad state) and one more try; a second failure is SpeechError."""
        for attempt in (1, 2):
            try:
                reply = send()
                if reply.get("kind") == "internal":
                    raise WorkerDied(reply.get("error") or "internal error")
                return reply
            except WorkerDied as err:
                if self._worker:
                    self._worker.kill()
                if attempt == 2:
                    raise SpeechError(f"{who} failed twice in a row ({err}).") from err
        raise AssertionError("unreachable")

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id (tests kill it to check recovery)."""
        with self._lock:
            return self._worker.pid if self._worker else None

    @property
    def startup_seconds(self) -> float:
        """Seconds the worker took to start: to load eSpeak, or the voice's model (waits)."""
        with self._lock:
            worker = self._live_worker()
            worker.wait_ready()
            return worker.startup_seconds

    @property
    def volume(self) -> float:
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        self._volume = min(1.0, max(0.0, float(value)))
        self.last_message = ""
        if self._volume != value:
            self.last_message = f"Volume goes from 0 to 1; using {self._volume:g}."

    @property
    def pitch(self) -> int:
        return self._pitch

    @pitch.setter
    def pitch(self, value: float) -> None:
        self._pitch, self.last_message = _clamped("Pitch", value, 0, 100, "")

    @property
    def voice(self) -> str | None:
        return self._voice

    @voice.setter
    def voice(self, wanted: str | None) -> None:
        self._voice = None if wanted in (None, "") else self.resolve_voice(wanted)
        self.last_message = ""

    def resolve_voice(self, wanted: str) -> str:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _live_worker(self) -> Any:
        if self._worker is None or self._worker.proc.poll() is not None:
            if self._worker is not None:
                self._worker.kill()
                self.restarts += 1
            self._worker = self.worker_class(self.worker_command)
        return self._worker


class Pyttsx3Driver(WorkerDriver):
    """SynthDriver backed by pyttsx3 + eSpeak NG in a worker process. Thread-safe.

    Setters clamp; when a value was clamped, `last_message` holds a sentence for the user
    (it is "" after a value that was accepted as asked)."""

    name = "pyttsx3"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rate = DEFAULT_RATE
        self._volume = 1.0
        self._pitch = 50
        self._voice: str | None = None
        self._voices: list[VoiceInfo] | None = None
        self._sample_rate = DEFAULT_SAMPLE_RATE
        self.last_message = ""
        self.restarts = 0
        self.worker_command: list[str] | None = None  # None: `python -m voices._worker`
        self._worker: _Worker | None = _Worker()

    # -- properties -------------------------------------------------------------------------

    def resolve_voice(self, wanted: str) -> str:
        """The VoiceInfo.id meant by `wanted`: an id, its last part ("en-us" for "gmw/en-us"), a
        language code or a voice name, ignoring case. Unknown → SpeechError."""
        key = wanted.strip().lower().replace("_", "-")
        voices = self.voices()
        for match in (
            lambda v: v.id.lower() == key,
            lambda v: v.id.lower().rsplit("/", 1)[-1] == key,
            lambda v: key in (lang.lower() for lang in v.languages),
            lambda v: v.name.lower() == key,
        ):
            found = [v for v in voices if match(v)]
            if found:
                return found[0].id
        raise SpeechError(
            f"There is no voice called {_printable(wanted)!r}. "
            "Run 'reader voices' to see the voices you can use."
        )

    @property
    def sample_rate(self) -> int:
        return self._sample_rate

    # -- work -------------------------------------------------------------------------------

    def synthesize(self, text: str) -> Audio:
        """One utterance to PCM + word marks. Very long text is synthesised in pieces (split at
        sentence or word ends) and joined, so no single request holds minutes of audio."""
        spoken = _speakable(text or "")
        if not spoken.strip():
            return Audio(b"", self._sample_rate, [])
        pcm: list[bytes] = []
        raw_marks: list[tuple[int, int, float]] = []
        seconds = 0.0
        with self._lock:
            props = {
                "rate": espeak_rate(self._rate),
                "volume": self._volume,
                "pitch": self._pitch,
                "voice": self._voice,
            }
            for start, piece in _pieces(spoken, MAX_PIECE):
                timeout = SYNTH_TIMEOUT + len(piece) / 200
                reply = self._call({"op": "synth", "text": piece, "props": props}, timeout)
                self._sample_rate = reply["sample_rate"]
                raw_marks += [(start + o, n, seconds + t) for o, n, t in reply["marks"]]
                pcm.append(reply["pcm"])
                seconds += len(reply["pcm"]) / 2 / reply["sample_rate"]
        return Audio(b"".join(pcm), self._sample_rate, _marks(raw_marks, text, seconds))

    def voices(self) -> list[VoiceInfo]:
        with self._lock:
            if self._voices is None:
                reply = self._call({"op": "voices"}, SYNTH_TIMEOUT)
                self._voices = [VoiceInfo(i, n, list(langs)) for i, n, langs in reply["voices"]]
            return list(self._voices)

    def close(self) -> None:
        with self._lock:
            if self._worker:
                self._worker.close()
                self._worker = None

    # -- worker management ------------------------------------------------------------------

    def _call(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send a request. If the worker died, hung or failed inside pyttsx3, replace it with a
        fresh one (pyttsx3 may be left in a bad state) and try once more; a second failure is
        reported. A plain refusal (an unknown voice) is reported at once."""
        reply = self.twice(
            lambda: self._live_worker().request(message, timeout), "The speech synthesiser"
        )
        if not reply.get("ok"):
            raise SpeechError(_sentence(reply.get("error") or "The speech synthesiser failed."))
        return reply


def _clamped(what: str, value: float, low: int, high: int, unit: str) -> tuple[int, str]:
    """`value` rounded and kept from `low` to `high`, and the sentence that says so if it had
    to be moved ("" if not)."""
    wanted = int(round(value))
    used = min(high, max(low, wanted))
    if wanted == used:
        return used, ""
    side = "fastest" if what == "Speech rate" else "highest"
    if wanted < used:
        side = "slowest" if what == "Speech rate" else "lowest"
    unit = f" {unit}" if unit else ""
    return used, f"{what} {wanted} is beyond the {side} setting; using {used}{unit}."


def _speakable(text: str) -> str:
    """Control and format characters become spaces: one for one, so eSpeak's character offsets
    still index the caller's text. Page text is untrusted; eSpeak must only see printable text."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in text
    )


def _pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, each at most `limit` characters, cut after the
    last sentence end in range, else the last space, else hard at the limit."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max((m.end() for m in re.finditer(r"[.!?;:]\s", window)), default=0)
        if cut < limit // 2:
            cut = window.rfind(" ") + 1 or limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return [(offset, piece) for offset, piece in pieces if piece.strip()]


def _printable(text: str) -> str:
    return _speakable(text)[:80]


_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def _marks(raw: list[tuple[int, int, float]], text: str, duration: float) -> list[WordMark]:
    """Word marks in text order, inside the text and the audio, times never going backwards (at
    sped-up rates eSpeak's positions can overshoot by a few milliseconds)."""
    marks: list[WordMark] = []
    last_time = 0.0
    for offset, length, seconds in raw:
        if offset < 0 or offset >= len(text) or (marks and offset <= marks[-1].offset):
            continue
        if _inside_a_word(text, offset):
            continue  # "45" is said as two words, "forty five": the second is still "45"
        last_time = min(duration, max(last_time, seconds))
        marks.append(WordMark(offset, max(1, min(length, len(text) - offset)), last_time))
    return _fill_gaps(marks, text, duration)


def _inside_a_word(text: str, offset: int) -> bool:
    return offset > 0 and text[offset - 1].isalnum() and text[offset].isalnum()


def _fill_gaps(marks: list[WordMark], text: str, duration: float) -> list[WordMark]:
    """eSpeak speaks some word pairs as one ("of the") and reports only the first; give each
    skipped word a mark timed between its neighbours, so highlighting never jumps a word."""
    filled: list[WordMark] = []
    gap_start, gap_time = 0, 0.0
    for mark in [*marks, WordMark(len(text), 0, duration)]:
        span = max(1, mark.offset - gap_start)
        for word in _WORD.finditer(text, gap_start, mark.offset):
            share = (word.start() - gap_start) / span
            time_ = gap_time + share * (mark.time - gap_time)
            filled.append(WordMark(word.start(), len(word.group()), time_))
        if mark.length:
            filled.append(mark)
            gap_start, gap_time = mark.offset + mark.length, mark.time
    return filled


def _sentence(message: str) -> str:
    message = message.strip()
    return message if message.endswith((".", "!", "?")) else message + "."


# Asked words per minute -> the rate to give eSpeak. Measured with pauses cut out, raw eSpeak
# runs up to 25 % fast at 100-175 wpm (it slows down mostly by lengthening gaps). Words a minute
# also depend on the text: short-word prose (benchmarks/speech.py) comes out faster than the
# sample's medical prose, so these points sit between the two (both within 10 %, see
# tests/test_synth.py). eSpeak will not go slower than about 84 of its units.
_RATE_POINTS = ((80, 80), (100, 87), (175, 155), (300, 285), (450, 437), (700, 671), (1000, 947))


def espeak_rate(wpm: int) -> int:
    """The eSpeak rate that sounds like `wpm` words per minute (linear between measured points)."""
    for (a0, e0), (a1, e1) in zip(_RATE_POINTS, _RATE_POINTS[1:], strict=False):
        if wpm <= a1:
            wpm = max(wpm, a0)
            return round(e0 + (e1 - e0) * (wpm - a0) / (a1 - a0))
    return _RATE_POINTS[-1][1]
