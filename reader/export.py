"""Record a whole article to one audio file with a chapter list (one chapter per section).

`export_article(article, "talk.wav")` writes talk.wav and talk.wav.chapters.json (so talk.mp3
made from the same article gets talk.mp3.chapters.json, never the same file); a path ending in
.mp3 is encoded with lameenc and carries ID3 tags (title, artist, album) and ID3 chapter frames
(CTOC + one CHAP per section), so podcast players list the sections.

Both files are written under new temporary names beside the target (talk.wav.<random>.part),
created exclusively — an existing file or a planted symlink there is never opened — and renamed
over the target at the end, so a failed or interrupted export leaves neither a truncated file,
nor an audio file without its chapters, nor a stray temporary file. A path that cannot be
written is found before any speech is rendered and raises WriteError (exit code 3, like a
source that cannot be read).

One call per article and no shared state: a feed export can call `export_article` once per
item, in worker processes, with `tags` naming the feed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import wave
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar
from urllib.parse import urlsplit

from reader.errors import NoArticleError, UsageError, WriteError
from reader.model import Article
from reader.speech import Utterance, article_utterances
from reader.text import strip_controls
from voices.base import DEFAULT_RATE, SynthDriver
from voices.drivers import NOTHING_KEPT, KeptVoices

Progress = Callable[[int, int], Any]
T = TypeVar("T")

# Pauses added after eSpeak's own end-of-sentence pause, in seconds at the default rate; they
# shrink as the rate rises, because a listener at 500 words per minute wants less waiting too.
PAUSE_AFTER_SENTENCE = 0.15
PAUSE_AFTER_TITLE = 0.35
PAUSE_BEFORE_SECTION = 0.9
MP3_BITRATE = 64  # kbit/s: plenty for 22 kHz mono speech
ALBUM = "reader"
NO_OFFSET = 0xFFFFFFFF  # ID3 CHAP: "byte offset not given"


class _Sink(Protocol):
    def write(self, pcm: bytes) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Tags:
    """What an MP3 says about itself in a player's list."""

    title: str
    artist: str
    album: str


def article_tags(article: Article, site: str | None = None, author: str | None = None) -> Tags:
    """Title = the article's title; artist = the author, else the site, else the source's
    host; album = the site, else "reader". `site`/`author` come from the caller (a feed knows
    its name) because the article itself does not carry them."""
    site, author = _plain(site or ""), _plain(author or "")
    title = _plain(article.title) or next(
        (t for t in (_plain(s.title) for s in article.sections) if t), "Untitled article"
    )
    return Tags(
        title=title,
        artist=author or site or _host(article.source) or ALBUM,
        album=site or ALBUM,
    )


def _host(source: str) -> str:
    try:
        host = urlsplit(source).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def chapters_path(path: str | os.PathLike[str]) -> Path:
    """talk.wav -> talk.wav.chapters.json: one per output, so talk.wav and talk.mp3 each
    keep their own (their timings differ with the rate and voice they were made with)."""
    target = Path(path)
    return target.with_name(target.name + ".chapters.json")


def export_article(
    article: Article,
    path: str | os.PathLike[str],
    *,  # the choices by name only: eight of them in a row are too easy to pass in the wrong place
    rate: int | None = None,
    voice: str | None = None,
    kept: KeptVoices = NOTHING_KEPT,
    progress: Progress | None = None,
    driver: SynthDriver | None = None,
    tags: Tags | None = None,
) -> list[dict[str, Any]]:
    """Render every section (title, then its sentences) to `path` and write the chapter list
    beside it (`chapters_path`). Returns the chapters: [{"title", "start", "end" (seconds),
    "section", "level"}]. `progress(done, total)` is called after each utterance. `driver` lets
    a caller reuse a running synth driver; otherwise one is started and closed here. `tags` go
    into an MP3 (default: `article_tags(article)`); a WAV has none. With no `voice`, the voice
    the user keeps for the article's language (`kept`) reads it, else the best one for it."""
    target = Path(path)
    kind = _kind(target)
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name ending in .{kind}.")
    sections = [s for s in article_utterances(article) if s]
    if not sections:
        raise NoArticleError("The article has nothing to read aloud.")
    chapters_file = chapters_path(target)
    # Made before eSpeak starts, so an unwritable path fails fast.
    with _Part(target) as audio, _Part(chapters_file) as listing:
        chapters = _guard(
            target,
            lambda: _render_with(
                article, sections, driver, audio.file, kind, (rate, voice, kept), progress
            ),
        )
        if kind == "mp3":
            mp3_tags = tags if tags is not None else article_tags(article)
            _guard(target, lambda: write_mp3_tags(audio.file, mp3_tags, chapters))
        text = json.dumps(chapters, ensure_ascii=False, indent=2) + "\n"
        _guard(chapters_file, lambda: listing.file.write(text.encode("utf-8")))
        _guard(target, audio.move_into_place)  # the last buffered bytes: a full disk shows here
        try:
            _guard(chapters_file, listing.move_into_place)
        except WriteError:
            _remove(target)  # no audio without its chapters
            raise
    return chapters


