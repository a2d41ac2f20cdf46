"""What reader remembers about articles between runs, in one SQLite file shared by every reader.

::

    <platformdirs.user_data_dir("reader")>/state.sqlite3   (env READER_DATA_DIR: the folder)

Today it holds resume positions and the recent-articles list; later features (feeds, feed items,
bookmarks) add their tables through :data:`MIGRATIONS`. Settings are not here: they stay in the
human-editable settings.toml (reader/settings.py).

Why SQLite, and how it is used:

* Several readers may run at once (two terminals, `reader serve` pages). Each change is one short
  ``BEGIN IMMEDIATE`` transaction that upserts or deletes the rows it touches, never a rewrite of
  the whole state from one process's memory, so no reader loses another's position or recent
  entry. WAL mode lets readers read while one writes; ``busy_timeout`` makes a writer wait for
  another's (millisecond) transaction instead of failing.
* Reads go to the file every time, so a reader sees what the others saved.
* Schema changes are numbered steps; ``schema_version`` records how many have run. Steps only add
  tables or columns, so an older reader can still use a file a newer one has upgraded.
* The first open imports the JSON files older versions wrote (positions.json, recent.json) and
  renames them to ``<name>.migrated``.
* A damaged file is renamed to ``state.sqlite3.corrupt-<YYYYmmddTHHMMSS>`` and a fresh one started,
  with a message. A file that cannot be opened (full disk, read-only folder) leaves the store
  working in memory for this run, with a message; every later save tries again.
* A failed save raises SettingsError (exit code 3) with one plain sentence, e.g. "Could not save
  your place: the disk is full."; the change is kept in memory so the session goes on, and it is
  written with the next change that succeeds.

API for the app::

    store, messages = load_store()                 # Store, list[str] to say and show
    store.save_position(source, section=3, sentence=2, title="Drug guide")
    pos = store.position(source)                   # Position | None
    store.add_recent(source, "Drug guide")
    store.recent()                                 # list[RecentItem], most recent first
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.paths import data_dir
from reader.settings import (
    SettingsError,
    clean_stale_temp_files,
    clean_title,
    keep_aside,
    normalise_source,
    now_iso,
    read_damaged,
    unused_name,
    write_failure,
)

STATE_FILE = "state.sqlite3"
POSITIONS_FILE = "positions.json"  # written by reader before the state store; imported once
RECENT_FILE = "recent.json"
MIGRATED_SUFFIX = ".migrated"

MAX_RECENT = 20
MAX_POSITIONS = 500  # oldest resume positions are dropped beyond this
BUSY_TIMEOUT = 3.0  # seconds a change waits for another reader's transaction to finish

# SQLite result codes (sqlite_errorname) that mean the file itself is damaged.
DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


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


class Damaged(Exception):
    """The state file failed SQLite's integrity check."""


# ---------------------------------------------------------------- schema


def _create_reading_tables(db: sqlite3.Connection, directory: Path, messages: list[str]) -> None:
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


def _import_json_files(db: sqlite3.Connection, directory: Path, messages: list[str]) -> None:
    """positions.json (oldest first) and recent.json (newest first), as reader wrote them before."""
    positions = _read_positions_json(directory, messages)
    for seq, (source, pos) in enumerate(positions.items(), start=1):
        _upsert_position(db, source, pos, seq)
    recent = _read_recent_json(directory, messages)[:MAX_RECENT]
    for seq, item in enumerate(reversed(recent), start=1):
        _upsert_recent(db, item, seq)


def _create_feed_tables(db: sqlite3.Connection, directory: Path, messages: list[str]) -> None:
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


# Step n brings a file at version n-1 to version n. Append only; never edit a released step.
MIGRATIONS: list[Callable[[sqlite3.Connection, Path, list[str]], None]] = [
    _create_reading_tables,
    _import_json_files,
    _create_feed_tables,
]


def _schema_version(db: sqlite3.Connection) -> int:
    """How many MIGRATIONS this file has had (0: a new file)."""
    if not db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone():
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite3.Connection, directory: Path) -> list[str]:
    """Run the steps this file has not had, in one transaction (a second reader starting at the
    same moment waits, then finds them done). Returns messages for the user."""
    messages: list[str] = []
    if _schema_version(db) >= len(MIGRATIONS):
        return messages
    with _transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        version = _schema_version(db)  # again, under the write lock
        for step in MIGRATIONS[version:]:
            step(db, directory, messages)
        if version < len(MIGRATIONS):
            db.execute("DELETE FROM schema_version")
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (len(MIGRATIONS),))
    if version <= MIGRATIONS.index(_import_json_files):  # imported just now
        _set_json_files_aside(directory)
    return messages


