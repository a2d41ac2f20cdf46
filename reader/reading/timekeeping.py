"""Time (issue 12 item 5): how much is left, said first by "where am I", and the sleep timer.

"Where am I" answers the question a listener asks most, in a first sentence short enough to
hear in 3 seconds at 175 words a minute ("42 percent, 20 minutes left."), then the details
("Section 4 of 7: Title. Sentence 2 of 5. Rate 175. Playing."). The time left is the words
still to read at the current rate.

The sleep timer (Read Aloud's most wanted feature after "read from here"): a key cycles off,
15, 30 and 60 minutes; a minute before the end a warning is said; at the end reading stops and
the place is saved, so a listener who fell asleep finds it the next day. The clock is injected
(the app's is `time.monotonic`), so tests move time on by hand instead of waiting minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from reader.settings import MAX_FONT_SIZE
from reader.text import counted

if TYPE_CHECKING:
    from reader.reading.controller import ReadingController

STEPS = (15 * 60.0, 30 * 60.0, 60 * 60.0)  # what the key cycles through after "off"
WARN_BEFORE = 60.0  # seconds before the end that the warning is said

Due = Literal["warn", "end"]


def time_left(words: int, rate: int) -> str:
    """The time `words` take at `rate` words a minute, briefly (see `minutes_text`)."""
    return minutes_text(words / max(rate, 1))


def minutes_text(minutes: float) -> str:
    """'under a minute', '7 minutes', '30 minutes', '1 hour', '3 hours', 'over 10 hours':
    exact below 10 minutes, then to the 10 minutes, then to the hour. It is an estimate, and
    rounder numbers are shorter to hear ("twenty" against "twenty-five"): the sentence then
    stays under 3 s at 175 words a minute (benchmarks/ui.py)."""
    if minutes < 1:
        return "under a minute"
    if minutes < 9.5:
        whole = round(minutes)
        return counted(whole, "minute")
    if minutes < 55:
        return f"{round(minutes / 10) * 10} minutes"
    hours = max(round(minutes / 60), 1)
    if hours > 10:  # a whole book in one page: "seventeen hours" is no more use, and longer
        return "over 10 hours"
    return counted(hours, "hour")


def duration_text(seconds: float) -> str:
    """'15 minutes', '1 minute', '30 seconds' (short test timers are said in seconds)."""
    if seconds >= 60:
        minutes = round(seconds / 60)
        return counted(minutes, "minute")
    whole = max(round(seconds), 1)
    return counted(whole, "second")


class SleepTimer:
    """Off, or running to an end time; `due()` reports the warning and the end once each."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        steps: Sequence[float] = STEPS,
        warn_before: float = WARN_BEFORE,
    ) -> None:
        self.clock = clock
        self.steps = tuple(steps)
        self.warn_before = warn_before
        self.step: int | None = None  # index into steps, None when off
        self.ends_at = 0.0
        self.warned = False

    @property
    def running(self) -> bool:
        return self.step is not None

    def cycle(self) -> str:
        """The next setting (off -> 15 -> 30 -> 60 -> off), counted from now; what to say."""
        self.step = 0 if self.step is None else self.step + 1
        if self.step >= len(self.steps):
            self.step = None
            return "Sleep timer off."
        length = self.steps[self.step]
        self.ends_at = self.clock() + length
        # A timer no longer than the warning time would warn at once: it only ends.
        self.warned = length <= self.warn_before
        return f"Sleep timer {duration_text(length)}."

    def left(self) -> float | None:
        """Seconds until the end, None when off."""
        return max(self.ends_at - self.clock(), 0.0) if self.running else None

    def due(self) -> Due | None:
        """'warn' once when the warning time is reached, 'end' (and off) at the end."""
        left = self.left()
        if left is None:
            return None
        if left <= 0:
            self.step = None
            return "end"
        if not self.warned and left <= self.warn_before:
            self.warned = True
            return "warn"
        return None


class Timekeeper:
    """The controller's time keys: where am I, and the sleep timer (checked by `tick`)."""

    def __init__(self, reading: ReadingController, clock: Callable[[], float]) -> None:
        self.reading = reading
        self.sleep = SleepTimer(clock)

    def where(self) -> None:
        """w: '42 percent, 6 minutes left. Section 4 of 7: Title. Sentence 2 of 5. Rate 175.
        Playing. Font size 1 of 5.' (and the sleep timer, when it runs)."""
        reading, session = self.reading, self.reading.session
        if session is None:
            reading.tell("No article is open.")
            return
        more = f" Font size {reading.settings.font_size} of {MAX_FONT_SIZE}."
        left = self.sleep.left()
        if left is not None:
            more += f" Sleep timer: {duration_text(left)} left."
        session.announce(session.where() + more, "where")
        reading.view.show_message(session.where(spoken=False) + more)
        reading.view.refresh_reading()

    def cycle_sleep(self) -> None:
        """z: off, 15, 30, 60 minutes, off; said (reading goes on after it)."""
        self.reading.announce(self.sleep.cycle(), "sleep")

    def tick(self) -> None:
        """Once a second: the warning, or the end (reading stops, the place is saved)."""
        due = self.sleep.due()
        if due == "warn":
            warning = f"Sleep timer: {duration_text(self.sleep.warn_before)} left."
            self.reading.announce(warning, "sleep")
        elif due == "end":
            self.end()

    def end(self) -> None:
        reading = self.reading
        if reading.session is not None:
            reading.session.stop()
        reading.save_position()
        unsaved = reading.save_errors.get("position")
        told = (unsaved or "Your place is saved.") if reading.session is not None else ""
        text = f"Sleep timer ended. Reading stopped. {told}".strip()
        reading.say([text], "sleep")
        reading.view.show_message(text, error=bool(unsaved))
        reading.view.update_status()
