"""ReaderApp: the keyboard-driven reader that speaks for itself.

Design (after frogmouth and NVDA): the ReadingSession (reader/session.py) owns the position and
the navigation, the SpeechQueue owns the audio, and widgets only show what those say. Speech
events arrive on the queue's thread; they are handed to the UI thread with `post_message`
(thread-safe and non-blocking, so a UI action that is waiting on the queue can never deadlock
with a queue thread waiting on the UI).
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ScreenStackError
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from reader import hangup
from reader.errors import ReaderError
from reader.model import Article
from reader.reading.session import (
    MIN_VOLUME,
    ReadingSession,
    clamp_volume,
    display_texts,
    is_reading_tag,
    map_span,
    rate_text,
    step_rate,
    volume_text,
)
from reader.settings import (
    MAX_FONT_SIZE,
    MIN_FONT_SIZE,
    SettingsError,
    load_settings,
    save_settings,
    settings_path,
)
from reader.speech import short_title
from reader.speechlog import SpeechLog
from reader.store import Store, load_store
from reader.ui.screens import (
    KEYS,
    FindDialog,
    HelpScreen,
    OpenDialog,
    ReaderScreen,
    StartScreen,
)
from reader.ui.status import fit_status
from reader.ui.themes import (
    THEME_CSS,
    disable_animations,
    next_theme,
    register_themes,
    theme_label,
    theme_variable_defaults,
)
from reader.ui.widgets import (
    BigPrint,
    MessageLine,
    ReadingPane,
    SectionList,
    StatusLine,
    clean,
    paragraph_starts,
)
from voices.base import Audio, SpeechEvent, SpeechItem, VoiceInfo, WordMark
from voices.drivers import pick_voice

WINDOW = 150  # sentences shown at a time in the reading pane
SAVE_EVERY = 15.0  # seconds between periodic saves of the reading position
DEFAULT_VOICE = "en"  # the voice eSpeak speaks with when none is chosen (voices/_worker.py)
WELCOME = "Welcome to reader. Press question mark at any time to hear the keys."
STILL_LOADING_EVERY = 3.0  # seconds of silence while loading before "Still loading" is said
GOODBYE_WAIT = 4.0  # quitting waits at most this long for "Goodbye" to be heard whole


class SpeechUpdate(Message):
    """A speech event, carried from the queue's thread to the UI thread."""

    def __init__(self, event: SpeechEvent) -> None:
        super().__init__()
        self.event = event


class SpeechFailed(Message):
    """The synthesiser failed before it ever spoke: reading goes on silently."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SpeechReady(Message):
    def __init__(self, queue: Any, driver: Any, notices: list[str]) -> None:
        super().__init__()
        self.queue, self.driver = queue, driver
        self.notices = notices  # what the user must be told: no speech, no sound device...


@dataclass
class Loaded:
    """An article made ready to read (in the loading thread: splitting a long article into
    sentences takes a while)."""

    article: Article
    utterances: list[list[Any]]
    shown: list[list[str]]


class HelpSpoken(Message):
    """A line of the spoken help has started: the help screen's highlight follows it."""

    def __init__(self, text: str, item: SpeechItem) -> None:
        super().__init__()
        self.text = text
        self.item = item


class ArticleLoaded(Message):
    def __init__(self, source: str, loaded: Loaded | None, error: str, dialog: Any) -> None:
        super().__init__()
        self.source, self.loaded, self.error, self.dialog = source, loaded, error, dialog


@dataclass
class Speech:
    """What the speech thread builds: the queue and what the status line shows of it."""

    queue: Any
    driver: Any
    voice_names: dict[str, str]


