"""The words reader says about a page's structure, in the page's language: "List, 5 items",
"Table, 4 rows, 3 columns", "Quote" / "End of quote", "Code, 12 lines", the names of symbols
in code, the footnotes section's title, and an article's byline ("By Jane Smith. Published 3
November 2026."). They are data, in `reader/data/cues.toml`; a language
(or a word) missing there is said in English.

Shared by extraction (the footnotes title) and speech (every cue), so it lives beside them.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reader.text import base_language

FALLBACK = "en"
_COUNTED = ("items", "rows", "columns", "lines")
_RUN = re.compile(r"(\S)\1{3,}")  # "========": a rule, said as "8 equals"


@dataclass(frozen=True)
class CueWords:
    """One language's cue words (`language` is the one they are in)."""

    language: str
    words: dict[str, str]
    forms: dict[str, tuple[str, str]]  # "items" -> ("{n} item", "{n} items")
    symbols: dict[str, str]

    def say(self, cue: str, **counts: int) -> str:
        """The cue `cue` with its counts filled in: say("list", items=5) -> "List, 5 items."."""
        values: dict[str, object] = {}
        for name, number in counts.items():
            if name in self.forms:
                one, many = self.forms[name]
                values[name] = (one if number == 1 else many).format(n=number)
            else:
                values[name] = number
        return self.words[cue].format(**values)

    def symbol_words(self, line: str) -> str:
        """A line of code as it is said: each symbol by its name, never a pause or nothing
        ("x = y.z()" -> "x equals y dot z left paren right paren")."""
        symbols = self.symbols

        def run(match: re.Match[str]) -> str:
            name = symbols.get(match.group(1))
            return f" {len(match.group(0))} {name} " if name else match.group(0)

        line = _RUN.sub(run, line)
        said = "".join(f" {symbols[c]} " if c in symbols else c for c in line)
        return " ".join(said.split())


@cache
def _tables() -> dict[str, dict[str, object]]:
    text = resources.files("reader").joinpath("data", "cues.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def cue_words(language: str | None) -> CueWords:
    """The cue words for `language` ("fr-CA" -> French), English where it has none."""
    tables = _tables()
    code = base_language(language, FALLBACK)
    fallback = tables[FALLBACK]
    own = tables.get(code, {})
    merged = {**fallback, **own}
    words = {k: str(v) for k, v in merged.items() if isinstance(v, str)}
    forms = {k: (str(merged[k][0]), str(merged[k][1])) for k in _COUNTED}  # type: ignore[index]
    symbols = own.get("symbols") or fallback["symbols"]
    return CueWords(
        language=code if own else FALLBACK,
        words=words,
        forms=forms,
        symbols={str(k): str(v) for k, v in symbols.items()},  # type: ignore[union-attr]
    )


def byline_sentence(language: str | None, byline: str, published: str) -> str:
    """What is said once after an article's title, in `language` (English where cues.toml has
    no byline words for it): "By Jane Smith. Published 3 November 2026." (either part alone
    when the page says only one; "" when neither). `published` is an ISO date, "2026-11-03"."""
    tables = _tables()
    own = tables.get(base_language(language, FALLBACK), {}).get("byline")  # type: ignore[union-attr]
    words: dict = own or tables[FALLBACK]["byline"]  # type: ignore[index]
    said = [words["by"].format(names=byline)] if byline else []
    day = _calendar_date(published)
    if day is not None:
        month = words["months"][day.month - 1]
        date = words["date"].format(day=day.day, month=month, year=day.year)
        said.append(words["published"].format(date=date))
    return " ".join(said)


def _calendar_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:  # (an article saved by hand, say): no date is better than a wrong one
        return None
