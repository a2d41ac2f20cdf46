"""Audio output: PCM s16le mono through miniaudio, with sample-exact positions.

One device stays open for the app's lifetime (opening one per utterance is slow and
clicks). A generator callback feeds it in small periods (~20 ms), so `stop()` and
`pause()` take effect at the next period, and every period records how many frames of
which buffer were actually handed to the device. The speech queue times its start and
word events from those records, not from synthesis.

Backends: "auto" (the system's device) or "null" (miniaudio's null backend, which
consumes audio at real-time speed with no sound card: tests and silent machines).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field

import miniaudio

from voices.base import SAMPLE_WIDTH, Audio

DEVICE_RATE = 22050  # eSpeak NG's native rate: no resampling in the common case
PERIOD_MSEC = 20
AUDIBLE_LEVEL = 64  # |sample| above this counts as sound (eSpeak's silence is ~0)
HISTORY_LEN = 3000  # periods kept for measurement (~60 s)
NO_DEVICE_MESSAGE = "No sound device found; reading silently."


@dataclass
class Buffer:
    """One queued piece of audio and how much of it the device has been given."""

    token: int
    pcm: bytes
    frames: int
    delivered: int = 0  # frames handed to the device
    started_at: float | None = None  # monotonic time its first frame was delivered
    finished_at: float | None = None  # monotonic time its last frame was delivered
    # (time, frames delivered before that period) of the latest period that touched it
    last_period: tuple[float, int] = (0.0, 0)

    @property
    def done(self) -> bool:
        return self.delivered >= self.frames


@dataclass(frozen=True)
class Progress:
    """A snapshot of one buffer's playback, safe to read on any thread."""

    token: int
    frames: int
    delivered: int
    started_at: float | None
    finished_at: float | None
    period_time: float
    period_start: int
    sample_rate: int
    known: bool = True  # False: the player no longer holds this buffer (stopped/dropped)

    @property
    def done(self) -> bool:
        return self.known and self.delivered >= self.frames

    def time_of_frame(self, frame: int) -> float:
        """Best estimate of the monotonic time the given frame was handed to the device."""
        if self.started_at is None:
            return time.monotonic()
        return self.period_time + (frame - self.period_start) / self.sample_rate


@dataclass(frozen=True)
class Period:
    """One device callback, for measurement (benchmarks)."""

    time: float
    audible: bool
    tokens: tuple[int, ...] = field(default_factory=tuple)


