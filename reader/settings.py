"""What reader remembers between runs: settings, resume positions and recent articles.

Settings (rate, volume, voice, font size, theme) live in a TOML file::

    <platformdirs.user_config_dir("reader")>/settings.toml   (env READER_CONFIG_DIR: the dir)

Resume positions and the recent-articles list live in JSON files::

    <platformdirs.user_data_dir("reader")>/positions.json    (env READER_DATA_DIR: the dir)
    <platformdirs.user_data_dir("reader")>/recent.json

Every write is atomic (temporary file in the same directory, fsync, ``os.replace``), so a crash or a
power cut leaves either the old file or the new one, never half of one.

Nothing is lost silently. Loading never raises for a bad file; it returns messages (plain
sentences the UI should both speak and show):

* a damaged or unreadable file -> defaults, the bad file renamed aside to
  ``<name>.corrupt-<YYYYmmddTHHMMSS>`` and a message naming it;
* a value of the wrong type or out of range -> that value clamped or defaulted, with a
  message; every other value is kept;
* unknown keys in settings.toml (e.g. from a newer version) are kept and written back on save.

API for the app::

    settings, messages = load_settings()          # Settings, list[str]
    settings.rate = 250
    save_settings(settings)        # raises SettingsError (a ReaderError) if it can't write

    store, messages = load_store()                 # Store, list[str]
    store.save_position(source, section=3, sentence=2, title="Drug guide")
    pos = store.position(source)                   # Position | None
    store.add_recent(source, "Drug guide")
    store.recent()                                 # list[RecentItem], most recent first

``source`` is whatever the user opened (URL, path, file:// URL); it is normalised with
:func:`normalise_source` so ``./page.html`` and ``/home/me/page.html`` share one resume position.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import platformdirs
import tomli_w

from reader.errors import ReaderError
from voices.base import DEFAULT_RATE, MAX_RATE, MIN_RATE

APP_NAME = "reader"
SETTINGS_FILE = "settings.toml"
POSITIONS_FILE = "positions.json"
RECENT_FILE = "recent.json"

MIN_FONT_SIZE = 1
MAX_FONT_SIZE = 5
MIN_VOLUME = 0.0
MAX_VOLUME = 1.0
DEFAULT_THEME = "reader-high-contrast"
# Kept here (not imported from reader.ui.themes) so loading settings never imports Textual;
# tests/test_themes.py checks the two lists agree.
THEME_NAMES = ("reader-high-contrast", "reader-light", "reader-dark")

MAX_RECENT = 20
MAX_POSITIONS = 500  # oldest resume positions are dropped beyond this
MAX_VOICE_CHARS = 200


class SettingsError(ReaderError):
    """Settings, positions or the recent list could not be written. `str(err)` is the sentence."""


@dataclass
class Settings:
    """The user's preferences. Field defaults are the defaults used for a missing or bad value.

    `extra` holds keys this version does not know (written back unchanged on save).
    """

    rate: int = DEFAULT_RATE  # words per minute, MIN_RATE..MAX_RATE
    volume: float = 1.0  # 0.0..1.0
    voice: str | None = None  # a VoiceInfo.id; None = the driver's default voice
    font_size: int = 1  # 1 = normal text, 2..5 = large print
    theme: str = DEFAULT_THEME
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


# ---------------------------------------------------------------- paths and atomic files


def config_dir() -> Path:
    """The settings directory: $READER_CONFIG_DIR, else the platform's user config dir."""
    override = os.environ.get("READER_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """The data directory (positions, recent list): $READER_DATA_DIR, else the platform's."""
    override = os.environ.get("READER_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix.

    Raises OSError on failure (the temporary file is removed).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; not possible (nor needed) on Windows.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def keep_aside(path: Path) -> Path | None:
    """Rename a damaged file to `<name>.corrupt-<timestamp>` (never overwriting one); None if
    the rename failed."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def _read_damaged(path: Path, what: str, parse: Callable[[bytes], Any]) -> tuple[Any, list[str]]:
    """Read and parse `path`. Returns (parsed or None, messages). Missing file -> (None, [])."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as err:
        reason = err.strerror or type(err).__name__
        return None, [f"Could not read your {what} file ({reason}); using defaults for now."]
    try:
        return parse(raw), []
    except (ValueError, UnicodeDecodeError, RecursionError):
        kept = keep_aside(path)
        if kept is None:
            return None, [f"Your {what} file was damaged; using defaults. It is at {path}."]
        return None, [
            f"Your {what} file was damaged; using defaults. The old file was kept as {kept}."
        ]


# ---------------------------------------------------------------- settings


def _parse_toml(raw: bytes) -> dict[str, Any]:
    return tomllib.loads(raw.decode("utf-8"))


def load_settings() -> tuple[Settings, list[str]]:
    """Load settings.toml. Never raises: returns (settings, messages for the user to hear and see).

    A missing file gives defaults and no message.
    """
    data, messages = _read_damaged(settings_path(), "settings", _parse_toml)
    if data is None:
        return Settings(), messages
    settings, value_messages = settings_from_dict(data)
    return settings, messages + value_messages


def settings_from_dict(data: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Build validated Settings from a parsed mapping; bad values are clamped or defaulted."""
    defaults = Settings()
    messages: list[str] = []
    known = {f.name for f in fields(Settings)} - {"extra"}
    rate = _number(data, "rate", defaults.rate, MIN_RATE, MAX_RATE, messages, integer=True)
    volume = _number(data, "volume", defaults.volume, MIN_VOLUME, MAX_VOLUME, messages)
    font = _number(
        data, "font_size", defaults.font_size, MIN_FONT_SIZE, MAX_FONT_SIZE, messages, integer=True
    )
    settings = Settings(
        rate=int(rate),
        volume=float(volume),
        voice=_voice(data, messages),
        font_size=int(font),
        theme=_theme(data, messages),
        extra={k: v for k, v in data.items() if k not in known},
    )
    return settings, messages


def _number(
    data: dict[str, Any],
    key: str,
    default: float,
    low: float,
    high: float,
    messages: list[str],
    integer: bool = False,
) -> float:
    if key not in data:
        return default
    value = data[key]
    label = key.replace("_", " ")
    # bool is an int in Python, but `rate = true` is a mistake, not 1 wpm.
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        messages.append(f"The {label} setting {value!r} is not a number; using {default}.")
        return default
    if value < low or value > high:
        clamped = min(max(value, low), high)
        clamped = round(clamped) if integer else clamped
        messages.append(f"The {label} setting {value} is out of range; using {clamped}.")
        return clamped
    return round(value) if integer else float(value)


def _voice(data: dict[str, Any], messages: list[str]) -> str | None:
    value = data.get("voice")
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) <= MAX_VOICE_CHARS and _printable(value):
        return value
    messages.append("The voice setting is not a voice name; using the default voice.")
    return None


def _theme(data: dict[str, Any], messages: list[str]) -> str:
    value = data.get("theme", DEFAULT_THEME)
    if value in THEME_NAMES:
        return value
    shown = value if isinstance(value, str) and _printable(value) else "in the settings file"
    messages.append(f"The theme {shown} is unknown; using {DEFAULT_THEME}.")
    return DEFAULT_THEME


def _clean(text: str) -> str:
    """Page titles are untrusted: drop control characters before they are stored."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def _printable(text: str) -> bool:
    return not any(unicodedata.category(ch)[0] == "C" for ch in text)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The TOML-ready mapping (TOML has no null: a default voice is simply left out)."""
    data: dict[str, Any] = dict(settings.extra)
    data.update(
        rate=int(settings.rate),
        volume=float(settings.volume),
        font_size=int(settings.font_size),
        theme=settings.theme,
    )
    if settings.voice:
        data["voice"] = settings.voice
    else:
        data.pop("voice", None)
    return data


def save_settings(settings: Settings) -> Path:
    """Write settings.toml atomically; returns its path. Raises SettingsError (a ReaderError with
    one plain sentence) if it cannot be written; the previous file is then left untouched."""
    path = settings_path()
    try:
        payload = tomli_w.dumps(settings_to_dict(settings)).encode("utf-8")
        atomic_write(path, payload)
    except (OSError, TypeError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        raise SettingsError(f"Could not save your settings to {path}: {reason}.") from err
    return path


# ---------------------------------------------------------------- resume positions and recent list


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


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def normalise_source(source: str) -> str | None:
    """The key an article is remembered by, or None when it cannot be reopened (stdin "-").

    URLs: scheme and host lowercased, default port and #fragment dropped, empty path -> "/".
    file:// URLs and paths: the absolute, resolved path. Other words (e.g. "sample") stay as given.
    """
    source = source.strip()
    if not source or source == "-":
        return None
    parts = urlsplit(source)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        host = (parts.hostname or "").lower()
        port = parts.port if _has_port(parts) else None
        if port is not None and port != {"http": 80, "https": 443}[scheme]:
            host = f"{host}:{port}"
        if parts.username:
            host = f"{parts.username}@{host}"
        return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))
    if scheme == "file":
        return str(Path(unquote(parts.path)).resolve())
    if source == "sample":
        return source
    return str(Path(source).expanduser().resolve())


def _has_port(parts: Any) -> bool:
    try:
        return parts.port is not None
    except ValueError:  # a port like ":abc" -- keep the URL usable as a key anyway
        return False


class Store:
    """Per-article resume positions and the recent-articles list, kept in JSON in `directory`.

    Every change is written at once (atomically). Write failures raise SettingsError; the
    in-memory state stays updated so the session goes on.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else data_dir()
        self._positions: dict[str, Position] = {}
        self._recent: list[RecentItem] = []

    # -- loading

    def load(self) -> list[str]:
        """(Re)read both files; returns messages for the user (damaged files, bad entries)."""
        messages: list[str] = []
        self._positions = self._load_positions(messages)
        self._recent = self._load_recent(messages)
        return messages

    def _load_positions(self, messages: list[str]) -> dict[str, Position]:
        raw, msgs = _read_damaged(self.directory / POSITIONS_FILE, "reading positions", json.loads)
        messages.extend(msgs)
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            messages.extend(self._reject(POSITIONS_FILE, "reading positions"))
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

    def _load_recent(self, messages: list[str]) -> list[RecentItem]:
        raw, msgs = _read_damaged(self.directory / RECENT_FILE, "recent articles", json.loads)
        messages.extend(msgs)
        if raw is None:
            return []
        if not isinstance(raw, list):
            messages.extend(self._reject(RECENT_FILE, "recent articles"))
            return []
        items = [item for item in (_recent_from(entry) for entry in raw) if item is not None]
        if len(items) < len(raw):
            bad = len(raw) - len(items)
            messages.append(
                f"{bad} damaged recent article entr{'ies' if bad > 1 else 'y'} ignored."
            )
        return items[:MAX_RECENT]

    def _reject(self, name: str, what: str) -> list[str]:
        """Valid JSON of the wrong shape: still damaged, keep it aside like a parse failure."""
        kept = keep_aside(self.directory / name)
        where = (
            f"The old file was kept as {kept}." if kept else f"It is at {self.directory / name}."
        )
        return [f"Your {what} file was damaged; using defaults. {where}"]

    # -- positions

    def position(self, source: str) -> Position | None:
        """The saved resume position for `source`, or None."""
        key = normalise_source(source)
        return self._positions.get(key) if key else None

    def save_position(
        self, source: str, section: int, sentence: int, title: str = "", finished: bool = False
    ) -> None:
        """Remember where reading of `source` stopped (no-op for stdin)."""
        key = normalise_source(source)
        if key is None:
            return
        self._positions.pop(key, None)  # re-insert so dict order is oldest -> newest
        pos = Position(
            max(0, int(section)), max(0, int(sentence)), _clean(title), now_iso(), bool(finished)
        )
        self._positions[key] = pos
        while len(self._positions) > MAX_POSITIONS:
            self._positions.pop(next(iter(self._positions)))
        self._write(POSITIONS_FILE, {k: asdict(v) for k, v in self._positions.items()})

    def forget_position(self, source: str) -> None:
        key = normalise_source(source)
        if key is not None and self._positions.pop(key, None) is not None:
            self._write(POSITIONS_FILE, {k: asdict(v) for k, v in self._positions.items()})

    # -- recent list

    def recent(self) -> list[RecentItem]:
        """Recently opened articles, most recent first."""
        return list(self._recent)

    def add_recent(self, source: str, title: str) -> None:
        """Put `source` at the top of the recent list (moving it if already there)."""
        key = normalise_source(source)
        if key is None:
            return
        rest = [item for item in self._recent if item.source != key]
        self._recent = [RecentItem(_clean(title) or key, key, now_iso()), *rest][:MAX_RECENT]
        self._write(RECENT_FILE, [asdict(item) for item in self._recent])

    def remove_recent(self, source: str) -> None:
        key = normalise_source(source)
        kept = [item for item in self._recent if item.source != key]
        if len(kept) != len(self._recent):
            self._recent = kept
            self._write(RECENT_FILE, [asdict(item) for item in self._recent])

    def _write(self, name: str, data: Any) -> None:
        path = self.directory / name
        try:
            atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as err:
            reason = err.strerror or type(err).__name__
            raise SettingsError(f"Could not save {path}: {reason}.") from err


def load_store(directory: Path | None = None) -> tuple[Store, list[str]]:
    """Open the positions/recent store. Never raises: returns (store, messages for the user)."""
    store = Store(directory)
    return store, store.load()


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
        title if isinstance(title, str) else "",
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
        title if isinstance(title, str) and title else source,
        source,
        opened if isinstance(opened, str) else "",
    )


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
