"""What the reading controller starts from: how the reader was started, the speech stack it
speaks with, and articles made ready to read (in worker threads: both take a while)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.errors import ReaderError
from reader.model import Article
from reader.reading.display import display_texts
from reader.text import said_addresses

if TYPE_CHECKING:
    from voices.stack import Speech


@dataclass
class Options:
    """How the reader was started (the command line's choices)."""

    source: str | None = None
    audio: str | None = None
    speech_log: str | Path | None = None
    rate: int | None = None
    voice: str | None = None
    autoplay: bool = True
    driver: Any = None  # a synth driver to use instead of the default one (tests)
    # `cat page | reader -`: source is a temporary copy of the pipe, gone when the app ends;
    # its name means nothing to the listener and must not land in recents or positions.
    piped: bool = False


@dataclass
class Loaded:
    """An article made ready to read (in the loading thread: splitting a long article into
    sentences takes a while)."""

    article: Article
    utterances: list[list[Any]]
    shown: list[list[str]]


def build_speech(options: Options, on_fail: Callable[[str], None]) -> tuple[Speech, list[str]]:
    """The speech stack, and what the user must be told about it (no speech, no sound device,
    their speech rules ignored). Never fails: without a synthesiser, reading goes on silently
    on screen. `on_fail(error)` runs (on the queue's thread) if the synthesiser fails later."""
    # Imported here, in the speech thread: the player and the driver load while the first
    # screen comes up.
    from reader.speech import speech_warnings
    from voices.fallback import SilentDriver
    from voices.stack import make_speech

    notices = []
    try:
        speech = make_speech(options.driver, options.audio, on_fail)
    except Exception as err:  # never die for want of speech: read on screen instead
        speech = make_speech(SilentDriver(), "null")
        notices.append(f"Speech is unavailable: {err}")
    notices.append(speech.queue.player.message)  # e.g. no sound device: reading silently
    notices += speech_warnings()  # their speech.toml ignored, or entries skipped
    return speech, [n for n in notices if n]


def prepare(article: Article) -> Loaded:
    from reader.speech import article_utterances  # lazy: pysbd loads only when reading

    utterances = article_utterances(article)
    return Loaded(article, utterances, display_texts(article, utterances))


def load_failure(source: str, err: Exception, piped: bool) -> tuple[str, str]:
    """The one sentence shown when `source` cannot be opened, and the same for the ear (a web
    address said as its page and site, never spelt out). A piped page is "standard input",
    not the name of its temporary copy."""
    error = str(err) if isinstance(err, ReaderError) else f"Could not open {source}: {err}"
    if piped:
        # The path may be shown shortened ("/tmp/…/reader-stdin-x"): its name ends it.
        error = re.sub(r"\S*" + re.escape(Path(source).name), "standard input", error)
        error = error[0].upper() + error[1:]
        return error, error
    return error, getattr(err, "said", "") or said_addresses(error)
