"""The tables of the state file and the rows in them: what each schema step creates, the
records read back (Position, RecentItem), and the one-transaction writes the Store makes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_RECENT = 20
MAX_POSITIONS = 500  # oldest resume positions are dropped beyond this


@dataclass(frozen=True)
class Position:
    """Where reading stopped: section index, sentence index (0 = the section title)."""

    section: int
    sentence: int
    title: str
    updated: str  # ISO 8601, UTC
    finished: bool = False  # read through to "End of article.", not just left at its last line


@dataclass(frozen=True)
class RecentItem:
    title: str
    source: str  # normalised: can be opened again as given
    opened: str  # ISO 8601, UTC


# ---------------------------------------------------------------- tables (schema steps)


def create_reading_tables(db: sqlite3.Connection, directory: Path, messages: list[str]) -> None:
    # `seq` orders rows by when this store last touched them (a counter, not the clock, which
    # may differ between processes or go back): the oldest are dropped beyond the limits.
    db.execute(
        """CREATE TABLE positions (
            source TEXT PRIMARY KEY,
            section INTEGER NOT NULL CHECK (section >= 0),
            sentence INTEGER NOT NULL CHECK (sentence >= 0),
            title TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL DEFAULT '',
            finished INTEGER NOT NULL DEFAULT 0,
            seq INTEGER NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE recent (
            source TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            opened TEXT NOT NULL DEFAULT '',
            seq INTEGER NOT NULL)"""
    )
    db.execute("CREATE INDEX positions_by_seq ON positions (seq)")
    db.execute("CREATE INDEX recent_by_seq ON recent (seq)")


def create_feed_tables(db: sqlite3.Connection, directory: Path, messages: list[str]) -> None:
    """Subscriptions and their items (reader/subscriptions.py): an item's text is kept, so a
    refreshed feed reads offline; `read` marks an item listened to the end."""
    db.execute(
        """CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT NOT NULL,
            link TEXT,
            etag TEXT,
            last_modified TEXT,
            checked TEXT NOT NULL DEFAULT '',
            error TEXT NOT NULL DEFAULT '',
            seq INTEGER NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE feed_items (
            feed TEXT NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            title TEXT NOT NULL,
            link TEXT,
            published TEXT,
            content TEXT,
            summary TEXT NOT NULL DEFAULT '',
            read INTEGER NOT NULL DEFAULT 0,
            seq INTEGER NOT NULL,
            PRIMARY KEY (feed, guid))"""
    )
    db.execute("CREATE INDEX feed_items_by_date ON feed_items (feed, published)")


class transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error. IMMEDIATE takes the write lock at
    the start, so two writers queue (busy_timeout) instead of one failing mid-way."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.db.execute("COMMIT")
        elif self.db.in_transaction:  # SQLite may already have rolled back (a full disk)
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass


def upsert_position(db: sqlite3.Connection, source: str, pos: Position, seq: int | None) -> None:
    db.execute(
        """INSERT INTO positions (source, section, sentence, title, updated, finished, seq)
        VALUES (?, ?, ?, ?, ?, ?, coalesce(?, (SELECT coalesce(max(seq), 0) + 1 FROM positions)))
        ON CONFLICT (source) DO UPDATE SET section = excluded.section,
            sentence = excluded.sentence, title = excluded.title, updated = excluded.updated,
            finished = excluded.finished, seq = excluded.seq""",
        (source, pos.section, pos.sentence, pos.title, pos.updated, int(pos.finished), seq),
    )


def upsert_recent(db: sqlite3.Connection, item: RecentItem, seq: int | None) -> None:
    db.execute(
        """INSERT INTO recent (source, title, opened, seq)
        VALUES (?, ?, ?, coalesce(?, (SELECT coalesce(max(seq), 0) + 1 FROM recent)))
        ON CONFLICT (source) DO UPDATE SET title = excluded.title, opened = excluded.opened,
            seq = excluded.seq""",
        (item.source, item.title, item.opened, seq),
    )


def keep_newest(db: sqlite3.Connection, table: str, limit: int) -> None:
    # `table` is one of the store's own table names, never user input.
    db.execute(
        f"DELETE FROM {table} WHERE seq <= "
        f"(SELECT seq FROM {table} ORDER BY seq DESC LIMIT 1 OFFSET ?)",
        (limit,),
    )


def position_from_row(row: tuple[Any, ...]) -> Position | None:
    section, sentence, title, updated, finished = row
    if not (is_index(section) and is_index(sentence)):
        return None
    return Position(section, sentence, str(title or ""), str(updated or ""), bool(finished))


def recent_from_row(row: tuple[Any, ...]) -> RecentItem | None:
    title, source, opened = row
    if not isinstance(source, str) or not source:
        return None
    return RecentItem(str(title or source), source, str(opened or ""))


def is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
