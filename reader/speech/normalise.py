"""One sentence (or title) made right for the ear: links, citations, emoji, ranges, units,
abbreviations and pronunciations."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from string import ascii_lowercase, digits

from reader.speech.links import EMAIL, URL, say_email, say_url
from reader.speech.rules import SpeechRules, get_rules
from reader.speech.segment import MAX_SENTENCE
from reader.text import SPACES, normalise_space, settled, strip_controls

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff"  # pictographs, emoticons, flags, playing cards ...
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats
    "\u2b00-\u2bff"  # stars, arrows-and-shapes emoji
    "\u231a\u231b\u23e9-\u23f3\u23f8-\u23fa"
    "\ufe00-\ufe0f\u20e3"  # variation selectors, keycap
    "\U000e0000-\U000e007f"  # tag characters (subdivision flags)
    "\ue000-\uf8ff]"  # private use: icon fonts put their glyphs here
)
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[.,;:!?)\]])")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")

_QA_PREFIX = re.compile(r"^\s*(Q|A)\s*[:：]\s*")
_AMPERSAND = re.compile(r"\s*&\s*")
_SENTENCE_END = re.compile(r"\s*[\"'”’)\]]*\s*$")


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# "2-4 hours", "2–4 hours", "10 – 20 mg"; not part of a longer chain (2026-11-02, 555-123-4567),
# a word (COVID-19), a time (9:00-17:00) or a fraction.
_RANGE = re.compile(
    rf"(?<![\w.,/:+\-–—])({_NUMBER})(?:-|\s?[–—]\s?)({_NUMBER})(?![\d/:\-–—]|[.,]\d)"
)
# "555-1234" is a local phone number's shape, and also a range's ("500-1000 mg/day").
_PHONE = re.compile(r"\d{3}-\d{4}")
# An area code just before it: "(212) 555-0100", "+1 800 555-1234".
_AREA_CODE_BEFORE = re.compile(r"(?:\(\d{3}\)|(?<![\w.,])\d{3})\s*$")
_LETTERS = re.compile(r"[^\W\d_]+")
_WORD_AFTER = re.compile(r"\s+([^\W\d_]+)")
PHONE_WORDS_BEFORE = 4  # "Call our helpline on 555-1234": how far back a phone word counts
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
        if float(low.replace(",", "")) >= float(high.replace(",", "")):
            return match.group(0)
        if _PHONE.fullmatch(match.group(0)) and _reads_as_phone(text, match, rules):
            return match.group(0)
        return f"{low} {rules.words['range']} {high}"

    return _RANGE.sub(say, text)


def _reads_as_phone(text: str, match: re.Match[str], rules: SpeechRules) -> bool:
    """Whether '555-1234' (three digits, four) is a phone number rather than a range.

    A wrong dose is worse than a phone number said as numbers, so only what a phone number
    is never followed by makes it a range: a unit ("500-1000 mg", "400-4000 IU", "10%") or,
    unless a phone word comes just before ("Call 555-1234", "Text 500-1000 words"), a word
    that counts things ("500-1000 steps"). An area code before it ("(212) 555-0100") makes
    it a phone number whatever follows; anything else stays as it was (a phone number)."""
    before = text[: match.start()]
    if _AREA_CODE_BEFORE.search(before):
        return True
    if rules.unit_re is not None and rules.unit_re.match(text, match.start(2)):
        return False
    recent = _LETTERS.findall(before[-80:])[-PHONE_WORDS_BEFORE:]
    if rules.phone_words.intersection(word.lower() for word in recent):
        return True
    after = _WORD_AFTER.match(text, match.end())
    return not (after and after.group(1).lower() in rules.count_words)


def _per(units: str, rules: SpeechRules) -> str:
    """'/kg/day' -> ' per kilogram per day'."""
    word = rules.words["per"]
    return "".join(
        f" {word} {rules.units[u][0] if u in rules.units else rules.per[u]}"
        for u in units.split("/")[1:]
    )


# "a", "one" or "each" just before "20 mg": the amount names one thing ("a 20 mg tablet"); not
# "that", which may join clauses ("said that 40 mg was too much").
# A capital "A" only opening a sentence: "vitamin A 1000 IU" is a vitamin, not one thing.
_ONE_THING_BEFORE = re.compile(r"(?:\b(?:an?|[Oo]ne|[Ee]ach)|(?:^|[.!?:]\s*)An?)\s+$")


def _expand_units(text: str, rules: SpeechRules) -> str:
    if rules.unit_re is None:
        return text

    def say(match: re.Match[str]) -> str:
        number, joint, unit, per = match.groups()
        singular, plural = rules.units[unit]
        # "300-mg dose" is an adjective: always singular ("300-milligram dose"); so is
        # "a 20 mg tablet" ("a 20 milligram tablet", never "a 20 milligrams tablet").
        adjective = joint == "-" or _ONE_THING_BEFORE.search(text, 0, match.start()) is not None
        word = singular if adjective or number == "1" else plural
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
    if settled(text):
        spaced = text
    else:
        if not text.isprintable():  # printable text holds no control or format character
            text = strip_controls(text)
        spaced = normalise_space(text)
    # Most sentences of a page: no rule can change them. A few cheap checks instead of
    # some twenty regex passes.
    said = _shortcut(rules).said(spaced)
    return said if said is not None else normalise_every_rule(text, rules)


# One sentence of plain words, its spaces normalised: calm text with nothing busy in it,
# and `sentences` hands it back whole (it is one of `segment._ONE_SENTENCE`'s). Not one
# that opens with Q or A: "Q:" and "A:" become "Question:" and "Answer:".
_PLAIN_SENTENCE = re.compile(r"(?![QA])[A-Za-z0-9]+(?:,? [A-Za-z0-9]+|'[A-Za-z0-9]+)*[.!?]?")


def plain_speaker(rules: SpeechRules) -> Callable[[str], str | None]:
    """A function that hands back a sentence of plain words that no rule changes (what
    `sentences` and `normalise` would make of it, at a fraction of the cost), and None for
    any other text. Asked once for a whole article."""
    return _shortcut(rules).plainly


def plain_each(texts: list[str], rules: SpeechRules) -> list[str | None]:
    """What `plain_speaker(rules)` says of each of `texts`, asked of all of them at once:
    a section of a huge page holds 500 000 paragraphs."""
    return _shortcut(rules).plainly_each(texts)


# Among texts joined by line breaks (and one after the last), the plain sentences from
# `pos` on: what `_Shortcut.plainly` asks first, of each line, in one match.
_PLAIN_LINES = re.compile(rf"(?:(?=.{{0,{MAX_SENTENCE}}}\n)(?:{_PLAIN_SENTENCE.pattern})\n)*+")
# bytes.translate tables: ASCII letters (lowered text), or digits, kept; the rest a space.
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
_DIGITS_ONLY = bytes(c if 48 <= c <= 57 else 32 for c in range(256))


def normalise_every_rule(text: str, rules: SpeechRules) -> str:
    """`normalise` without its shortcut: every rule in turn."""
    if not text.isprintable():
        text = strip_controls(text)
    text = URL.sub(lambda m: say_url(m.group(0), rules.words), text)
    # (The `in` tests only skip patterns that cannot match.)
    if "@" in text:
        text = EMAIL.sub(lambda m: say_email(m.group(0), rules.words), text)
    text = _drop_citations(text, rules)
    text = _EMOJI.sub("", text)
    text = normalise_space(text)
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
    text = _SPACE_BEFORE_MARK.sub("", SPACES.sub(" ", text))
    if "(" in text or "[" in text:
        text = _EMPTY_BRACKETS.sub("", text)
    text = normalise_space(text)
    # Nothing left to say if only punctuation survived (e.g. "(see https://…)").
    return text if any(c.isalnum() for c in text) else ""


# Calm text: ASCII letters and digits, spaces and the marks no rule looks at alone.
_CALM = re.compile(r"[A-Za-z0-9 .,!?;:']*")
# What wakes a rule in calm text besides a word of its own: a note number run into a full
# stop ("cells.1"), a space before a mark, a link without its "://".
_BUSY = re.compile(r"\.\d| [.,;:!?]|www\.|mailto:", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]")


class _Shortcut:
    """Tells the sentences that no rule of `normalise_every_rule` can change.

    In calm text the steps that look for marks (links, addresses, citations, note numbers,
    emoji, ranges, "per", "&", brackets) have nothing to find, except what `_BUSY` finds.
    The steps that look for words (titles, numbered abbreviations, units, abbreviations,
    pronunciations) only match where every run of letters and of digits of one of their
    keys stands whole in the text (their patterns start and end at word boundaries, or at a
    digit before a unit). So a calm text that holds no key's runs is left as it is.
    """

    def __init__(self, rules: SpeechRules) -> None:
        keys = [
            *rules.units, *rules.abbreviations, *rules.titles, *rules.before_number,
            *rules.pronunciations,
        ]  # fmt: skip
        self.needs: dict[str, list[frozenset[str]]] = {}
        self.works = True
        for key in keys:
            if not _CALM.fullmatch(key):
                continue  # a key with other characters cannot stand in calm text
            runs = _TOKEN.findall(key.lower())
            if not runs:  # a key of marks alone (a user's "...") could be anywhere
                self.works = False
            else:
                self.needs.setdefault(runs[0], []).append(frozenset(runs))
        for word in ("www", "mailto"):  # a link without "://" (also in `_BUSY`)
            self.needs.setdefault(word, []).append(frozenset((word,)))
        self.first_runs = frozenset(self.needs)
        # The same as bytes, by the table that keeps their characters (see `_first_run_in`).
        self.run_tables = [
            (table, frozenset(run.encode() for run in self.first_runs if run[0] in kept))
            for table, kept in ((_LETTERS_ONLY, ascii_lowercase), (_DIGITS_ONLY, digits))
        ]

    def said(self, text: str) -> str | None:
        """What every rule makes of `text` (spaces normalised) when none of them can change
        it: `text` itself, or "" when it holds nothing to say. None when a rule may."""
        if text[:1] in ("Q", "A") or not _CALM.fullmatch(text):
            return None  # ("Q:" and "A:" become "Question:" and "Answer:")
        if _BUSY.search(text):
            return None
        if not self.holds_no_key(text):
            return None
        return text if _ALPHANUMERIC.search(text) else ""  # calm text may be only marks

    def plainly(self, text: str) -> str | None:
        """`text` when it is one sentence of plain words that no rule changes; else None.
        (Called for most paragraphs of a page: `holds_no_key`, inlined.)"""
        if len(text) > MAX_SENTENCE or not self.works or not _PLAIN_SENTENCE.fullmatch(text):
            return None  # (`sentences` cuts a longer one)
        runs = _TOKEN.findall(text.lower())
        return text if self.first_runs.isdisjoint(runs) or self._no_key_among(runs) else None

    def plainly_each(self, texts: list[str]) -> list[str | None]:
        """`plainly` of each of `texts`. One regex match finds the runs of plain sentences,
        one split the runs of letters and of digits on the whole page: `plainly` is asked
        only of the other texts, and of all of them when a key's first run is there."""
        page = "\n".join(texts) + "\n"
        if not self.works or page.count("\n") != len(texts):  # (a text holds a line break)
            return [self.plainly(text) for text in texts]
        said: list[str | None] = list(texts)
        doubtful = range(len(texts)) if self._first_run_in(page) else []
        for index in doubtful or self._not_plain(page):
            said[index] = self.plainly(texts[index])
        return said

    def _not_plain(self, page: str) -> Iterator[int]:
        """The line numbers of `page` (texts a line each) that are not plain sentences."""
        position = line = 0
        while position < len(page):
            start = _PLAIN_LINES.match(page, position).end()  # type: ignore[union-attr]
            if start == len(page):
                return
            line += page.count("\n", position, start)
            yield line
            position = page.index("\n", start) + 1
            line += 1

    def _first_run_in(self, page: str) -> bool:
        """A key's first run stands whole somewhere in `page` (as `_TOKEN` would find it in
        the lowered text of a plain sentence; plain sentences are ASCII)."""
        ascii_page = page.lower().encode("ascii", "replace")
        return any(
            runs and not runs.isdisjoint(ascii_page.translate(table).split())
            for table, runs in self.run_tables
        )

    def holds_no_key(self, text: str) -> bool:
        """True when no key of a word rule stands in `text` (calm text, see above)."""
        if not self.works:
            return False
        runs = _TOKEN.findall(text.lower())
        return self.first_runs.isdisjoint(runs) or self._no_key_among(runs)

    def _no_key_among(self, runs: list[str]) -> bool:
        found = set(runs)
        return not any(need <= found for run in found for need in self.needs.get(run, ()))


@lru_cache(maxsize=8)
def _shortcut(rules: SpeechRules) -> _Shortcut:
    return _Shortcut(rules)
