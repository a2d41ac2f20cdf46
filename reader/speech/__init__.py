"""Speech text: blocks split into sentences and normalised for the ear.

rules       the speech rules from `reader/data/speech.toml` and the user's own file
links       links and e-mail addresses said by their host
normalise   one sentence made right for the ear
segment     text split into sentences short enough to start speaking at once
utterances  an article as utterances: each section's title, then its sentences
structure   the cues of lists, tables, quotes and code; table rows as header: value pairs
"""

from reader.speech.normalise import normalise
from reader.speech.rules import SpeechRules, get_rules, load_rules, speech_warnings
from reader.speech.segment import MAX_SENTENCE, sentences
from reader.speech.utterances import (
    MAX_TITLE,
    Utterance,
    article_texts,
    article_utterances,
    block_sentences,
    block_shown,
    section_utterances,
    short_title,
)

__all__ = [
    "MAX_SENTENCE",
    "MAX_TITLE",
    "SpeechRules",
    "Utterance",
    "article_texts",
    "article_utterances",
    "block_sentences",
    "block_shown",
    "get_rules",
    "load_rules",
    "normalise",
    "section_utterances",
    "sentences",
    "short_title",
    "speech_warnings",
]
