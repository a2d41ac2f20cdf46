"""Record a whole article to one audio file with a chapter list (one chapter per section).

`export_article(article, "talk.wav")` writes talk.wav and talk.chapters.json; a path ending in
.mp3 is encoded with lameenc instead. Files are written under a temporary name and renamed at
the end, so an interrupted export never leaves a truncated file behind under the real name.
"""

from __future__ import annotations

import json
import os
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from reader.errors import NoArticleError, ReaderError, UsageError
from reader.model import Article
from reader.speech import Utterance, article_utterances, strip_controls
from voices.base import DEFAULT_RATE, SynthDriver

Progress = Callable[[int, int], Any]

# Pauses added after eSpeak's own end-of-sentence pause, in seconds at the default rate; they
# shrink as the rate rises, because a listener at 500 words per minute wants less waiting too.
PAUSE_AFTER_SENTENCE = 0.15
PAUSE_AFTER_TITLE = 0.35
PAUSE_BEFORE_SECTION = 0.9
MP3_BITRATE = 64  # kbit/s: plenty for 22 kHz mono speech


class _Sink(Protocol):
    def write(self, pcm: bytes) -> None: ...

    def close(self) -> None: ...


def chapters_path(path: str | os.PathLike[str]) -> Path:
    """talk.wav -> talk.chapters.json"""
    return Path(path).with_suffix(".chapters.json")


def export_article(
    article: Article,
    path: str | os.PathLike[str],
    rate: int | None = None,
    voice: str | None = None,
    progress: Progress | None = None,
    driver: SynthDriver | None = None,
) -> list[dict[str, Any]]:
    """Render every section (title, then its sentences) to `path` and write the chapter list
    next to it. Returns the chapters: [{"title", "start" (seconds), "section", "level"}].
    `progress(done, total)` is called after each utterance. `driver` lets a caller reuse a
    running synth driver; otherwise one is started and closed here."""
    target = Path(path)
    kind = _kind(target)
    sections = [s for s in article_utterances(article) if s]
    if not sections:
        raise NoArticleError("The article has nothing to read aloud.")
    own_driver = driver is None
    if driver is None:
        from voices.drivers import make_driver

        driver = make_driver()
    saved = (driver.rate, driver.voice)
    try:
        _configure(driver, article.language, rate, voice)
        chapters = _render(article, sections, driver, target, kind, progress)
    finally:
        if own_driver:
            driver.close()
        else:
            driver.rate, driver.voice = saved
    _write_atomic(chapters_path(target), json.dumps(chapters, ensure_ascii=False, indent=2) + "\n")
    return chapters


def _kind(target: Path) -> str:
    suffix = target.suffix.lower()
    if suffix not in (".wav", ".mp3"):
        raise UsageError(f"Export writes .wav or .mp3 files; {target.name} ends otherwise.")
    return suffix[1:]


def _configure(driver: SynthDriver, language: str, rate: int | None, voice: str | None) -> None:
    if rate is not None:
        driver.rate = rate
    if voice:
        driver.voice = voice  # an unknown voice raises SpeechError with the sentence to show
        return
    from voices.drivers import pick_voice

    chosen = pick_voice(driver.voices(), language)
    if chosen:
        driver.voice = chosen


def _render(
    article: Article,
    sections: list[list[Utterance]],
    driver: SynthDriver,
    target: Path,
    kind: str,
    progress: Progress | None,
) -> list[dict[str, Any]]:
    total = sum(len(s) for s in sections)
    done = 0
    chapters: list[dict[str, Any]] = []
    scale = min(1.5, DEFAULT_RATE / max(1, driver.rate))
    partial = target.with_name(target.name + ".part")
    sink: _Sink | None = None
    samples = 0
    try:
        for utterances in sections:
            for utterance in utterances:
                audio = driver.synthesize(utterance.text)
                rate = audio.sample_rate
                if sink is None:
                    sink = _open_sink(partial, kind, rate)
                if utterance.kind == "title":
                    if chapters:
                        samples += _silence(sink, rate, PAUSE_BEFORE_SECTION * scale)
                    chapters.append(_chapter(article, utterance, samples / rate))
                sink.write(audio.pcm)
                samples += len(audio.pcm) // 2
                pause = PAUSE_AFTER_TITLE if utterance.kind == "title" else PAUSE_AFTER_SENTENCE
                samples += _silence(sink, rate, pause * scale)
                done += 1
                if progress:
                    progress(done, total)
        assert sink is not None
        sink.close()
        sink = None
        os.replace(partial, target)
    except OSError as err:
        raise ReaderError(f"Could not write {target}: {err.strerror or err}.") from err
    finally:
        if sink is not None:
            sink.close()
        if partial.exists():
            partial.unlink()
    return chapters


def _chapter(article: Article, utterance: Utterance, start: float) -> dict[str, Any]:
    section = article.sections[utterance.section]
    return {
        "title": _plain(section.title) or utterance.text,
        "start": round(start, 3),
        "section": utterance.section,
        "level": section.level,
    }


def _plain(text: str) -> str:
    """Chapter titles come from the page: no terminal escapes or control characters in the JSON."""
    return " ".join(strip_controls(text).split())


def _silence(sink: _Sink, sample_rate: int, seconds: float) -> int:
    count = int(sample_rate * seconds)
    sink.write(b"\0\0" * count)
    return count


class _WavSink:
    def __init__(self, path: Path, sample_rate: int) -> None:
        self._wav = wave.open(str(path), "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)

    def write(self, pcm: bytes) -> None:
        self._wav.writeframesraw(pcm)

    def close(self) -> None:
        self._wav.close()  # patches the header with the real length


class _Mp3Sink:
    def __init__(self, path: Path, sample_rate: int) -> None:
        import lameenc

        self._encoder = lameenc.Encoder()
        self._encoder.set_bit_rate(MP3_BITRATE)
        self._encoder.set_in_sample_rate(sample_rate)
        self._encoder.set_channels(1)
        self._encoder.set_quality(5)  # lame's "good, fast" middle
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()

    def write(self, pcm: bytes) -> None:
        if pcm:
            self._file.write(self._encoder.encode(pcm))

    def close(self) -> None:
        if not self._file.closed:
            self._file.write(self._encoder.flush())
            self._file.close()


def _open_sink(path: Path, kind: str, sample_rate: int) -> _Sink:
    return _Mp3Sink(path, sample_rate) if kind == "mp3" else _WavSink(path, sample_rate)


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as err:
        raise ReaderError(f"Could not write {path}: {err.strerror or err}.") from err