class ReaderApp(App[int]):
    CSS = THEME_CSS
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))
    ENABLE_COMMAND_PALETTE = False
    TITLE = "Reader"
    BINDINGS = [
        Binding("ctrl+q", "quit_reader", "Quit", priority=True, show=False),
        Binding("ctrl+c", "quit_reader", "Quit", priority=True, show=False),
    ]

    def __init__(
        self,
        source: str | None = None,
        *,
        audio: str | None = None,
        speech_log: str | Path | None = None,
        rate: int | None = None,
        voice: str | None = None,
        autoplay: bool = True,
        driver: Any = None,
        piped: bool = False,
    ) -> None:
        super().__init__()
        self.source = source
        # `cat page | reader -`: source is a temporary copy of the pipe, gone when the app ends;
        # its name means nothing to the listener and must not land in recents or positions.
        self.piped = piped
        self.audio = audio
        self.speech_log_path = speech_log
        self.rate_override = rate
        self.voice_override = voice
        self.autoplay = autoplay
        self.given_driver = driver
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
        self.load_cancel = threading.Event()  # set to abandon the current load's download
        self.loading_since = 0.0  # when that load started, or when "Still loading" was last said
        self.message_serial = 0  # counts shown messages, so a late retry cannot undo a newer one
        # What the message line shows and when it was shown (reading position and state), so a
        # message is cleared once reading has moved on or the state it reported has changed.
        self.message_text = ""
        self.message_at: tuple[int, int] | None = None
        self.message_state: str | None = None
        self.message_sticky = False  # errors and notices stay until something replaces them
        self.queue: Any = None
        self.driver: Any = None
        self.voice_names: dict[str, str] = {}
        self.speech_log: SpeechLog | None = None
        self.session: ReadingSession | None = None
        self.article: Article | None = None
        self.article_source: str | None = None
        self.pending: tuple[str, Loaded] | None = None  # loaded before speech was ready
        self.unspoken: list[str] = []  # to say once speech is ready
        self.ready_to_speak_choices = False
        self.reader_screen: ReaderScreen | None = None
        self.sections_were_playing = False
        self.find_was_playing = False
        self.help_was_playing = False
        self.last_find = ""
        self._quitting = threading.Event()
        self.leaving = False  # q was pressed: saying goodbye
        self.save_errors: dict[str, str] = {}  # what could not be saved, by kind, until it is
        self.crash: BaseException | None = None  # an uncaught error ended the app
        register_themes(self, self.settings.theme)
        disable_animations(self)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults()

    # ------------------------------------------------------------ start up

    def on_mount(self) -> None:
        self.start_speech()
        if self.source:
            self.show_reader()
            name = "the page from standard input" if self.piped else self.source
            self.show_message(f"Loading {name} …")
            self.say([f"Loading {name}"], "loading")
            self.loading, self.loading_since = self.source, time.monotonic()
            self.load(self.source, None)
        else:
            self.show_start()
        self.show_notices()
        self.set_interval(SAVE_EVERY, self.save_position)
        self.set_interval(1.0, self.still_loading)
        self.catch_exit_signals()

    def catch_exit_signals(self) -> None:
        """A SIGTERM (kill, shutdown) or SIGHUP (the window closed) would end the process
        without unmounting: save the place first, then exit cleanly. `reader.hangup`'s watcher
        thread takes the signals (run_app started it) and ends the process itself if the app
        cannot leave in time. (In a browser, textual-serve's driver turns SIGTERM into a clean
        exit, which saves on unmount.)"""
        loop = asyncio.get_running_loop()
        hangup.attach(lambda: loop.call_soon_threadsafe(self.exit_on_signal), self.save_on_hangup)

    def save_on_hangup(self) -> int:
        """(The hang-up watcher's thread.) Save the place; the exit status says if it failed."""
        self.save_all()
        return SettingsError.exit_code if self.save_errors else 0

    def exit_on_signal(self) -> None:
        self.save_all()
        self._quitting.set()
        self.exit(0)

    @work(thread=True, exclusive=False, group="speech")
    def start_speech(self) -> None:
        """Driver, player and queue (the driver may take a moment: it starts a process)."""
        from reader.speech import speech_warnings

        notices = []

        def failed(error: str) -> None:  # on the queue's synth thread
            self.post_message(SpeechFailed(error))

        try:
            speech = make_speech(self.given_driver, self.audio, on_fail=failed)
        except Exception as err:  # never die for want of speech: read on screen instead
            speech = make_speech(SilentDriver(), "null")
            notices.append(f"Speech is unavailable: {err}")
        notices.append(speech.queue.player.message)  # e.g. no sound device: reading silently
        notices += speech_warnings()  # their speech.toml ignored, or entries skipped
        self.post_message(SpeechReady(speech, speech.driver, [n for n in notices if n]))

    def on_speech_ready(self, message: SpeechReady) -> None:
        speech: Speech = message.queue
        self.queue, self.driver, self.voice_names = speech.queue, speech.driver, speech.voice_names
        if self._quitting.is_set():
            self.close_speech()
            return
        if self.speech_log_path:
            try:
                self.speech_log = SpeechLog(self.speech_log_path)
                self.queue.subscribe(self.speech_log.write)
            except OSError as err:  # said and shown before reading, like any notice
                self.notices.append(
                    f"Could not write the speech log {self.speech_log_path}: {err.strerror}."
                )
        self.queue.subscribe(self.help_line_started)
        self.notices += message.notices
        self.apply_voice_settings()
        self.show_notices()
        unspoken, self.unspoken = self.unspoken, []
        if self.pending is not None:
            source, loaded = self.pending
            self.pending = None
            self.open_article(source, loaded)  # the notices are said first
        elif self.loading:
            self.say(unspoken, "startup")  # "Loading …"; the notices wait for the article
        else:
            self.say(self.take_notices() + unspoken, "startup")
        self.ready_to_speak_choices = True
        self.update_status()

    def on_speech_failed(self, message: SpeechFailed) -> None:
        text = clean(
            f"Speech is unavailable: {message.error.rstrip('.')}. "
            "The text is shown and highlighted in time, without sound."
        )
        if self.loading and self.session is None:
            # Failed while saying "Loading …": opening the article would replace the message,
            # so it joins the notices said and shown before reading.
            self.notices.append(text)
            self.show_message(text, error=True)
            return
        self.announce(text, "error", error=True)  # into the speech log; reading goes on

    def apply_voice_settings(self) -> None:
        queue = self.queue
        queue.set_rate(self.rate_override or self.settings.rate)
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
        voice = self.voice_override or self.settings.voice
        if voice:
            try:
                queue.set_voice(voice)
            except (ValueError, ReaderError) as err:
                self.notices.append(str(err))

    def show_notices(self) -> None:
        if self.notices:
            self.show_message(" ".join(self.notices), error=True)

    def take_notices(self) -> list[str]:
        """The notices not yet spoken (they are said once, before what comes next)."""
        notices, self.notices = self.notices, []
        return notices

    # ------------------------------------------------------------ screens

    def show_reader(self) -> ReaderScreen:
        if self.reader_screen is None or not self.reader_screen.is_attached:
            self.reader_screen = ReaderScreen()
        if self.reader_screen in self.screen_stack:
            # Under the start screen (b) and perhaps a dialog: uncover it.
            while self.screen is not self.reader_screen:
                self.pop_screen()
        elif self.screen is not self.reader_screen:
            if isinstance(self.screen, StartScreen):
                self.switch_screen(self.reader_screen)
            else:
                self.push_screen(self.reader_screen)
        return self.reader_screen

    def show_start(self, message: str = "") -> None:
        self.message_serial += 1  # a message still waiting for the old screen is dropped
        recent = [(item.title, item.source) for item in self.store.recent()]
        over_article = self.session is not None and isinstance(self.screen, ReaderScreen)
        screen = StartScreen(recent, message, over_article=over_article)
        self.push_screen(screen)
        if self.queue is not None:
            self.ready_to_speak_choices = True
        welcome = "Reader. Choose with up and down arrows, open with enter. Question mark for help."
        if over_article:
            welcome = "Start screen. Choose with up and down arrows, open with enter. "
            welcome += "Escape goes back to the article."
        first = "Open a web address or file, 1 of " + str(2 + len(recent))
        said = [m for m in (message, welcome, first) if m]
        self.say(said if self.queue is None else self.take_notices() + said, "start")

    # ------------------------------------------------------------ loading articles

    def open_source(self, source: str, dialog: Any = None) -> None:
        """Open `source` (web address, path, "sample") in a worker; speak "Loading …"."""
        self.say([f"Loading {source}"], "loading")
        if dialog is None:
            self.show_message(f"Loading {source} …")
        self.loading, self.loading_since = source, time.monotonic()
        self.load_cancel = threading.Event()  # one per load: escape sets it (cancel_loading)
        self.load(source, dialog)

    def still_loading(self) -> None:
        """A slow server or a huge page is not left in silence: every few seconds, say so."""
        if self.queue is not None and self.queue.speaking and not self.queue.paused:
            return  # never cut off what is being said (a long address, an answer to a key)
        if self.loading and time.monotonic() - self.loading_since >= STILL_LOADING_EVERY:
            self.loading_since = time.monotonic()
            self.say(["Still loading"], "loading")

    @work(thread=True, exclusive=True, group="load")
    def load(self, source: str, dialog: Any) -> None:
        worker = get_current_worker()
        loaded: Loaded | None = None
        try:
            loaded = prepare(load_source(source, self.load_cancel))
            error = ""
        except ReaderError as err:
            error = str(err)
        except Exception as err:  # the app never dies on a bad page
            error = f"Could not open {source}: {err}"
        if error and self.is_piped(source):  # not the name of a temporary copy
            # The path may be shown shortened ("/tmp/…/reader-stdin-x"): its name ends it.
            error = re.sub(r"\S*" + re.escape(Path(source).name), "standard input", error)
            error = error[0].upper() + error[1:]
        if not worker.is_cancelled:
            self.post_message(ArticleLoaded(source, loaded, error, dialog))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        self.loading = None
        if message.loaded is None:
            self.load_failed(message.error, message.dialog)
            return
        if message.dialog is not None and message.dialog.is_attached:
            message.dialog.dismiss(None)
        if self.queue is None:
            self.pending = (message.source, message.loaded)
            self.show_reader()
            return
        self.open_article(message.source, message.loaded)

    def load_failed(self, error: str, dialog: Any) -> None:
        error = clean(error)
        if dialog is not None and dialog.is_attached:
            # The dialog stays open with the text: say so, or the listener is left in silence.
            self.say([error, "Change the address and press enter, or escape to go back."], "error")
            dialog.show_error(error)
            return
        self.say([error], "error")
        if self.session is None:
            # Nothing to read: the start screen, with the error on it.
            if isinstance(self.screen, ReaderScreen):
                self.pop_screen()
                self.reader_screen = None
            if not isinstance(self.screen, StartScreen):
                self.show_start(error)
            else:
                self.show_message(error, error=True)
        else:
            self.show_message(error, error=True)

    def open_article(self, source: str, loaded: Loaded) -> None:
        article = loaded.article
        self.save_position(now=False)
        self.article, self.article_source = article, source
        self.session = ReadingSession(article, loaded.utterances, self.queue, shown=loaded.shown)
        self.session.subscribe(lambda event: self.post_message(SpeechUpdate(event)))
        screen = self.show_reader()
        self.call_after_refresh(self.article_shown, screen)
        if served():  # the browser tab is named after the article
            from reader.serve import show_title

            show_title(self, clean(article.title))
        try:
            if not self.is_piped(source):
                self.store.add_recent(source, article.title)
        except ReaderError as err:
            self.save_failed("recent", err, now=False)
        saved = self.store.position(source)
        self.match_voice(article.language)
        notices = self.take_notices()
        told = " ".join(notices)  # said before reading, and left on screen
        # Read to "End of article." last time, not merely quit during the last sentence.
        finished = saved is not None and saved.finished
        if finished:
            # Left at the very end: reading its last sentence again is no use; start over.
            again = "You finished this article last time. Reading from the start."
            self.session.start(prefix=f"{told} {again}".strip())
            if not self.autoplay:
                self.session.stop()
            self.show_message(told or again, error=bool(told))
        elif saved is not None and (saved.section, saved.sentence) != (0, 0):
            self.session.resume_at(saved.section, saved.sentence, prefix=told)
            if not self.autoplay:
                self.session.stop()
            # Shown in the page's words ("Ocrelizumab", not the respelling said to eSpeak).
            self.show_message(told or self.session.announced, error=bool(told))
        elif self.autoplay:
            self.session.play(prefix=told)
            self.show_message(told, error=bool(told))
        else:
            # Opened without reading (tests, snapshots): say what is open and how to start.
            ready = f"{clean(article.title)}. Press space to read."
            self.say(notices + [ready], "opened")
            self.show_message(told or ready, error=bool(told))
        self.refresh_reading()

    def article_shown(self, screen: ReaderScreen) -> None:
        if self.session is None or self.article is None:
            return
        try:
            title = short_title(clean(self.article.title))  # a 100 KB <h1> is no title bar
            screen.query_one("#title", Static).update(Text(title))
            screen.query_one(SectionList).set_sections(self.article)
            screen.query_one(ReadingPane).section = None
        except NoMatches:  # not composed yet: try once more after the next refresh
            self.call_after_refresh(self.article_shown, screen)
            return
        self.refresh_reading()

    # ------------------------------------------------------------ speech events (UI thread)

    def on_speech_update(self, message: SpeechUpdate) -> None:
        event = message.event
        item = event.item
        if event.kind == "error":
            text = clean(event.message or "The speech synthesiser failed.")
            self.show_message(text, error=True)
            if item is not None and is_reading_tag(item.tag):
                self.say([text], "error")  # an announcement failing is not re-announced
            return
        if event.kind != "word":
            self.clear_stale_message(item.tag if item is not None else None)
        self.refresh_reading(word_only=event.kind == "word")

    def clear_stale_message(self, tag: Any) -> None:
        """A message about reading is cleared once reading has moved on to another sentence
        ("Resuming at …" while the next section is read), or once the state it reported has
        changed ("Playing" after reading stopped at the end). Errors stay until replaced."""
        session = self.session
        if not self.message_text or self.message_sticky or session is None:
            return
        moved = is_reading_tag(tag) and tag != self.message_at
        if moved or session.state != self.message_state:
            self.show_message("")

    def refresh_reading(self, word_only: bool = False) -> None:
        """Show the session's position and word in the pane (or big print) and status line."""
        screen = self.reader_screen
        session = self.session
        if session is None or screen is None or not screen.is_mounted:
            self.update_status()
            return
        section, sentence = session.position
        try:
            pane = screen.query_one(ReadingPane)
        except NoMatches:  # the screen is still being built; its first refresh will show it
            return
        window = max(sentence - 1, 0) // WINDOW
        if pane.section != (section, window):
            # A very long section (a page with no headings) is shown WINDOW lines at a time.
            utts = session.utterances_of(section)[window * WINDOW : (window + 1) * WINDOW + 1]
            shown = session.shown_of(section)[window * WINDOW : (window + 1) * WINDOW + 1]
            starts = paragraph_starts(self.article, section) if self.article else frozenset()
            pane.show_section((section, window), shown, [u.sentence for u in utts], starts)
            screen.query_one(SectionList).highlighted = section
        word = None
        current = session.current
        shown_text = session.current_shown
        if session.word is not None and current is not None:
            item = session.word.item
            if is_reading_tag(item.tag) and item.tag == (section, sentence):
                start = session.word.offset
                word = map_span(current.text, shown_text, start, start + session.word.length)
        pane.highlight(sentence, word, self.theme)
        if screen.has_class("large") and current is not None:
            big = screen.query_one(BigPrint)
            language = self.article.language if self.article is not None else None
            big.show(shown_text, self.settings.font_size, word, language)
            if big.highlight_row is not None:
                screen.query_one("#big").scroll_to(y=big.highlight_row, animate=False)
        if not word_only:
            self.update_status()

    def update_status(self) -> None:
        screen = self.reader_screen
        if screen is None or not screen.is_mounted:
            return
        try:
            line = screen.query_one(StatusLine)
        except NoMatches:
            return
        width = line.size.width or self.size.width - 2  # its content: padding left out
        line.update(Text(self.status_text(width)))

    def status_text(self, width: int = 200) -> str:
        """'Section 6/7 | Sent 3/12 | Rate 175 | Vol 100% | Font 1/5 | Playing | English (Great
        Britain)'; to fit `width` cells the words are shortened before the voice's name (last)
        is cut (see ui/status.py)."""
        session, queue = self.session, self.queue
        parts = []
        if session is not None and session.section_count:
            section, sentence = session.position
            parts.append(f"Section {section + 1}/{session.section_count}")
            count = session.sentence_count(section)
            parts.append(f"Sent {sentence}/{count}" if sentence else "Title")
        if queue is not None:
            parts.append(f"Rate {queue.rate}")
            parts.append(f"Vol {round(queue.volume * 100)}%")
        parts.append(f"Font {self.settings.font_size}/{MAX_FONT_SIZE}")
        state = session.state if session is not None else "stopped"
        parts.append(state.title())
        return fit_status(parts, self.voice_name() if queue is not None else None, width)

    def voice_name(self) -> str:
        """The name of the voice speaking (the synthesiser's default one when none is set)."""
        voice = self.queue.voice if self.queue is not None else None
        if voice:
            return self.voice_names.get(voice, voice)
        # pyttsx3's eSpeak starts on the voice "en"; its list names it "gmw/en".
        for voice_id, name in self.voice_names.items():
            if voice_id.rsplit("/", 1)[-1] == DEFAULT_VOICE or len(self.voice_names) == 1:
                return name
        return "default voice"

    def show_message(self, text: str, error: bool = False, serial: int | None = None) -> None:
        if serial is None:
            self.message_serial += 1
            serial = self.message_serial
        elif serial != self.message_serial:
            return  # a newer message has been shown meanwhile
        try:
            screen = self.screen
            line = screen.query_one("#message", MessageLine)
        except ScreenStackError:  # shutting down
            return
        except NoMatches:
            if isinstance(screen, (ReaderScreen, StartScreen)) and not screen.is_mounted:
                # Pushed but not built yet (at start-up): show it once the screen is there.
                self.call_after_refresh(self.show_message, text, error, serial)
            return  # otherwise a dialog or help is on top: its own text says enough
        line.update(Text(clean(text)))
        line.set_class(error, "error")
        if isinstance(screen, ReaderScreen):
            session = self.session
            self.message_text, self.message_sticky = text, error
            self.message_at = session.position if session is not None else None
            self.message_state = session.state if session is not None else None

    def show_later(self, text: str) -> None:
        """Show `text` once the dialog or help being closed has gone (its own screen has no
        message line)."""
        self.call_after_refresh(self.show_message, text)

    # ------------------------------------------------------------ speaking

    def tell(self, text: str, tag: str = "message") -> None:
        """Say an announcement and show it (after a closing dialog has gone)."""
        self.say([text], tag)
        self.show_later(text)

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
            self.queue.speak([SpeechItem(t, tag=("announce", tag)) for t in texts])
        self.update_status()

    def announce(self, text: str, tag: str = "message", error: bool = False) -> None:
        """Say `text`; if reading was playing, reading goes on after it."""
        self.show_message(text, error=error)
        if self.session is not None:
            self.session.announce(text, tag)
            self.refresh_reading()
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
        self.show_message(self.session.announced)
        self.refresh_reading()

    # ------------------------------------------------------------ actions: the key map

    def action_play_pause(self) -> None:
        if self.session is None:
            return self.navigate("play")
        self.show_message(self.session.toggle_pause())
        self.update_status()

    def action_stop(self) -> None:
        if self.cancel_loading():
            return
        if self.session is not None:
            self.show_message(self.session.stop())
        elif self.queue is not None:
            self.queue.stop()
        self.update_status()

    def action_next_sentence(self) -> None:
        self.navigate("next_sentence")

    def action_prev_sentence(self) -> None:
        self.navigate("prev_sentence")

    def action_next_section(self) -> None:
        self.navigate("next_section")

    def action_prev_section(self) -> None:
        self.navigate("prev_section")

    def action_repeat(self) -> None:
        self.navigate("repeat")

    def action_start(self) -> None:
        self.navigate("start")

    def action_end(self) -> None:
        self.navigate("end")

    def go_to_section(self, index: int) -> None:
        if self.session is not None:
            self.session.go_to_section(index)
            self.show_message(self.session.section_label(index, spoken=False))
            self.refresh_reading()

    def action_where(self) -> None:
        if self.session is None:
            self.tell("No article is open.")
            return
        font = f" Font size {self.settings.font_size} of {MAX_FONT_SIZE}."
        self.session.announce(self.session.where() + font, "where")
        self.show_message(self.session.where(spoken=False) + font)
        self.refresh_reading()

    def action_faster(self) -> None:
        self.change_rate(+1)

    def action_slower(self) -> None:
        self.change_rate(-1)

    def change_rate(self, direction: int) -> None:
        if self.queue is None:
            return
        if self.session is not None:
            said = self.session.set_rate(step_rate(self.queue.rate, direction))
            self.show_message(said)
        else:
            rate = self.queue.set_rate(step_rate(self.queue.rate, direction))
            self.tell(rate_text(rate))
        self.settings.rate = self.queue.rate
        self.save_settings()
        self.update_status()

    def action_louder(self) -> None:
        self.change_volume(+0.1)

    def action_softer(self) -> None:
        self.change_volume(-0.1)

    def change_volume(self, step: float) -> None:
        if self.queue is None:
            return
        if self.session is not None:
            self.show_message(self.session.set_volume(self.queue.volume + step))
        else:
            volume = self.queue.set_volume(clamp_volume(self.queue.volume + step))
            self.tell(volume_text(volume))
        self.settings.volume = self.queue.volume
        self.save_settings()
        self.update_status()

    def action_font_bigger(self) -> None:
        self.set_font(self.settings.font_size + 1)

    def action_font_smaller(self) -> None:
        self.set_font(self.settings.font_size - 1)

    def set_font(self, level: int) -> None:
        level = min(max(level, MIN_FONT_SIZE), MAX_FONT_SIZE)
        limit = ""
        if level == self.settings.font_size:
            limit = ", largest" if level == MAX_FONT_SIZE else ", smallest"
        self.settings.font_size = level
        self.save_settings()
        if served():
            # In a browser the level is the page's real font size, set only at page load: save
            # the place and settings, then reload the page; the new app process resumes here.
            self.announce(f"Font size {level} of {MAX_FONT_SIZE}{limit}", "font")
            if not limit:
                from reader.serve import reload_at_level

                self.save_all()
                reload_at_level(self, level)
            return
        if isinstance(self.screen, (ReaderScreen, StartScreen)):
            self.screen.apply_font(level)
        self.announce(f"Font size {level} of {MAX_FONT_SIZE}{limit}", "font")
        self.refresh_reading()

    def action_next_theme(self) -> None:
        self.theme = next_theme(self.theme)
        self.settings.theme = self.theme
        self.save_settings()
        self.announce(f"Theme {theme_label(self.theme)}", "theme")
        self.refresh_reading()

    def action_next_voice(self) -> None:
        self.cycle_voice(+1)

    def action_prev_voice(self) -> None:
        self.cycle_voice(-1)

    def current_voice_id(self, voices: list[VoiceInfo]) -> str | None:
        """The id of the voice speaking; None set means eSpeak's default ("en", listed "gmw/en")."""
        if self.queue is not None and self.queue.voice:
            return self.queue.voice
        return next((v.id for v in voices if v.id.rsplit("/", 1)[-1] == DEFAULT_VOICE), None)

    def match_voice(self, language: str) -> None:
        """Read an article in its own language: the chosen voice when it speaks it, else the
        best voice for that language, said before reading (English eSpeak reading French is
        gibberish). The saved choice is kept for articles in its language."""
        if self.queue is None or self.voice_override:
            return
        try:
            voices = list(self.queue.voices())
        except Exception:  # no list, no choice: the voice stays as it is
            return
        choices = {v.id: v for v in voices_for(voices, language)}
        current = self.current_voice_id(voices)
        if not choices or current in choices:
            return
        preferred = self.settings.voice
        voice_id = preferred if preferred in choices else pick_voice(voices, language)
        if voice_id not in choices:
            return
        self.queue.set_voice(voice_id)
        name = choices[voice_id].name
        self.voice_names[voice_id] = name
        self.notices.append(f"Voice {name}, for this article's language.")

    def cycle_voice(self, step: int) -> None:
        """The next voice that speaks the article's language (all voices if none does), said
        in that voice with its language: "Voice English (America), en-us, 8 of 9"."""
        if self.queue is None:
            return
        try:
            voices = self.queue.voices()
        except Exception as err:  # the synthesiser cannot list them: say so, keep the voice
            self.announce(clean(f"The voices cannot be listed: {err}"), "voice")
            return
        language = self.article.language if self.article is not None else "en"
        choices = voices_for(voices, language) or voices
        if not choices:
            self.announce("There are no voices to choose from.", "voice")
            return
        ids = [v.id for v in choices]
        speaking = self.current_voice_id(voices)
        current = ids.index(speaking) if speaking in ids else -1
        if current == -1 and step < 0:
            current = 0
        index = (current + step) % len(choices)
        voice = choices[index]
        self.queue.set_voice(voice.id)
        self.voice_names[voice.id] = voice.name
        self.settings.voice = voice.id
        self.save_settings()
        # The name already says the language ("English (America)"); codes are noise to the ear.
        self.announce(f"Voice {voice.name}, {index + 1} of {len(choices)}", "voice")

    def action_find(self) -> None:
        if self.session is None:
            self.tell("No article is open. Press o to open one.")
            return
        if isinstance(self.screen, FindDialog):
            return
        self.find_was_playing = self.session.state == "playing"
        if self.find_was_playing:
            self.session.toggle_pause()
        self.push_screen(FindDialog(self.last_find))
        said = "Find. Type the words to find, then press enter."
        if self.last_find:
            said += f" Last time: {self.last_find}."
        self.say([said], "dialog")

    def find_text(self, words: str, dialog: FindDialog) -> None:
        words = " ".join(clean(words).split())
        if not words:
            self.say(["Type the words to find first."], "dialog")
            return
        self.last_find = words
        assert self.session is not None
        if self.session.find_next(words) is None:
            dialog.show_error(f"Not found: {words}")
            again = "Change the words and press enter, or escape to go back."
            self.say([f"Not found: {words}", again], "find")
            return
        dialog.dismiss(None)
        section, sentence = self.session.position
        where = self.session.section_label(section, spoken=False)
        found = f"Found in {where}, sentence {sentence}" if sentence else where
        self.call_after_refresh(self.show_message, found)  # once the dialog has gone
        self.refresh_reading()

    def find_closed(self) -> None:
        if self.session is not None and self.find_was_playing:
            self.session.resume_with("Find closed.")
            self.show_later("Find closed.")
        else:
            self.tell("Find closed.", "dialog")
        self.refresh_reading()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.help_was_playing = self.session is not None and self.session.state == "playing"
        self.push_screen(HelpScreen())
        spoken = ["Help. Keys."]
        spoken += [help_line(index) for index in range(len(KEYS))]
        spoken.append("Up and down go through the keys. Escape closes this help.")
        self.say(spoken, "help")

    def help_row(self, index: int) -> None:
        """Up or down in help: say that key's row."""
        self.say([help_line(index)], "help")

    def help_line_started(self, event: SpeechEvent) -> None:
        """(Speech thread.) Help read aloud moves its highlight along, so that down after
        listening a while goes on from the last key heard, not from the first."""
        item = event.item
        if event.kind == "start" and item is not None and item.tag == ("announce", "help"):
            self.post_message(HelpSpoken(item.text, item))

    def on_help_spoken(self, message: HelpSpoken) -> None:
        screen = self.screen
        if self.session is not None and not self.session.is_current(message.item):
            return  # a line of the list that up or down has already cut off: stale
        if isinstance(screen, HelpScreen):
            lines = [clean(help_line(index)) for index in range(len(KEYS))]
            if message.text in lines:
                screen.show_row(lines.index(message.text))

    def help_closed(self) -> None:
        session = self.session
        if session is not None and self.help_was_playing:
            # Help's speech stopped the reading: it goes on where it was.
            session.resume_with("Help closed.", "help")
            self.show_later("Help closed.")
            self.refresh_reading()
        elif session is not None and isinstance(self.screen, ReaderScreen):
            self.tell("Help closed. Press space to go on reading.", "help")
        else:
            self.tell("Help closed.", "help")

    def action_start_screen(self) -> None:
        """b while reading: the start screen (recent articles, the sample) over the article,
        which waits, paused, for escape."""
        if self.session is None or not isinstance(self.screen, ReaderScreen):
            return
        if self.reader_screen is not None and self.reader_screen.sections_open:
            self.reader_screen.close_sections(spoken=False)
        if self.session.state == "playing":
            self.session.toggle_pause()
        self.save_position()
        self.show_start()

    def back_to_article(self) -> None:
        if self.session is None or self.reader_screen not in self.screen_stack:
            return
        self.show_reader()
        title = self.session.article.title
        self.tell(f"Back to {title}. Press space to go on reading.", "dialog")
        self.refresh_reading()

    def action_open_dialog(self) -> None:
        if isinstance(self.screen, OpenDialog):
            return
        if self.session is not None and self.session.state == "playing":
            self.session.toggle_pause()
        self.push_screen(OpenDialog())
        self.say(["Open. Type a web address or a file path, then press enter."], "dialog")

    def dialog_closed(self) -> None:
        if not self.cancel_loading():  # escape while it loads: it must not open after all
            self.tell("Open cancelled.", "dialog")
        self.update_status()

    def cancel_loading(self) -> bool:
        """Escape while a page loads: drop the load (its worker's result is discarded) and say
        so; with no article open, back to the start screen. False if nothing was loading."""
        if not self.loading:
            return False
        self.workers.cancel_group(self, "load")
        self.load_cancel.set()  # the download's socket is shut and its thread ends at once
        self.loading = None
        if self.session is None and isinstance(self.screen, ReaderScreen):
            self.pop_screen()
            self.reader_screen = None
            self.show_start("Loading cancelled.")
        else:
            self.tell("Loading cancelled.", "loading")
        return True

    def sections_opened(self) -> None:
        session = self.session
        assert session is not None
        self.sections_were_playing = session.state == "playing"
        section = session.section
        self.say(
            [
                f"Sections, {session.section_count} items. "
                f"{session.spoken_title(section)}, {section + 1} of {session.section_count}. "
                "Up and down to move, enter to read, escape to go back."
            ],
            "sections",
        )

    def section_highlighted(self, index: int) -> None:
        session = self.session
        if session is not None:
            spoken = session.spoken_title(index)
            self.say([f"{spoken}, {index + 1} of {session.section_count}"], "sections")
            self.show_message(session.section_title(index))

    def sections_closed(self) -> None:
        if self.session is not None and self.sections_were_playing:
            # The list's own speech paused reading: it goes on, after saying the list closed.
            self.session.resume_with("Section list closed.")
            self.show_message("Section list closed.")
        else:
            self.tell("Section list closed.", "sections")
        self.refresh_reading()

    async def action_quit_reader(self) -> None:
        """Save, say goodbye (so a listener knows the reader has gone, and that the place is
        kept), then exit: quitting waits for the goodbye at most GOODBYE_WAIT seconds, or
        until q is pressed again."""
        if self.leaving:
            if self.queue is not None:
                self.queue.stop()  # q again while saying goodbye: go at once
            return
        self.leaving = True
        self.save_all()
        # Never "position saved" when it was not: the failure is the goodbye, and the exit code.
        unsaved = " ".join(self.save_errors.values())
        queue = self.queue
        if queue is not None:
            goodbye = "Goodbye, position saved." if self.session is not None else "Goodbye."
            goodbye = f"{unsaved} Goodbye." if unsaved else goodbye
            self.show_message(goodbye, error=bool(unsaved))
            self.say([goodbye], "quit")
            await asyncio.to_thread(queue.wait_idle, GOODBYE_WAIT)
            queue.stop()  # cut short if it is still going: the log then ends with its stop
        self._quitting.set()
        code = SettingsError.exit_code if unsaved else 0
        self.exit(code, return_code=code)

    # ------------------------------------------------------------ memory

    def save_all(self) -> None:
        """Position and settings; safe to call again (each save writes the same thing)."""
        self.save_position()
        self.save_settings()

    def save_position(self, now: bool = True) -> None:
        session, source = self.session, self.article_source
        if session is None or source is None or self.is_piped(source):
            return
        section, sentence = session.position
        try:
            self.store.save_position(
                source, section, sentence, session.article.title, finished=session.finished
            )
        except ReaderError as err:
            self.save_failed("position", err, now)
        else:
            self.save_errors.pop("position", None)
        # The store writes an unsaved recent entry with the next change, so it now fares (and
        # is told) as the place does: one sentence, not two, for one full disk.
        self.save_errors.pop("recent", None)

    def is_piped(self, source: str) -> bool:
        """The temporary copy of a piped page: it cannot be opened again, so it is not kept."""
        return self.piped and source == self.source

    def save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except ReaderError as err:
            self.save_failed("settings", err)
            return
        self.save_errors.pop("settings", None)

    def save_failed(self, kind: str, err: ReaderError, now: bool = True) -> None:
        """Shown every time; said once per new reason (a full disk must not interrupt reading
        every SAVE_EVERY seconds). now=False: said with the notices before the next article."""
        text = str(err)
        new = self.save_errors.get(kind) != text
        self.save_errors[kind] = text
        if not new or self.leaving or self._quitting.is_set():  # quitting: the goodbye says it
            self.show_message(text, error=True)
        elif now:
            self.announce(text, "error", error=True)
        else:
            self.notices.append(text)
            self.show_message(text, error=True)

    # ------------------------------------------------------------ crashes

    def _handle_exception(self, error: Exception) -> None:
        # Textual's hook for an uncaught error anywhere in the app: keep it, so run_app can
        # end with a non-zero status and one sentence (the CLI's), not Textual's traceback.
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        if os.environ.get("READER_DEBUG") == "1":
            super()._fatal_error()  # the full traceback, for whoever asked for it
            return
        self._close_messages_no_wait()

    # ------------------------------------------------------------ shutting down

    async def on_unmount(self) -> None:
        # Every way out ends here (q, the browser page closing, a signal, app.exit from
        # anywhere): the place and settings are saved whichever it was.
        self._quitting.set()
        self.save_all()
        self.close_speech()

    def close_speech(self) -> None:
        if self.queue is not None:
            self.queue.close()
            self.queue = None
        if self.driver is not None and self.given_driver is None:
            try:
                self.driver.close()
            except Exception:  # the process is going away anyway
                pass
            self.driver = None
        if self.speech_log is not None:
            self.speech_log.close(final_stop=True)
            self.speech_log = None


