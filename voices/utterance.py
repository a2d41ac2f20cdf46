"""An utterance on its way through the speech queue (voices/queue.py): the pieces it is cut into,
the voice each piece is spoken in, and the settings a synthesis was made with.

One SpeechItem becomes one or more entries:
- runs of different voices (a picker the queue was given says, for instance, that "Section 2 of
  10:" is the reader's own words, in the interface voice, and the title after it the article's);
- within a run, the pieces a driver asks for (Piper: a short first piece, for fast first audio).
The item's "start" event comes with its first entry and its "end" with its last; word offsets
always point into the item's whole text. An entry makes its own events (`event`, `words_heard`);
the queue decides when, from what the player has delivered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from voices.base import MAX_RATE, MIN_RATE, Audio, EventKind, SpeechEvent, SpeechItem

# (offset in item.text, voice id or None for the queue's own voice), in increasing offsets: each
# run lasts until the next one starts.
VoiceRuns = Sequence[tuple[int, str | None]]
VoicePicker = Callable[[SpeechItem], VoiceRuns]
# split(text, voice, quick): (offset, piece) pairs; `quick`: the listener is waiting for it.
Splitter = Callable[[str, str | None, bool], list[tuple[int, str]]]


@dataclass(frozen=True)
class Settings:
    rate: int
    volume: float
    pitch: int
    voice: str | None


@dataclass
class Entry:
    """One piece of an utterance on its way through the queue."""

    item: SpeechItem
    text: str  # what is synthesised: item.text, or a piece or tail of it
    base: int = 0  # offset of `text` inside item.text
    voice: str | None = None  # this piece's own voice; None: the queue's voice
    audio: Audio | None = None
    token: int | None = None  # the player's buffer
    error: str = ""
    made_with: Settings | None = None  # the settings (voice, rate...) its audio was made with
    kept: Audio | None = None  # audio made for it before, dropped unheard: played, not made again
    started: bool = False
    next_mark: int = 0
    word_offset: int = 0  # offset in item.text of the word being spoken
    marks_frames: list[int] = field(default_factory=list)
    first: bool = True  # the item's first piece: its "start" comes with it
    last: bool = True  # the item's last piece: its "end" comes with it

    def fresh(self) -> Entry:
        """The same piece, to be synthesised again (settings changed)."""
        return Entry(
            self.item,
            self.text,
            self.base,
            self.voice,
            word_offset=self.base,
            first=self.first,
            last=self.last,
        )

    @property
    def spoken_by(self) -> str | None:
        """The voice the audio was made with (None: the driver's default, or not made yet)."""
        return self.made_with.voice if self.made_with is not None else None

    def event(self, kind: EventKind, when: float, message: str = "") -> SpeechEvent:
        """This piece's item's `kind` event, said by the voice that made its audio."""
        return SpeechEvent(kind, self.item, time=when, message=message, voice=self.spoken_by)

    def words_heard(self, delivered: int, when: Callable[[int], float]) -> list[SpeechEvent]:
        """Word events for the marks the player has now delivered `delivered` frames of
        (`when(frame)`: the time that frame was heard), each once, offsets in item.text."""
        marks = self.audio.marks if self.audio is not None else []
        events = []
        while self.next_mark < len(marks) and self.marks_frames[self.next_mark] <= delivered:
            mark, frame = marks[self.next_mark], self.marks_frames[self.next_mark]
            self.next_mark += 1
            self.word_offset = self.base + mark.offset
            events.append(
                SpeechEvent(
                    "word",
                    self.item,
                    offset=self.word_offset,
                    length=mark.length,
                    time=when(frame),
                    voice=self.spoken_by,
                )
            )
        return events

    def tail(self, start: int) -> Entry:
        """This piece from offset `start` of item.text on (re-spoken from a word)."""
        text = self.text[start - self.base :]
        return Entry(self.item, text, start, self.voice, word_offset=start, last=self.last)


def entries_for(
    item: SpeechItem,
    runs: VoiceRuns,
    split: Splitter | None,
    default_voice: str | None,
    quick: bool = False,
) -> list[Entry]:
    """The entries that say `item`: one per voice run, each cut as the driver asks. `quick`:
    nothing is playing, so the listener waits for the first piece (a driver then makes it
    short); the others are made while earlier ones play."""
    text = item.text
    bounds = _clean_runs(runs, len(text))
    entries: list[Entry] = []
    for (start, voice), (end, _) in zip(bounds, [*bounds[1:], (len(text), None)], strict=True):
        part = text[start:end]
        if not part.strip():
            continue
        wait = quick and not entries
        pieces = split(part, voice or default_voice, wait) if split is not None else []
        for at, piece in pieces or [(0, part)]:
            entries.append(Entry(item, piece, start + at, voice, word_offset=start + at))
    if not entries:
        return []
    for entry in entries:
        entry.first = entry.last = False
    entries[0].first = entries[-1].last = True
    return entries


Kept = dict[tuple[str, Settings], Audio]  # (text, settings) -> audio made for it and not heard


def reuse(
    item: SpeechItem, entries: list[Entry], kept: Kept, settings_for: Callable[[Entry], Settings]
) -> list[Entry]:
    """Give `entries` the audio already made for them (the sentence skipped to was made ahead
    while the one before played; "repeat" says what was being heard): first for the whole
    item in one piece, else piece by piece. The listener then hears it at once."""
    if not kept or not entries:
        return entries
    voice = entries[0].voice
    whole = Entry(item, item.text, 0, voice, word_offset=0)
    if all(e.voice == voice for e in entries) and "".join(e.text for e in entries) == item.text:
        whole.kept = kept.get((item.text, settings_for(whole)))
        if whole.kept is not None:
            return [whole]
    for entry in entries:
        entry.kept = kept.get((entry.text, settings_for(entry)))
    return entries


def _clean_runs(runs: VoiceRuns, length: int) -> list[tuple[int, str | None]]:
    """Runs inside the text, in order, the first at 0, none empty, neighbours differing."""
    out: list[tuple[int, str | None]] = [(0, None)]
    for start, voice in sorted(((min(max(0, s), length), v) for s, v in runs), key=_start):
        if start == out[-1][0]:
            out[-1] = (start, voice)
        elif voice != out[-1][1]:
            out.append((start, voice))
    return out


def _start(run: tuple[int, str | None]) -> int:
    return run[0]


def clamp_rate(wpm: float) -> int:
    return int(min(MAX_RATE, max(MIN_RATE, round(wpm))))


def rate_notice(asked: float, rate: int) -> str:
    if asked > MAX_RATE:
        return f"The fastest speech rate is {MAX_RATE} words per minute; using {rate}."
    if asked < MIN_RATE:
        return f"The slowest speech rate is {MIN_RATE} words per minute; using {rate}."
    return ""
