"""VoiceSwitch: the reader's one driver, whose voices are eSpeak's plus the natural voice.

The app, the queue and export choose voices by id from one list (`y`/`Y`, `--voice`, the saved
voice); this driver sends each synthesis to the engine that owns the chosen voice. The natural
voice's worker (Piper, 300-600 MB) starts only when that voice is first chosen, and it is listed
only when its optional packages are installed; eSpeak stays the default.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from voices.base import DEFAULT_RATE, Audio, SynthDriver, VoiceInfo
from voices.piper_driver import (
    ALIASES,
    FIRST_WORDS,
    INTELLIGIBLE_MAX_WPM,
    MAX_WORDS,
    PiperDriver,
    is_installed,
)
from voices.piper_driver import split as piper_split

# Only "en-us": a bare "en" would make pick_voice() choose it for every English article, and
# eSpeak stays the default until the user chooses.
NATURAL_VOICE = VoiceInfo(
    "piper/en-us-joe", "Joe (natural, US English)", ["en-us"], INTELLIGIBLE_MAX_WPM
)


class _PassedOn:
    """A setting of the switch (rate, volume, pitch): read from the engine in use; set on it and
    kept, so that an engine switched to later is given it too (the `voice` setter)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, switch: VoiceSwitch | None, owner: type | None = None) -> Any:
        return self if switch is None else getattr(switch.active, self.name)

    def __set__(self, switch: VoiceSwitch, value: float) -> None:
        switch.kept[self.name] = value
        setattr(switch.active, self.name, value)


class VoiceSwitch:
    """SynthDriver over eSpeak and, when installed, the natural voice."""

    name = "switch"

    def __init__(self, espeak: SynthDriver, natural_installed: bool | None = None) -> None:
        self.espeak = espeak
        self.natural: PiperDriver | None = None
        self._installed = is_installed() if natural_installed is None else natural_installed
        self.kept: dict[str, float] = {
            "rate": getattr(espeak, "rate", DEFAULT_RATE),
            "volume": getattr(espeak, "volume", 1.0),
            "pitch": getattr(espeak, "pitch", 50),
        }
        self._voice: str | None = None
        self._starting = threading.Lock()

    @property
    def active(self) -> Any:
        return self.natural if self._voice == NATURAL_VOICE.id and self.natural else self.espeak

    @property
    def last_message(self) -> str:
        return getattr(self.active, "last_message", "")

    # -- properties, passed to the engine in use -----------------------------------------------

    rate = _PassedOn()
    volume = _PassedOn()
    pitch = _PassedOn()

    @property
    def voice(self) -> str | None:
        return self._voice

    @voice.setter
    def voice(self, wanted: str | None) -> None:
        voice = self.resolve_voice(wanted) if wanted else None
        if voice == NATURAL_VOICE.id:
            engine: Any = self._start_natural()
        else:
            engine = self.espeak
            engine.voice = voice
        self._voice = voice
        for name, value in self.kept.items():  # rate, volume, pitch, as the user last set them
            setattr(engine, name, value)

    def prepare(self, voice: str | None) -> None:
        """`voice` will be used soon: the natural voice's worker starts loading now (1-2 s, in
        its own process), so the first sentence in it does not wait for that."""
        if voice == NATURAL_VOICE.id and self._installed:
            self._start_natural()

    def _start_natural(self) -> PiperDriver:
        with self._starting:  # prepare() runs on the caller's thread, synthesis on the queue's
            if self.natural is None:
                self.natural = PiperDriver()
            return self.natural

    def resolve_voice(self, wanted: str) -> str:
        key = wanted.strip().lower().replace("_", "-")
        if self._installed and key in {*ALIASES, NATURAL_VOICE.id, NATURAL_VOICE.name.lower()}:
            return NATURAL_VOICE.id
        if key in ALIASES:
            from voices.piper_driver import SpeechError

            raise SpeechError(
                "The natural voice is not installed; run 'reader voices --install natural'."
            )
        return self.espeak.resolve_voice(wanted)  # type: ignore[attr-defined]

    @property
    def worker_command(self) -> list[str] | None:
        """eSpeak's worker command (tests point it at a program that cannot start)."""
        return getattr(self.espeak, "worker_command", None)

    @worker_command.setter
    def worker_command(self, command: list[str] | None) -> None:
        self.espeak.worker_command = command  # type: ignore[attr-defined]

    # -- work -------------------------------------------------------------------------------------

    def voices(self) -> list[VoiceInfo]:
        extra = [NATURAL_VOICE] if self._installed else []
        return [*self.espeak.voices(), *extra]

    def synthesize(self, text: str) -> Audio:
        return self.active.synthesize(text)

    def split(
        self, text: str, voice: str | None = None, quick: bool = True
    ) -> list[tuple[int, str]]:
        """How the queue should cut `text` to be said in `voice` (by default the voice set):
        the natural voice in pieces (see PiperDriver.split), eSpeak whole."""
        wanted = voice if voice is not None else self._voice
        if wanted == NATURAL_VOICE.id and self._installed:
            return piper_split(text, FIRST_WORDS if quick else MAX_WORDS)
        return [(0, text)]

    def refresh(self) -> None:
        """Look again whether the natural voice is installed (it just was, perhaps)."""
        importlib.invalidate_caches()
        self._installed = is_installed()

    def cancel(self) -> None:
        if self.natural is not None:
            self.natural.cancel()

    def close(self) -> None:
        self.espeak.close()
        if self.natural is not None:
            self.natural.close()

    def __getattr__(self, name: str) -> Any:
        # worker_pid, startup_seconds, sample_rate...: the engine in use answers.
        if name.startswith("_") or name in ("espeak", "natural"):
            raise AttributeError(name)
        return getattr(self.active, name)
