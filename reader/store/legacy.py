"""The JSON files reader wrote before the state file (positions.json, recent.json): imported
once by a schema step, then renamed to ``<name>.migrated``; damaged entries are skipped with a
message, a damaged file is kept aside."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from reader.settings import clean_title, keep_aside, read_damaged, unused_name
from reader.store.schema import (
    MAX_RECENT,
    Position,
    RecentItem,
    is_index,
    upsert_position,
    upsert_recent,
)

POSITIONS_FILE = "positions.json"  # written by reader before the state store; imported once
RECENT_FILE = "recent.json"
MIGRATED_SUFFIX = ".migrated"


def import_json_files(db: sqlite3.Connection, directory: Path, messages: list[str]) -> None:
    """positions.json (oldest first) and recent.json (newest first), as reader wrote them before."""
    positions = _read_positions_json(directory, messages)
    for seq, (source, pos) in enumerate(positions.items(), start=1):
        upsert_position(db, source, pos, seq)
    recent = _read_recent_json(directory, messages)[:MAX_RECENT]
    for seq, item in enumerate(reversed(recent), start=1):
        upsert_recent(db, item, seq)


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


def set_json_files_aside(directory: Path) -> None:
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
    if not all(is_index(v) for v in (section, sentence)):
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
