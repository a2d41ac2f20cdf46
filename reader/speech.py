"""Speech text: split blocks into sentences and normalise them for the ear.

The rules (units, abbreviations, pronunciations) live in `reader/data/speech.toml`; the user
extends or overrides them with `speech.toml` in reader's config folder.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import pysbd

from reader.model import Article, Block
from reader.paths import config_dir
from reader.text import base_language, strip_controls

MAX_SENTENCE = 300  # characters; longer sentences are cut at commas/spaces so speech can start
MAX_TITLE = 200  # characters; a longer heading is announced by its start, then read in full
SEGMENT_CHUNK = 2000  # pysbd is superlinear: 94 KB in one call takes ~5 s, in 2 KB chunks ~0.5 s
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
}

UtteranceKind = Literal["title", "sentence"]


@dataclass(frozen=True, slots=True)  # a huge page has 500 000 of them
class Utterance:
    text: str  # normalised for the ear
    section: int  # index into article.sections
    sentence: int  # 0 = the section's title, 1.. its sentences in order
    kind: UtteranceKind


# ---------------------------------------------------------------------------------------------
# Cleaning: control characters, terminal escapes, URLs, emoji


_EMOJI = re.compile(
    "[\U0001f000-\U0001faff"  # pictographs, emoticons, flags, playing cards ...
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats
    "\u2b00-\u2bff"  # stars, arrows-and-shapes emoji
    "\u231a\u231b\u23e9-\u23f3\u23f8-\u23fa"
    "\ufe00-\ufe0f\u20e3"  # variation selectors, keycap
    "\U000e0000-\U000e007f"  # tag characters (subdivision flags)
    "\ue000-\uf8ff]"  # private use: icon fonts put their glyphs here
)
_URL = re.compile(r"(?:\b(?:https?|ftp|file)://|\bwww\.|\bmailto:)[^\s<>\"'\[\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_TRAILING = ".,;:!?)]}'\""
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[.,;:!?)\]])")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")


def _split_url(url: str) -> tuple[str, str]:
    """The link itself and the prose marks after it: a sentence often ends right after a link."""
    body = url.rstrip(_URL_TRAILING)
    # A ")" that closes a "(" inside the link belongs to it (wiki/MS_(disease)); others end prose.
    while url[len(body) : len(body) + 1] == ")" and body.count("(") > body.count(")"):
        body += ")"
    return body, url[len(body) :]


def _host(url: str) -> str:
    """'https://www.Example.org:8080/a' -> 'example.org'; '' when it has none (file:///x)."""
    if "://" not in url:
        url = "//" + url  # "www.example.org/a" has no scheme
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed port or IPv6 literal
        return ""
    return host.removeprefix("www.").strip(".")


_PLAIN_NAME = re.compile(r"[A-Za-z]{1,20}(?:[._-][A-Za-z]{1,20})?")


def _say_email(address: str, words: dict[str, str]) -> str:
    """'nurse@example.org' -> 'nurse at example.org': the name only when it is a plain word."""
    name, _, host = address.rpartition("@")
    host = _host(host)
    if _PLAIN_NAME.fullmatch(name):
        return f"{re.sub(r'[._-]', ' ', name)} {words['email_at']} {host}"
    return f"{words['email']} {host}"


def _say_url(url: str, words: dict[str, str]) -> str:
    """A link is said by its host, never spelled out: 'link to example.org'."""
    body, tail = _split_url(url)
    if body.lower().startswith("mailto:"):
        spoken = _say_email(body[len("mailto:") :].split("?")[0], words)
    else:
        host = _host(body)
        spoken = f"{words['link']} {host}" if host else words["link_without_host"]
    return spoken + tail


# ---------------------------------------------------------------------------------------------
# Rules from TOML


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


# ---------------------------------------------------------------------------------------------
# Normalisation

_QA_PREFIX = re.compile(r"^\s*(Q|A)\s*[:：]\s*")
_AMPERSAND = re.compile(r"\s*&\s*")
_SENTENCE_END = re.compile(r"\s*[\"'”’)\]]*\s*$")


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# "2-4 hours", "2–4 hours", "10 – 20 mg"; not part of a longer chain (2026-11-02, 555-123-4567),
# a word (COVID-19), a time (9:00-17:00) or a fraction.
_RANGE = re.compile(
    rf"(?<![\w.,/:+\-–—])({_NUMBER})(?:-|\s?[–—]\s?)({_NUMBER})(?![\d/:\-–—]|[.,]\d)"
)
_PHONE = re.compile(r"\d{3}-\d{4}")  # 555-1234
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# "cells¹", "cells,²³", but not "m²" or "cm³" (after a short word they are powers).
_SUPERSCRIPT_NOTE = re.compile(
    rf"(?:(?<=[^\W\d_{_SUPERSCRIPTS}]{{3}})|(?<=[.,;:)\]]))"
    rf"[{_SUPERSCRIPTS}]+(?:[,⁻–-][{_SUPERSCRIPTS}]+)*"
)
# "B cells.1 They…": a note number run into the full stop, at the end of a sentence.
_DOT_NOTE = re.compile(r"(?<=[^\W\d_]{3}\.)\d{1,3}(?:[,–-]\d{1,3})*(?=\s+[\"“(]?[A-Z]|\s*$)")
_WORD_BEFORE = re.compile(r"[^\W\d_]+\.$")


def _drop_citations(text: str, rules: SpeechRules) -> str:
    """'[12]', '[3, 4]', '[citation needed]', 'cells¹' and 'cells.1' are not read."""
    if "[" in text:

        def say(match: re.Match[str]) -> str:
            note = match.group(0).strip()[1:-1].lower()
            spoken = rules.citations.get(note, "")
            return f" {spoken}" if spoken else ""

        text = rules.citation_re.sub(say, text)
    if any(c in text for c in _SUPERSCRIPTS):
        text = _SUPERSCRIPT_NOTE.sub("", text)

    def dot_note(match: re.Match[str]) -> str:
        word = _WORD_BEFORE.search(text, 0, match.start())
        known = word and (
            word.group(0) in rules.keeps_going or word.group(0).lower() in rules.keeps_going
        )
        return match.group(0) if known else ""  # "Fig.1" is a figure, not a note

    return _DOT_NOTE.sub(dot_note, text)


def _say_ranges(text: str, rules: SpeechRules) -> str:
    """'2-4 hours' -> '2 to 4 hours'; a descending pair is a score or a code, not a range."""

    def say(match: re.Match[str]) -> str:
        low, high = match.groups()
        if _PHONE.fullmatch(match.group(0)) or float(low.replace(",", "")) >= float(
            high.replace(",", "")
        ):
            return match.group(0)
        return f"{low} {rules.words['range']} {high}"

    return _RANGE.sub(say, text)


def _per(units: str, rules: SpeechRules) -> str:
    """'/kg/day' -> ' per kilogram per day'."""
    word = rules.words["per"]
    return "".join(
        f" {word} {rules.units[u][0] if u in rules.units else rules.per[u]}"
        for u in units.split("/")[1:]
    )


def _expand_units(text: str, rules: SpeechRules) -> str:
    if rules.unit_re is None:
        return text

    def say(match: re.Match[str]) -> str:
        number, joint, unit, per = match.groups()
        singular, plural = rules.units[unit]
        # "300-mg dose" is an adjective: always singular ("300-milligram dose").
        word = singular if joint == "-" or number == "1" else plural
        return f"{number}{'-' if joint == '-' else ' '}{word}{_per(per, rules)}"

    return rules.unit_re.sub(say, text)


def _expand_per(text: str, rules: SpeechRules) -> str:
    """'mg/day' -> 'milligrams per day', 'times/week' -> 'times per week'."""
    if rules.per_re is None or "/" not in text:
        return text

    def say(match: re.Match[str]) -> str:
        what, per = match.groups()
        return (rules.units[what][1] if what in rules.units else what) + _per(per, rules)

    return rules.per_re.sub(say, text)


def _replace_words(
    text: str, pattern: re.Pattern[str] | None, lookup: Callable[[str], str], keep_end: bool
) -> str:
    if pattern is None:
        return text

    def say(match: re.Match[str]) -> str:
        spoken = lookup(match.group(1))
        # "apples, pears etc." ends the sentence: keep the full stop the abbreviation swallowed.
        if keep_end and match.group(1).endswith(".") and _SENTENCE_END.fullmatch(text, match.end()):
            spoken += "."
        return spoken + match.group(0)[len(match.group(1)) :]

    return pattern.sub(say, text)


_ROMAN = re.compile(r"[IVXLCDM]+")
_NAME_BEFORE = re.compile(r"\b([A-Z][a-z]+)\s+$")
# Capitalised words before "IV" that are just a sentence start, not "Stage IV" or "Henry IV".
_NOT_NAMES = {
    "a",
    "an",
    "the",
    "by",
    "via",
    "per",
    "your",
    "this",
    "that",
    "each",
    "every",
    "one",
    "any",
    "no",
    "their",
    "our",
    "my",
    "his",
    "her",
    "its",
    "and",
    "or",
    "for",
}


def _respell_acronyms(text: str, rules: SpeechRules) -> str:
    """'IV drip' -> 'I V drip', but 'Stage IV' and 'Henry IV' keep their Roman numeral."""
    if rules.exact_re is None:
        return text

    def say(match: re.Match[str]) -> str:
        word = match.group(1)
        before = _NAME_BEFORE.search(text, 0, match.start())
        if _ROMAN.fullmatch(word) and before and before.group(1).lower() not in _NOT_NAMES:
            return word
        return rules.exact_words[word]

    return rules.exact_re.sub(say, text)


def _same_case(word: str, table: dict[str, str]) -> str:
    """'Natalizumab' at a sentence start is respelled with a capital too (it is also shown)."""
    spoken = table[word.lower()]
    return spoken[:1].upper() + spoken[1:] if word[:1].isupper() else spoken


def normalise(text: str, rules: SpeechRules | None = None) -> str:
    """Make one sentence (or title) right for the ear; may return "" (e.g. only a link)."""
    rules = rules or get_rules()
    text = strip_controls(text)
    text = _URL.sub(lambda m: _say_url(m.group(0), rules.words), text)
    # (The `in` tests only skip patterns that cannot match: pages hold 500 000 sentences.)
    if "@" in text:
        text = _EMAIL.sub(lambda m: _say_email(m.group(0), rules.words), text)
    text = _drop_citations(text, rules)
    text = _EMOJI.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    if text[:1] in ("Q", "A"):
        text = _QA_PREFIX.sub(lambda m: "Question: " if m.group(1) == "Q" else "Answer: ", text)
    text = _replace_words(text, rules.title_re, rules.titles.__getitem__, False)
    text = _replace_words(text, rules.number_re, lambda k: rules.before_number[k] + " ", False)
    if "-" in text or "–" in text or "—" in text:
        text = _say_ranges(text, rules)
    text = _expand_units(text, rules)
    text = _expand_per(text, rules)
    text = _replace_words(text, rules.abbreviation_re, rules.abbreviations.__getitem__, True)
    text = _respell_acronyms(text, rules)
    text = _replace_words(text, rules.loose_re, lambda k: _same_case(k, rules.loose_words), False)
    if "&" in text:
        text = _AMPERSAND.sub(" and ", text)
    text = _SPACE_BEFORE_MARK.sub("", _SPACES.sub(" ", text))
    if "(" in text or "[" in text:
        text = _EMPTY_BRACKETS.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    # Nothing left to say if only punctuation survived (e.g. "(see https://…)").
    return text if any(c.isalnum() for c in text) else ""


# ---------------------------------------------------------------------------------------------
# Sentences

_SAFE_BREAK = re.compile(r"(?<=[a-z]{3}[.!?])\s+(?=[\"“(]?[A-Z])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Text pysbd cannot split, in any of its languages: words, spaces, a few inner marks (no
# quotes, brackets or colons), an apostrophe only inside a word, one end mark at most.
# (Checked against pysbd on random strings of many scripts; a page of 540 000 short
# paragraphs spent almost all of its time in pysbd.)
_ONE_SENTENCE = re.compile(r"[\w ,\-–—/&%+]*(?:(?<=\w)['’]\w[\w ,\-–—/&%+]*)*[.!?]?")
_CAPS_END = re.compile(r"(?<=[A-Z]{2}\.)\s+(?=[\"“(]?[A-Z](?:[a-z]|\s))")
_NOTE_END = re.compile(r"([.!?]\[[^\]\n]{1,30}\])\s+(?=[\"“(]?[A-Z](?:[a-z]|\s))")
_LINK = re.compile(f"{_URL.pattern}|{_EMAIL.pattern}", re.IGNORECASE)
_LINK_MARK = re.compile(r"\x01(\d+)\x02")


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    # Constructing a Segmenter is costly (it loads language rules): one per language.
    return pysbd.Segmenter(language=language, clean=False)


@cache
def _pysbd_language(language: str) -> str:
    from pysbd.languages import LANGUAGE_CODES

    code = base_language(language)
    return code if code in LANGUAGE_CODES else "en"


def _chunks(text: str, size: int = SEGMENT_CHUNK) -> list[str]:
    """Cut huge text at sure sentence ends ("word. Next") so pysbd sees bounded pieces."""
    pieces: list[str] = []
    while len(text) > size * 2:
        breaks = [m.end() for m in _SAFE_BREAK.finditer(text, 0, size * 2)]
        cut = max((b for b in breaks if b <= size), default=None) or min(breaks, default=None)
        if cut is None:
            cut = text.rfind(" ", 0, size) + 1 or size
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _split_long(sentence: str, limit: int = MAX_SENTENCE) -> list[str]:
    """Cut an over-long sentence at ; or : then , then a space, so each piece stays speakable."""
    pieces: list[str] = []
    while len(sentence) > limit:
        cut = -1
        for marks in ((";", ":", "—", "–"), (",",), (" ",)):
            cut = max(sentence.rfind(m, limit // 3, limit) for m in marks)
            if cut > 0:
                break
        cut = cut + 1 if cut > 0 else limit
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].lstrip()
    pieces.append(sentence.strip())
    return [p for p in pieces if p]


_LAST_WORD = re.compile(r"[(\[\"“‘']*(\S+)$")


def _goes_on(sentence: str, following: str, rules: SpeechRules) -> bool:
    """Whether `sentence` stopped at an abbreviation that does not end it ("approx. 2 hours")."""
    if not sentence.endswith(".") or not following:
        return False
    last = _LAST_WORD.search(sentence)
    join = rules.keeps_going.get(last.group(1)) if last else None
    if join == "always":
        return True
    if join == "before lower case":
        return following[0].islower()
    return join == "before a number" and following[0].isdigit()


def _hide_links(text: str) -> tuple[str, list[str]]:
    """Links swapped for marks pysbd cannot split ("?ref=1" is no sentence end). The marks are
    made of control characters, which strip_controls has taken out of the page's own text."""
    if "://" not in text and "www." not in text.lower() and "@" not in text:
        return text, []
    links: list[str] = []

    def hide(match: re.Match[str]) -> str:
        body, tail = _split_url(match.group(0))
        links.append(body)
        return f"\x01{len(links) - 1}\x02{tail}"

    return _LINK.sub(hide, text), links


def _show_links(text: str, links: list[str]) -> str:
    return _LINK_MARK.sub(lambda m: links[int(m.group(1))], text) if links else text


def _split_more(segment: str) -> list[str]:
    """Sentence ends pysbd misses: it takes "MS." for an abbreviation and runs on into the next
    sentence, and does not end one at "in 1990.[note 2] Later"."""
    if "[" in segment:
        segment = _NOTE_END.sub("\\1\n", segment)
    return [p for s in segment.split("\n") for p in _CAPS_END.split(s)]


def _join_abbreviations(segments: list[str], rules: SpeechRules) -> list[str]:
    joined: list[str] = []
    for segment in segments:
        if joined and _goes_on(joined[-1], segment, rules):
            joined[-1] += " " + segment
        else:
            joined.append(segment)
    return joined


def sentences(text: str, language: str = "en", rules: SpeechRules | None = None) -> list[str]:
    """Split text into sentences (pysbd), each at most about MAX_SENTENCE characters."""
    text = strip_controls(text)
    if not text.strip():
        return []
    segmenter = _segmenter(_pysbd_language(language))
    out: list[str] = []
    # A single newline is a soft wrap (plain text files); a blank line always ends a sentence.
    for paragraph in _PARAGRAPH_BREAK.split(text):
        paragraph = _SPACES.sub(" ", paragraph).strip()
        if len(paragraph) <= MAX_SENTENCE and _ONE_SENTENCE.fullmatch(paragraph):
            out.append(paragraph)  # what pysbd would answer, 100 times faster
            continue
        for chunk in _chunks(paragraph) if paragraph else []:
            chunk, links = _hide_links(chunk)
            segments = [
                _show_links(sentence.strip(), links)
                for segment in segmenter.segment(chunk)
                for sentence in _split_more(segment)
                if sentence.strip()
            ]
            rules = rules or get_rules()
            for sentence in _join_abbreviations(segments, rules):
                out.extend(_split_long(sentence))
    return out


# ---------------------------------------------------------------------------------------------
# Article -> utterances

_PREFIXES = {"question": "Question: ", "answer": "Answer: ", "image": "Image: "}
_OLD_MARKER = re.compile(r"^\s*(?:Q|A|Question|Answer|Image)\s*[:：]\s*", re.IGNORECASE)
_CELL_SEPARATOR = re.compile(r"\s*(?:\t|\s\|\s)\s*")


def block_sentences(
    block: Block, language: str = "en", rules: SpeechRules | None = None
) -> list[str]:
    """The spoken sentences of one block, with its Question/Answer/Image prefix."""
    text = block.text
    if block.kind == "code":  # read literally, a line at a time, never split at dots
        return [line for line in (strip_controls(t).strip() for t in text.splitlines()) if line]
    if block.kind in _PREFIXES:
        text = _OLD_MARKER.sub("", text)  # never "Question: Question: ..."
    if block.kind == "table_row":
        text = _CELL_SEPARATOR.sub(", ", text)
    spoken = [s for s in (normalise(t, rules) for t in sentences(text, language, rules)) if s]
    if spoken and block.kind in _PREFIXES:
        spoken[0] = _PREFIXES[block.kind] + spoken[0]
    return spoken


def article_utterances(article: Article) -> list[list[Utterance]]:
    """One list per section: its title (sentence 0), then its sentences numbered from 1."""
    rules = get_rules()
    result: list[list[Utterance]] = []
    for index, section in enumerate(article.sections):
        utterances = _title_utterances(section.title, index, article.language, rules)
        for block in section.blocks:
            for text in block_sentences(block, article.language, rules):
                utterances.append(Utterance(text, index, len(utterances), "sentence"))
        result.append(utterances)
    return result


def short_title(text: str, limit: int = MAX_TITLE) -> str:
    """`text` cut at a word boundary to at most about `limit` characters, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;:—–-") + " …"


def _title_utterances(title: str, index: int, language: str, rules: SpeechRules) -> list[Utterance]:
    """The section's title as sentence 0. A heading too long to be a title (a whole paragraph
    marked up as <h1>) is announced by its first words, then read in full, sentence by
    sentence, like a block: one 100 KB utterance would hold the synthesiser for a minute."""
    spoken = normalise(title, rules) or f"Section {index + 1}"
    if len(spoken) <= MAX_TITLE:
        return [Utterance(spoken, index, 0, "title")]
    utterances = [Utterance(short_title(spoken), index, 0, "title")]
    for sentence in sentences(title, language, rules):
        text = normalise(sentence, rules)
        if text:
            utterances.append(Utterance(text, index, len(utterances), "sentence"))
    return utterances
