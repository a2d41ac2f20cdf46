"""Subscriptions: the feeds a listener follows, kept in the state store with their items.

An item's text is stored when the feed carries it, so a refreshed feed reads offline and opens
from the store without the network. Refreshing uses the feed's ETag/Last-Modified (a 304 costs
nothing); a feed that fails (404, 500, no network) keeps its items and records the error, which
is said. OPML is the exchange format every feed reader knows.
"""

from __future__ import annotations

import sqlite3
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import lxml.etree

from reader.errors import FetchError, ReaderError
from reader.feeds import Feed, FeedItem, load_feed
from reader.settings import now_iso
from reader.store import Store
from reader.text import one_line as clean_line  # escapes, controls, spaces


@dataclass(frozen=True)
class Subscription:
    url: str
    title: str
    unread: int
    total: int
    error: str = ""  # why the last refresh failed, if it did


@dataclass(frozen=True)
class StoredItem:
    item: FeedItem
    read: bool


@dataclass(frozen=True)
class Refreshed:
    title: str
    new: int = 0
    changed: bool = True  # False: the server said 304
    error: str = ""


def subscribe(store: Store, feed: Feed) -> int:
    """Follow `feed` (again): it and its items are stored. Returns how many items are new."""
    before = _guids(store, feed.url)
    store.change("your subscriptions", lambda db: _save_feed(db, feed))
    return len({item.guid for item in feed.items} - before)


def unsubscribe(store: Store, url: str) -> None:
    def forget(db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM feed_items WHERE feed = ?", (url,))
        db.execute("DELETE FROM feeds WHERE url = ?", (url,))

    store.change("your subscriptions", forget)


def is_followed(store: Store, url: str) -> bool:
    return bool(store.query("SELECT 1 FROM feeds WHERE url = ?", (url,)))


def subscriptions(store: Store) -> list[Subscription]:
    """Every followed feed with its unread and total counts, in the order they were added."""
    rows = store.query(
        """SELECT f.url, f.title, f.error,
            (SELECT count(*) FROM feed_items i WHERE i.feed = f.url AND i.read = 0),
            (SELECT count(*) FROM feed_items i WHERE i.feed = f.url)
        FROM feeds f ORDER BY f.seq"""
    )
    return [
        Subscription(url, title, unread, total, error) for url, title, error, unread, total in rows
    ]


def stored_feed(store: Store, url: str) -> tuple[Feed, list[bool]] | None:
    """A followed feed as it was last refreshed, newest first, with each item's read flag."""
    rows = store.query("SELECT title, source, link FROM feeds WHERE url = ?", (url,))
    if not rows:
        return None
    title, source, link = rows[0]
    stored = items(store, url)
    feed = Feed(title=title, source=source, url=url, link=link, items=[s.item for s in stored])
    return feed, [s.read for s in stored]


def items(store: Store, url: str) -> list[StoredItem]:
    rows = store.query(
        """SELECT guid, title, link, published, content, summary, read FROM feed_items
        WHERE feed = ? ORDER BY published IS NULL, published DESC, seq""",
        (url,),
    )
    return [
        StoredItem(FeedItem(title, link, guid, _when(when), content, summary or ""), bool(read))
        for guid, title, link, when, content, summary, read in rows
    ]


def stored_item(store: Store, link: str) -> tuple[Feed, FeedItem] | None:
    """The followed feed's item at `link` whose text the feed carried, with its feed."""
    rows = store.query(
        """SELECT f.url, f.title, f.source, f.link, i.guid, i.title, i.published, i.content,
            i.summary FROM feed_items i JOIN feeds f ON f.url = i.feed
        WHERE i.link = ? AND i.content IS NOT NULL LIMIT 1""",
        (link,),
    )
    if not rows:
        return None
    url, title, source, site, guid, item_title, when, content, summary = rows[0]
    item = FeedItem(item_title, link, guid, _when(when), content, summary or "")
    return Feed(title=title, source=source, url=url, link=site, items=[item]), item


def mark_read(store: Store, url: str, guid: str, read: bool = True) -> None:
    store.change(
        "which items you have heard",
        lambda db: db.execute(
            "UPDATE feed_items SET read = ? WHERE feed = ? AND guid = ?", (int(read), url, guid)
        ),
    )


def refresh(store: Store, url: str, cancel: threading.Event | None = None) -> Refreshed:
    """Fetch the feed again (conditionally). A failure keeps the old items and is recorded."""
    rows = store.query("SELECT title, source, etag, last_modified FROM feeds WHERE url = ?", (url,))
    if not rows:
        raise ReaderError(f"You do not follow {url}.")
    title, source, etag, modified = rows[0]
    try:
        feed = load_feed(url, {"etag": etag or "", "last_modified": modified or ""}, cancel)
    except FetchError as err:
        _record(store, url, str(err))
        return Refreshed(title, changed=False, error=str(err))
    if feed is None:
        _record(store, url, "")
        return Refreshed(title, changed=False)
    feed = Feed(**{**feed.__dict__, "source": source})
    return Refreshed(feed.title, new=subscribe(store, feed))


def import_opml(path: Path) -> list[tuple[str, str]]:
    """(feed address, title) of every feed an OPML file lists, nested folders included. OPML
    is a handful of attributes on <outline>: lxml with entities off reads it safely."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise FetchError(f"Could not read {path}: {err.strerror or err}.") from err
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as err:
        raise FetchError(f"{path} is not an OPML file ({err}).") from err
    if root is None or root.tag != "opml":
        raise FetchError(f"{path} is not an OPML file.")
    found = []
    for outline in root.iter("outline"):
        url = clean_line(outline.get("xmlUrl") or "")
        if url:
            found.append((url, clean_line(outline.get("title") or outline.get("text") or url)))
    return found


def export_opml(store: Store) -> str:
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = "reader subscriptions"
    body = ET.SubElement(root, "body")
    for sub in subscriptions(store):
        ET.SubElement(body, "outline", type="rss", text=sub.title, title=sub.title, xmlUrl=sub.url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _save_feed(db: sqlite3.Connection, feed: Feed) -> None:
    db.execute(
        """INSERT INTO feeds (url, title, source, link, etag, last_modified, checked, error, seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, '', (SELECT coalesce(max(seq), 0) + 1 FROM feeds))
        ON CONFLICT (url) DO UPDATE SET title = excluded.title, link = excluded.link,
            etag = excluded.etag, last_modified = excluded.last_modified,
            checked = excluded.checked, error = ''""",
        (feed.url, feed.title, feed.source, feed.link, feed.etag, feed.last_modified, now_iso()),
    )
    db.executemany(
        """INSERT INTO feed_items (feed, guid, title, link, published, content, summary, seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (feed, guid) DO UPDATE SET title = excluded.title, link = excluded.link,
            published = excluded.published, content = excluded.content,
            summary = excluded.summary""",
        [
            (feed.url, i.guid, i.title, i.link, _iso(i.published), i.content_html, i.summary, n)
            for n, i in enumerate(feed.items)
        ],
    )


def _record(store: Store, url: str, error: str) -> None:
    store.change(
        "your subscriptions",
        lambda db: db.execute(
            "UPDATE feeds SET error = ?, checked = ? WHERE url = ?", (error, now_iso(), url)
        ),
    )


def _guids(store: Store, url: str) -> set[str]:
    return {row[0] for row in store.query("SELECT guid FROM feed_items WHERE feed = ?", (url,))}


def _iso(when: datetime | None) -> str | None:
    """In UTC, so that the text sorts as the time does."""
    return when.astimezone(UTC).isoformat() if when else None


def _when(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
