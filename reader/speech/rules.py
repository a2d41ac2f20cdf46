"""Speech rules (units, abbreviations, pronunciations) from `reader/data/speech.toml`, which
the user extends or overrides with `speech.toml` in reader's config folder."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from reader.paths import config_dir

SECTIONS = (
    "units",
    "abbreviations",
    "titles",
    "before_number",
    "pronunciations",
    "per",
    "sentence_ends",
    "citations",
    "words",
)
SENTENCE_ENDS = ("may end", "never ends")
# What the rules say when a [words] entry is missing (a user file cannot remove them).
DEFAULT_WORDS = {
    "range": "to",
    "per": "per",
    "link": "link to",
    "link_without_host": "link",
    "email_at": "at",
    "email": "an e-mail address at",
    # Not said but listened for (each a list of words parted by spaces): "555-1234" after a
    # phone word is a phone number; "500-1000" before a counting word is a range.
    "phone_words": "call phone telephone tel helpline hotline fax text dial ring",
    "count_words": (
        "steps people patients participants adults children women men calories words "
        "tablets capsules pills doses drops puffs units cases cells times "
        "seconds minutes hours days weeks months years"
    ),
}


class SpeechRules:
    """The merged built-in and user rules, compiled into regular expressions."""

    def __init__(self, tables: dict[str, dict[str, object]], warnings: Iterable[str] = ()) -> None:
        self.warnings: tuple[str, ...] = tuple(warnings)
        self.units = {k: _unit_forms(v) for k, v in tables.get("units", {}).items()}
        self.abbreviations = _with_capitals(tables.get("abbreviations", {}))
        self.titles = dict(tables.get("titles", {}))
        self.before_number = _with_capitals(tables.get("before_number", {}))
        self.pronunciations = dict(tables.get("pronunciations", {}))
        self.per = {k: str(v) for k, v in tables.get("per", {}).items()}
        self.citations = {k.lower(): str(v) for k, v in tables.get("citations", {}).items()}
        self.words = DEFAULT_WORDS | {k: str(v) for k, v in tables.get("words", {}).items()}
        self.keeps_going = _sentence_joins(self, tables.get("sentence_ends", {}))
        self.phone_words = frozenset(self.words["phone_words"].lower().split())
        self.count_words = frozenset(self.words["count_words"].lower().split())
        self._compile()

    def _compile(self) -> None:
        units = _alternation(self.units)
        per = _alternation({**self.units, **self.per})
        self.unit_re = _maybe(
            units,
            rf"(?<![\w.])(\d+(?:[.,]\d+)*)(\s?|-)({units})((?:/(?:{per}))*)(?![\w/])",
        )
        # "mg/day", "times/week", "mg/kg/day" without a number before them.
        self.per_re = _maybe(
            self.per or self.units,
            rf"(?<![\w/.])({units + '|' if units else ''}[A-Za-z][a-z]+)((?:/(?:{per}))+)(?![\w/])",
        )
        self.citation_re = re.compile(
            rf"\s*\[(?:(?i:{_alternation(self.citations)})|{_CITATION_NUMBERS})\]"
            if self.citations
            else rf"\s*\[{_CITATION_NUMBERS}\]"
        )
        abbreviations = _alternation(self.abbreviations)
        self.abbreviation_re = _maybe(abbreviations, rf"(?<![\w.])({abbreviations})(?!\w)")
        titles = _alternation(self.titles)
        self.title_re = _maybe(titles, rf"(?<![\w.])({titles})(?=\s+[A-Z])")
        numbered = _alternation(self.before_number)
        self.number_re = _maybe(numbered, rf"(?<![\w.])({numbered})\s*(?=\d)")
        exact = {k: v for k, v in self.pronunciations.items() if _is_acronym(k)}
        loose = {k.lower(): v for k, v in self.pronunciations.items() if not _is_acronym(k)}
        self.exact_words = exact
        self.loose_words = loose
        self.exact_re = _maybe(exact, rf"(?<!\w)({_alternation(exact)})(?!\w)")
        self.loose_re = _maybe(loose, rf"(?<!\w)({_alternation(loose)})(?!\w)", re.IGNORECASE)


_CITATION_NUMBERS = r"(?:(?:note|nb|n)\s*)?(?:\d+|[a-z])(?:\s*[,–-]\s*(?:\d+|[a-z]))*"
Join = Literal["always", "before lower case", "before a number"]


def _sentence_joins(rules: SpeechRules, ends: dict[str, object]) -> dict[str, Join]:
    """For each abbreviation ending in ".", when the sentence goes on after it: pysbd ends a
    sentence after "approx." before a number ("approx. 2-4 hours")."""
    joins: dict[str, Join] = {k: "before a number" for k in rules.before_number if k[-1] == "."}
    for key in [*rules.abbreviations, *rules.titles]:
        if key.endswith("."):
            joins[key] = "always"
    for key, value in ends.items():
        for form in {key, key[:1].upper() + key[1:]}:
            joins[form] = "before lower case" if value == "may end" else "always"
    return joins


def _unit_forms(value: object) -> tuple[str, str]:
    if isinstance(value, str):
        return value, value
    singular, plural = value  # validated by _valid_entry
    return str(singular), str(plural)


def _with_capitals(table: dict[str, object]) -> dict[str, str]:
    """'e.g.' also matches 'E.g.' at a sentence start, read 'For example'."""
    out = {k: str(v) for k, v in table.items()}
    for key, value in list(out.items()):
        capital = key[:1].upper() + key[1:]
        if capital != key and capital not in out:
            out[capital] = value[:1].upper() + value[1:]
    return out


def _is_acronym(word: str) -> bool:
    return any(c.isupper() for c in word[1:])


def _alternation(keys: Iterable[str]) -> str:
    # Longest first so "mmHg" wins over "mm" and "°C" over "°".
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def _maybe(keys: object, pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(pattern, flags) if keys else None


def _valid_entry(section: str, key: object, value: object) -> bool:
    if not isinstance(key, str) or not key.strip():
        return False
    if section == "units" and isinstance(value, list):
        return len(value) == 2 and all(isinstance(v, str) for v in value)
    if section == "sentence_ends":
        return value in SENTENCE_ENDS
    return isinstance(value, str)


MAX_RULES_BYTES = 1_000_000  # a speech.toml larger than this is not a list of words
MAX_RULES_ENTRIES = 10_000  # entries in all sections; past this matching would crawl


def _read_toml(path: Path, warnings: list[str]) -> dict[str, dict[str, object]]:
    """Read one rules file; anything wrong is reported in `warnings`, never raised."""
    try:
        if path.stat().st_size > MAX_RULES_BYTES:
            warnings.append(f"Your speech rules file {path} is larger than 1 MB, so it is ignored.")
            return {}
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        warnings.append(
            f"Your speech rules file {path} could not be read ({err}), so it is ignored."
        )
        return {}
    except RecursionError:  # tomllib recurses once per nesting level
        warnings.append(f"Your speech rules file {path} is nested too deeply, so it is ignored.")
        return {}
    entries = sum(len(table) for table in data.values() if isinstance(table, dict))
    if entries > MAX_RULES_ENTRIES:
        warnings.append(
            f"Your speech rules file {path} has {entries} entries, more than "
            f"{MAX_RULES_ENTRIES}, so it is ignored."
        )
        return {}
    tables: dict[str, dict[str, object]] = {}
    for section, table in data.items():
        if section not in SECTIONS or not isinstance(table, dict):
            warnings.append(f"Your speech rules file {path} has an unknown section [{section}].")
            continue
        good = {k: v for k, v in table.items() if _valid_entry(section, k, v)}
        if len(good) != len(table):
            warnings.append(
                f"Some entries in [{section}] of {path} are not "
                + ('"may end" or "never ends"' if section == "sentence_ends" else "text")
                + " and were skipped."
            )
        tables[section] = good
    return tables


def user_rules_path() -> Path:
    return config_dir() / "speech.toml"


def _builtin_tables() -> dict[str, dict[str, object]]:
    text = resources.files("reader").joinpath("data", "speech.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_rules(user_file: Path | None = None) -> SpeechRules:
    """Built-in rules overlaid with the user's file (their entries win).

    Never raises for the user's file: whatever goes wrong with it, the built-in rules are
    used and `warnings` says why."""
    builtin = _builtin_tables()
    tables = {name: dict(table) for name, table in builtin.items()}
    warnings: list[str] = []
    path = user_file if user_file is not None else user_rules_path()
    try:
        if path.is_file():
            for section, table in _read_toml(path, warnings).items():
                tables.setdefault(section, {}).update(table)
        elif path.exists():
            warnings.append(f"Your speech rules file {path} is not a file, so it is ignored.")
        return SpeechRules(tables, warnings)
    except (OSError, ValueError, TypeError, RecursionError, MemoryError, re.error):
        # Whatever slipped past the checks (an entry regex cannot take): built-in rules only.
        warnings.append(f"Your speech rules file {path} could not be used, so it is ignored.")
        return SpeechRules(builtin, warnings)


@lru_cache(maxsize=4)
def _cached_rules(path: str, stamp: tuple[int, int]) -> SpeechRules:
    return load_rules(Path(path))


def get_rules() -> SpeechRules:
    """The current rules; re-read when the user's file appears, changes or moves."""
    path = user_rules_path()
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = (0, -1)
    return _cached_rules(str(path), stamp)


def speech_warnings() -> list[str]:
    """Messages about a user rules file that could not be used (for the UI or CLI to show)."""
    return list(get_rules().warnings)