class _transaction:
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


def _upsert_position(db: sqlite3.Connection, source: str, pos: Position, seq: int | None) -> None:
    db.execute(
        """INSERT INTO positions (source, section, sentence, title, updated, finished, seq)
        VALUES (?, ?, ?, ?, ?, ?, coalesce(?, (SELECT coalesce(max(seq), 0) + 1 FROM positions)))
        ON CONFLICT (source) DO UPDATE SET section = excluded.section,
            sentence = excluded.sentence, title = excluded.title, updated = excluded.updated,
            finished = excluded.finished, seq = excluded.seq""",
        (source, pos.section, pos.sentence, pos.title, pos.updated, int(pos.finished), seq),
    )


def _upsert_recent(db: sqlite3.Connection, item: RecentItem, seq: int | None) -> None:
    db.execute(
        """INSERT INTO recent (source, title, opened, seq)
        VALUES (?, ?, ?, coalesce(?, (SELECT coalesce(max(seq), 0) + 1 FROM recent)))
        ON CONFLICT (source) DO UPDATE SET title = excluded.title, opened = excluded.opened,
            seq = excluded.seq""",
        (item.source, item.title, item.opened, seq),
    )


def _keep_newest(db: sqlite3.Connection, table: str, limit: int) -> None:
    # `table` is one of this module's own names, never user input.
    db.execute(
        f"DELETE FROM {table} WHERE seq <= "
        f"(SELECT seq FROM {table} ORDER BY seq DESC LIMIT 1 OFFSET ?)",
        (limit,),
    )


# ---------------------------------------------------------------- the store


