"""Speech for the tests: one eSpeak driver per test process, and a recorder of speech events.

Starting eSpeak's worker process costs about half a second of CPU; a suite that started one per
test spent a minute on it. Tests whose point is not a fresh driver share this one (back on its
default settings for each) — it is the same real driver and worker the reader runs on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reader.model import Article
from reader.reading.controller import ReadingController
from reader.reading.setup import Options, build_speech, prepare
from voices.base import DEFAULT_RATE, SpeechEvent
from voices.piper_switch import VoiceSwitch
from voices.pyttsx3_driver import Pyttsx3Driver

_espeak: Pyttsx3Driver | None = None


def shared_espeak() -> Pyttsx3Driver:
    """This test process's eSpeak driver, on default settings (a worker that a test killed is
    restarted by the driver itself on the next request)."""
    global _espeak
    if _espeak is None:
        _espeak = Pyttsx3Driver()
    _espeak.rate, _espeak.volume, _espeak.pitch, _espeak.voice = DEFAULT_RATE, 1.0, 50, None
    _espeak.last_message = ""
    return _espeak


def reader_driver() -> VoiceSwitch:
    """The driver the reader makes for itself (eSpeak plus the natural voice when installed),
    over the shared eSpeak: pass it as ReaderApp(driver=...) or Options(driver=...)."""
    return VoiceSwitch(shared_espeak())


def close_shared_espeak() -> None:
    global _espeak
    if _espeak is not None:
        _espeak.close()
        _espeak = None


class Recorder:
    """Collects speech events (they arrive on the queue's thread); a test reads them or waits
    for one."""

    def __init__(self) -> None:
        self.events: list[SpeechEvent] = []
        self.threads: set[str] = set()
        self._arrived = threading.Condition()

    def __call__(self, event: SpeechEvent) -> None:
        with self._arrived:
            self.events.append(event)
            self.threads.add(threading.current_thread().name)
            self._arrived.notify_all()

    def wait(self, kind: str, tag: object = None, count: int = 1, timeout: float = 30) -> None:
        """Until `count` events of `kind` (for items tagged `tag`, if given) have come."""
        with self._arrived:
            seen = self._arrived.wait_for(lambda: len(self.of(kind, tag)) >= count, timeout)
        assert seen, f"no {kind} event for {tag!r} within {timeout} s"

    def of(self, kind: str, tag: object = None) -> list[SpeechEvent]:
        with self._arrived:
            events = list(self.events)
        return [
            e
            for e in events
            if e.kind == kind and (tag is None or (e.item is not None and e.item.tag == tag))
        ]

    def kinds(self, tag: object) -> list[str]:
        with self._arrived:
            return [e.kind for e in self.events if e.item is not None and e.item.tag == tag]

    def starts(self, after: int = 0) -> list[tuple[Any, str]]:
        """(tag, text) of each utterance started (after the first `after` events), in order."""
        with self._arrived:
            events = self.events[after:]
        return [(e.item.tag, e.item.text) for e in events if e.kind == "start" and e.item]

    def mark(self) -> int:
        """How many events have come: pass it to `starts` for those that come later."""
        with self._arrived:
            return len(self.events)

    def duration(self, tag: object) -> float:
        (start,) = self.of("start", tag)
        (end,) = self.of("end", tag)
        return end.time - start.time

    def clear(self) -> None:
        with self._arrived:
            self.events.clear()


class RecordingView:
    """Stands in for the app's screens as the reading controller's view: remembers the messages
    it was asked to show and the speech events, and counts the refreshes."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, bool]] = []
        self.speech = Recorder()
        self.refreshes = 0

    def show_message(self, text: str, error: bool = False) -> None:
        self.messages.append((text, error))

    def show_later(self, text: str) -> None:
        self.messages.append((text, False))

    def refresh_reading(self, word_only: bool = False) -> None:
        self.refreshes += 1

    def update_status(self) -> None:
        pass

    def speech_event(self, event: SpeechEvent) -> None:  # the queue's thread
        self.speech(event)

    def started(self, after: int = 0) -> list[tuple[Any, str]]:
        return self.speech.starts(after)

    def mark(self) -> int:
        return self.speech.mark()


@contextmanager
def opened_controller(
    article: Article, view: Any = None, **options: Any
) -> Iterator[tuple[ReadingController, Any]]:
    """A ReadingController with speech up and `article` open, not yet reading; its speech is
    closed afterwards. By default the shared eSpeak driver at 1000 wpm and a RecordingView;
    `options` are Options' own (driver=None: a driver of its own)."""
    view = RecordingView() if view is None else view
    options.setdefault("rate", 1000)
    if "driver" not in options:
        options["driver"] = reader_driver()
    controller = ReadingController(Options(source="test", autoplay=False, **options), view)
    speech, notices = build_speech(controller.options, lambda error: None)
    assert controller.attach_speech(speech, notices)
    controller.begin_article("test", prepare(article))
    controller.start_reading("test")
    try:
        yield controller, view
    finally:
        controller.close_speech()