class AudioPlayer:
    """Plays Audio on one long-lived miniaudio device. Thread-safe."""

    def __init__(self, backend: str = "auto", sample_rate: int = DEVICE_RATE) -> None:
        if backend not in ("auto", "null"):
            raise ValueError(f"unknown audio backend {backend!r} (use auto or null)")
        self.sample_rate = sample_rate
        self.message = ""  # non-empty: something the user should be told (e.g. no device)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._buffers: deque[Buffer] = deque()
        self._by_token: dict[int, Buffer] = {}
        self._next_token = 1
        self._paused = False
        self._closed = False
        self._frames_delivered = 0  # frames of queued audio handed over, whole lifetime
        self._frames_queued = 0  # frames of audio ever queued (minus any dropped unplayed)
        self._last_audible = 0.0
        self._listeners: list[Callable[[], None]] = []
        self.history: deque[Period] = deque(maxlen=HISTORY_LEN)
        self._device = self._open(backend)
        self.backend = "null" if self._device.backend.lower() == "null" else "auto"
        if backend == "auto" and self.backend == "null" and not self.message:
            self.message = NO_DEVICE_MESSAGE
        self._generator = self._feed()
        next(self._generator)
        with _quiet_stderr():
            self._device.start(self._generator)

    # ---- device -------------------------------------------------------------------------

    def _open(self, backend: str) -> miniaudio.PlaybackDevice:
        if backend == "auto":
            try:
                with _quiet_stderr():
                    return self._make_device(None)
            except miniaudio.MiniaudioError:
                self.message = NO_DEVICE_MESSAGE
        return self._make_device([miniaudio.Backend.NULL])

    def _make_device(self, backends: list[miniaudio.Backend] | None) -> miniaudio.PlaybackDevice:
        return miniaudio.PlaybackDevice(
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=1,
            sample_rate=self.sample_rate,
            buffersize_msec=PERIOD_MSEC,
            backends=backends,
            app_name="reader",
        )

    def _feed(self) -> Generator[bytes, int, None]:
        frames = yield b""
        while True:
            frames = yield self._fill(frames)

    def _fill(self, frames: int) -> bytes:
        """Runs on miniaudio's thread once per period: must be quick and never block long."""
        now = time.monotonic()
        with self._lock:
            if self._paused or not self._buffers:
                chunk = bytes(frames * SAMPLE_WIDTH)
                tokens: tuple[int, ...] = ()
            else:
                chunk, tokens = self._take(frames, now)
            audible = bool(tokens) and _is_audible(chunk)
            if audible:
                self._last_audible = now
            self.history.append(Period(now, audible, tokens))
            listeners = list(self._listeners) if tokens else []
            if tokens:
                self._changed.notify_all()
        for listener in listeners:
            listener()
        return chunk

    def _take(self, frames: int, now: float) -> tuple[bytes, tuple[int, ...]]:
        out = bytearray()
        tokens: list[int] = []
        while frames > 0 and self._buffers:
            buf = self._buffers[0]
            n = min(frames, buf.frames - buf.delivered)
            start = buf.delivered * SAMPLE_WIDTH
            out += buf.pcm[start : start + n * SAMPLE_WIDTH]
            # The period's first frame reaches the device "now"; later ones follow at rate.
            offset = len(out) // SAMPLE_WIDTH - n
            buf.last_period = (now + offset / self.sample_rate, buf.delivered)
            if buf.started_at is None:
                buf.started_at = now + offset / self.sample_rate
            buf.delivered += n
            self._frames_delivered += n
            frames -= n
            tokens.append(buf.token)
            if buf.done:
                buf.finished_at = now + (offset + n) / self.sample_rate
                self._buffers.popleft()
        out += bytes(frames * SAMPLE_WIDTH)
        return bytes(out), tuple(tokens)

    # ---- control --------------------------------------------------------------------------

    def play(self, audio: Audio) -> int:
        """Replace whatever is playing or queued with this audio; returns its token."""
        with self._lock:
            self._clear()
            return self._append(audio)

    def enqueue(self, audio: Audio) -> int:
        """Queue audio to follow the current buffers with no gap; returns its token."""
        with self._lock:
            return self._append(audio)

    def _append(self, audio: Audio) -> int:
        pcm = self._convert(audio)
        token = self._next_token
        self._next_token += 1
        buf = Buffer(token, pcm, len(pcm) // SAMPLE_WIDTH)
        self._buffers.append(buf)
        self._by_token[token] = buf
        self._frames_queued += buf.frames
        self._forget_old()
        return token

    def _convert(self, audio: Audio) -> bytes:
        pcm = audio.pcm[: len(audio.pcm) - len(audio.pcm) % SAMPLE_WIDTH]
        if audio.sample_rate == self.sample_rate or not pcm:
            return bytes(pcm)
        fmt = miniaudio.SampleFormat.SIGNED16
        return bytes(
            miniaudio.convert_frames(fmt, 1, audio.sample_rate, pcm, fmt, 1, self.sample_rate)
        )

    def _forget_old(self) -> None:
        # Keep finished buffers' progress readable for a while, but not forever.
        if len(self._by_token) > 64:
            live = {b.token for b in self._buffers}
            for token in sorted(self._by_token)[:-32]:
                if token not in live:
                    del self._by_token[token]

    def _clear(self) -> None:
        for buf in self._buffers:
            self._by_token.pop(buf.token, None)
            self._frames_queued -= buf.frames - buf.delivered
        self._buffers.clear()
        self._changed.notify_all()

    def stop(self) -> None:
        """Silence from the next period on; everything queued is dropped.
        The paused flag is left alone: the caller decides whether stopping un-pauses."""
        with self._lock:
            self._clear()

    def drop_unstarted(self) -> list[int]:
        """Remove queued buffers that have not delivered a frame yet; returns their tokens."""
        with self._lock:
            dropped = [b.token for b in self._buffers if b.delivered == 0]
            for token in dropped:
                self._frames_queued -= self._by_token.pop(token).frames
            self._buffers = deque(b for b in self._buffers if b.delivered > 0)
            return dropped

    def pause(self) -> None:
        """Deliver silence without advancing; resume() continues at the same sample."""
        with self._lock:
            self._paused = True

    def resume(self) -> None:
        with self._lock:
            self._paused = False

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def busy(self) -> bool:
        """True while there is audio left to deliver (paused or not)."""
        with self._lock:
            return bool(self._buffers)

    @property
    def frames_delivered(self) -> int:
        """Frames of queued audio handed to the device so far (silence not counted)."""
        with self._lock:
            return self._frames_delivered

    @property
    def frames_queued(self) -> int:
        """Frames ever queued, less those dropped unplayed: equals frames_delivered once
        everything has played, so no sample was skipped or repeated."""
        with self._lock:
            return self._frames_queued

    @property
    def position(self) -> float:
        """Seconds of the current buffer delivered so far (0.0 when idle)."""
        with self._lock:
            if not self._buffers:
                return 0.0
            return self._buffers[0].delivered / self.sample_rate

    @property
    def last_audible(self) -> float:
        """Monotonic time of the last period that delivered a non-silent sample (0.0: never)."""
        with self._lock:
            return self._last_audible

    def progress(self, token: int) -> Progress:
        with self._lock:
            buf = self._by_token.get(token)
            if buf is None:
                return Progress(token, 0, 0, None, None, 0.0, 0, self.sample_rate, known=False)
            return Progress(
                token,
                buf.frames,
                buf.delivered,
                buf.started_at,
                buf.finished_at,
                buf.last_period[0],
                buf.last_period[1],
                self.sample_rate,
            )

    def add_listener(self, listener: Callable[[], None]) -> None:
        """Call `listener()` (on the audio thread: keep it tiny) after each period that
        delivered queued audio."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every queued buffer has been delivered; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while self._buffers:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def periods_since(self, since: float) -> Iterator[Period]:
        """Measurement periods recorded after the monotonic time `since`."""
        recent: list[Period] = []
        with self._lock:  # from the newest back: a caller polling this must not hold up _fill
            for period in reversed(self.history):
                if period.time <= since:
                    break
                recent.append(period)
        return reversed(recent)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._clear()
        with _quiet_stderr():
            self._device.close()

    def __enter__(self) -> AudioPlayer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_player(backend: str | None = None) -> AudioPlayer:
    """backend "auto" | "null"; None reads env READER_AUDIO (default "auto").
    With no usable device, "auto" falls back to null and sets `player.message`."""
    if backend is None:
        backend = os.environ.get("READER_AUDIO", "").strip().lower() or "auto"
    return AudioPlayer(backend)


def _is_audible(chunk: bytes) -> bool:
    samples = array("h")
    samples.frombytes(chunk)
    return max(samples, default=0) > AUDIBLE_LEVEL or min(samples, default=0) < -AUDIBLE_LEVEL


# ---- ALSA chatter ---------------------------------------------------------------------------

_ALSA_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_alsa_silencer: object | None = None  # keeps the C callback alive for the process lifetime


def _silence_alsa() -> None:
    """ALSA prints its config errors straight to stderr (which garbles a terminal UI);
    route them to a handler that drops them. Same library instance miniaudio dlopens."""
    global _alsa_silencer
    if _alsa_silencer is not None:
        return
    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        _alsa_silencer = False
        return
    handler = _ALSA_HANDLER(lambda *args: None)
    lib.snd_lib_error_set_handler(handler)
    _alsa_silencer = handler


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Belt and braces: some backends write to fd 2 directly during device init."""
    _silence_alsa()
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
