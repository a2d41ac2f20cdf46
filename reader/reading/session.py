"""The reading state and navigation, free of any UI (after frogmouth / NVDA: widgets only show it).

A ReadingSession holds the Article, its utterances, the current (section, sentence) position and
whether it is playing, paused or stopped. Every navigation method tells the speech queue what to
say and returns the text it announced. The position follows the queue's *start* events, so it is
always the sentence the listener is actually hearing.

Threading: methods are called from one thread (the UI's). Queue events arrive on the queue's own
thread; they only update plain fields under `_state_lock` and are handed on to subscribers, who
must marshal them to their own thread. `_speak_lock` serialises calls into the queue (a lazy
top-up from the queue thread must never land after a user's interrupt); it is never held while
waiting for the state lock, and event callbacks never take it, so the two cannot deadlock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from reader.model import Article
from reader.reading.content import ArticleText
from reader.reading.levels import (
    VOLUME_STEP,
    clamp_volume,
    rate_text,
    step_rate,
    volume_text,
)
from reader.reading.timekeeping import time_left
from reader.reading.types import Announcement, QueueLike, ReadingTag, UtteranceLike
from reader.text import squash, with_full_stop
from voices.base import MAX_RATE, MIN_RATE, SpeechEvent, SpeechItem

State = Literal["playing", "paused", "stopped"]

CHUNK = 24  # utterances handed to the queue at a time; topped up when half are spoken


@dataclass(frozen=True)
class Word:
    """The word being spoken: its character span in the utterance's text (`item.text`, or,
    when `item` says only the tail of its utterance, in the whole utterance's text)."""

    item: SpeechItem
    offset: int
    length: int


