"""The Store: resume positions and the recent-articles list in one SQLite file, shared safely
by every reader running at once (see the package docstring for how), and the numbered schema
steps it runs when it opens a file."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable
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
    write_failure,
)
from reader.store.legacy import import_json_files, set_json_files_aside
from reader.store.schema import (
    MAX_POSITIONS,
    MAX_RECENT,
    Position,
    RecentItem,
    create_feed_tables,
    create_reading_tables,
    keep_newest,
    position_from_row,
    recent_from_row,
    transaction,
    upsert_position,
    upsert_recent,
)

STATE_FILE = "state.sqlite3"
BUSY_TIMEOUT = 10.0  # seconds a change waits for another reader's transaction to finish
# (3 s was once too short for ten readers saving at once on a machine at load 10: a save lost)

# SQLite result codes (sqlite_errorname) that mean the file itself is damaged.
DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class Damaged(Exception):
    """The state file failed SQLite's integrity check."""


# ---------------------------------------------------------------- schema steps

# Step n brings a file at version n-1 to version n. Append only; never edit a released step.
MIGRATIONS: list[Callable[[sqlite3.Connection, Path, list[str]], None]] = [
    create_reading_tables,
    import_json_files,
    create_feed_tables,
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
    with transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        version = _schema_version(db)  # again, under the write lock
        for step in MIGRATIONS[version:]:
            step(db, directory, messages)
        if version < len(MIGRATIONS):
            db.execute("DELETE FROM schema_version")
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (len(MIGRATIONS),))
    if version <= MIGRATIONS.index(import_json_files):  # imported just now
        set_json_files_aside(directory)
    return messages


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
        return position_from_row(rows[0]) if rows else None

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
        self._delete(source, "positions", self._unsaved_positions, "your place")

    # -- recent list

    def recent(self) -> list[RecentItem]:
        """Recently opened articles, most recent first."""
        rows = self._read(
            "SELECT title, source, opened FROM recent ORDER BY seq DESC LIMIT ?", (MAX_RECENT,)
        )
        saved = [item for item in map(recent_from_row, rows) if item is not None]
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
        self._delete(source, "recent", self._unsaved_recent, "the recent articles list")

    # -- for the other kinds of state (subscriptions.py): the same reads and honest writes

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows from the file; none if it cannot be read."""
        return self._read(sql, parameters)

    def change(self, what: str, change: Callable[[sqlite3.Connection], Any]) -> None:
        """`change` in one transaction; SettingsError "Could not save <what>: <reason>."."""
        self._write(what, change)

    # -- reading and writing

    def _delete(self, source: str, table: str, unsaved: dict[str, Any], what: str) -> None:
        """Forget `source` in `table` (one of the store's own table names, never user input)
        and among the changes not yet written."""
        key = normalise_source(source)
        if key is None:
            return
        unsaved.pop(key, None)
        self._write(what, lambda db: db.execute(f"DELETE FROM {table} WHERE source = ?", (key,)))

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
                with transaction(db):
                    if change is not None:
                        change(db)
                    self._write_unsaved(db)
            except (sqlite3.Error, OSError, Damaged) as err:
                raise SettingsError(f"Could not save {what}: {self._reason(err)}.") from err
            self._unsaved_positions.clear()
            self._unsaved_recent.clear()

    def _write_unsaved(self, db: sqlite3.Connection) -> None:
        for key, pos in self._unsaved_positions.items():
            upsert_position(db, key, pos, None)
        for item in self._unsaved_recent.values():
            upsert_recent(db, item, None)
        keep_newest(db, "positions", MAX_POSITIONS)
        keep_newest(db, "recent", MAX_RECENT)

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
