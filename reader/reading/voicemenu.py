"""The voice choice (ctrl+y), free of Textual: the voices for the article's language, or for the
reader's own words (tab switches), the one in use marked, enter to choose; and, while the natural
voice is not installed, a last row that installs it.

The screen (reader/ui/screens/voices.py) shows a VoiceMenu and says its rows; choosing and
installing go through the functions here, which keep the choice (per language) in the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.reading.voicing import INTERFACE_LANGUAGE, base_language, rate_warning
from reader.text import counted
from voices.base import VoiceInfo
from voices.piper_driver import INSTALL_SIZE
from voices.piper_switch import NATURAL_VOICE

if TYPE_CHECKING:
    from reader.reading.controller import ReadingController

INSTALL = f"Install the natural voice, {NATURAL_VOICE.name}: {INSTALL_SIZE}"


@dataclass
class VoiceMenu:
    """The rows of the voice choice: voices, then perhaps the row that installs one."""

    for_interface: bool
    language: str  # the base language its voices speak ("fr")
    language_name: str  # "French"
    voices: list[VoiceInfo]
    chosen: str | None  # the voice in use for it
    can_install: bool  # the natural voice is not installed, and it speaks this language

    @property
    def count(self) -> int:
        return len(self.voices) + self.can_install

    def is_install(self, index: int) -> bool:
        return self.can_install and index == len(self.voices)

    @property
    def start(self) -> int:
        """The row of the voice in use (the first row when none is)."""
        ids = [v.id for v in self.voices]
        return ids.index(self.chosen) if self.chosen in ids else 0

    def title(self) -> str:
        if self.for_interface:
            return "Voice for the reader's own words"
        return f"Voice for {self.language_name} articles"

    def row(self, index: int) -> str:
        if self.is_install(index):
            return INSTALL
        voice = self.voices[index]
        return f"{voice.name}, in use" if voice.id == self.chosen else voice.name

    def spoken_row(self, index: int) -> str:
        said = f"{self.row(index)}, {index + 1} of {self.count}"
        return f"{said}. Press enter to install it." if self.is_install(index) else said

    def opening(self) -> list[str]:
        other = "the article's voice" if self.for_interface else "the voice of the reader's words"
        return [
            f"{self.title()}, {counted(self.count, 'item')}. {self.spoken_row(self.start)}.",
            f"Up and down to move, enter to choose, tab for {other}, escape to go back.",
        ]


def voice_menu(reading: ReadingController, for_interface: bool) -> VoiceMenu:
    """The voice choice for the open article's language (English with none open), or for the
    reader's own words."""
    voicing = reading.voicing
    if for_interface:
        language, chosen = INTERFACE_LANGUAGE, voicing.interface
    else:
        article = reading.article if reading.session is not None else None
        language = base_language(article.language if article else "") or INTERFACE_LANGUAGE
        chosen = reading.queue.voice if reading.queue is not None else voicing.article
        chosen = chosen or voicing.best_for(language)
    voices = voicing.choices(language)
    missing = all(v.id != NATURAL_VOICE.id for v in voicing.voices)
    installable = callable(getattr(reading.driver, "refresh", None))
    speaks = base_language(NATURAL_VOICE.languages[0]) == language
    # "French", from the name of its best voice ("French (France)").
    name = voicing.name_of(voicing.best_for(language)).split(" (", 1)[0]
    can_install = missing and installable and speaks
    return VoiceMenu(for_interface, language, name, voices, chosen, can_install)


def choose(reading: ReadingController, menu: VoiceMenu, index: int) -> str:
    """Use the voice on row `index`, kept in the settings; returns what to say."""
    voice = menu.voices[index]
    voicing = reading.voicing
    if menu.for_interface:
        voicing.set_interface(voice.id)
        said = f"{voice.name} now says the reader's own words."
    else:
        voicing.set_article(voice.id, menu.language)
        if reading.queue is not None:
            reading.queue.set_voice(voice.id)
        said = f"{voice.name} now reads {menu.language_name} articles."
        rate = reading.queue.rate if reading.queue is not None else 0
        warning = rate_warning(voice, rate)
        said = f"{said} {warning}" if warning else said
    reading.voice_names[voice.id] = voice.name
    reading.save_settings()
    return said


def natural_installed(reading: ReadingController) -> None:
    """The natural voice was just installed: it is listed from now on, a voice like any other."""
    if reading.queue is not None:
        reading.queue.refresh_voices()
        reading.attach_voices()
