"""ReadingController: what the reader does, free of Textual (after frogmouth, whose screens only
wire widgets to plain modules, and NVDA, whose speech manager knows no GUI).

The controller holds the settings and the saved state, the speech stack once it is up, the open
article's ReadingSession and the notices still to be said; every key's work is a method here
or of one of its parts (navigation.py, timekeeping.py, voicekeys.py, saving.py).
It shows things only through a small `View` (reader/ui/view.py, or a recording stand-in in a
test): a message line, the reading pane and the status line.

Control flow, step by step:
1. The app builds the controller, then starts the speech stack in a thread; `attach_speech` takes
   it (and the notices of that start: no sound device, ignored speech rules).
2. A source is loaded in a thread (`load_source` + `prepare`); `begin_article` makes its session,
   `start_reading` resumes at the saved place or reads from the start.
3. Keys call the methods below; each one speaks (through the session when an article is open)
   and tells the view what to show. Speech events reach the view through `View.speech_event`
   on the queue's thread; the view hands them to its own thread.
4. Dialogs and lists that talk (find, help, open, the section list) pause reading as they open
   (`modal_opened`) and say that they closed, reading on if it was playing (`modal_closed`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from reader.errors import ReaderError
from reader.model import Article
from reader.reading.levels import MIN_VOLUME, clamp_volume, rate_text, step_rate, volume_text
from reader.reading.navigation import Navigator
from reader.reading.saving import Saving
from reader.reading.session import ReadingSession
from reader.reading.setup import Loaded, Options
from reader.reading.timekeeping import Timekeeper
from reader.reading.types import Announcement, Modal, View
from reader.reading.voicekeys import VoiceKeys
from reader.reading.voicing import Voicing, rate_warning
from reader.settings import (
    MAX_FONT_SIZE,
    MIN_FONT_SIZE,
    load_settings,
    settings_path,
)
from reader.speechlog import SpeechLog
from reader.store import Store, load_store
from reader.text import clean, squash, with_full_stop
from voices.base import SpeechItem

if TYPE_CHECKING:  # importing miniaudio starts a thread: not before hang-up is set up
    from voices.stack import Speech

WELCOME = "Welcome to reader. Press question mark at any time to hear the keys."
# What kind of page is open, said before its title when it is not an article (issue 10: a
# listener should know a forum thread or a shop's page from an article before it is read).
KIND_WORDS = {
    "forum thread": "Forum thread",
    "product page": "Product page",
    "listing": "Listing page",
    "documentation": "Documentation",
}
STILL_LOADING_EVERY = 3.0  # seconds of silence while loading before "Still loading" is said


class ReadingController(Saving):
    def __init__(
        self, options: Options, view: View, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.options = options
        self.view = view
        first_run = not settings_path().exists()  # checked before anything saves settings
        self.settings, settings_messages = load_settings()
        self.store: Store
        self.store, store_messages = load_store()
        # Problems the user must hear about (a corrupt file, no sound device, ignored speech
        # rules): shown at once, spoken before the first thing read, never dropped.
        self.notices: list[str] = settings_messages + store_messages
        if first_run:  # a blind newcomer hears the title first and may never find the keys
            self.notices.insert(0, WELCOME)
        self.loading: str | None = None  # the source being loaded, if any
        self.loading_since = 0.0  # when that load started, or when "Still loading" was last said
        self.load_cancel = threading.Event()  # set to abandon the current load's download
        self.queue: Any = None
        self.driver: Any = None
        self.voice_names: dict[str, str] = {}
        self.voicing = Voicing(self.settings)  # which voice says what
        self.speech_log: SpeechLog | None = None
        self.session: ReadingSession | None = None
        self.loaded: Loaded | None = None  # the open article's text (kept in its history)
        self.article: Article | None = None
        self.article_source: str | None = None
        self.pending: tuple[str, Loaded] | None = None  # loaded before speech was ready
        self.unspoken: list[str] = []  # to say once speech is ready
        self.ready_to_speak_choices = False
        self.last_find = ""
        self.quitting = threading.Event()
        self.leaving = False  # q was pressed: saying goodbye
        self.save_errors: dict[str, str] = {}  # what could not be saved, by kind, until it is
        # Element keys, links and history; where am I and the sleep timer (their own modules).
        self.navigation = Navigator(self)
        self.time = Timekeeper(self, clock)
        self.voices = VoiceKeys(self)  # y / Y, and each article read in its language's voice

    # ------------------------------------------------------------ speech

    def attach_speech(self, speech: Speech, notices: list[str]) -> bool:
        """Take the speech stack once it is up; False (and it is closed) when quitting."""
        self.queue, self.driver, self.voice_names = speech.queue, speech.driver, speech.voice_names
        if self.quitting.is_set():
            self.close_speech()
            return False
        if self.options.speech_log:
            try:
                self.speech_log = SpeechLog(self.options.speech_log, self.voicing.language_of)
                self.queue.subscribe(self.speech_log.write)
            except OSError as err:  # said and shown before reading, like any notice
                self.notices.append(
                    f"Could not write the speech log {self.options.speech_log}: {err.strerror}."
                )
        self.notices += notices
        self.apply_voice_settings()
        self.attach_voices()
        return True

    def attach_voices(self) -> None:
        """The voices there are (again, after an install); from now on the queue asks
        `voicing` which voice says each item."""
        try:
            voices = list(self.queue.voices())
        except Exception:  # no list: one voice says everything, as it can
            voices = []
        self.voicing.attach(voices, self.queue.voice)
        self.queue.prepare_voice(self.voicing.interface)
        self.voice_names.update((v.id, v.name) for v in voices)
        self.queue.set_voice_picker(self.voicing.runs)

    def say_startup(self) -> None:
        """Once speech is up: what was waiting to be said ("Loading …"; the notices wait for
        the article when one is loading)."""
        unspoken, self.unspoken = self.unspoken, []
        if self.loading:
            # A newcomer hears the welcome (with the help key) first, whichever is ready first:
            # speech or the article.
            welcome = [WELCOME] if WELCOME in self.notices else []
            self.notices = [n for n in self.notices if n != WELCOME]
            self.say(welcome + unspoken, "startup")
        else:
            self.say(self.take_notices() + unspoken, "startup")

    def speech_failed(self, error: str) -> None:
        text = clean(
            f"Speech is unavailable: {error.rstrip('.')}. "
            "The text is shown and highlighted in time, without sound."
        )
        if self.loading and self.session is None:
            # Failed while saying "Loading …": opening the article would replace the message,
            # so it joins the notices said and shown before reading.
            self.notices.append(text)
            self.view.show_message(text, error=True)
            return
        self.announce(text, "error", error=True)  # into the speech log; reading goes on

    def apply_voice_settings(self) -> None:
        queue = self.queue
        queue.set_rate(self.options.rate or self.settings.rate)
        if self.settings.volume < MIN_VOLUME:
            # A saved silence would leave a blind user with no way to hear how to undo it.
            was = round(self.settings.volume * 100)
            self.settings.volume = MIN_VOLUME
            self.save_settings()
            self.notices.append(
                f"The saved volume was {was} percent, too soft to hear; "
                f"it is now {round(MIN_VOLUME * 100)} percent. Press v for louder."
            )
        queue.set_volume(clamp_volume(self.settings.volume))
        voice = self.options.voice or self.settings.voice
        if voice:
            try:
                queue.set_voice(voice)
            except (ValueError, ReaderError) as err:
                self.notices.append(str(err))

    def take_notices(self) -> list[str]:
        """The notices not yet spoken (they are said once, before what comes next)."""
        notices, self.notices = self.notices, []
        return notices

    def close_speech(self) -> None:
        if self.queue is not None:
            self.queue.close()
            self.queue = None
        if self.driver is not None and self.options.driver is None:
            try:
                self.driver.close()
            except Exception:  # the process is going away anyway
                pass
            self.driver = None
        if self.speech_log is not None:
            self.speech_log.close(final_stop=True)
            self.speech_log = None

    # ------------------------------------------------------------ loading articles

    def start_loading(self, source: str) -> threading.Event:
        """A load of `source` begins; setting the event returned abandons its download."""
        self.loading, self.loading_since = source, time.monotonic()
        self.load_cancel.set()  # one load at a time: the one before is abandoned
        self.load_cancel = threading.Event()  # one per load: escape sets it (cancel_loading)
        return self.load_cancel

    def tick(self) -> None:
        """Once a second (the app's timer): a slow load is said; the sleep timer is checked."""
        self.still_loading()
        self.time.tick()

    def still_loading(self) -> None:
        """A slow server or a huge page is not left in silence: every few seconds, say so."""
        if self.queue is not None and self.queue.speaking and not self.queue.paused:
            return  # never cut off what is being said (a long address, an answer to a key)
        if self.loading and time.monotonic() - self.loading_since >= STILL_LOADING_EVERY:
            self.loading_since = time.monotonic()
            self.say(["Still loading"], "loading")

    def is_piped(self, source: str) -> bool:
        """The temporary copy of a piped page: it cannot be opened again, so it is not kept."""
        return self.options.piped and source == self.options.source

    def begin_article(self, source: str, loaded: Loaded) -> ReadingSession:
        """Make `loaded` the open article (the last one's place is saved first, and it is
        kept in the history for backspace)."""
        self.save_position(now=False)
        self.navigation.leaving(source)
        self.loaded, self.article, self.article_source = loaded, loaded.article, source
        self.session = ReadingSession(
            loaded.article, loaded.utterances, self.queue, shown=loaded.shown
        )
        self.session.subscribe(self.view.speech_event)
        return self.session

    def start_reading(self, source: str) -> None:
        """Once the article is on screen: remember it, then resume at the saved place (or read
        from the start), after saying the notices."""
        session = self.session
        assert session is not None and self.article is not None
        try:
            if not self.is_piped(source):
                self.store.add_recent(source, self.article.title)
        except ReaderError as err:
            self.save_failed("recent", err, now=False)
        saved = self.store.position(source)
        back = self.navigation.arrived(source)
        self.voices.match(self.article.language)
        notices = self.take_notices()
        told = " ".join(notices)  # said before reading, and left on screen
        autoplay = self.options.autoplay
        title = clean(self.article.title)
        kind = KIND_WORDS.get(self.article.kind, "")
        named = f"{kind}: {title}" if kind else title  # "Forum thread: Title", shown
        # The kind, after the notices; and the title too when reading will not start with
        # it (a thread's first section is its first post, titled by author and date).
        if not self._starts_with_title():
            said = f"{told} {with_full_stop(named)}".strip()
        else:
            said = f"{told} {kind}.".strip() if kind else told
        if back is not None:  # backspace: on from the very sentence it was left at
            session.resume_at(
                *back.position, prefix=f"{told} Back to {with_full_stop(title)}".strip()
            )
            self.view.show_message(told or session.announced, error=bool(told))
        # Read to "End of article." last time, not merely quit during the last sentence.
        elif saved is not None and saved.finished:
            # Left at the very end: reading its last sentence again is no use; start over.
            again = "You finished this article last time. Reading from the start."
            session.start(prefix=f"{said} {again}".strip())
            if not autoplay:
                session.stop()
            self.view.show_message(told or f"{said} {again}".strip(), error=bool(told))
        elif saved is not None and (saved.section, saved.sentence) != (0, 0):
            session.resume_at(saved.section, saved.sentence, prefix=said)
            if not autoplay:
                session.stop()
            # Shown in the page's words ("Ocrelizumab", not the respelling said to eSpeak).
            self.view.show_message(told or session.announced, error=bool(told))
        elif autoplay:
            session.play(prefix=said)  # the title is read next: "Forum thread." "Title."
            self.view.show_message(f"{told} {named}".strip() if kind else told, error=bool(told))
        else:
            # Opened without reading (tests, snapshots): say what is open and how to start.
            ready = f"{with_full_stop(named)} Press space to read."
            self.say(notices + [ready], "opened")
            self.view.show_message(told or ready, error=bool(told))
        self.view.refresh_reading()

    def _starts_with_title(self) -> bool:
        """Whether the first section is headed by the article's title, so reading says it."""
        assert self.article is not None
        sections = self.article.sections
        return not sections or squash(sections[0].title) == squash(self.article.title)

    # ------------------------------------------------------------ speaking

    def tell(self, text: str, tag: str = "message") -> None:
        """Say an announcement and show it (after a closing dialog has gone)."""
        self.say([text], tag)
        self.view.show_later(text)

    def say(self, texts: list[str], tag: str = "message") -> None:
        """Interrupt and say announcements (reading does not go on)."""
        texts = [clean(t) for t in texts if t and t.strip()]
        if not texts:
            return
        if self.queue is None:
            self.unspoken = texts  # the latest wins: say it once speech is up
            return
        if self.session is not None:
            self.session.say(texts, tag)
        else:
            self.queue.speak([SpeechItem(t, tag=Announcement(tag)) for t in texts])
        self.view.update_status()

    def announce(self, text: str, tag: str = "message", error: bool = False) -> None:
        """Say `text`; if reading was playing, reading goes on after it."""
        self.view.show_message(text, error=error)
        if self.session is not None:
            self.session.announce(text, tag)
            self.view.refresh_reading()
        else:
            self.say([text], tag)

    def navigate(self, method: str) -> None:
        """Run a session navigation method (it speaks) and show where we are."""
        if self.session is None:
            if self.loading:
                self.tell("Still loading. Escape cancels.", "loading")
            else:
                self.tell("No article is open. Press o to open one.")
            return
        getattr(self.session, method)()
        # What was announced, in the page's words (what is said may be respelt for the ear);
        # a plain sentence move announces nothing, so an older message is cleared.
        self.view.show_message(self.session.announced)
        self.view.refresh_reading()

    # ------------------------------------------------------------ the keys' work

    def play_pause(self) -> None:
        """Space: pause (at once, mid-word, with no word said: the sound stopping is the answer,
        as in a screen reader, and a word said would leave the sentence's sound behind), or go
        on. The speech log records the pause and the resume."""
        session = self.session
        if session is None:
            return self.navigate("play")
        was_held = session.state == "paused" and self.queue is not None and self.queue.paused
        heard = session.speaking
        self.view.show_message(session.toggle_pause())
        if session.state == "paused":
            self.log_note("pause", heard)
        elif was_held and heard is not None:  # on from the very sample it was held at
            self.log_note("resume", heard)
        self.view.update_status()

    def pause(self) -> None:
        """Pause reading if it is playing (a dialog or the start screen opens over it)."""
        session = self.session
        if session is not None and session.state == "playing":
            heard = session.speaking
            session.toggle_pause()
            self.log_note("pause", heard)

    def log_note(self, kind: str, item: SpeechItem | None) -> None:
        if self.speech_log is not None:
            self.speech_log.note(kind, item)

    def stop(self) -> None:
        if self.session is not None:
            self.view.show_message(self.session.stop())
        elif self.queue is not None:
            self.queue.stop()
        self.view.update_status()

    def section_highlighted(self, index: int, before: Sequence[str] = ()) -> None:
        """Up or down in the section list: say that section's title and where it is (after
        `before`: "Top of list." when the move went round the list's end)."""
        session = self.session
        if session is not None:
            spoken = session.spoken_title(index)
            self.say([*before, f"{spoken}, {index + 1} of {session.section_count}"], "sections")
            self.view.show_message(session.section_title(index))

    def go_to_section(self, index: int) -> None:
        if self.session is not None:
            self.session.go_to_section(index)
            self.view.show_message(self.session.section_label(index, spoken=False))
            self.view.refresh_reading()

    def where(self) -> None:
        self.time.where()

    def change_rate(self, direction: int) -> None:
        if self.queue is None:
            return
        rate = self.queue.set_rate(step_rate(self.queue.rate, direction))
        # Past what the voice says clearly: said at each step, with how to change the voice.
        warning = rate_warning(self.voicing.info(self.queue.voice), rate)
        said = f"{rate_text(rate)}. {warning}" if warning else rate_text(rate)
        if self.session is not None:
            self.view.show_message(self.session.announce(said))
        else:
            self.tell(said)
        self.settings.rate = self.queue.rate
        self.save_settings()
        self.view.update_status()

    def change_volume(self, step: float) -> None:
        if self.queue is None:
            return
        if self.session is not None:
            self.view.show_message(self.session.set_volume(self.queue.volume + step))
        else:
            volume = self.queue.set_volume(clamp_volume(self.queue.volume + step))
            self.tell(volume_text(volume))
        self.settings.volume = self.queue.volume
        self.save_settings()
        self.view.update_status()

    def set_font(self, level: int) -> tuple[int, str, bool]:
        """Keep font size `level` (within the limits): the level, what is said of it, and
        whether it was already at a limit (nothing changes)."""
        level = min(max(level, MIN_FONT_SIZE), MAX_FONT_SIZE)
        limit = ""
        if level == self.settings.font_size:
            limit = ", largest" if level == MAX_FONT_SIZE else ", smallest"
        self.settings.font_size = level
        self.save_settings()
        return level, f"Font size {level} of {MAX_FONT_SIZE}{limit}", bool(limit)

    def set_theme(self, theme: str, label: str) -> None:
        self.settings.theme = theme
        self.save_settings()
        self.announce(f"Theme {label}", "theme")
        self.view.refresh_reading()

    # ------------------------------------------------------------ finding

    def find(self, words: str) -> tuple[bool, str]:
        """Read from the next sentence with `words`, showing where. (True, where it was found)
        or (False, the error to show in the dialog, "" when there is none to show)."""
        words = " ".join(clean(words).split())
        if not words:
            self.say(["Type the words to find first."], "dialog")
            return False, ""
        self.last_find = words
        assert self.session is not None
        if self.session.find_next(words) is None:
            again = "Change the words and press enter, or escape to go back."
            self.say([f"Not found: {words}", again], "find")
            return False, f"Not found: {words}"
        section, sentence = self.session.position
        where = self.session.section_label(section, spoken=False)
        found = f"Found in {where}, sentence {sentence}" if sentence else where
        self.view.show_later(found)  # once the dialog has gone
        self.view.refresh_reading()
        return True, found

    # ------------------------------------------------------------ talking dialogs and lists

    def modal_opened(self, modal: Modal) -> bool:
        """A talking dialog or list opens: True if reading was playing (it is paused, or its
        own speech is about to stop it)."""
        session = self.session
        was_playing = session is not None and session.state == "playing"
        if was_playing and modal.pauses:
            self.pause()
        return was_playing

    def modal_closed(self, modal: Modal, was_playing: bool, otherwise: str = "") -> None:
        """Say that it closed; reading goes on from the word heard if it was playing (else
        `otherwise` is said, when given, instead of the plain closing words)."""
        session = self.session
        if session is not None and was_playing:
            session.resume_with(modal.closed, modal.resume_tag)
            if modal.show_now:
                self.view.show_message(modal.closed)
            else:
                self.view.show_later(modal.closed)
        else:
            self.tell(otherwise or modal.closed, modal.tell_tag)
        self.view.refresh_reading()
