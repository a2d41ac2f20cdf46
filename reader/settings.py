"""What reader remembers between runs: the user's settings, and the helpers the state store shares.

Settings (rate, volume, voices, font size, theme) live in a TOML file a person may edit::

    <platformdirs.user_config_dir("reader")>/settings.toml   (env READER_CONFIG_DIR: the dir)

Resume positions and recent articles live in the SQLite state store (reader/store/), in the
data folder (env READER_DATA_DIR).

Every write is atomic (temporary file in the same directory, fsync, ``os.replace``), so a crash or a
power cut leaves either the old file or the new one, never half of one. The temporary file is
named ``.<name>.<pid>.<random>.tmp``; one left by a killed process is removed at the next start
(:func:`clean_stale_temp_files`) once its process has gone or it is a minute old.

Nothing is lost silently. Loading never raises for a bad file; it returns messages (plain
sentences the UI should both speak and show):

* a damaged or unreadable file -> defaults, the bad file renamed aside to
  ``<name>.corrupt-<YYYYmmddTHHMMSS>`` and a message naming it;
* a value of the wrong type or out of range -> that value clamped or defaulted, with a
  message; every other value is kept;
* unknown keys in settings.toml (e.g. from a newer version) are kept and written back on save.

A failed save raises SettingsError, a WriteError (exit code 3) whose text says why in words:
"Could not save your settings: the disk is full."

API for the app::

    settings, messages = load_settings()          # Settings, list[str]
    settings.rate = 250
    save_settings(settings)        # raises SettingsError if it can't write

``source`` (an article the user opened: URL, path, file:// URL) is normalised with
:func:`normalise_source` so ``./page.html`` and ``/home/me/page.html`` share one resume position.
"""

from __future__ import annotations

import errno
import math
import os
import re
import tempfile
import time
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import tomli_w

from reader.errors import WriteError
from reader.paths import config_dir
from reader.text import drop_controls
from voices.base import DEFAULT_RATE, MAX_RATE, MIN_RATE

SETTINGS_FILE = "settings.toml"
STALE_TEMP_AGE = 60.0  # seconds: an atomic write takes milliseconds; older temp files are debris

MIN_FONT_SIZE = 1
MAX_FONT_SIZE = 5
MIN_VOLUME = 0.0
MAX_VOLUME = 1.0
DEFAULT_THEME = "reader-high-contrast"
# Kept here (not imported from reader.ui.themes) so loading settings never imports Textual;
# tests/test_themes.py checks the two lists agree.
THEME_NAMES = ("reader-high-contrast", "reader-light", "reader-dark")
# How large print cuts a cell into pixels (reader.ui.glyphs.CHOICES, which a test compares).
GLYPH_CELLS = ("auto", "sextants", "quadrants", "halves")

MAX_VOICE_CHARS = 200
MAX_LANGUAGES = 200  # entries of the per-language voice table
_LANGUAGE = re.compile(r"[a-z]{2,8}")


class SettingsError(WriteError):
    """Settings, positions or the recent list could not be written (exit code 3, "could not
    write"). `str(err)` is the sentence, e.g. "Could not save your place: the disk is full."."""


@dataclass
class Settings:
    """The user's preferences. Field defaults are the defaults used for a missing or bad value.

    `extra` holds keys this version does not know (written back unchanged on save).
    """

    rate: int = DEFAULT_RATE  # words per minute, MIN_RATE..MAX_RATE
    volume: float = 1.0  # 0.0..1.0
    voice: str | None = None  # the article voice last chosen (a VoiceInfo.id); None = default
    font_size: int = 1  # 1 = normal text, 2..5 = large print
    theme: str = DEFAULT_THEME
    glyph_cells: str = "auto"  # one of GLYPH_CELLS: "auto" asks what the terminal draws
    continuous: bool = True  # at a feed item's end, the next unread item starts by itself
    structure_cues: bool = True  # "List, 5 items", "Quote" ... said (reader/speech/structure.py)
    # The article voice per language ("fr" -> "roa/fr"), and the voice of the reader's own words.
    voices: dict[str, str] = field(default_factory=dict)
    interface_voice: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


# ---------------------------------------------------------------- paths and atomic files


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix.

    Raises OSError on failure (the temporary file is removed).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # The pid in the name tells a later start whether the writer is still alive.
    prefix = f".{path.name}.{os.getpid()}."
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
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


def unused_name(path: Path, name: str) -> Path:
    """`name` beside `path`, or `name-2`, `name-3`… when that is taken: never overwrite."""
    target = path.with_name(name)
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{name}-{counter}")
    return target


def keep_aside(path: Path) -> Path | None:
    """Rename a damaged file to `<name>.corrupt-<timestamp>` (never overwriting one); None if
    the rename failed."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = unused_name(path, f"{path.name}.corrupt-{stamp}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


# mkstemp's name is the prefix, 8 characters of [a-z0-9_], the suffix; older versions wrote no pid.
_TEMP_NAME = re.compile(r"\.(?P<name>.+?)\.(?:(?P<pid>\d+)\.)?[a-z0-9_]{8}\.tmp")


def clean_stale_temp_files(directory: Path, max_age: float = STALE_TEMP_AGE) -> list[Path]:
    """Remove temporary files a killed save left in `directory` (theirs: `.<name>.<pid>.<random>
    .tmp`); kept while their process lives and they are under `max_age` seconds old. Returns
    what was removed; never raises (a folder that cannot be listed is simply left alone)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > max_age
            if old or not _alive(match["pid"]):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:  # gone meanwhile, or not ours to remove
            continue
    return removed


