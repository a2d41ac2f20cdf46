"""Feeds in the app: a feed opens as a list; enter reads an item; at an item's end it is
marked read and, with continuous listening on, "Next: <title>" is said and the next unread
item starts; s follows the feed (or the feed a page names); c turns continuous listening on
or off. The decisions live in reader/reading/listening.py; this wires them to screens.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from reader.errors import ReaderError
from reader.feeds import Feed, discover, item_article, load_feed
from reader.reading.listening import FeedListening
from reader.reading.setup import Loaded, load_failure, prepare
from reader.reading.types import Announcement
from reader.source.fetch import fetch_resource
from reader.subscriptions import is_followed, mark_read, subscribe, subscriptions
from reader.text import counted, with_full_stop
from reader.ui.messages import ArticleLoaded, Say
from reader.ui.screens.feed import FeedScreen
from voices.base import SpeechEvent

if TYPE_CHECKING:
    from textual.app import App

    from reader.reading.controller import ReadingController
    from reader.store import Store

    class FeedHost(App[int]):
        """What this needs of the app (screens and flows never import the app itself)."""

        reading: ReadingController

        def font_level(self) -> int: ...


class FeedFlow:
    def __init__(self, app: FeedHost) -> None:
        self.app = app
        self.listening: FeedListening | None = None
        self.screen: FeedScreen | None = None

    # -- the list

    def show(self, listening: FeedListening, message: str = "", over_article: bool = False) -> None:
        self.listening = listening
        said = message or listening.said_note or listening.note
        message, listening.note, listening.said_note = message or listening.note, "", ""
        self.screen = FeedScreen(listening, self.app.font_level(), message, over_article)
        self.screen.said_message = said
        self.app.push_screen(self.screen)
        reading = self.app.reading
        if reading.queue is not None:
            reading.ready_to_speak_choices = True
        reading.say(reading.take_notices() + self.screen.welcome(), "start")

    def open_item(self, index: int, quietly: bool = False) -> None:
        listening = self.listening
        if listening is None or not 0 <= index < len(listening.feed.items):
            return
        item = listening.open(index)
        source = listening.source_of(index)
        if not quietly:
            self.app.reading.say([f"Loading {item.title}"], "loading")
        cancel = self.app.reading.start_loading(source)
        self.load_item(listening.feed, index, source, cancel, skip_on_error=quietly)

    def load_item(
        self, feed: Feed, index: int, source: str, cancel: threading.Event, skip_on_error: bool
    ) -> None:
        def work() -> None:
            loaded: Loaded | None = None
            error = said = ""
            try:
                loaded = prepare(item_article(feed.items[index], feed, cancel))
            except Exception as err:  # the app never dies on a bad item
                error, said = load_failure(source, err, False)
            if cancel.is_set():
                return
            if error and skip_on_error:  # listening hands off: say why, and go on
                self.app.call_from_thread(self.skip, index, error)
            else:
                self.app.post_message(ArticleLoaded(source, loaded, error, None, said))

        threading.Thread(target=work, name="reader-feed-item", daemon=True).start()

    # -- the end of an item

    def speech_event(self, event: SpeechEvent) -> None:
        """(UI thread.) "End of article." heard to its end: the item is read; go on."""
        item = event.item
        if event.kind != "end" or item is None or item.tag != Announcement("end"):
            return
        listening = self.listening
        if listening is None or listening.current is None:
            return
        if self.app.reading.article_source != listening.source_of(listening.current):
            return  # another article was opened since
        self.finished(listening)

    def finished(self, listening: FeedListening) -> None:
        index = listening.current
        done = listening.finished()
        if done is None or index is None:
            return
        if listening.followed:
            try:
                mark_read(self.app.reading.store, listening.feed.url, done.guid)
            except ReaderError as err:
                self.app.reading.tell(str(err), "error")
        if self.screen is not None and self.screen.is_attached:
            self.screen.refresh_item(index)
        if not self.app.reading.settings.continuous:
            return
        following = listening.next_unread()
        if following is None:
            self.app.reading.say(
                [f"That was the last unread article of {with_full_stop(listening.feed.title)}"]
            )
            return
        # Said as the next item's first words, so nothing can cut it off before it is heard.
        self.app.reading.notices.append(
            f"Next: {with_full_stop(listening.feed.items[following].title)}"
        )
        self.open_item(following, quietly=True)

    def skip(self, index: int, error: str) -> None:
        """An item that cannot be read (a PDF, a dead link) while listening hands off."""
        listening = self.listening
        self.app.reading.loading = None
        if listening is None:
            return
        # Not come back to this session, but not read: never heard, it is unread in the list
        # as in the store (a later run tries it again; the page may be back).
        listening.skipped.add(index)
        # Named by its title, the reason without the address (said whole, it took 27 s).
        skipped = f"Skipped {listening.feed.items[index].title}: {without_addresses(error)}"
        self.app.reading.view.show_message(error, error=True)
        following = listening.next_unread()
        if following is None:
            self.app.reading.say([skipped, "There is no other unread article."], "error")
            return
        title = listening.feed.items[following].title
        reading = self.app.reading
        # "Next: <the item that failed>" was never heard; say why it is skipped instead.
        reading.notices = [n for n in reading.notices if not n.startswith("Next: ")]
        reading.notices += [skipped, f"Next: {with_full_stop(title)}"]
        self.open_item(following, quietly=True)

    # -- keys

    def toggle_continuous(self) -> None:
        settings = self.app.reading.settings
        settings.continuous = not settings.continuous
        self.app.reading.save_settings()
        state = "on" if settings.continuous else "off"
        said = f"Continuous listening {state}."
        if settings.continuous:
            said += " At an article's end, the next unread one starts."
        self.app.reading.announce(said, "settings")

    def follow(self) -> None:
        """s: follow the feed on screen, or the one the open article's page names."""
        listening = self.listening
        on_list = isinstance(self.app.screen, FeedScreen)
        if listening is not None and (on_list or self.reading_an_item()):
            self.follow_feed(listening.feed)
            listening.followed = True
            return
        source = self.app.reading.article_source
        if source is None:
            self.app.post_message(Say(["There is no feed here to follow."], "menu", shown=True))
            return
        # announce, not tell: reading, if it was playing, goes on while the feed is looked for
        self.app.reading.announce("Looking for this page's feed …", "loading")
        threading.Thread(target=self.follow_page, args=(source,), daemon=True).start()

    def reading_an_item(self) -> bool:
        listening = self.listening
        return (
            listening is not None
            and listening.current is not None
            and self.app.reading.article_source == listening.source_of(listening.current)
        )

    def follow_page(self, source: str) -> None:
        """(A thread.) The page's own feed, found and followed."""
        try:
            found = discover(fetch_resource(source).data, source)
            if not found:
                raise ReaderError("This page names no feed to follow.")
            feed = load_feed(found[0])
            assert feed is not None
        except ReaderError as err:
            self.app.call_from_thread(self.app.reading.announce, str(err), "error", True)
            return
        self.app.call_from_thread(self.follow_feed, feed)

    def follow_feed(self, feed: Feed) -> None:
        store = self.app.reading.store
        try:
            already = is_followed(store, feed.url)
            subscribe(store, feed)  # followed already: its new items are stored all the same
        except ReaderError as err:
            self.app.reading.announce(str(err), "error", error=True)
            return
        if already:
            self.app.reading.announce(f"Already following {feed.title}.", "settings")
            return
        count = len(feed.items)
        # announce: reading, if it was playing, goes on after it
        self.app.reading.announce(
            f"Following {feed.title}: {counted(count, 'article')}. It is on the start screen.",
            "settings",
        )


_ADDRESS = re.compile(r"(?:https?|file)://\S+|(?<![\w.])/[^\s;,]+")


# "(HTTP 404)": shown on screen, not said (the sentence before it says what it means).
_HTTP_STATUS = re.compile(r" ?\(HTTP \d{3}\)")


def without_addresses(error: str) -> str:
    """An error sentence short enough to hear: "<address> is a PDF document, …" becomes "It is
    a PDF document, …", "The page <address> was not found" becomes "The page was not found"."""
    text = " ".join(_HTTP_STATUS.sub("", _ADDRESS.sub("", error)).split())
    if text.startswith("is "):
        text = "It " + text
    return text


def followed_choices(store: Store) -> list[tuple[str, str, int]]:
    """(title, url, unread) of each followed feed, for the start screen."""
    return [(sub.title, sub.url, sub.unread) for sub in subscriptions(store)]