class Store:
    """Per-article resume positions and the recent-articles list, in `directory`/state.sqlite3.

    Safe to share between processes (see the module docstring) and between threads of one."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else data_dir()
        self.path = self.directory / STATE_FILE
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()  # re-entered: a change remembers, then writes
        # Changes that could not be written: still used in this session, and written with the
        # next change that succeeds.
        self._unsaved_positions: dict[str, Position] = {}
        self._unsaved_recent: dict[str, RecentItem] = {}

    # -- opening

    def open(self) -> list[str]:
        """Open (creating, upgrading or replacing a damaged file); returns messages for the
        user. Never raises: if the file cannot be opened the store works in memory."""
        clean_stale_temp_files(self.directory)
        with self._lock:
            try:
                return self._open_or_replace()
            except (sqlite3.Error, OSError, Damaged) as err:
                reason = self._reason(err)
                return [
                    f"Could not open your saved places and recent articles: {reason}. "
                    "Places are kept only until you quit."
                ]

    def _open_or_replace(self) -> list[str]:
        try:
            return self._connect()
        except (sqlite3.DatabaseError, Damaged) as err:
            if not _is_damaged(err):
                raise
        kept = self._set_damaged_file_aside()
        messages = self._connect()
        where = f"The old file was kept as {kept}." if kept else f"It is at {self.path}."
        return [f"Your saved places file was damaged; starting afresh. {where}", *messages]

    def _connect(self) -> list[str]:
        self.directory.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")
            check = db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise Damaged(str(check[0]) if check else "no answer")
            messages = migrate(db, self.directory)
        except BaseException:
            db.close()
            raise
        self._db = db
        return messages

    def _set_damaged_file_aside(self) -> Path | None:
        kept = keep_aside(self.path)
        if kept is not None:
            # Its write-ahead log belongs to it (a new file must not replay it); the shared-memory
            # index is rebuilt from the log, so it is simply dropped.
            wal = self.path.with_name(self.path.name + "-wal")
            if wal.exists():
                os.replace(wal, kept.with_name(kept.name + "-wal"))
            self.path.with_name(self.path.name + "-shm").unlink(missing_ok=True)
        return kept

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- positions

    def position(self, source: str) -> Position | None:
        """The saved resume position for `source`, or None."""
        key = normalise_source(source)
        if key is None:
            return None
        if key in self._unsaved_positions:
            return self._unsaved_positions[key]
        rows = self._read(
            "SELECT section, sentence, title, updated, finished FROM positions WHERE source = ?",
            (key,),
        )
        return _position_from_row(rows[0]) if rows else None

    def save_position(
        self, source: str, section: int, sentence: int, title: str = "", finished: bool = False
    ) -> None:
        """Remember where reading of `source` stopped (no-op for stdin)."""
        key = normalise_source(source)
        if key is None:
            return
        pos = Position(
            max(0, int(section)),
            max(0, int(sentence)),
            clean_title(title),
            now_iso(),
            bool(finished),
        )
        with self._lock:
            self._unsaved_positions.pop(key, None)
            self._unsaved_positions[key] = pos  # newest last, as written
            self._write("your place")

    def forget_position(self, source: str) -> None:
        key = normalise_source(source)
        if key is None:
            return
        self._unsaved_positions.pop(key, None)
        self._write(
            "your place", lambda db: db.execute("DELETE FROM positions WHERE source = ?", (key,))
        )

    # -- recent list

    def recent(self) -> list[RecentItem]:
        """Recently opened articles, most recent first."""
        rows = self._read(
            "SELECT title, source, opened FROM recent ORDER BY seq DESC LIMIT ?", (MAX_RECENT,)
        )
        saved = [item for item in map(_recent_from_row, rows) if item is not None]
        unsaved = list(reversed(self._unsaved_recent.values()))
        keys = {item.source for item in unsaved}
        return (unsaved + [item for item in saved if item.source not in keys])[:MAX_RECENT]

    def add_recent(self, source: str, title: str) -> None:
        """Put `source` at the top of the recent list (moving it if already there)."""
        key = normalise_source(source)
        if key is None:
            return
        item = RecentItem(clean_title(title) or key, key, now_iso())
        with self._lock:
            self._unsaved_recent.pop(key, None)
            self._unsaved_recent[key] = item
            self._write("the recent articles list")

    def remove_recent(self, source: str) -> None:
        key = normalise_source(source)
        if key is None:
            return
        self._unsaved_recent.pop(key, None)
        self._write(
            "the recent articles list",
            lambda db: db.execute("DELETE FROM recent WHERE source = ?", (key,)),
        )

    # -- for the other kinds of state (subscriptions.py): the same reads and honest writes

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows from the file; none if it cannot be read."""
        return self._read(sql, parameters)

    def change(self, what: str, change: Callable[[sqlite3.Connection], Any]) -> None:
        """`change` in one transaction; SettingsError "Could not save <what>: <reason>."."""
        self._write(what, change)

    # -- reading and writing

    def _read(self, sql: str, parameters: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Rows from the file; none if it cannot be read (its saves then fail aloud)."""
        with self._lock:
            try:
                db = self._connection()
                return db.execute(sql, parameters).fetchall()
            except (sqlite3.Error, OSError, Damaged):
                return []

    def _write(self, what: str, change: Callable[[sqlite3.Connection], Any] | None = None) -> None:
        """One transaction: `change`, then every change not yet written. Raises SettingsError
        ("Could not save <what>: <reason>.") and keeps them for the next try."""
        with self._lock:
            try:
                db = self._connection()
                with _transaction(db):
                    if change is not None:
                        change(db)
                    self._write_unsaved(db)
            except (sqlite3.Error, OSError, Damaged) as err:
                raise SettingsError(f"Could not save {what}: {self._reason(err)}.") from err
            self._unsaved_positions.clear()
            self._unsaved_recent.clear()

    def _write_unsaved(self, db: sqlite3.Connection) -> None:
        for key, pos in self._unsaved_positions.items():
            _upsert_position(db, key, pos, None)
        for item in self._unsaved_recent.values():
            _upsert_recent(db, item, None)
        _keep_newest(db, "positions", MAX_POSITIONS)
        _keep_newest(db, "recent", MAX_RECENT)

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:  # could not be opened at start: the disk may have room now
            self._open_or_replace()
        assert self._db is not None
        return self._db

    def _reason(self, err: BaseException) -> str:
        """Why the file could not be written, in words a listener understands."""
        if isinstance(err, OSError):
            return write_failure(err, self.directory)
        if isinstance(err, Damaged) or _is_damaged(err):
            return "the file is damaged"
        name = getattr(err, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_FULL"):
            return "the disk is full"
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return "another program kept the file locked"
        # SQLite says "unable to open database file" or "disk I/O error" for a read-only disk,
        # a folder without write permission, a full disk during a log write...: ask the folder.
        probe = _probe_write(self.directory)
        if probe is not None:
            return write_failure(probe, self.directory)
        if name.startswith("SQLITE_READONLY"):
            return f"{self.path} is read-only"
        return str(err) or type(err).__name__


def load_store(directory: Path | None = None) -> tuple[Store, list[str]]:
    """Open the state store. Never raises: returns (store, messages for the user)."""
    store = Store(directory)
    return store, store.open()


def _is_damaged(err: BaseException) -> bool:
    return isinstance(err, Damaged) or (getattr(err, "sqlite_errorname", "") or "").startswith(
        DAMAGED
    )


def _probe_write(directory: Path) -> OSError | None:
    """Write (and sync) one byte in `directory`: the OS's own answer to why SQLite could not."""
    try:
        with tempfile.TemporaryFile(dir=directory) as handle:
            handle.write(b"x")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        return err
    return None


# ---------------------------------------------------------------- rows and the old JSON files


def _position_from_row(row: tuple[Any, ...]) -> Position | None:
    section, sentence, title, updated, finished = row
    if not (_is_index(section) and _is_index(sentence)):
        return None
    return Position(section, sentence, str(title or ""), str(updated or ""), bool(finished))


def _recent_from_row(row: tuple[Any, ...]) -> RecentItem | None:
    title, source, opened = row
    if not isinstance(source, str) or not source:
        return None
    return RecentItem(str(title or source), source, str(opened or ""))


def _read_positions_json(directory: Path, messages: list[str]) -> dict[str, Position]:
    raw = _read_json(directory / POSITIONS_FILE, "reading positions", dict, messages)
    if raw is None:
        return {}
    positions = {}
    for key, entry in raw.items():
        pos = _position_from(entry)
        if pos is not None and isinstance(key, str):
            positions[key] = pos
    if len(positions) < len(raw):
        bad = len(raw) - len(positions)
        messages.append(f"{bad} damaged reading position{'s' if bad > 1 else ''} ignored.")
    return positions


def _read_recent_json(directory: Path, messages: list[str]) -> list[RecentItem]:
    raw = _read_json(directory / RECENT_FILE, "recent articles", list, messages)
    if raw is None:
        return []
    items = [item for item in (_recent_from(entry) for entry in raw) if item is not None]
    if len(items) < len(raw):
        bad = len(raw) - len(items)
        messages.append(f"{bad} damaged recent article entr{'ies' if bad > 1 else 'y'} ignored.")
    return items


def _read_json(path: Path, what: str, shape: type, messages: list[str]) -> Any:
    raw, problems = read_damaged(path, what, json.loads)
    messages.extend(problems)
    if raw is None or isinstance(raw, shape):
        return raw
    # Valid JSON of the wrong shape: still damaged, kept aside like a parse failure.
    kept = keep_aside(path)
    where = f"The old file was kept as {kept}." if kept else f"It is at {path}."
    messages.append(f"Your {what} file was damaged; using defaults. {where}")
    return None


def _set_json_files_aside(directory: Path) -> None:
    """Imported: renamed, not deleted (a user going back to an older reader can rename them
    back). A failed rename does no harm: the import never runs twice."""
    for name in (POSITIONS_FILE, RECENT_FILE):
        path = directory / name
        if path.exists():
            target = unused_name(path, name + MIGRATED_SUFFIX)
            try:
                os.replace(path, target)
            except OSError:
                pass


def _position_from(entry: Any) -> Position | None:
    if not isinstance(entry, dict):
        return None
    section, sentence = entry.get("section"), entry.get("sentence")
    if not all(_is_index(v) for v in (section, sentence)):
        return None
    title = entry.get("title")
    updated = entry.get("updated")
    return Position(
        section,
        sentence,
        clean_title(title) if isinstance(title, str) else "",
        updated if isinstance(updated, str) else "",
        entry.get("finished") is True,
    )


def _recent_from(entry: Any) -> RecentItem | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
        return None
    source = entry["source"]
    if not source:
        return None
    title = entry.get("title")
    opened = entry.get("opened")
    return RecentItem(
        clean_title(title) or source if isinstance(title, str) else source,
        source,
        opened if isinstance(opened, str) else "",
    )


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