class ReadingSession(ArticleText):
    def __init__(
        self,
        article: Article,
        utterances: Sequence[Sequence[UtteranceLike]],
        queue: QueueLike,
        *,
        chunk: int = CHUNK,
        shown: Sequence[Sequence[str]] | None = None,
    ) -> None:
        super().__init__(article, utterances, shown)
        self.queue = queue
        self.chunk = max(2, chunk)
        self._pos = 0
        self.state: State = "stopped"
        self.word: Word | None = None
        self.speaking: SpeechItem | None = None  # what the queue is saying now, if anything
        # The last announcement in the page's own words, for the eye ("" when the last action
        # announced nothing, e.g. a plain sentence move): what is said may be respelt for eSpeak.
        self.announced = ""
        self._gen = 0  # bumped by every interrupt; stale top-ups compare against it
        self._live: set[int] = set()  # ids of items fed in this generation
        self._keep: list[SpeechItem] = []  # holds those items so their ids stay unique
        # An item that says only the tail of its utterance (reading went on from a word):
        # id -> where that tail starts in the utterance's text.
        self._tail_at: dict[int, int] = {}
        self._fed_end = 0  # flat index after the last reading item handed to the queue
        self._topping_up = False
        self._end_item: SpeechItem | None = None
        self.finished = False  # "End of article." was heard; any reading since clears it
        self._state_lock = threading.Lock()
        self._speak_lock = threading.Lock()
        self._listeners: list[Callable[[SpeechEvent], None]] = []
        queue.subscribe(self._on_event)

    # ------------------------------------------------------------ read-only views

    @property
    def position(self) -> tuple[int, int]:
        """(section, sentence) of the current utterance; sentence 0 is the section title."""
        if not self._flat:
            return (0, 0)
        u = self._flat[self._pos]
        return (u.section, u.sentence)

    @property
    def section(self) -> int:
        return self.position[0]

    @property
    def sentence(self) -> int:
        return self.position[1]

    @property
    def current(self) -> UtteranceLike | None:
        return self._flat[self._pos] if self._flat else None

    @property
    def index(self) -> int:
        """The flat index of the current utterance (element navigation counts in these)."""
        return self._pos

    @property
    def current_shown(self) -> str:
        return self._shown[self._pos] if self._flat else ""

    def where(self, spoken: bool = True) -> str:
        """'42 percent, 6 minutes left. Section 3 of 7: Title. Sentence 2 of 5. Rate 175.
        Playing.' (spoken=False: the title as written, for the screen). The first sentence is
        what a listener asks most, short enough to hear in 3 seconds at 175 words a minute;
        the time left is the words still to read at the current rate."""
        if not self._flat:
            return "Nothing to read."
        section, sentence = self.position
        count = self.sentence_count(section)
        at = f"Sentence {sentence} of {count}." if sentence else "At the section title."
        label = self.section_label(section, spoken)
        elements, rate = self.elements, self.queue.rate
        left = time_left(elements.words_left(self._pos), rate)
        first = f"{elements.percent(self._pos)} percent, {left} left."
        return f"{first} {with_full_stop(label)} {at} Rate {rate}. {self.state.title()}."

    def subscribe(self, callback: Callable[[SpeechEvent], None]) -> None:
        """`callback(event)` runs on the queue's thread after the session has updated itself."""
        self._listeners.append(callback)

    # ------------------------------------------------------------ playing

    def play(self, prefix: str = "") -> str:
        """Read from the current position on (after saying `prefix`, if any)."""
        return self._read_from(self._pos, prefix=prefix)

    def toggle_pause(self) -> str:
        """Space: pause if playing, otherwise go on (mid-sentence after a pause)."""
        if self.state == "playing":
            self.queue.pause()
            self.state = "paused"
            return "Paused"
        if self.state == "paused" and self.queue.paused and self.speaking is not None:
            self.queue.resume()
            self.state = "playing"
            return "Playing"
        self.play()
        return "Playing"

    def stop(self) -> str:
        with self._speak_lock:
            self._new_generation()
            self.queue.stop()
        self.state = "stopped"
        return "Stopped"

    # ------------------------------------------------------------ navigation (reading goes on)

    def go_to(self, section: int, sentence: int = 0) -> str:
        return self._read_from(self.index_of(section, sentence))

    def next_sentence(self) -> str:
        if self._pos + 1 >= self.total:
            # Only the news: reading the last sentence again would sound like a step back.
            return self.say(["End of article."], "navigation")
        return self._read_from(self._pos + 1)

    def prev_sentence(self) -> str:
        if self._pos == 0:
            return self._read_from(0, prefix="Start of article.")
        return self._read_from(self._pos - 1)

    def repeat(self) -> str:
        return self._read_from(self._pos)

    def next_section(self) -> str:
        section = self.section
        if section + 1 >= self.section_count:
            return self._announce_then_continue("No more sections.")
        return self.go_to_section(section + 1)

    def prev_section(self) -> str:
        section = self.section
        if section == 0:
            return self.go_to_section(0, prefix="First section.")
        return self.go_to_section(section - 1)

    def go_to_section(self, section: int, prefix: str = "") -> str:
        """Announce 'Section 4 of 8: Title', then read on from its first sentence."""
        section = min(max(section, 0), self.section_count - 1)
        first = self._section_first[section]
        label = f"{prefix} {self.section_label(section)}".strip()
        shown = f"{prefix} {self.section_label(section, spoken=False)}".strip()
        start = first
        # The label already says the title, so reading goes on after it.
        if (
            first < self.total
            and self._flat[first].sentence == 0
            and self._flat[first].section == section
        ):
            start = first + 1
        return self._read_from(start, prefix=label, position=first, shown_prefix=shown)

    def start(self, prefix: str = "Start of article.") -> str:
        return self._read_from(0, prefix=prefix)

    def end(self) -> str:
        """Go to the last sentence and read it."""
        return self._read_from(max(self.total - 1, 0), prefix="End of article, last sentence.")

    def resume_at(self, section: int, sentence: int, prefix: str = "") -> str:
        """Start reading at a saved position, saying so (after `prefix`, if any)."""
        index = self.index_of(section, sentence)
        u = self._flat[index] if self._flat else None

        section = u.section if u else 0
        # The section's title, unless `prefix` has just said it ("Back to Title.").
        title = self.spoken_title(section)
        if (key := squash(title)) and squash(prefix).endswith(key):
            title = ""

        def resuming(spoken: bool) -> str:
            where = f"section {section + 1} of {self.section_count}"
            if title:
                where += f", {title if spoken else self.section_title(section)}"
            # A full stop: the first sentence follows at once, and "section 1 of 3 MS affects"
            # would run the count into it.
            return f"{prefix} Resuming at {with_full_stop(where)}".strip()

        return self._read_from(index, prefix=resuming(True), shown_prefix=resuming(False))

    def find_next(self, words: str) -> str | None:
        """Read from the next utterance after the current one whose shown or spoken text has
        `words` (any case, any spacing), wrapping round to the start; the section is announced
        when it changes. None (and nothing said) when no utterance has them."""
        if not self._flat or (index := self.find_after(self._pos, words)) is None:
            return None
        section = self._flat[index].section
        wrapped = index <= self._pos
        parts = ["Search went round to the start."] if wrapped else []
        shown = list(parts)
        if section != self._flat[self._pos].section and self._flat[index].sentence != 0:
            parts.append(self.section_label(section) + ".")
            shown.append(self.section_label(section, spoken=False) + ".")
        return self._read_from(
            index, prefix=" ".join(parts), tag="find", shown_prefix=" ".join(shown)
        )

    def jump(
        self, index: int, prefix: str = "", after_first: str = "", shown: str | None = None
    ) -> str:
        """Read from flat `index` on (reading goes on: NVDA's skim reading), saying `prefix`
        before it, or `after_first` after its first utterance ("Dosing, heading level 2");
        `shown`: what the screen shows of it."""
        return self._read_from(index, prefix=prefix, after_first=after_first, shown_prefix=shown)

    def resume_with(self, text: str, tag: str = "message") -> str:
        """Say `text`, then read on from the word that was being heard (after a dialog that
        paused reading was closed, say)."""
        self._read_from(self._pos, prefix=text, tag=tag, from_char=self._heard_up_to())
        return text

    # ------------------------------------------------------------ settings (announced)

    def faster(self) -> str:
        return self.set_rate(step_rate(self.queue.rate, +1))

    def slower(self) -> str:
        return self.set_rate(step_rate(self.queue.rate, -1))

    def set_rate(self, wpm: int) -> str:
        wpm = min(max(int(wpm), MIN_RATE), MAX_RATE)
        return self.announce(rate_text(self.queue.set_rate(wpm)))

    def louder(self) -> str:
        return self.set_volume(self.queue.volume + VOLUME_STEP)

    def softer(self) -> str:
        return self.set_volume(self.queue.volume - VOLUME_STEP)

    def set_volume(self, volume: float) -> str:
        volume = self.queue.set_volume(clamp_volume(volume))
        return self.announce(volume_text(volume))

    # ------------------------------------------------------------ announcements

    def announce(self, text: str, tag: str = "message") -> str:
        """Say `text` at once. If reading was playing, reading goes on from the current sentence
        afterwards; otherwise the queue falls quiet after it."""
        if self.state == "playing":
            return self._announce_then_continue(text, tag)
        return self.say([text], tag)

    def say(self, texts: Sequence[str], tag: str = "message") -> str:
        """Interrupt everything and say these announcements only; reading does not go on."""
        items = [SpeechItem(t, tag=Announcement(tag)) for t in texts if t.strip()]
        self.announced = " ".join(t.strip() for t in texts if t.strip())
        with self._speak_lock:
            self._new_generation(items)
            self.queue.speak(items, interrupt=True)
            self._unpause()
        if self.state == "playing":
            self.state = "stopped"
        return " ".join(texts)

    def _announce_then_continue(self, text: str, tag: str = "message") -> str:
        """Say `text`, then go on from the word that was being heard (the listener has
        heard the sentence up to there: starting it again wastes their time)."""
        if self.state != "playing":
            return self.say([text], tag)
        self._read_from(self._pos, prefix=text, tag=tag, from_char=self._heard_up_to())
        return text

    def _heard_up_to(self) -> int:
        """Where in the current utterance's text the word being spoken starts (0 if none)."""
        with self._state_lock:
            word = self.word
            if word is None or not self._flat or self._index.get(word.item.tag) != self._pos:
                return 0
            text = self._flat[self._pos].text
            offset = word.offset if 0 < word.offset < len(text) else 0
        # From the start of the written word: a mark may point past an opening bracket.
        while offset > 0 and not text[offset - 1].isspace():
            offset -= 1
        return offset

    # ------------------------------------------------------------ feeding the queue

    def _read_from(
        self,
        index: int,
        prefix: str = "",
        position: int | None = None,
        tag: str = "navigation",
        from_char: int = 0,
        shown_prefix: str | None = None,
        after_first: str = "",
    ) -> str:
        """Interrupt, say `prefix` (if any), then read the article from flat `index` on
        (its first utterance from character `from_char`; `after_first` said after it).
        `shown_prefix`: the prefix in the page's own words, when what is said is respelt
        (kept in `announced`)."""
        if not self._flat:
            return self.say(["This article has no text to read."])
        self.announced = prefix if shown_prefix is None else shown_prefix
        index = min(max(index, 0), self.total)
        items = [SpeechItem(prefix, tag=Announcement(tag))] if prefix else []
        with self._speak_lock:
            with self._state_lock:
                self._pos = min(position if position is not None else index, self.total - 1)
                self.word = None
            reading = self._reading_items(index, index + self.chunk)
            tail = None
            if from_char > 0 and index < self.total and reading:
                first = reading[0]
                tail = SpeechItem(first.text[from_char:], tag=first.tag)
                reading[0] = tail
            if after_first and reading:
                reading.insert(1, SpeechItem(after_first, tag=Announcement(tag)))
            self._new_generation(items + reading)
            if tail is not None:
                self._tail_at[id(tail)] = from_char
            self._fed_end = min(index + self.chunk, self.total)
            self.queue.speak(items + reading, interrupt=True)
            self._unpause()
        self.state = "playing"
        spoken = self._flat[index].text if index < self.total else ""
        return f"{prefix} {spoken}".strip()

    def _reading_items(self, start: int, end: int) -> list[SpeechItem]:
        items = [
            SpeechItem(u.text, tag=ReadingTag(u.section, u.sentence)) for u in self._flat[start:end]
        ]
        if end >= self.total:
            # The article's end is heard, and its end event turns the state to "stopped".
            self._end_item = SpeechItem("End of article.", tag=Announcement("end"))
            items.append(self._end_item)
        return items

    def is_current(self, item: SpeechItem) -> bool:
        """Whether `item` belongs to what was last asked to be said (a start event can arrive
        after a key has already replaced its utterance)."""
        with self._state_lock:
            return id(item) in self._live

    def _new_generation(self, items: Sequence[SpeechItem] = ()) -> None:
        with self._state_lock:
            self._gen += 1
            self._live = {id(item) for item in items}
            self._keep = list(items)
            self._tail_at = {}
            self._topping_up = False
            self.speaking = None

    def _unpause(self) -> None:
        if self.queue.paused:
            self.queue.resume()

    def _top_up(self, gen: int) -> None:
        """Hand the queue the next chunk (runs on a helper thread, never the queue's)."""
        with self._speak_lock:
            with self._state_lock:
                if gen != self._gen or self._fed_end >= self.total:
                    self._topping_up = False
                    return
                start = self._fed_end
                items = self._reading_items(start, start + self.chunk)
                self._fed_end = min(start + self.chunk, self.total)
                self._live.update(id(item) for item in items)
                self._keep.extend(items)
                self._topping_up = False
            self.queue.speak(items, interrupt=False)

    # ------------------------------------------------------------ queue events (queue thread)

    def _on_event(self, event: SpeechEvent) -> None:
        with self._state_lock:
            if event.item is None or id(event.item) not in self._live:
                return  # an interrupted generation's leftovers
            self._apply(event)
        for listener in list(self._listeners):
            listener(event)

    def _apply(self, event: SpeechEvent) -> None:
        item = event.item
        assert item is not None
        if event.kind == "start":
            self.speaking = item
            self.word = None
            if isinstance(item.tag, ReadingTag):
                self._pos = self._index.get(item.tag, self._pos)
                self.finished = False
                self._maybe_top_up()
        elif event.kind == "word":
            # Offsets into the whole utterance, also while only its tail is being said.
            self.word = Word(item, event.offset + self._tail_at.get(id(item), 0), event.length)
        elif event.kind in ("end", "stop", "error"):
            if self.speaking is item:
                self.speaking = None
                self.word = None
            if item is self._end_item and event.kind == "end":
                self.state = "stopped"
                self.finished = True

    def _maybe_top_up(self) -> None:
        left = self._fed_end - self._pos
        if self._fed_end < self.total and left <= self.chunk // 2 and not self._topping_up:
            self._topping_up = True
            threading.Thread(target=self._top_up, args=(self._gen,), daemon=True).start()
