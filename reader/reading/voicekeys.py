"""The voice keys' work, for a ReadingController: y / Y step through the voices that speak
the article's language (kept for that language), and each article opened is read in the voice
kept for its language (the first time a language is read, the voice picked is said). Which
voice says what, and the lists, are `Voicing`'s (voicing.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.reading.voicing import rate_warning
from reader.text import clean
from voices.base import VoiceInfo
from voices.drivers import default_voice_id

if TYPE_CHECKING:
    from reader.reading.controller import ReadingController


class VoiceKeys:
    def __init__(self, reading: ReadingController) -> None:
        self.reading = reading

    def current_id(self, voices: list[VoiceInfo]) -> str | None:
        """The id of the voice speaking; None set means eSpeak's default ("en", listed "gmw/en")."""
        queue = self.reading.queue
        if queue is not None and queue.voice:
            return queue.voice
        return default_voice_id(voices)

    def match(self, language: str) -> None:
        """Read an article in the voice for its language (remembered per language); the first
        time a language is read, the voice picked for it is said before reading."""
        reading = self.reading
        session, queue, voicing = reading.session, reading.queue, reading.voicing
        if session is not None:
            titles = [session.spoken_title(i) for i in range(session.section_count)]
            voicing.begin_article([session.article.title, *titles])
        if queue is None or reading.options.voice:
            return
        voice, notice = voicing.for_article(language)
        if voice is not None:
            if voice != queue.voice:
                queue.set_voice(voice)
            voicing.article = voice
        if notice:
            reading.notices.append(notice)
            reading.save_settings()

    def cycle(self, step: int) -> None:
        """The next voice that speaks the article's language (all voices if none does), kept
        for that language; with no article open, the next voice for the reader's own words.
        Said in the interface voice: "Voice English (America), 8 of 9"."""
        reading, queue = self.reading, self.reading.queue
        if queue is None:
            return
        article = reading.article if reading.session is not None else None
        language = article.language if article is not None else None
        try:
            voice, said = reading.voicing.cycle(language, queue.voice, step, queue.rate)
        except LookupError as err:
            reading.announce(str(err), "voice")
            return
        except Exception as err:  # the synthesiser cannot list them: say so, keep the voice
            reading.announce(clean(f"The voices cannot be listed: {err}"), "voice")
            return
        if language is not None:
            queue.set_voice(voice.id)
            warning = rate_warning(voice, queue.rate)
            said = f"{said}. {warning}" if warning else said
        reading.voice_names[voice.id] = voice.name
        reading.save_settings()
        reading.announce(said, "voice")
