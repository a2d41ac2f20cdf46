"""Text split into sentences (pysbd), each short enough for speech to start at once."""

from __future__ import annotations

import re
from functools import cache

import pysbd

from reader.speech.links import EMAIL, URL, split_url
from reader.speech.rules import SpeechRules, get_rules
from reader.text import base_language, normalise_space, settled, strip_controls

MAX_SENTENCE = 300  # characters; longer sentences are cut at commas/spaces so speech can start
SEGMENT_CHUNK = 2000  # pysbd is superlinear: 94 KB in one call takes ~5 s, in 2 KB chunks ~0.5 s

_SAFE_BREAK = re.compile(r"(?<=[a-z]{3}[.!?])\s+(?=[\"“(]?[A-Z])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Text pysbd cannot split, in any of its languages: words, spaces, a few inner marks (no
# quotes, brackets or colons), an apostrophe only inside a word, one end mark at most.
# (Checked against pysbd on random strings of many scripts; a page of 540 000 short
# paragraphs spent almost all of its time in pysbd.)
_ONE_SENTENCE = re.compile(r"[\w ,\-–—/&%+]*(?:(?<=\w)['’]\w[\w ,\-–—/&%+]*)*[.!?]?")
_CAPS_END = re.compile(r"(?<=[A-Z]{2}\.)\s+(?=[\"“(]?[A-Z](?:[a-z]|\s))")
_NOTE_END = re.compile(r"([.!?]\[[^\]\n]{1,30}\])\s+(?=[\"“(]?[A-Z](?:[a-z]|\s))")
_LINK = re.compile(f"{URL.pattern}|{EMAIL.pattern}", re.IGNORECASE)
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
        body, tail = split_url(match.group(0))
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
    if text and settled(text) and len(text) <= MAX_SENTENCE and _ONE_SENTENCE.fullmatch(text):
        return [text]  # most paragraphs of a page: one short sentence, already clean
    if not text.isprintable():  # printable text holds no control or format character
        text = strip_controls(text)
    if not text.strip():
        return []
    segmenter = _segmenter(_pysbd_language(language))
    out: list[str] = []
    # A single newline is a soft wrap (plain text files); a blank line always ends a sentence.
    for paragraph in _PARAGRAPH_BREAK.split(text) if "\n" in text else [text]:
        if not settled(paragraph):
            paragraph = normalise_space(paragraph)
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
