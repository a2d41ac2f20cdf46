"""ReaderApp: the keyboard-driven reader that speaks for itself.

Design (after frogmouth and NVDA): the app only runs things — its lifecycle, the key bindings,
the screen stack and the message line. What each key does, the reading state and the speech
live in the ReadingController (reader/reading/controller.py), which knows no Textual; the
app-wide keys' one-line calls into it are ReaderKeys (keys.py), and loading a source is
ReaderLoading (loading.py), both bases of the app. Screens only show the controller's state
and post messages (reader/ui/messages.py); dialogs answer with `dismiss(value)`.
Speech events arrive on the queue's thread; they are handed to the UI thread with
`post_message` (thread-safe and non-blocking, so a UI action that is waiting on the queue can
never deadlock with a queue thread waiting on the UI).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from textual import work
from textual.binding import Binding

from reader import hangup
from reader.reading.controller import ReadingController
from reader.reading.setup import Options, build_speech
from reader.settings import SettingsError
from reader.text import with_full_stop
from reader.ui.bigtext import use_cells
from reader.ui.feedflow import FeedFlow, followed_choices
from reader.ui.keys import ReaderKeys
from reader.ui.loading import ReaderLoading
from reader.ui.messages import (
    BackToArticle,
    OpenFeedItem,
    Say,
    ShowStart,
    SpeechFailed,
    SpeechReady,
    SpeechUpdate,
    StartEscape,
)
from reader.ui.screens import (
    ReaderScreen,
    StartScreen,
    help_line,
)
from reader.ui.screens.feed import FeedScreen
from reader.ui.themes import (
    THEME_CSS,
    disable_animations,
    register_themes,
    theme_variable_defaults,
)
from reader.ui.view import ReadingView
from voices.base import VoiceInfo

__all__ = ["ReaderApp", "help_line", "run_app"]

SAVE_EVERY = 15.0  # seconds between periodic saves of the reading position
GOODBYE_WAIT = 4.0  # quitting waits at most this long for "Goodbye" to be heard whole


def _from_reading(name: str) -> Any:
    """A read-only attribute of the app that is the controller's attribute `name`."""
    return property(lambda app: getattr(app.reading, name), doc=f"The controller's {name}.")


