"""The speech worker process: pyttsx3 (eSpeak NG) behind a pipe, one utterance at a time.

Run as `python -m voices._worker`. The parent talks to it over stdin/stdout with framed pickles
(see `read_message` / `write_message`). Before pyttsx3 is imported, fd 1 and fd 2 are pointed at
/dev/null (or the log named by READER_VOICES_LOG) at OS level, so pyttsx3's "Audio saved to ..."
prints and any C-level chatter never reach the UI; the protocol uses a private duplicate of fd 1.

How pyttsx3 is driven, and why (pyttsx3 2.99, espeak driver):
- pyttsx3 initialises eSpeak in AUDIO_OUTPUT_RETRIEVAL mode, which is asynchronous: runAndWait()
  can return before the WAV is written, property changes are queued in eSpeak's command fifo and
  may be dropped by the driver's own Cancel() — the "lands one runAndWait() late" quirks. We
  initialise eSpeak first in AUDIO_OUTPUT_SYNCHRONOUS mode and mark pyttsx3's driver as
  initialised, so every pyttsx3 call takes effect before it returns.
- Synchronous eSpeak never sends the "message terminated" event on which pyttsx3 writes the WAV,
  so after the synthesis call returns we hand pyttsx3's own callback that event; pyttsx3 then
  writes the file and ends its loop as it would in asynchronous mode.
- pyttsx3's started-word events carry character offsets only. eSpeak's word events carry the
  audio sample position too: a thin wrapper around pyttsx3's synth callback reads it and then
  passes every buffer on to pyttsx3 untouched.
"""

from __future__ import annotations

import array
import os
import pickle
import shutil
import signal
import struct
import sys
import tempfile
import time
import wave
from typing import Any, BinaryIO

_HEADER = struct.Struct(">I")
BUFFER_MS = 50  # eSpeak callback period; small keeps word positions right at sped-up (sonic) rates
DEFAULT_VOICE = "en"
SNAP_SECONDS = 0.3  # longest pause before a word that a mark may skip
SOUND_LEVEL = 400  # s16 peak above which a stretch counts as sound (eSpeak's pauses are ~0)


def write_message(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_message(stream: BinaryIO) -> Any:
    """One framed message, or None at end of file."""
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    data = _read_exactly(stream, _HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def snap_to_sound(samples: array.array, start: int, limit: int) -> int:
    """eSpeak places a word's event at the start of the pause before it (after a full stop that
    is ~100 ms of silence); the listener hears the word where the sound starts. Move a mark
    that falls in silence forward to the first audible sample, at most `limit` samples on."""
    step = 32
    end = min(len(samples), start + limit)
    for at in range(max(0, start), end, step):
        chunk = samples[at : at + step]
        if max(chunk) > SOUND_LEVEL or -min(chunk) > SOUND_LEVEL:
            return at
    return start  # silence all the way: keep eSpeak's position


class _LoopClock:
    """Stands in for `time` inside pyttsx3's espeak driver module. Its run loop sleeps 10 ms
    after every pass, the last one included; with synchronous eSpeak the utterance is finished
    by then, so that sleep was pure latency on every utterance. Sleep only while it loops."""

    def __init__(self, driver: Any) -> None:
        self._driver = driver

    def sleep(self, seconds: float) -> None:
        if self._driver._looping:
            time.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


class Engine:
    """pyttsx3's espeak engine with synchronous eSpeak and word audio positions."""

    def __init__(self) -> None:
        from voices.espeak_lib import ensure_espeak

        ensure_espeak()
        import pyttsx3
        from pyttsx3.drivers import _espeak
        from pyttsx3.drivers import espeak as espeak_driver

        self._espeak = _espeak
        self.sample_rate = self._init_synchronous(_espeak, espeak_driver.EspeakDriver)
        self.engine = pyttsx3.init("espeak")
        self.driver = self.engine.proxy._driver
        espeak_driver.time = _LoopClock(self.driver)
        self._words: list[tuple[int, int]] = []  # pyttsx3 started-word: (offset, length)
        self._positions: list[int] = []  # eSpeak word events: sample position
        self._errors: list[str] = []
        self._voice: str | None = None  # pyttsx3's driver starts on DEFAULT_VOICE
        self._hook_driver()
        self.engine.connect("started-word", self._on_word)
        self.engine.connect("error", self._on_error)
        # pyttsx3 queues commands until its first loop has run; run an empty one so that
        # property changes apply at once from now on.
        self.engine.runAndWait()
        self._dir = tempfile.mkdtemp(prefix="reader-voice-")
        self._wav = os.path.join(self._dir, "utterance.wav")

    @staticmethod
    def _init_synchronous(_espeak: Any, driver_class: Any) -> int:
        if driver_class._moduleInitialized:
            return 22050  # someone initialised eSpeak already; pyttsx3 always writes 22050 Hz
        rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS)
        if rate == -1:
            raise RuntimeError("eSpeak NG could not be initialised")
        driver_class._moduleInitialized = True
        driver_class._defaultVoice = DEFAULT_VOICE
        return rate

    def _hook_driver(self) -> None:
        _espeak = self._espeak
        driver = self.driver
        pyttsx3_callback = driver._onSynth
        start_synthesis = driver._start_synthesis
        terminated = (_espeak.EVENT * 2)()
        terminated[0].type = _espeak.EVENT_MSG_TERMINATED
        terminated[1].type = _espeak.EVENT_LIST_TERMINATED

        def on_synth(wav: Any, numsamples: int, events: Any) -> int:
            i = 0
            while events[i].type != _espeak.EVENT_LIST_TERMINATED:
                if events[i].type == _espeak.EVENT_WORD:
                    self._positions.append(events[i].sample)
                i += 1
            return pyttsx3_callback(wav, numsamples, events)

        def synthesise_then_finish(text: str) -> None:
            start_synthesis(text)  # returns when eSpeak is done (synchronous mode)
            if driver._speaking:
                pyttsx3_callback(None, 0, terminated)  # pyttsx3 writes the WAV, ends its loop

        # Keep references: ctypes callbacks must outlive their registration.
        self._on_synth = on_synth
        driver._start_synthesis = synthesise_then_finish
        _espeak.SetSynthCallback(on_synth)

    def _on_word(self, name: str | None = None, location: int = 0, length: int = 0) -> None:
        self._words.append((location - 1, length))  # eSpeak counts characters from 1

    def _on_error(self, name: str | None = None, exception: Exception | None = None) -> None:
        self._errors.append(str(exception))

    # -- requests --------------------------------------------------------------------------

    def voices(self) -> list[tuple[str, str, list[str]]]:
        return [(v.id, v.name, list(v.languages)) for v in self.engine.getProperty("voices")]

    def apply(self, props: dict[str, Any]) -> None:
        """Set each property that differs, then read it back: a change that did not land is an
        error, never a silent wrong voice or rate."""
        voice = props.get("voice")  # a VoiceInfo.id resolved by the parent, or None = default
        if voice != self._voice:
            self._set("voice", voice or DEFAULT_VOICE)
            if voice and (self.engine.getProperty("voice") or "").lower() != voice.lower():
                raise ValueError(f"There is no voice called {voice!r}.")
            self._voice = voice
        # A voice change resets eSpeak's parameters, so set the numbers every time.
        self._set_checked("rate", int(props["rate"]))
        self._set_checked("volume", float(props["volume"]))
        self._set_checked("pitch", int(props["pitch"]))

    def _set(self, name: str, value: Any) -> None:
        self._errors.clear()
        self.engine.setProperty(name, value)
        if self._errors:
            raise ValueError(self._errors[-1])

    def _set_checked(self, name: str, value: float) -> None:
        self._set(name, value)
        got = self.engine.getProperty(name)
        if abs(float(got) - float(value)) > 0.011:
            raise RuntimeError(f"{name} is {got} after setting it to {value}")

    def synthesize(self, text: str) -> dict[str, Any]:
        self._words.clear()
        self._positions.clear()
        self._errors.clear()
        if os.path.exists(self._wav):
            os.remove(self._wav)  # a stale file must never pass for this utterance's audio
        self.engine.save_to_file(text, self._wav)
        self.engine.runAndWait()
        if self._errors:
            raise RuntimeError(self._errors[-1])
        if not os.path.exists(self._wav):
            raise RuntimeError("pyttsx3 wrote no audio")
        with wave.open(self._wav, "rb") as wav:
            sample_rate = wav.getframerate()
            pcm = wav.readframes(wav.getnframes())
        return {"pcm": pcm, "sample_rate": sample_rate, "marks": self._marks(pcm, sample_rate)}

    def _marks(self, pcm: bytes, sample_rate: int) -> list[tuple[int, int, float]]:
        positions = self._positions
        if len(positions) != len(self._words):
            positions = [0] * len(self._words)  # never seen; keep offsets, times start at zero
        samples = array.array("h", pcm)
        if sys.byteorder == "big":
            samples.byteswap()
        limit = int(sample_rate * SNAP_SECONDS)
        return [
            (offset, length, snap_to_sound(samples, sample, limit) / sample_rate)
            for (offset, length), sample in zip(self._words, positions, strict=True)
        ]

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)