# ---------------------------------------------------------------- building speech and articles


def help_line(index: int) -> str:
    """A key of the key map as help says it."""
    _, spoken, what = KEYS[index]
    return f"{spoken}: {spoken_words(what)}."


def spoken_words(text: str) -> str:
    """Help text for the ear: 'Next / previous' would be read 'next slash previous'."""
    return text.replace(" / ", " or ")


def served() -> bool:
    """True when the app runs in a browser page through `reader serve` (textual-serve)."""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def make_speech(
    driver: Any, audio: str | None, on_fail: Callable[[str], None] | None = None
) -> Speech:
    from voices.player import make_player
    from voices.queue import SpeechQueue

    if driver is None:
        driver = default_driver()
    if on_fail is not None:
        driver = FallbackDriver(driver, on_fail)
    player = make_player(audio)
    queue = SpeechQueue(driver, player)
    names: dict[str, str] = {}
    try:
        names = {v.id: v.name for v in queue.voices()}
    except Exception:  # names are only for the status line
        names = {}
    return Speech(queue, driver, names)


def voices_for(voices: list[VoiceInfo], language: str) -> list[VoiceInfo]:
    """The voices that speak `language`'s base language ("en" for "en-GB")."""
    base = (language or "").lower().replace("_", "-").split("-")[0]
    return [v for v in voices if any(lang.lower().split("-")[0] == base for lang in v.languages)]