def write_mp3_tags(
    file: BinaryIO | str | os.PathLike[str], tags: Tags, chapters: Sequence[Mapping[str, Any]]
) -> None:
    """Replace the ID3 tag of an MP3 (a path, or a file open for reading and writing) with
    title/artist/album and a table of contents: CTOC listing one CHAP per chapter, each with
    its title and start/end in milliseconds. ID3v2.3, which more players read than v2.4."""
    from mutagen import MutagenError
    from mutagen.id3 import CHAP, CTOC, ID3, TALB, TIT2, TPE1, CTOCFlags, Encoding

    def text(frame: type, value: str) -> Any:
        return frame(encoding=Encoding.UTF8, text=[value])  # saved as UTF-16 in v2.3

    ids = [f"chp{index}" for index in range(len(chapters))]
    id3 = ID3()
    id3.add(text(TIT2, tags.title))
    id3.add(text(TPE1, tags.artist))
    id3.add(text(TALB, tags.album))
    id3.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[text(TIT2, "Sections")],
        )
    )
    for element_id, chapter in zip(ids, chapters, strict=True):
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=_ms(chapter["start"]),
                end_time=_ms(chapter["end"]),
                start_offset=NO_OFFSET,  # times, not byte offsets, locate the chapter
                end_offset=NO_OFFSET,
                sub_frames=[text(TIT2, chapter["title"])],
            )
        )
    try:
        id3.save(file, v1=0, v2_version=3)
    except MutagenError as err:  # mutagen wraps the OSError (a full disk) in its own error
        cause = err.args[0] if err.args and isinstance(err.args[0], OSError) else None
        raise cause or OSError(errno.EIO, str(err)) from err


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _render_with(
    article: Article,
    sections: list[list[Utterance]],
    driver: SynthDriver | None,
    file: BinaryIO,
    kind: str,
    sound: tuple[int | None, str | None, KeptVoices],
    progress: Progress | None,
) -> list[dict[str, Any]]:
    """Render with the caller's driver (its settings are given back) or a new one (closed),
    at `sound`'s rate, in its voice (None: the kept one for the article's language)."""
    own_driver = driver is None
    if driver is None:
        from voices.drivers import make_driver

        driver = make_driver()
    saved = (driver.rate, driver.voice)
    try:
        _configure(driver, article.language, *sound)
        return _render(article, sections, driver, file, kind, progress)
    finally:
        if own_driver:
            driver.close()
        else:
            driver.rate, driver.voice = saved


def write_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` whole or not at all, never through a planted file or link."""
    target = Path(path)
    with _Part(target) as part:
        _guard(target, lambda: part.file.write(data))
        _guard(target, part.move_into_place)


class _Part:
    """A new file beside `target` that becomes `target` by `move_into_place()`, or is
    removed when the `with` block ends any other way (an error, Ctrl+C).

    It is created with O_CREAT|O_EXCL|O_NOFOLLOW under a random name, so a file or symlink
    someone planted beside the target is never opened or written through, and a stale part
    left by a killed export never blocks the next one. Unlike mkstemp it keeps the usual
    permissions (0666 less the umask) that the finished file should have."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path, self.file = _create_exclusive(target)
        self._moved = False

    def __enter__(self) -> _Part:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.file.close()
        if not self._moved:
            _remove(self.path)

    def move_into_place(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())  # "Saved" must still be true after a power cut
        self.file.close()
        # rename() replaces a symlink at `target` itself; it never writes where one points.
        os.replace(self.path, self.target)
        self._moved = True


_TRIES = 100  # random names that already exist before giving up: only an attacker gets far


def _create_exclusive(target: Path) -> tuple[Path, BinaryIO]:
    """Open a new, empty file for reading and writing (mutagen tags it in place); WriteError
    naming `target` if it cannot be made."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    err: OSError = FileExistsError(errno.EEXIST, "too many files with the temporary names")
    for _ in range(_TRIES):
        part = target.with_name(f"{target.name}.{secrets.token_hex(4)}.part")
        try:
            fd = os.open(part, flags, 0o666)
        except FileExistsError as exists:
            err = exists
            continue
        except OSError as failed:
            raise _write_error(target, failed) from failed
        return part, os.fdopen(fd, "r+b")
    raise _write_error(target, err)


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


def _configure(
    driver: SynthDriver, language: str, rate: int | None, voice: str | None, kept: KeptVoices
) -> None:
    if rate is not None:
        driver.rate = rate
    if voice:
        driver.voice = voice  # an unknown voice raises SpeechError with the sentence to show
        return
    chosen = kept.for_language(driver.voices(), language)  # as the reader itself would read it
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
    _set_ends(chapters, samples / rate)
    return chapters


def _set_ends(chapters: list[dict[str, Any]], length: float) -> None:
    """Each chapter ends where the next starts (its pause before belongs to the one before);
    the last one at the end of the recording."""
    for chapter, following in zip(chapters, chapters[1:], strict=False):
        chapter["end"] = following["start"]
    if chapters:
        chapters[-1]["end"] = round(length, 3)


def _chapter(article: Article, utterance: Utterance, start: float) -> dict[str, Any]:
    section = article.sections[utterance.section]
    return {
        "title": _plain(section.title) or utterance.text,
        "start": round(start, 3),
        "end": None,  # known when the next chapter starts
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
