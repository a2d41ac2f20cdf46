"""The reading layer's types (after NVDA's speech/types.py): typed speech tags, the shapes of the
utterances, queue and view the reading layer works with, and how talking dialogs treat reading.

The tags say what each SpeechItem is, so the session, the app and the speech log tell reading
from announcements by type, not by the shape of a tuple (after NVDA's typed speech commands).
voices/ treats tags as opaque and hands them back in its events.

Both are tuples, so a tag still compares equal to, and hashes like, its plain form:
`ReadingTag(3, 1) == (3, 1)` and `Announcement("help") == ("announce", "help")`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

from voices.base import SpeechEvent, SpeechItem


class ReadingTag(NamedTuple):
    """A sentence of the article: sentence 0 is its section's title."""

    section: int
    sentence: int


class _AnnouncementFields(NamedTuple):
    marker: str
    kind: str


class Announcement(_AnnouncementFields):
    """Something the reader says about itself (a key's answer, a dialog opening, an error);
    `kind` says which ("navigation", "help", "find", "error", ...)."""

    __slots__ = ()

    def __new__(cls, kind: str) -> Announcement:
        return super().__new__(cls, "announce", kind)


class UtteranceLike(Protocol):
    text: str
    section: int
    sentence: int
    kind: str


class QueueLike(Protocol):
    """The part of voices.queue.SpeechQueue the session uses."""

    def subscribe(self, callback: Callable[[SpeechEvent], None]) -> Any: ...
    def speak(self, items: Sequence[SpeechItem], interrupt: bool = True) -> Any: ...
    def stop(self) -> Any: ...
    def pause(self) -> Any: ...
    def resume(self) -> Any: ...
    def set_rate(self, wpm: int) -> int: ...
    def set_volume(self, volume: float) -> float: ...

    @property
    def paused(self) -> bool: ...
    @property
    def rate(self) -> int: ...
    @property
    def volume(self) -> float: ...


class View(Protocol):
    """What the controller needs from the screen (reader/ui/view.py implements it)."""

    def show_message(self, text: str, error: bool = False) -> None: ...
    def show_later(self, text: str) -> None: ...
    def refresh_reading(self, word_only: bool = False) -> None: ...
    def update_status(self) -> None: ...
    def speech_event(self, event: SpeechEvent) -> None: ...  # called on the queue's thread


class Modal(NamedTuple):
    """How one talking dialog or list treats reading: whether opening it pauses reading (or
    its own speech simply stops it), what is said when it closes, and with which tags."""

    pauses: bool
    closed: str
    resume_tag: str  # the tag of "… closed." when reading goes on after it
    tell_tag: str  # the tag of "… closed." otherwise
    show_now: bool = False  # shown at once, not after a closing screen has gone


FIND = Modal(True, "Find closed.", "message", "dialog")
HELP = Modal(False, "Help closed.", "help", "help")
OPEN = Modal(True, "Open cancelled.", "dialog", "dialog")
SECTIONS = Modal(False, "Section list closed.", "message", "sections", show_now=True)
LINKS = Modal(False, "Links list closed.", "message", "links")
