"""What is shown versus what is said: the page's own words for the eye, where the ear gets
respellings ("Natta lizzoomab" for "Natalizumab"), and the word being said mapped between them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from reader.cues import byline_sentence
from reader.model import Article, Section
from reader.reading.types import UtteranceLike


def display_texts(
    article: Article, utterances: Sequence[Sequence[UtteranceLike]]
) -> list[list[str]]:
    """For each utterance, the page's own words to show: the spoken text is respelt for the ear
    ("Natta lizzoomab"), but the eye should see "Natalizumab". Titles are shown as written,
    structure cues as said; where a block's sentences cannot be paired with the page's, the
    spoken text is shown."""
    byline = byline_sentence(article.language, article.byline, article.published)
    return [
        _section_shown(section, utts, article.language, byline)
        for section, utts in zip(article.sections, utterances, strict=False)
    ]


def _section_shown(
    section: Section, utts: Sequence[UtteranceLike], language: str, byline: str = ""
) -> list[str]:
    from reader.speech import block_shown

    texts: list[str] = []
    index = 0
    while index < len(utts):
        first = utts[index]
        block = getattr(first, "block", -1)
        if first.kind == "byline" and byline:  # the names as the page writes them
            texts.append(byline)
            index += 1
            continue
        if first.kind != "sentence" or not 0 <= block < len(section.blocks):
            title = first.sentence == 0 and section.title.strip()
            texts.append(title or first.text)  # a title as written; a cue as said
            index += 1
            continue
        end = index + 1
        while end < len(utts) and utts[end].kind == "sentence" and _block(utts[end]) == block:
            end += 1
        spoken = [u.text for u in utts[index:end]]
        texts.extend(block_shown(section.blocks[block], spoken, language))
        index = end
    return texts


def _block(utterance: UtteranceLike) -> int:
    return getattr(utterance, "block", -1)


_WORD = re.compile(r"\S+")


@lru_cache(maxsize=64)
def _alignment(
    spoken: str, shown: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list]:
    said = [(m.start(), m.end()) for m in _WORD.finditer(spoken)]
    seen = [(m.start(), m.end()) for m in _WORD.finditer(shown)]
    matcher = SequenceMatcher(
        None,
        [spoken[a:b].lower() for a, b in said],
        [shown[a:b].lower() for a, b in seen],
        autojunk=False,
    )
    return said, seen, matcher.get_opcodes()


def map_span(spoken: str, shown: str, start: int, end: int) -> tuple[int, int] | None:
    """The span in `shown` of the word at `start`..`end` of `spoken` (words aligned; a respelt
    word maps to the word it stands for). None if there is no such word."""
    if spoken == shown:
        return (start, end)
    said, seen, opcodes = _alignment(spoken, shown)
    word = next((i for i, (a, b) in enumerate(said) if a <= start < b), None)
    if word is None:
        return None
    for tag, i1, i2, j1, j2 in opcodes:
        if i1 <= word < i2:
            if tag == "equal":
                return seen[j1 + word - i1]
            if j2 > j1:
                return seen[j1 + (word - i1) * (j2 - j1) // max(i2 - i1, 1)]
            return None
    return None
