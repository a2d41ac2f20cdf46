"""The speech stack the reader runs on: a driver (falling back to silence), a player and the
queue between them, with the voices' names for the status line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from voices.drivers import make_driver
from voices.fallback import FallbackDriver
from voices.player import make_player
from voices.queue import SpeechQueue


@dataclass
class Speech:
    """A ready speech stack and the names of its voices (id -> name)."""

    queue: SpeechQueue
    driver: Any
    voice_names: dict[str, str] = field(default_factory=dict)


def make_speech(
    driver: Any, audio: str | None, on_fail: Callable[[str], None] | None = None
) -> Speech:
    """Driver (the default one when None; wrapped to fall back to silence when `on_fail` is
    given), player for `audio` ("null", "auto", ...) and queue. The driver may take a moment:
    it starts a process."""
    if driver is None:
        driver = make_driver()
    if on_fail is not None:
        driver = FallbackDriver(driver, on_fail)
    queue = SpeechQueue(driver, make_player(audio))
    try:
        names = {v.id: v.name for v in queue.voices()}
    except Exception:  # names are only for the status line
        names = {}
    return Speech(queue, driver, names)
