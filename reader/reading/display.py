"""What is shown versus what is said: the page's own words for the eye, where the ear gets
respellings ("Natta lizzoomab" for "Natalizumab"), and the word being said mapped between them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from reader.model import Article
from reader.reading.types import UtteranceLike


def display_texts(
    article: Article, utterances: Sequence[Sequence[UtteranceLike]]
) -> list[list[str]]:
    """For each utterance, the page's own words to show: the spoken text is respelt for the ear
    ("Natta lizzoomab"), but the eye should see "Natalizumab". Where the two cannot be paired
    sentence for sentence, the spoken text is shown."""
    from reader.speech import block_sentences, sentences

    shown: list[list[str]] = []
    for section, utts in zip(article.sections, utterances, strict=False):
        texts = [section.title.strip() or utts[0].text] if utts and utts[0].sentence == 0 else []
        for block in section.blocks:
            spoken = block_sentences(block, article.language)
            raw = sentences(block.text, article.language)
            if len(raw) != len(spoken):
                raw = spoken
            elif raw:
                for prefix in ("Question: ", "Answer: ", "Image: "):
                    if spoken[0].startswith(prefix) and not raw[0].startswith(prefix):
                        raw[0] = prefix + raw[0]
            texts.extend(raw)
        if len(texts) != len(utts):
            texts = [u.text for u in utts]
        shown.append(texts)
    return shown


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
