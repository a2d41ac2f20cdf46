"""Loading what the user opens: "Loading …" said, the source opened in a worker thread
(reader/reading/opening.py), then the article read, the feed listed, or the one sentence of
why not said (in the open dialog, if it is still there). Escape cancels a load. A base of
ReaderApp: which screen shows what is the app's screen stack, so this works on it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual.app import App

from reader.reading.controller import ReadingController
from reader.reading.listening import FeedListening
from reader.reading.opening import open_source
from reader.reading.setup import Loaded
from reader.serve import is_served, show_title
from reader.text import clean, said_addresses
from reader.ui.messages import ArticleLoaded, OpenSource
from reader.ui.screens import OpenDialog, ReaderScreen, StartScreen
from reader.ui.screens.feed import FeedScreen

LOAD_THREAD = "reader-load"  # the name of the thread that opens a source

if TYPE_CHECKING:
    from reader.ui.feedflow import FeedFlow
    from reader.ui.view import ReadingView


class ReaderLoading(App[int]):
    reading: ReadingController
    view: ReadingView
    feeds: FeedFlow
    reader_screen: ReaderScreen | None

    def show_reader(self) -> ReaderScreen:  # the app's screen stack
        raise NotImplementedError

    def show_start(self, message: str = "", said: str = "") -> None:  # the app's screen stack
        raise NotImplementedError

    def drop_empty_reader(self) -> bool:
        """With no article open, the reading screen shown while a page loaded goes (True if it
        was there)."""
        if self.reading.session is None and isinstance(self.screen, ReaderScreen):
            self.pop_screen()
            self.reader_screen = None
            return True
        return False

    def on_open_source(self, message: OpenSource) -> None:
        """Open a web address, path or "sample" (a link, a recent article, the open dialog)."""
        name = message.name or message.source
        self.begin_load(message.source, name, message.dialog, shown=message.source)

    def begin_load(
        self, source: str, name: str, dialog: OpenDialog | None = None, shown: str = ""
    ) -> None:
        """Say "Loading <name>" (a web address as its page and site) and show it (in the open
        dialog, if it is there, which takes no more keys until the load ends), then load
        `source` in a worker."""
        self.reading.say([f"Loading {said_addresses(name)}"], "loading")
        if dialog is None:
            self.view.show_message(f"Loading {shown or name} …")
        else:
            dialog.loading_began(f"Loading {shown or name} …")
        self.load(source, dialog, self.reading.start_loading(source))

    def load(self, source: str, dialog: OpenDialog | None, cancel: threading.Event) -> None:
        """Open `source` in a daemon thread of its own, not a Textual thread worker: those run
        in asyncio's executor, which app.run() joins on the way out, so `q` during a 9 MB
        page's extraction said Goodbye and then held the terminal for 45 s."""
        threading.Thread(
            target=self._load, args=(source, dialog, cancel), name=LOAD_THREAD, daemon=True
        ).start()

    def _load(self, source: str, dialog: OpenDialog | None, cancel: threading.Event) -> None:
        piped = self.reading.is_piped(source)
        loaded, error, said = open_source(self.reading.store, source, cancel, piped)
        if not cancel.is_set():  # escape, or another load begun since: its result is dropped
            self.post_message(ArticleLoaded(source, loaded, error, dialog, said))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        self.reading.loading = None
        if message.loaded is None:
            self.load_failed(message.error, message.dialog, message.said)
            return
        if message.dialog is not None and message.dialog.is_attached:
            message.dialog.dismiss(message.source)
        if isinstance(message.loaded, FeedListening):
            self.open_feed(message.loaded)
            return
        if self.reading.queue is None:
            self.reading.pending = (message.source, message.loaded)
            self.show_reader()
            return
        self.open_article(message.source, message.loaded)

    def load_failed(self, error: str, dialog: OpenDialog | None, said: str = "") -> None:
        """Say why `error` (shown; `said` is the same sentence for the ear, its web address as
        page and site) and show it where the listener is."""
        error, said = clean(error), clean(said or error)
        if dialog is not None and dialog.is_attached:
            # The dialog stays open with the address in its field, selected: typing replaces
            # it, and end keeps it to correct. Say so, or the listener is left in silence.
            dialog.loading_failed(error)
            self.reading.say([said, OpenDialog.again], "error")
            return
        if isinstance(self.screen, FeedScreen):
            # A feed's item that cannot be read: the listener stays on its list, on that item,
            # to choose another (the start screen lost their place in the list).
            self.reading.say([said], "error")
            self.view.show_message(error, error=True)
            return
        if self.reading.session is None:
            # Nothing to read: the start screen, with the error on it (it says the error first;
            # saying it here as well started it twice, the first cut off by the second).
            self.drop_empty_reader()
            if not isinstance(self.screen, StartScreen):
                self.show_start(error, said)
                return
        self.reading.say([said], "error")
        self.view.show_message(error, error=True)

    def open_article(self, source: str, loaded: Loaded) -> None:
        self.reading.begin_article(source, loaded)
        screen = self.show_reader()
        self.call_after_refresh(self.article_shown, screen)
        if is_served():  # the browser tab is named after the article
            show_title(self, clean(loaded.article.title))
        self.reading.start_reading(source)

    def open_feed(self, listening: FeedListening) -> None:
        self.drop_empty_reader()
        self.feeds.show(listening)

    def article_shown(self, screen: ReaderScreen) -> None:
        article = self.reading.article
        if self.reading.session is not None and article is not None:
            screen.show_article(article)  # (or as the screen is built, if it is not yet)

    def cancel_loading(self) -> bool:
        """Escape while a page loads: drop the load (its thread's result is dropped) and say
        so; with no article open, back to the start screen. False if nothing was loading."""
        if not self.reading.loading:
            return False
        self.reading.load_cancel.set()  # the download's socket is shut and its thread ends at once
        self.reading.loading = None
        if self.drop_empty_reader():
            self.show_start("Loading cancelled.")
        elif isinstance(self.screen, StartScreen):  # where the listener is, and on what choice
            cancelled = ["Loading cancelled.", "Start screen.", self.screen.current_choice()]
            self.reading.say(cancelled, "loading")
            self.screen.show_message("Loading cancelled.")
        else:
            self.reading.tell("Loading cancelled.", "loading")
        return True
