"""An article as utterances: per section, its title and then its sentences, normalised, with
the cues of its lists, tables, quotes and code (see `structure`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from reader.bulk import no_cycle_collection
from reader.cues import CueWords, byline_sentence, cue_words
from reader.model import Article, Block
from reader.speech.normalise import normalise, plain_each, plain_speaker
from reader.speech.rules import SpeechRules, get_rules
from reader.speech.segment import sentences
from reader.speech.structure import (
    code_lines,
    cues_wanted,
    item_number,
    row_text,
    says_nothing,
    section_cues,
)
from reader.text import strip_controls

MAX_TITLE = 200  # characters; a longer heading is announced by its start, then read in full

# "byline": who wrote the article when, said once after its title (the first section's).
UtteranceKind = Literal["title", "sentence", "cue", "byline"]


@dataclass(frozen=True, slots=True)  # a huge page has 500 000 of them
class Utterance:
    text: str  # normalised for the ear
    section: int  # index into article.sections
    sentence: int  # 0 = the section's title, 1.. its sentences in order
    kind: UtteranceKind  # "cue": a word on the structure ("List, 5 items."), not the page's
    # Index into the section's blocks, -1 for its title: where element navigation (1-6, l,
    # ctrl+down) finds blocks. Not part of what an utterance is, so not compared.
    block: int = field(default=-1, compare=False)


_PREFIXES = {"question": "Question: ", "answer": "Answer: ", "image": "Image: "}
_OLD_MARKER = re.compile(r"^\s*(?:Q|A|Question|Answer|Image)\s*[:：]\s*", re.IGNORECASE)
_CELL_SEPARATOR = re.compile(r"\s*(?:\t|\s\|\s)\s*")


def block_sentences(
    block: Block,
    language: str = "en",
    rules: SpeechRules | None = None,
    words: CueWords | None = None,
) -> list[str]:
    """The spoken sentences of one block, with its Question/Answer/Image prefix or its number
    in a numbered list; a code block's lines with their symbols named (in `words`' language,
    by default the article's)."""
    if block.kind == "paragraph":
        said = plain_speaker(rules or get_rules())(block.text)  # most blocks of a page
        if said is not None:
            return [said]
    if block.kind == "code":  # read literally, a line at a time, never split at dots
        words = words or cue_words(language)
        lines = (strip_controls(line) for line in code_lines(block.text))
        return [said for said in (words.symbol_words(line) for line in lines) if said]
    if says_nothing(block):
        return []
    text, prefix = _page_text(block)
    spoken = [s for s in (normalise(t, rules) for t in sentences(text, language, rules)) if s]
    if spoken and prefix:
        spoken[0] = prefix + spoken[0]
    return spoken


def block_shown(block: Block, spoken: list[str], language: str = "en") -> list[str]:
    """What the eye sees of the sentences `spoken` of `block`: the page's own words, sentence
    for sentence ("Natalizumab" where the ear gets "Natta lizzoomab"); where the two cannot
    be paired, what is spoken."""
    if block.kind == "code":
        lines = [strip_controls(line) for line in code_lines(block.text)]
        return lines if len(lines) == len(spoken) else spoken
    if says_nothing(block):
        return []
    text, prefix = _page_text(block)
    if block.kind == "table_row" and block.place is None:
        text = block.text  # "Drug | Dose" from a plain text page, as the page writes it
    raw = sentences(text, language)
    if len(raw) != len(spoken):
        return list(spoken)
    if raw and prefix:
        raw[0] = prefix + raw[0]
    return raw


def _page_text(block: Block) -> tuple[str, str]:
    """The text of a block to split into sentences, and what goes before its first one."""
    text = block.text
    if block.kind in _PREFIXES:
        text = _OLD_MARKER.sub("", text)  # never "Question: Question: ..."
        return text, _PREFIXES[block.kind]
    if block.kind == "table_row":
        if block.place is not None:
            return row_text(block), ""
        return _CELL_SEPARATOR.sub(", ", text), ""
    return text, item_number(block)


