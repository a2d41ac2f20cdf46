"""Speech that never stops the reader: a silent driver timed like speech, and a driver that
falls back to it when the real synthesiser fails (after NVDA, whose synth choice falls back
along a list ending in silence)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from voices.base import DEFAULT_RATE, Audio, VoiceInfo, WordMark


class SilentDriver:
    """When no synthesiser works: silent audio timed like speech at the current rate, so the
    highlight still moves through the text and the reader stays usable on screen."""

    rate, volume, pitch, voice = DEFAULT_RATE, 1.0, 50, None

    def synthesize(self, text: str) -> Audio:
        marks, t = [], 0.0
        seconds_per_word = 60.0 / max(self.rate, 1)
        offset = 0
        for word in text.split():
            offset = text.index(word, offset)
            marks.append(WordMark(offset, len(word), t))
            offset += len(word)
            t += seconds_per_word
        rate = 22050
        return Audio(b"\x00\x00" * max(int(t * rate), 1), rate, marks)

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("silent", "silent", ["en"])]

    def close(self) -> None:
        pass


class FallbackDriver:
    """The real synthesiser, until it fails before it has ever spoken (its process cannot
    start, eSpeak is missing) or fails twice running: from then on SilentDriver, so the text
    is still read on screen, highlighted in time. `on_fail(error)` is called once, then."""

    def __init__(self, driver: Any, on_fail: Callable[[str], None]) -> None:
        self.real = driver
        self.silent = SilentDriver()
        self.on_fail = on_fail
        self.rate = getattr(driver, "rate", SilentDriver.rate)
        self.volume = getattr(driver, "volume", SilentDriver.volume)
        self.pitch = getattr(driver, "pitch", SilentDriver.pitch)
        self.voice = getattr(driver, "voice", None)
        self.applied: tuple[Any, ...] | None = None  # what the real driver was last set to
        self.worked = False
        self.failures = 0
        self.failed = False

    def synthesize(self, text: str) -> Audio:
        if not self.failed:
            try:
                self.apply()
                audio = self.real.synthesize(text)
            except Exception as err:
                self.failures += 1
                if self.worked and self.failures < 2:
                    raise  # one bad sentence: the queue reports it and goes on
                self.failed = True
                self.on_fail(str(err) or type(err).__name__)
            else:
                self.worked, self.failures = True, 0
                return audio
        self.silent.rate = self.rate
        return self.silent.synthesize(text)

    def apply(self) -> None:
        """Settings are handed on here, not in setters, so a broken synthesiser fails in
        synthesize (where the fallback is) rather than while the queue applies settings."""
        wanted = (self.voice, self.rate, self.volume, self.pitch)
        if wanted == self.applied:
            return
        for name, value in zip(("voice", "rate", "volume", "pitch"), wanted, strict=True):
            if self.applied is None or getattr(self.real, name, None) != value:
                setattr(self.real, name, value)
        self.applied = wanted

    def voices(self) -> list[VoiceInfo]:
        return self.silent.voices() if self.failed else self.real.voices()

    def close(self) -> None:
        self.real.close()

    def __getattr__(self, name: str) -> Any:
        # The natural voice's extras, for the queue: pieces, cancelling, "natural" as a name.
        extras = ("split", "cancel", "resolve_voice", "refresh", "prepare")
        if name in extras and not self.__dict__.get("failed"):
            return getattr(self.__dict__["real"], name)
        raise AttributeError(name)
