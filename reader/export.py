"""Record a whole article to one audio file with a chapter list (one chapter per section).

`export_article(article, "talk.wav")` writes talk.wav and talk.chapters.json; a path ending in
.mp3 is encoded with lameenc instead. Both files are written under temporary names and renamed
at the end, so a failed or interrupted export leaves neither a truncated file nor an audio file
without its chapters. A path that cannot be written is found before any speech is rendered and
raises WriteError (exit code 3, like a source that cannot be read).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar

from reader.errors import NoArticleError, UsageError, WriteError
from reader.model import Article
from reader.speech import Utterance, article_utterances, strip_controls
from voices.base import DEFAULT_RATE, SynthDriver

Progress = Callable[[int, int], Any]
T = TypeVar("T")

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
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name ending in .{kind}.")
    sections = [s for s in article_utterances(article) if s]
    if not sections:
        raise NoArticleError("The article has nothing to read aloud.")
    audio_part = _part(target)
    chapters_file = chapters_path(target)
    chapters_part = _part(chapters_file)
    try:
        file = _create(audio_part, target)  # before eSpeak starts: an unwritable path fails fast
        try:
            chapters = _guard(
                target,
                lambda: _render_with(article, sections, driver, file, kind, rate, voice, progress),
            )
            _guard(target, file.close)  # the last buffered bytes: a full disk shows here
        finally:
            with contextlib.suppress(OSError):
                file.close()
        text = json.dumps(chapters, ensure_ascii=False, indent=2) + "\n"
        _guard(chapters_file, lambda: chapters_part.write_text(text, encoding="utf-8"))
        _guard(target, lambda: os.replace(audio_part, target))
        try:
            _guard(chapters_file, lambda: os.replace(chapters_part, chapters_file))
        except WriteError:
            _remove(target)  # no audio without its chapters
            raise
    finally:
        _remove(audio_part)
        _remove(chapters_part)
    return chapters


def _render_with(
    article: Article,
    sections: list[list[Utterance]],
    driver: SynthDriver | None,
    file: BinaryIO,
    kind: str,
    rate: int | None,
    voice: str | None,
    progress: Progress | None,
) -> list[dict[str, Any]]:
    """Render with the caller's driver (its settings are given back) or a new one (closed)."""
    own_driver = driver is None
    if driver is None:
        from voices.drivers import make_driver

        driver = make_driver()
    saved = (driver.rate, driver.voice)
    try:
        _configure(driver, article.language, rate, voice)
        return _render(article, sections, driver, file, kind, progress)
    finally:
        if own_driver:
            driver.close()
        else:
            driver.rate, driver.voice = saved


def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def _create(part: Path, target: Path) -> BinaryIO:
    """Open the temporary file the audio goes to; WriteError naming `target` if it cannot be."""
    try:
        return open(part, "wb")  # noqa: SIM115 - export_article closes it in `finally`
    except OSError as err:
        raise _write_error(target, err) from err


def _guard(path: Path, action: Callable[[], T]) -> T:
    """`action()`, with an OSError turned into the WriteError sentence about `path`."""
    try:
        return action()
    except OSError as err:
        raise _write_error(path, err) from err


def _write_error(path: Path, err: OSError) -> WriteError:
    reason = err.strerror or str(err)
    if err.errno == errno.ENOENT and path.parent.is_dir():
        reason = "that folder does not take new files"  # /proc, /sys: "No such file" misleads
    return WriteError(f"Could not write {path}: {reason}.")


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # the error being reported matters more than a stray file
        path.unlink(missing_ok=True)


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
    file: BinaryIO,
    kind: str,
    progress: Progress | None,
) -> list[dict[str, Any]]:
    total = sum(len(s) for s in sections)
    done = 0
    chapters: list[dict[str, Any]] = []
    scale = min(1.5, DEFAULT_RATE / max(1, driver.rate))
    sink: _Sink | None = None
    samples = 0
    try:
        for utterances in sections:
            for utterance in utterances:
                audio = driver.synthesize(utterance.text)
                rate = audio.sample_rate
                if sink is None:
                    sink = _open_sink(file, kind, rate)
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
        sink.close()  # the WAV header, the MP3 encoder's last frames
        sink = None
    finally:
        if sink is not None:  # failed midway: close quietly, the file is thrown away
            with contextlib.suppress(OSError, ValueError):
                sink.close()
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
    """Writes into a file it does not own: wave.open(path) would leave a half-made Wave_write
    whose __del__ prints "Exception ignored" noise when the path cannot be opened."""

    def __init__(self, file: BinaryIO, sample_rate: int) -> None:
        self._wav = wave.open(file, "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)

    def write(self, pcm: bytes) -> None:
        self._wav.writeframesraw(pcm)

    def close(self) -> None:
        self._wav.close()  # patches the header with the real length


class _Mp3Sink:
    def __init__(self, file: BinaryIO, sample_rate: int) -> None:
        import lameenc

        self._encoder = lameenc.Encoder()
        self._encoder.set_bit_rate(MP3_BITRATE)
        self._encoder.set_in_sample_rate(sample_rate)
        self._encoder.set_channels(1)
        self._encoder.set_quality(5)  # lame's "good, fast" middle
        self._file = file

    def write(self, pcm: bytes) -> None:
        if pcm:
            self._file.write(self._encoder.encode(pcm))

    def close(self) -> None:
        self._file.write(self._encoder.flush())


def _open_sink(file: BinaryIO, kind: str, sample_rate: int) -> _Sink:
    return _Mp3Sink(file, sample_rate) if kind == "mp3" else _WavSink(file, sample_rate)


def audio_seconds(path: str | os.PathLike[str]) -> float | None:
    """The length of an exported .wav or .mp3 in seconds; None if it cannot be read."""
    import miniaudio

    target = Path(path)
    try:
        if target.suffix.lower() == ".mp3":
            info = miniaudio.mp3_get_file_info(str(target))
            return info.num_frames / info.sample_rate
        with wave.open(str(target), "rb") as wav:
            return wav.getnframes() / wav.getframerate()
    except (OSError, EOFError, wave.Error, ZeroDivisionError, miniaudio.MiniaudioError):
        return None
