"""Listening through a feed: which item is open, what has been heard, what comes next.

No Textual here: the app shows the list and opens the items; this decides. Items are newest
first, as the feed lists them. When an item is heard to its end it is marked read (in the
state store when the feed is followed, so the unread count is right tomorrow) and, with
continuous listening on, the next unread item below it starts -- or the first unread one
above it, once the bottom is reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.errors import ReaderError
from reader.feeds import Feed, FeedItem, item_article
from reader.subscriptions import stored_feed, stored_item, subscribe, subscriptions
from reader.text import counted

if TYPE_CHECKING:
    from reader.model import Article
    from reader.store import Store


@dataclass
class FeedListening:
    feed: Feed
    read: list[bool] = field(default_factory=list)
    followed: bool = False  # kept in the state store (subscribed)
    current: int | None = None  # the item being read
    note: str = ""  # shown as the list opens (e.g. the refresh failed: these are the old items)
    said_note: str = ""  # the note as it is said (a web address in words), if not the same
    # Items that could not be read (a dead link, a PDF), skipped while listening: not come back
    # to this session, but not read either -- the list says "unread", as the store does.
    skipped: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        if len(self.read) != len(self.feed.items):
            self.read = [False] * len(self.feed.items)

    @property
    def unread(self) -> int:
        return self.read.count(False)

    def label(self, index: int) -> str:
        """What up and down say for an item: "title, date, 3 of 20, unread"."""
        item = self.feed.items[index]
        parts = [item.title]
        if item.published is not None:
            parts.append(f"{item.published:%d %B %Y}".lstrip("0"))
        parts.append(f"{index + 1} of {len(self.feed.items)}")
        parts.append("read" if self.read[index] else "unread")
        return ", ".join(parts)

    def heading(self) -> str:
        """Said when the list opens."""
        count = len(self.feed.items)
        items = counted(count, "item")
        return f"Feed: {self.feed.title}, {items}, {self.unread} unread."

    def open(self, index: int) -> FeedItem:
        self.current = index
        return self.feed.items[index]

    def finished(self) -> FeedItem | None:
        """The open item was heard to its end: it is read. Returns it (None if none open)."""
        if self.current is None:
            return None
        self.read[self.current] = True
        return self.feed.items[self.current]

    def next_unread(self) -> int | None:
        """The next unread item after the open one (then from the top), or None."""
        start = -1 if self.current is None else self.current
        order = list(range(start + 1, len(self.read))) + list(range(0, max(start, 0)))
        return next((i for i in order if not self.read[i] and i not in self.skipped), None)

    def source_of(self, index: int) -> str:
        """The address an item is remembered by (its place, the recent list)."""
        item = self.feed.items[index]
        return item.link or f"{self.feed.url}#{item.guid}"


def listening_for(store: Store, feed: Feed) -> FeedListening:
    """(Loading thread.) A freshly fetched feed, with what was heard of it if it is followed;
    a followed feed's store gets the new items."""
    listening = _listening_for(store, feed)
    if feed.damaged:  # said as the list opens, as `reader feed` says it
        listening.note = DAMAGED
    return listening


DAMAGED = "The feed is damaged; the items that could be read are listed."


def _listening_for(store: Store, feed: Feed) -> FeedListening:
    followed = feed.url in {sub.url for sub in subscriptions(store)}
    if followed:
        try:
            subscribe(store, feed)
        except ReaderError:
            pass  # the list still opens; the next save says what is wrong
        got = stored_feed(store, feed.url)
        if got is not None:
            stored, read = got
            return FeedListening(stored, read, followed=True)
    return FeedListening(feed, followed=False)


def stored_article(store: Store, source: str) -> Article | None:
    """(Loading thread.) An article of a followed feed whose text the feed carried, as kept in
    the store: opened from the recent list it reads offline, the same as from its feed."""
    found = stored_item(store, source)
    if found is None:
        return None
    feed, item = found
    return item_article(item, feed)


def stored_listening(store: Store, source: str) -> FeedListening | None:
    """A followed feed as last refreshed (offline), if `source` names one."""
    got = stored_feed(store, source)
    if got is None:
        return None
    feed, read = got
    return FeedListening(feed, read, followed=True)