def _alive(pid: str | None) -> bool:
    """Whether process `pid` still runs (unknown -> True, so only age removes the file)."""
    if pid is None or os.name == "nt":  # on Windows os.kill would end the process
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def write_failure(err: OSError, folder: Path) -> str:
    """Why a file in `folder` could not be written, as a listener should hear it."""
    words = {
        errno.ENOSPC: "the disk is full",
        getattr(errno, "EDQUOT", -1): "your disk quota is full",
        errno.EROFS: "the disk is read-only",
        errno.EACCES: f"you may not write in {folder}",
        errno.EPERM: f"you may not write in {folder}",
        errno.ENOTDIR: f"{folder} is not a folder",
        errno.EEXIST: f"{folder} is not a folder",
        errno.EFBIG: "the file would be too large",
    }
    if err.errno in words:
        return words[err.errno]
    reason = err.strerror or str(err) or type(err).__name__
    return reason[:1].lower() + reason[1:]


def read_damaged(path: Path, what: str, parse: Callable[[bytes], Any]) -> tuple[Any, list[str]]:
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
    clean_stale_temp_files(config_dir())
    data, messages = read_damaged(settings_path(), "settings", _parse_toml)
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
        voices=_voices(data, messages),
        interface_voice=_voice(data, messages, "interface_voice"),
        font_size=int(font),
        theme=_theme(data, messages),
        glyph_cells=_glyph_cells(data, messages),
        continuous=_flag(data, "continuous", defaults.continuous, messages),
        structure_cues=_flag(data, "structure_cues", defaults.structure_cues, messages),
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


def _flag(data: dict[str, Any], key: str, default: bool, messages: list[str]) -> bool:
    value = data.get(key, default)
    if isinstance(value, bool):
        return value
    messages.append(f"The {key} setting must be true or false; using {str(default).lower()}.")
    return default


def _voice(data: dict[str, Any], messages: list[str], key: str = "voice") -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if _voice_name(value):
        return value
    label = key.replace("_", " ")
    messages.append(f"The {label} setting is not a voice name; using the default voice.")
    return None


def _voice_name(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_VOICE_CHARS and _printable(value)


def _voices(data: dict[str, Any], messages: list[str]) -> dict[str, str]:
    """The [voices] table: language code -> voice. Bad entries are left out, said once."""
    table = data.get("voices", {})
    if not isinstance(table, dict):
        messages.append("The voices setting is not a table of languages; each starts afresh.")
        return {}
    good = {
        key: value
        for key, value in list(table.items())[:MAX_LANGUAGES]
        if _LANGUAGE.fullmatch(key) and _voice_name(value)
    }
    if len(good) != len(table):
        messages.append(
            "Some entries of the voices setting are not a language and a voice name; "
            "they were left out."
        )
    return good


def _theme(data: dict[str, Any], messages: list[str]) -> str:
    value = data.get("theme", DEFAULT_THEME)
    if value in THEME_NAMES:
        return value
    shown = value if isinstance(value, str) and _printable(value) else "in the settings file"
    messages.append(f"The theme {shown} is unknown; using {DEFAULT_THEME}.")
    return DEFAULT_THEME


def _glyph_cells(data: dict[str, Any], messages: list[str]) -> str:
    value = data.get("glyph_cells", "auto")
    if value in GLYPH_CELLS:
        return value
    shown = value if isinstance(value, str) and _printable(value) else "in the settings file"
    messages.append(f"The glyph cells {shown} are unknown; using auto.")
    return "auto"


def clean_title(text: str) -> str:
    """Page titles are untrusted: drop control characters before they are stored."""
    return drop_controls(text).strip()


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
        glyph_cells=settings.glyph_cells,
        continuous=bool(settings.continuous),
        structure_cues=bool(settings.structure_cues),
    )
    for key in ("voice", "interface_voice"):
        value = getattr(settings, key)
        if value:
            data[key] = value
        else:
            data.pop(key, None)
    if settings.voices:
        data["voices"] = dict(sorted(settings.voices.items()))
    else:
        data.pop("voices", None)
    return data


def save_settings(settings: Settings) -> Path:
    """Write settings.toml atomically; returns its path. Raises SettingsError (a ReaderError with
    one plain sentence) if it cannot be written; the previous file is then left untouched."""
    path = settings_path()
    try:
        payload = tomli_w.dumps(settings_to_dict(settings)).encode("utf-8")
        atomic_write(path, payload)
    except OSError as err:
        raise SettingsError(
            f"Could not save your settings: {write_failure(err, path.parent)}."
        ) from err
    except (TypeError, ValueError) as err:  # a value TOML cannot hold
        raise SettingsError(f"Could not save your settings: {err}.") from err
    return path


# ---------------------------------------------------------------- article sources


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