def default_driver() -> Any:
    from voices.drivers import make_driver

    return make_driver()


def prepare(article: Article) -> Loaded:
    from reader.speech import article_utterances

    utterances = article_utterances(article)
    return Loaded(article, utterances, display_texts(article, utterances))


def load_source(source: str, cancel: threading.Event | None = None) -> Article:
    from reader.cli import resolve_source
    from reader.extract import load_article

    return load_article(resolve_source(source), cancel)


class SilentDriver:
    """When no synthesiser works: silent audio timed like speech at the current rate, so the
    highlight still moves through the text and the reader stays usable on screen."""

    rate, volume, pitch, voice = 175, 1.0, 50, None

    def synthesize(self, text: str) -> Audio:
        marks, t = [], 0.0
        seconds_per_word = 60.0 / max(self.rate, 1)
        offset = 0
        for word in text.split():
            offset = text.index(word, offset)
            marks.append(WordMark(offset, len(word), t))
            offset += len(word)
            t += seconds_per_word
        rate = 22050
        return Audio(b"\x00\x00" * max(int(t * rate), 1), rate, marks)

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("silent", "silent", ["en"])]

    def close(self) -> None:
        pass


class FallbackDriver:
    """The real synthesiser, until it fails before it has ever spoken (its process cannot
    start, eSpeak is missing) or fails twice running: from then on SilentDriver, so the text
    is still read on screen, highlighted in time. `on_fail(error)` is called once, then."""

    def __init__(self, driver: Any, on_fail: Callable[[str], None]) -> None:
        self.real = driver
        self.silent = SilentDriver()
        self.on_fail = on_fail
        self.rate = getattr(driver, "rate", SilentDriver.rate)
        self.volume = getattr(driver, "volume", SilentDriver.volume)
        self.pitch = getattr(driver, "pitch", SilentDriver.pitch)
        self.voice = getattr(driver, "voice", None)
        self.applied: tuple[Any, ...] | None = None  # what the real driver was last set to
        self.worked = False
        self.failures = 0
        self.failed = False

    def synthesize(self, text: str) -> Audio:
        if not self.failed:
            try:
                self.apply()
                audio = self.real.synthesize(text)
            except Exception as err:
                self.failures += 1
                if self.worked and self.failures < 2:
                    raise  # one bad sentence: the queue reports it and goes on
                self.failed = True
                self.on_fail(str(err) or type(err).__name__)
            else:
                self.worked, self.failures = True, 0
                return audio
        self.silent.rate = self.rate
        return self.silent.synthesize(text)

    def apply(self) -> None:
        """Settings are handed on here, not in setters, so a broken synthesiser fails in
        synthesize (where the fallback is) rather than while the queue applies settings."""
        wanted = (self.voice, self.rate, self.volume, self.pitch)
        if wanted == self.applied:
            return
        for name, value in zip(("voice", "rate", "volume", "pitch"), wanted, strict=True):
            if self.applied is None or getattr(self.real, name, None) != value:
                setattr(self.real, name, value)
        self.applied = wanted

    def voices(self) -> list[VoiceInfo]:
        return self.silent.voices() if self.failed else self.real.voices()

    def close(self) -> None:
        self.real.close()

    def __getattr__(self, name: str) -> Any:
        # The natural voice's extras, for the queue: pieces, cancelling, "natural" as a name.
        if name in ("split", "cancel", "resolve_voice") and not self.__dict__.get("failed"):
            return getattr(self.__dict__["real"], name)
        raise AttributeError(name)


def run_app(
    source: str | None = None,
    audio: str | None = None,
    speech_log: str | None = None,
    rate: int | None = None,
    voice: str | None = None,
    piped: bool = False,
) -> int:
    """`reader [SOURCE]`: run the app until the user quits. Returns the exit code."""
    if audio:
        os.environ.setdefault("READER_AUDIO", audio)
    app = ReaderApp(source, audio=audio, speech_log=speech_log, rate=rate, voice=voice, piped=piped)
    hangup.start()  # before the app starts any thread: they inherit the blocked signals
    result = app.run()
    if app.crash is not None:
        raise app.crash  # the CLI says it in one sentence and exits non-zero
    # Textual ended on an error it did not hand to _handle_exception: still not a success.
    code = app.return_code or (result if isinstance(result, int) else 0)
    if app.save_errors:  # however the app ended, a failed save is exit code 3
        code = SettingsError.exit_code
    hangup.leave_now_if_hung_up(code)  # (no terminal left to tell)
    if app.save_errors:  # said on stderr too, after the screen is gone
        raise SettingsError(" ".join(app.save_errors.values()))
    return code
