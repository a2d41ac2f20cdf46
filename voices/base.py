"""The one small synth driver interface (after NVDA's synth drivers) and the speech events.

Drivers turn text into audio plus word marks; they never play audio and never touch the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

SAMPLE_WIDTH = 2  # bytes: all PCM in this package is signed 16-bit little-endian mono

MIN_RATE = 80
MAX_RATE = 1000
DEFAULT_RATE = 175


@dataclass(frozen=True)
class WordMark:
    offset: int  # character offset of the word in the utterance text
    length: int  # characters
    time: float  # seconds from the start of the utterance's audio


@dataclass(frozen=True)
class Audio:
    pcm: bytes  # s16le mono
    sample_rate: int
    marks: list[WordMark] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.pcm) / SAMPLE_WIDTH / self.sample_rate


@dataclass(frozen=True)
class VoiceInfo:
    id: str
    name: str
    languages: list[str]
    clear_up_to: int = MAX_RATE  # words a minute: faster than this, the voice is hard to follow


class SynthDriver(Protocol):
    """Synthesises one utterance at a time. Property setters clamp and return nothing;
    read the property back to see what is in force."""

    rate: int  # words per minute, MIN_RATE..MAX_RATE
    volume: float  # 0.0..1.0
    pitch: int  # 0..100, 50 = normal
    voice: str | None  # a VoiceInfo.id, None = default

    def synthesize(self, text: str) -> Audio: ...

    def voices(self) -> list[VoiceInfo]: ...

    def close(self) -> None: ...


EventKind = Literal["start", "word", "end", "stop", "error"]


@dataclass(frozen=True)
class SpeechItem:
    """One utterance for the queue. `tag` is opaque to voices/: the UI puts
    e.g. (section, sentence) or "announce" there and gets it back in events."""

    text: str
    tag: Any = None


@dataclass(frozen=True)
class SpeechEvent:
    kind: EventKind
    item: SpeechItem | None
    offset: int = 0  # word events: character offset in item.text
    length: int = 0  # word events: characters
    time: float = 0.0  # monotonic clock when the event happened (audio actually played)
    message: str = ""  # error events: a plain sentence for the user
    voice: str | None = None  # the voice that spoke it (a VoiceInfo.id; None: the default one)