def article_utterances(article: Article, cues: bool | None = None) -> list[list[Utterance]]:
    """One list per section: its title (sentence 0), then its sentences numbered from 1, with
    the structure cues among them unless `cues` is False (None: as the user's settings say)."""
    if cues is None:
        cues = cues_wanted()
    rules, words = get_rules(), cue_words(article.language)
    with no_cycle_collection():  # a huge page's 500 000 utterances hold no cycles
        return [
            section_speech(article, index, cues, rules, words).utterances(index)
            for index in range(len(article.sections))
        ]


def article_texts(article: Article, cues: bool | None = None) -> list[list[str]]:
    """The texts of `article_utterances`, without making the utterances (`reader text`)."""
    if cues is None:
        cues = cues_wanted()
    rules, words = get_rules(), cue_words(article.language)
    with no_cycle_collection():
        return [
            section_speech(article, index, cues, rules, words).texts
            for index in range(len(article.sections))
        ]


def section_utterances(article: Article, index: int, cues: bool) -> list[Utterance]:
    """The utterances of section `index` (see `article_utterances`)."""
    return section_speech(article, index, cues).utterances(index)


@dataclass
class Said:
    """What a section says, utterance by utterance: the text, kind and block index of each."""

    texts: list[str] = field(default_factory=list)
    kinds: list[UtteranceKind] = field(default_factory=list)
    blocks: list[int] = field(default_factory=list)

    def add(self, text: str, kind: UtteranceKind, block: int) -> None:
        self.texts.append(text)
        self.kinds.append(kind)
        self.blocks.append(block)

    def utterances(self, section: int) -> list[Utterance]:
        """What was said as the utterances of section number `section`."""
        each = zip(self.texts, self.kinds, self.blocks, strict=True)
        return [
            Utterance(text, section, number, kind, block)
            for number, (text, kind, block) in enumerate(each)
        ]


def section_speech(
    article: Article,
    index: int,
    cues: bool,
    rules: SpeechRules | None = None,
    words: CueWords | None = None,
) -> Said:
    """What section `index` says (see `section_utterances`).

    Most blocks of a page are paragraphs of one plain sentence (`plain_each`, asked of all
    at once) without a cue: each run of them is added whole; the blocks between the runs
    are said one by one."""
    rules, words = rules or get_rules(), words or cue_words(article.language)
    section = article.sections[index]
    said = Said()
    for title in _title_utterances(section.title, index, article.language, rules):
        said.add(title.text, title.kind, -1)
    if index == 0:
        line = byline_sentence(article.language, article.byline, article.published)
        byline = normalise(line, rules) if line else ""
        if byline:
            said.add(byline, "byline", -1)
    blocks = section.blocks
    around = section_cues(blocks, words) if cues else {}
    plain = plain_each([b.text if b.kind == "paragraph" else "" for b in blocks], rules)
    stops = sorted({*around, *(number for number, text in enumerate(plain) if text is None)})
    start = 0
    for stop in [*stops, len(blocks)]:
        said.texts.extend(plain[start:stop])  # type: ignore[arg-type]  # (none is None)
        said.kinds.extend(["sentence"] * (stop - start))
        said.blocks.extend(range(start, stop))
        if stop < len(blocks):
            _say_block(
                said, blocks[stop], stop, around.get(stop), plain[stop], article, rules, words
            )
        start = stop + 1
    return said


def _say_block(
    said: Said,
    block: Block,
    number: int,
    cued: tuple[list[str], list[str]] | None,
    plain: str | None,
    article: Article,
    rules: SpeechRules,
    words: CueWords,
) -> None:
    """Block `number` of a section, with the cues before and after it."""
    if cued is not None:
        for text in cued[0]:
            said.add(text, "cue", number)
    if plain is not None:
        said.add(plain, "sentence", number)
    else:
        for text in block_sentences(block, article.language, rules, words):
            said.add(text, "sentence", number)
    if cued is not None:
        for text in cued[1]:
            said.add(text, "cue", number)


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
