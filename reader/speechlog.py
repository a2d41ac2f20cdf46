"""`--speech-log FILE`: one JSON line per speech event, for tests and for anyone debugging what
was said. Each run appends to the file. Fields: t (seconds since the log was opened), event
(start|word|end|stop|error|pause|resume), text (the utterance; for word events the word), section
and sentence (null for announcements), lang (the language of the voice that spoke it: "en",
"fr"; null when not known).

"pause" and "resume" come from the reader, not the speech queue: space holds the sound at the
very sample it reached, so the utterance then heard stays open (no end, no stop) until it goes
on ("resume", then its words and end) or is cut off (a stop)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from reader.reading.types import ReadingTag
from voices.base import SpeechEvent, SpeechItem


def _index(tag: Any) -> tuple[int | None, int | None]:
    if isinstance(tag, ReadingTag):
        return tag.section, tag.sentence
    return None, None


LanguageOf = Callable[[str | None], str | None]  # a voice id -> its language


def event_record(
    event: SpeechEvent, t: float, language_of: LanguageOf | None = None
) -> dict[str, Any]:
    item = event.item
    text = item.text if item is not None else ""
    if event.kind == "word" and item is not None:
        text = item.text[event.offset : event.offset + event.length]
    section, sentence = _index(item.tag if item is not None else None)
    record: dict[str, Any] = {
        "t": round(t, 4),
        "event": event.kind,
        "text": text,
        "section": section,
        "sentence": sentence,
        "lang": language_of(event.voice) if language_of is not None and item is not None else None,
    }
    if event.kind == "error":
        record["message"] = event.message
    return record


class SpeechLog:
    """Subscribe `log.write` to a SpeechQueue. Each line is flushed at once so another process
    (a test, `tail -f`) sees it while the reader runs."""

    def __init__(self, path: str | Path, language_of: LanguageOf | None = None) -> None:
        self.path = Path(path)
        self.language_of = language_of
        self.started = time.monotonic()
        # Appended to, never overwritten: a relaunch must not erase what the last run said
        # (each run's `t` starts again from 0, which marks where it begins).
        self._file: IO[str] | None = self.path.open("a", encoding="utf-8")
        self._lock = threading.Lock()
        self.last_event = ""  # the kind of the last event written

    def write(self, event: SpeechEvent) -> None:
        record = event_record(event, time.monotonic() - self.started, self.language_of)
        self._append(record, event.kind)

    def note(self, kind: str, item: SpeechItem | None) -> None:
        """A record of the reader's own ("pause", "resume") for `item`, the utterance being
        heard (None: between two), in the same form as the queue's events."""
        section, sentence = _index(item.tag if item is not None else None)
        record = {
            "t": round(time.monotonic() - self.started, 4),
            "event": kind,
            "text": item.text if item is not None else "",
            "section": section,
            "sentence": sentence,
            "lang": None,
        }
        self._append(record, kind)

    def _append(self, record: dict[str, Any], kind: str) -> None:
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            if self._file is None:
                return
            self._file.write(line + "\n")
            self._file.flush()
            self.last_event = kind

    def close(self, final_stop: bool = False) -> None:
        """Close the log; `final_stop`: end it with a stop (the reader is quitting, so nothing
        more will be said) unless it already ends with one."""
        if final_stop and self.last_event != "stop":
            self.write(SpeechEvent("stop", None, time=time.monotonic()))
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def read_log(path: str | Path) -> list[dict[str, Any]]:
    """The records of a speech log (a partly written last line is ignored)."""
    records = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records
