"""Which voice says what: the reader's own words in the interface voice, the article in the voice
chosen for its language, remembered per language (after NVDA, whose interface speech is in the
user's language whatever the document's).

Decided in one place, `Voicing.runs`, which the speech queue asks for every item it is given:
- an article sentence is said in the article's voice (the queue's own voice), except a cue the
  reader puts before it ("Question: ", "Image: "), which is the reader's own words;
- everything else (announcements, help, the items of the reader's lists) is said in the
  interface voice, except the article's own titles quoted in it ("Section 2 of 10: Les
  traitements"), which keep the article's voice.

The interface language is English: every word the reader says of itself is English. The voice
for an article's language is the one chosen for it with `y` (kept in settings.toml's [voices]
table), else the interface voice when it speaks that language, else the best voice for it,
which is then said once ("Voice French (France), for this article's language.") and kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.reading.types import ReadingTag
from reader.settings import Settings
from voices.base import SpeechItem, VoiceInfo
from voices.drivers import KeptVoices, default_voice_id, next_voice, pick_voice, voices_for

INTERFACE_LANGUAGE = "en"
# What reader/speech/utterances.py puts before a question, an answer or an image's description.
INTERFACE_CUES = ("Question: ", "Answer: ", "Image: ")
MAX_TITLE = 200  # longer headings are announced by their first words, never quoted whole
MAX_TITLES = 2000


def base_language(tag: str | None) -> str:
    """ "fr" for "fr-FR", "fr_BE" or "FR"; "" for nothing."""
    return (tag or "").strip().lower().replace("_", "-").split("-", 1)[0]


def rate_warning(voice: VoiceInfo | None, rate: int) -> str:
    """Said when `rate` is beyond what `voice` says clearly: never a silent switch, an offer."""
    if voice is None or rate <= voice.clear_up_to:
        return ""
    return (
        f"{voice.name} is hard to follow above {voice.clear_up_to} words a minute. "
        "Press y to read with eSpeak, which stays clear."
    )


class Voicing:
    """The interface voice, the article voice per language, and which speaks each item."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.voices: list[VoiceInfo] = []
        self.interface: str | None = None  # the interface voice in force
        self.article: str | None = None  # the article voice in force (the queue's voice)
        self._languages: dict[str, str] = {}  # voice id -> base language
        self._default: str | None = None  # the id of the synthesiser's default voice
        self._titles: re.Pattern[str] | None = None

    # ------------------------------------------------------------ the voices there are

    def attach(self, voices: Sequence[VoiceInfo], article: str | None) -> None:
        """The synthesiser's voices are known (again: one was installed): settle the interface
        voice, and take a voice saved by an older version as its language's article voice."""
        self.voices = list(voices)
        self._languages = {v.id: base_language(v.languages[0]) for v in voices if v.languages}
        self._default = default_voice_id(self.voices)
        self.article = article or self._default
        legacy = self.settings.voice
        language = self._languages.get(legacy or "")
        if legacy and language and language not in self.settings.voices:
            self.settings.voices[language] = legacy
        wanted = self.settings.interface_voice
        if wanted in self._languages:
            self.interface = wanted
        else:
            self.interface = self.best_for(INTERFACE_LANGUAGE)

    def best_for(self, language: str) -> str | None:
        """eSpeak's own default voice when it speaks `language`, else the best match."""
        default = self._default
        if default is not None and self._languages.get(default) == base_language(language):
            return default
        return pick_voice(self.voices, language)

    def language_of(self, voice: str | None) -> str | None:
        """The base language of a voice (None: the synthesiser's default voice)."""
        return self._languages.get(voice or self._default or "")

    def name_of(self, voice: str | None) -> str:
        found = next((v.name for v in self.voices if v.id == voice), None)
        return found or voice or "the default voice"

    # ------------------------------------------------------------ choosing

    def for_article(self, language: str) -> tuple[str | None, str]:
        """The article voice for `language`, and what to say about it ("" mostly: only a
        language's first article, read by a voice nobody chose, is announced)."""
        base = base_language(language) or INTERFACE_LANGUAGE
        kept = KeptVoices(self.settings.voices, (self.interface,)).kept_for(self.voices, base)
        if kept is not None:
            return kept, ""
        picked = pick_voice(self.voices, base)
        if picked is None:  # no voice speaks it: keep the voice there is
            return self.article, ""
        self.settings.voices[base] = picked
        return picked, f"Voice {self.name_of(picked)}, for this article's language."

    def cycle(
        self, language: str | None, current: str | None, step: int, rate: int
    ) -> tuple[VoiceInfo, str]:
        """`y`/`Y`: the next voice for the article's `language`, kept for that language; with
        no article, the next interface voice. From a voice that is hard to follow at `rate`,
        `y` takes up the offer `rate_warning` made: the clear voice for the language. Returns
        the voice and what to say. LookupError: there are no voices."""
        speaking = current or default_voice_id(self.voices)
        if language is None:
            chosen = next_voice(self.voices, INTERFACE_LANGUAGE, self.interface, step)
        else:
            chosen = next_voice(self.voices, language, speaking, step)
            unclear = self.info(speaking)
            if chosen is not None and unclear is not None and rate > unclear.clear_up_to:
                chosen = self._clear_voice(language, rate) or chosen
        if chosen is None:
            raise LookupError("There are no voices to choose from.")
        voice, index, count = chosen
        # The name says the language ("English (America)"); codes are noise to the ear.
        if language is None:
            self.set_interface(voice.id)
            return voice, f"Interface voice {voice.name}, {index + 1} of {count}"
        self.set_article(voice.id, language)
        return voice, f"Voice {voice.name}, {index + 1} of {count}"

    def _clear_voice(self, language: str, rate: int) -> tuple[VoiceInfo, int, int] | None:
        choices = self.choices(language)
        best = self.best_for(language)
        clear = [v for v in choices if v.clear_up_to >= rate]
        found = next((v for v in clear if v.id == best), clear[0] if clear else None)
        return None if found is None else (found, choices.index(found), len(choices))

    def info(self, voice: str | None) -> VoiceInfo | None:
        """The voice's VoiceInfo (None: the synthesiser's default voice)."""
        voice = voice or default_voice_id(self.voices)
        return next((v for v in self.voices if v.id == voice), None)

    def set_article(self, voice: str, language: str) -> None:
        """`voice` reads articles in `language` from now on (and is the voice last chosen)."""
        self.article = voice
        self.settings.voice = voice
        self.settings.voices[base_language(language) or INTERFACE_LANGUAGE] = voice

    def set_interface(self, voice: str) -> None:
        self.interface = voice
        self.settings.interface_voice = voice

    def choices(self, language: str) -> list[VoiceInfo]:
        """The voices that speak `language` (all of them if none does)."""
        return voices_for(self.voices, language) or list(self.voices)

    # ------------------------------------------------------------ who says what

    def begin_article(self, titles: Sequence[str]) -> None:
        """The open article's titles: said in the article's voice wherever the reader quotes
        them (section labels, the section list, where am I)."""
        quoted = sorted({t.strip() for t in titles if 0 < len(t.strip()) <= MAX_TITLE}, key=len)
        quoted = quoted[::-1][:MAX_TITLES]  # the longest first: a title inside another
        if not quoted:
            self._titles = None
            return
        alternatives = "|".join(re.escape(t) for t in quoted)
        self._titles = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def runs(self, item: SpeechItem) -> list[tuple[int, str | None]]:
        """The voice runs of `item` for the speech queue: (offset, voice), None being the
        queue's voice, which is the article's."""
        interface, text = self.interface, item.text
        if interface is None or interface == self.article:
            return [(0, None)]  # one voice says it all
        if isinstance(item.tag, ReadingTag):
            cue = next((c for c in INTERFACE_CUES if text.startswith(c)), "")
            return [(0, interface), (len(cue), None)] if cue else [(0, None)]
        runs: list[tuple[int, str | None]] = [(0, interface)]
        if self._titles is not None:
            for found in self._titles.finditer(text):
                runs += [(found.start(), None), (found.end(), interface)]
        return runs