class ReaderApp(ReaderLoading, ReaderKeys):
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
        options = Options(source, audio, speech_log, rate, voice, autoplay, driver, piped)
        self.reader_screen: ReaderScreen | None = None
        self.crash: BaseException | None = None  # an uncaught error ended the app
        self.view = ReadingView(self, lambda: self.reader_screen)
        self.reading = ReadingController(options, self.view)
        self.view.attach(self.reading)
        self.feeds = FeedFlow(self)
        register_themes(self, self.settings.theme)
        use_cells(self.settings.glyph_cells)  # sextants, quadrants or half blocks
        disable_animations(self)

    # The controller's state, read (by tests, for one) as the app's own.
    session = _from_reading("session")
    queue = _from_reading("queue")
    article = _from_reading("article")
    article_source = _from_reading("article_source")
    settings = _from_reading("settings")
    store = _from_reading("store")

    def status_text(self, width: int = 200) -> str:
        return self.view.status_text(width)

    def current_voice_id(self, voices: list[VoiceInfo]) -> str | None:
        return self.reading.voices.current_id(voices)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults()

    # ------------------------------------------------------------ start up

    def on_mount(self) -> None:
        self.start_speech()
        source = self.reading.options.source
        if source:
            self.show_reader()
            piped = self.reading.options.piped
            self.begin_load(source, "the page from standard input" if piped else source)
        else:
            self.show_start()
        self.show_notices()
        self.set_interval(SAVE_EVERY, self.reading.save_position)
        self.set_interval(1.0, self.reading.tick)  # a slow load; the sleep timer
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
        self.reading.save_all()
        return SettingsError.exit_code if self.reading.save_errors else 0

    def exit_on_signal(self) -> None:
        self.reading.save_all()
        self.reading.quitting.set()
        self.exit(0)

    @work(thread=True, exclusive=False, group="speech")
    def start_speech(self) -> None:
        """Driver, player and queue (the driver may take a moment: it starts a process)."""
        speech, notices = build_speech(
            self.reading.options, lambda error: self.post_message(SpeechFailed(error))
        )
        self.post_message(SpeechReady(speech, notices))

    def on_speech_ready(self, message: SpeechReady) -> None:
        reading = self.reading
        if not reading.attach_speech(message.speech, message.notices):
            return
        reading.queue.subscribe(self.help_line_started)
        self.show_notices()
        if reading.pending is not None:
            source, loaded = reading.pending
            reading.pending = None
            reading.unspoken = []
            self.open_article(source, loaded)  # the notices are said first
        else:
            reading.say_startup()
        reading.ready_to_speak_choices = True
        self.view.update_status()

    def on_speech_failed(self, message: SpeechFailed) -> None:
        self.reading.speech_failed(message.error)

    def show_notices(self) -> None:
        if self.reading.notices:
            self.view.show_message(" ".join(self.reading.notices), error=True)

    # ------------------------------------------------------------ screens

    def show_reader(self) -> ReaderScreen:
        if self.reader_screen is None or not self.reader_screen.is_attached:
            self.reader_screen = ReaderScreen(self.reading, self.font_level())
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

    def show_start(self, message: str = "", said: str = "") -> None:
        """The start screen, showing `message` and saying it (`said`: said for it instead, an
        error's sentence without its whole web address)."""
        reading = self.reading
        recent = [(item.title, item.source) for item in reading.store.recent()]
        over_article = reading.session is not None and isinstance(self.screen, ReaderScreen)
        screen = StartScreen(
            recent, message, over_article, self.font_level(), followed_choices(reading.store)
        )
        screen.said_message = said or message
        self.push_screen(screen)
        if reading.queue is not None:
            reading.ready_to_speak_choices = True
        said = screen.welcome()
        reading.say(said if reading.queue is None else reading.take_notices() + said, "start")

    def on_show_start(self, _: ShowStart) -> None:
        if isinstance(self.screen, FeedScreen):
            self.pop_screen()
        self.show_start()

    def on_open_feed_item(self, message: OpenFeedItem) -> None:
        self.feeds.open_item(message.index)

    def on_speech_update(self, message: SpeechUpdate) -> None:
        self.view.speech_update(message.event)
        self.feeds.speech_event(message.event)

    # ------------------------------------------------------------ what screens tell the app

    def on_say(self, message: Say) -> None:
        if message.choice and not self.reading.ready_to_speak_choices:
            return
        if message.shown:
            self.reading.tell(message.texts[0], message.tag)
        else:
            self.reading.say(message.texts, message.tag)

    def on_start_escape(self, message: StartEscape) -> None:
        if self.cancel_loading():
            return
        if message.over_article:
            self.back_to_article()
        else:
            self.reading.stop()

    def on_back_to_article(self, _: BackToArticle) -> None:
        self.back_to_article()

    def back_to_article(self) -> None:
        session = self.reading.session
        if session is None or self.reader_screen not in self.screen_stack:
            return
        self.show_reader()
        title = session.article.title
        self.reading.tell(
            f"Back to {with_full_stop(title)} Press space to go on reading.", "dialog"
        )
        self.view.refresh_reading()

    # ------------------------------------------------------------ screens the keys open

    def action_start_screen(self) -> None:
        """b while reading: the start screen (recent articles, the sample) over the article,
        which waits, paused, for escape."""
        session = self.reading.session
        if session is None or not isinstance(self.screen, ReaderScreen):
            return
        if self.screen.sections_open:
            self.screen.close_sections(spoken=False)
        self.reading.pause()
        self.reading.save_position()
        if self.feeds.reading_an_item() and self.feeds.listening is not None:
            self.feeds.show(self.feeds.listening, over_article=True)  # back to its list
            return
        self.show_start()

    async def action_quit_reader(self) -> None:
        """Save, say goodbye (so a listener knows the reader has gone, and that the place is
        kept), then exit: quitting waits for the goodbye at most GOODBYE_WAIT seconds, or
        until q is pressed again."""
        reading = self.reading
        if reading.leaving:
            if reading.queue is not None:
                reading.queue.stop()  # q again while saying goodbye: go at once
            return
        reading.leaving = True
        reading.save_all()
        queue = reading.queue
        if queue is not None:
            goodbye = reading.goodbye()
            self.view.show_message(goodbye, error=bool(reading.save_errors))
            reading.say([goodbye], "quit")
            await asyncio.to_thread(queue.wait_idle, GOODBYE_WAIT)
            queue.stop()  # cut short if it is still going: the log then ends with its stop
        reading.quitting.set()
        code = SettingsError.exit_code if reading.save_errors else 0
        self.exit(code, return_code=code)

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

    async def on_unmount(self) -> None:
        # Every way out ends here (q, the browser page closing, a signal, app.exit from
        # anywhere): the place and settings are saved whichever it was.
        self.reading.quitting.set()
        self.reading.save_all()
        self.reading.close_speech()


def run_app(
    source: str | None = None,
    *,
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
    save_errors = app.reading.save_errors
    if save_errors:  # however the app ended, a failed save is exit code 3
        code = SettingsError.exit_code
    hangup.leave_now_if_hung_up(code)  # (no terminal left to tell)
    if save_errors:  # said on stderr too, after the screen is gone
        raise SettingsError(" ".join(save_errors.values()))
    return code
