"""Choosing a synth driver and a voice for an article's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from voices._worker import DEFAULT_VOICE
from voices.base import SynthDriver, VoiceInfo
from voices.errors import SpeechError

DRIVERS = ("voices", "pyttsx3", "piper")
ALIASES = {"espeak": "pyttsx3", "natural": "piper"}


def make_driver(name: str = "voices") -> SynthDriver:
    """A ready-to-use synth driver; its worker starts in the background at once.

    "voices" (the reader's): eSpeak's voices plus the natural one when installed, switched by
    the voice chosen. "pyttsx3"/"espeak" and "piper"/"natural": one engine alone."""
    name = ALIASES.get(name, name)
    if name == "voices":
        from voices.piper_switch import VoiceSwitch
        from voices.pyttsx3_driver import Pyttsx3Driver

        return VoiceSwitch(Pyttsx3Driver())
    if name == "pyttsx3":
        from voices.pyttsx3_driver import Pyttsx3Driver

        return Pyttsx3Driver()
    if name == "piper":
        from voices.piper_driver import PiperDriver, is_installed

        if not is_installed():
            raise SpeechError(
                "The natural voice is not installed; run 'reader voices --install natural'."
            )
        return PiperDriver()
    raise SpeechError(
        f"There is no speech driver called {name!r}; use one of: {', '.join(DRIVERS)}."
    )


def pick_voice(voices: Sequence[VoiceInfo], language: str | None) -> str | None:
    """The id of the voice that best matches a BCP 47-ish language ("en", "en-GB", "pt_BR"), or
    None when no voice speaks it (the caller then keeps the default voice).

    Preference: a voice listing the exact tag; a voice whose id names the tag ("gmw/en" for
    "en"); one listing the base language; then the shortest tag of that base ("en-gb" before
    "en-gb-scotland"), so regional and novelty variants come last."""
    tag = (language or "").strip().lower().replace("_", "-")
    if not tag:
        return None
    base = tag.split("-", 1)[0]

    def langs(v: VoiceInfo) -> list[str]:
        return [lang.lower().replace("_", "-") for lang in v.languages]

    def short_name(v: VoiceInfo) -> str:
        return v.id.lower().rsplit("/", 1)[-1]

    tests: list[Callable[[VoiceInfo], bool]] = [
        lambda v: tag in langs(v),
        lambda v: short_name(v) == tag,
        lambda v: short_name(v) == base or base in langs(v),
    ]
    for test in tests:
        found = [v for v in voices if test(v)]
        if found:
            return found[0].id
    regional = [
        (len(lang), v.id) for v in voices for lang in langs(v) if lang.startswith(base + "-")
    ]
    return min(regional)[1] if regional else None


def voices_for(voices: Sequence[VoiceInfo], language: str) -> list[VoiceInfo]:
    """The voices that speak `language`'s base language ("en" for "en-GB")."""
    base = _base(language)
    return [v for v in voices if any(_base(lang) == base for lang in v.languages)]


def speaks(voice: VoiceInfo, language: str) -> bool:
    """True when `voice`'s first language has `language`'s base ("fr" for "fr-BE")."""
    first = voice.languages[0] if voice.languages else ""
    return bool(first) and _base(first) == _base(language)


def _base(tag: str | None) -> str:
    return (tag or "").lower().replace("_", "-").split("-")[0]


@dataclass(frozen=True)
class KeptVoices:
    """The voices a user keeps: one chosen per language (settings.toml's [voices] table), and
    voices chosen for no language in particular (the interface voice; the single voice an older
    version saved), each of which serves its own language when no voice was chosen for it."""

    by_language: Mapping[str, str] = field(default_factory=dict)
    others: tuple[str | None, ...] = ()

    def kept_for(self, voices: Sequence[VoiceInfo], language: str) -> str | None:
        """The kept voice for `language` among `voices`, or None when none is kept for it."""
        known = {v.id: v for v in voices}
        chosen = self.by_language.get(_base(language))
        if chosen in known:
            return chosen
        return next((v for v in self.others if v in known and speaks(known[v], language)), None)

    def for_language(self, voices: Sequence[VoiceInfo], language: str) -> str | None:
        """The kept voice for `language`, else the best voice for it (None: none speaks it)."""
        return self.kept_for(voices, language) or pick_voice(voices, language)


NOTHING_KEPT = KeptVoices()


def default_voice_id(voices: Sequence[VoiceInfo]) -> str | None:
    """The id under which `voices` lists the voice eSpeak speaks when none is set: pyttsx3's
    eSpeak starts on "en", which its list names "gmw/en"."""
    return next((v.id for v in voices if is_default_voice(v.id)), None)


def is_default_voice(voice_id: str) -> bool:
    """True for the voice eSpeak speaks when none is set, under any of its names."""
    return voice_id.rsplit("/", 1)[-1] == DEFAULT_VOICE


def next_voice(
    voices: Sequence[VoiceInfo], language: str, current: str | None, step: int
) -> tuple[VoiceInfo, int, int] | None:
    """The voice `step` (+1, -1) after `current` among those that speak `language` (all of
    them if none does), with its place and their count; None when there are no voices."""
    choices = voices_for(voices, language) or list(voices)
    if not choices:
        return None
    ids = [v.id for v in choices]
    here = ids.index(current) if current in ids else -1
    if here == -1 and step < 0:
        here = 0
    index = (here + step) % len(choices)
    return choices[index], index, len(choices)
