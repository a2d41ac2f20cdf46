"""ReadingView: what the ReadingController shows, on Textual screens (its `View`).

The reading screen's pane (or big print) and status line follow the session; the message line
shows the last announcement or error as well as it is spoken. A message about reading is
cleared once reading has moved on to another sentence ("Resuming at …" while the next section
is read), or once the state it reported has changed ("Playing" after reading stopped at the
end). Errors and notices stay until something replaces them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ScreenStackError

from reader.reading.controller import ReadingController
from reader.reading.session import ReadingSession
from reader.reading.types import ReadingTag
from reader.settings import MAX_FONT_SIZE
from reader.text import clean
from reader.ui.messages import SpeechUpdate
from reader.ui.screens import ReaderScreen
from reader.ui.screens.base import MessageScreen
from reader.ui.status import fit_status
from voices.base import SpeechEvent
from voices.drivers import is_default_voice


class ReadingView:
    """Shows the controller's state on the app's screens and remembers what the message line
    shows. `attach` gives it the controller (which is built with the view)."""

    def __init__(self, app: App[Any], reader_screen: Callable[[], ReaderScreen | None]) -> None:
        self.app = app
        self.reader_screen = reader_screen
        self.reading: ReadingController | None = None
        # What the line shows and when it was shown (reading position and state).
        self.text = ""
        self.at: tuple[int, int] | None = None
        self.state: str | None = None
        self.sticky = False  # errors and notices stay until something replaces them

    def attach(self, reading: ReadingController) -> None:
        self.reading = reading

    def session(self) -> ReadingSession | None:
        return self.reading.session if self.reading is not None else None

    # ------------------------------------------------------------ speech events

    def speech_event(self, event: SpeechEvent) -> None:
        """(Speech thread.) Hand a session's event to the UI thread."""
        self.app.post_message(SpeechUpdate(event))

    def speech_update(self, event: SpeechEvent) -> None:
        """(UI thread.) Follow a speech event: the word, the sentence, an error."""
        item = event.item
        if event.kind == "error":
            text = clean(event.message or "The speech synthesiser failed.")
            self.show_message(text, error=True)
            if item is not None and isinstance(item.tag, ReadingTag) and self.reading:
                self.reading.say([text], "error")  # an announcement failing is not re-announced
            return
        if event.kind != "word":
            self.clear_if_stale(item.tag if item is not None else None)
        self.refresh_reading(word_only=event.kind == "word")

    # ------------------------------------------------------------ the reading screen

    def refresh_reading(self, word_only: bool = False) -> None:
        """Show the session's position and word in the pane (or big print) and status line."""
        screen, session = self.reader_screen(), self.session()
        if session is None or screen is None or not self.reading:
            self.update_status()
            return
        level = self.reading.settings.font_size
        if screen.show_reading(session, level, self.app.theme) and not word_only:
            self.update_status()

    def update_status(self) -> None:
        screen = self.reader_screen()
        if screen is not None and self.reading is not None:
            screen.show_status(self.status_text)

    def status_text(self, width: int = 200) -> str:
        """The status line in at most `width` cells (words shortened before the voice's name,
        last, is cut)."""
        parts, voice = status_parts(self.reading) if self.reading else ([], None)
        return fit_status(parts, voice, width)

    # ------------------------------------------------------------ the message line

    def show_later(self, text: str) -> None:
        """Show `text` once the dialog or help being closed has gone (its own screen has no
        message line)."""
        self.app.call_after_refresh(self.show_message, text)

    def show_message(self, text: str, error: bool = False) -> None:
        """Show `text` on the message line of the screen on top (not on a dialog or help:
        their own text says enough)."""
        try:
            screen = self.app.screen
        except ScreenStackError:  # shutting down
            return
        if not isinstance(screen, MessageScreen):
            return
        screen.show_message(text, error)
        if isinstance(screen, ReaderScreen):
            session = self.session()
            self.text, self.sticky = text, error
            self.at = session.position if session is not None else None
            self.state = session.state if session is not None else None

    def clear_if_stale(self, tag: Any) -> None:
        """Clear a message about reading once reading has moved to another sentence than the
        one it was shown at (`tag`: what started speaking), or changed state."""
        session = self.session()
        if not self.text or self.sticky or session is None:
            return
        moved = isinstance(tag, ReadingTag) and tag != self.at
        if moved or session.state != self.state:
            self.show_message("")


def status_parts(reading: ReadingController) -> tuple[list[str], str | None]:
    """What the status line says: 'Section 6/7', 'Sent 3/12', 'Rate 175', 'Vol 100%',
    'Font 1/5', 'Playing', then the voice's name (None while speech is not up)."""
    session, queue = reading.session, reading.queue
    parts = []
    if session is not None and session.section_count:
        section, sentence = session.position
        parts.append(f"Section {section + 1}/{session.section_count}")
        count = session.sentence_count(section)
        parts.append(f"Sent {sentence}/{count}" if sentence else "Title")
    if queue is not None:
        parts.append(f"Rate {queue.rate}")
        parts.append(f"Vol {round(queue.volume * 100)}%")
    parts.append(f"Font {reading.settings.font_size}/{MAX_FONT_SIZE}")
    state = session.state if session is not None else "stopped"
    parts.append(state.title())
    return parts, voice_name(reading) if queue is not None else None


def voice_name(reading: ReadingController) -> str:
    """The name of the voice speaking (the synthesiser's default one when none is set)."""
    voice = reading.queue.voice if reading.queue is not None else None
    names = reading.voice_names
    if voice:
        return names.get(voice, voice)
    for voice_id, name in names.items():
        if is_default_voice(voice_id) or len(names) == 1:
            return name
    return "default voice"