def _redirect_output() -> BinaryIO:
    """Keep a private copy of fd 1 for the protocol; point fd 1 and 2 at /dev/null or a log."""
    protocol = os.fdopen(os.dup(1), "wb")
    log = os.environ.get("READER_VOICES_LOG")
    flags = os.O_WRONLY | (os.O_CREAT | os.O_APPEND if log else 0)
    sink = os.open(log or os.devnull, flags, 0o600)
    os.dup2(sink, 1)
    os.dup2(sink, 2)
    os.close(sink)
    return protocol


def say_ready(protocol: BinaryIO, sample_rate: int, started: float) -> None:
    """The first message of a worker (eSpeak or Piper): ready, at this sample rate."""
    message = {
        "ok": True,
        "ready": True,
        "sample_rate": sample_rate,
        "pid": os.getpid(),
        "startup": time.perf_counter() - started,
    }
    write_message(protocol, message)


def handle(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    try:
        if op == "synth":
            engine.apply(request["props"])
            return {"ok": True, **engine.synthesize(request["text"])}
        if op == "voices":
            return {"ok": True, "voices": engine.voices()}
        return {"ok": False, "error": f"unknown request {op!r}"}
    except ValueError as err:  # the caller's mistake (unknown voice): say so plainly
        return {"ok": False, "error": str(err), "kind": "value"}
    except Exception as err:  # noqa: BLE001 - reported to the parent, which decides
        return {"ok": False, "error": f"{type(err).__name__}: {err}", "kind": "internal"}


def main() -> None:
    started = time.perf_counter()
    # A parent that blocks SIGTERM/SIGHUP for its own watcher thread passes the mask on through
    # exec; this process must still die of them (it also ends when its stdin closes).
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    protocol = _redirect_output()
    requests = sys.stdin.buffer
    try:
        engine = Engine()
    except Exception as err:  # noqa: BLE001 - e.g. no eSpeak at all: tell the parent why
        write_message(protocol, {"ok": False, "error": str(err), "kind": "fatal"})
        return
    say_ready(protocol, engine.sample_rate, started)
    try:
        while (request := read_message(requests)) is not None and request.get("op") != "quit":
            write_message(protocol, handle(engine, request))
    finally:
        engine.close()


if __name__ == "__main__":
    main()
