"""An article as utterances: per section, its title and then its sentences, normalised."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from reader.model import Article, Block
from reader.speech.normalise import normalise
from reader.speech.rules import SpeechRules, get_rules
from reader.speech.segment import sentences
from reader.text import strip_controls

MAX_TITLE = 200  # characters; a longer heading is announced by its start, then read in full

UtteranceKind = Literal["title", "sentence"]


@dataclass(frozen=True, slots=True)  # a huge page has 500 000 of them
class Utterance:
    text: str  # normalised for the ear
    section: int  # index into article.sections
    sentence: int  # 0 = the section's title, 1.. its sentences in order
    kind: UtteranceKind
    # Index into the section's blocks, -1 for its title: where element navigation (1-6, l,
    # ctrl+down) finds blocks. Not part of what an utterance is, so not compared.
    block: int = field(default=-1, compare=False)


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
        for number, block in enumerate(section.blocks):
            for text in block_sentences(block, article.language, rules):
                utterances.append(Utterance(text, index, len(utterances), "sentence", number))
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
