"""`reader export SOURCE -o FILE` records an article (WAV or MP3, with chapters), or a feed's
items into a folder as a podcast; `reader voices` lists the voices and installs the natural one.

Both sound like the reader the user has set up: --rate and --voice, else the saved settings.
The exporters and voice drivers are imported inside the commands, which alone need them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reader.cli.output import emit, load_quietly, one_line, stdout_to_stderr, tell
from reader.errors import NoFeedError, SpeechError, UsageError
from reader.source import resolve_source
from reader.text import counted

if TYPE_CHECKING:
    from voices.drivers import KeptVoices


def cmd_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in (".wav", ".mp3"):
        return _export_feed(args, output)
    if output.is_dir():
        raise UsageError(f"{output} is a folder; give a file name ending in .wav.")
    if not output.parent.is_dir():
        raise UsageError(f"The folder {output.parent} does not exist.")
    article = load_quietly(args.source)
    from reader.export import export_article

    rate, voice, kept = _saved_voice_settings(args.rate, args.voice)
    with _ProgressBar(sys.stderr) as bar, stdout_to_stderr():
        chapters = export_article(
            article, output, rate=rate, voice=voice, progress=bar.update, kept=kept
        )
    count = len(chapters)
    length = _wav_length(output)
    emit(f"Saved {output}: {counted(count, 'chapter')}{length}.")
    return 0


def _export_feed(args: argparse.Namespace, folder: Path) -> int:
    """`reader export FEED -o DIR`: the site's audio edition (see reader.podcast)."""
    from reader.feeds import load_feed
    from reader.podcast import export_feed

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; give a folder, or a name ending in .wav or .mp3.")
    try:
        feed = load_feed(resolve_source(args.source))
    except NoFeedError:  # an article to a folder, or a misspelt file name
        if folder.is_dir():
            shown = f"{folder} is a folder; give a file name ending in .wav or .mp3."
            raise UsageError(shown) from None
        raise UsageError(
            f"Export writes .wav or .mp3 files; {folder.name} ends otherwise "
            "(a folder is only for a feed's audio edition)."
        ) from None
    assert feed is not None
    rate, voice, kept = _saved_voice_settings(args.rate, args.voice)
    with _ItemBars(sys.stderr) as bars:  # eSpeak runs in the pool's processes, not here
        outcomes = export_feed(
            feed,
            folder,
            jobs=args.jobs,
            since=args.since,
            rate=rate,
            voice=voice,
            kept=kept,
            base_url=args.base_url,
            report=bars.say,
            progress=bars.update,
        )
    made = sum(1 for o in outcomes if o.file)
    skipped = len(outcomes) - made
    emit(
        f"{folder}: {counted(made, 'new item')}"
        + (f", {skipped} skipped" if skipped else "")
        + f"; podcast feed {folder / 'feed.xml'}."
    )
    return 3 if skipped else 0  # a cron job must hear that an item is missing


def _saved_voice_settings(
    rate: int | None, voice: str | None
) -> tuple[int | None, str | None, KeptVoices]:
    """--rate / --voice, else the user's saved ones: an export should sound like the reader
    they have set up, each language in the voice kept for it (problems with the settings
    file are told on stderr)."""
    from voices.drivers import NOTHING_KEPT, KeptVoices

    if rate is not None and voice is not None:
        return rate, voice, NOTHING_KEPT
    from reader.settings import load_settings

    settings, messages = load_settings()
    for message in messages:
        tell(message)
    kept = KeptVoices(dict(settings.voices), (settings.interface_voice, settings.voice))
    return (rate if rate is not None else settings.rate), voice, kept


def _wav_length(path: Path) -> str:
    """', 3 minutes 20 seconds' for a readable WAV or MP3, else ''."""
    from reader.export import audio_seconds

    length = audio_seconds(path)
    if length is None:
        return ""
    minutes, seconds = divmod(round(length), 60)
    parts = [counted(minutes, "minute")] if minutes else []
    parts.append(counted(seconds, "second"))
    return ", " + " ".join(parts)


def cmd_voices(args: argparse.Namespace) -> int:
    from voices.drivers import make_driver

    if args.install:
        return _install_natural()
    with stdout_to_stderr():
        driver = make_driver()
        try:
            voices = driver.voices()
        finally:
            driver.close()
    wanted = (args.language or "").lower().replace("_", "-")
    rows = [
        (v.id, v.name, ", ".join(v.languages))
        for v in [*voices, *_natural_not_installed()]
        if not wanted or any(lang.lower().startswith(wanted) for lang in v.languages)
    ]
    if not rows:
        tell(f"No voices found{f' for {wanted}' if wanted else ''}.")
        return 0
    width = max(len(one_line(r[0])) for r in rows)
    for voice_id, name, languages in rows:
        emit(f"{one_line(voice_id):<{width}}  {one_line(name)}  ({one_line(languages)})")
    return 0


def _natural_not_installed() -> list[Any]:
    """The natural voice, listed with what installing it costs, when it is not installed."""
    from voices.base import VoiceInfo
    from voices.piper_driver import INSTALL_SIZE, LICENCE, is_installed
    from voices.piper_switch import NATURAL_VOICE

    if is_installed():
        return []
    note = (
        f"not installed: {INSTALL_SIZE}; {LICENCE}; install with 'reader voices --install natural'"
    )
    return [VoiceInfo(NATURAL_VOICE.id, f"{NATURAL_VOICE.name}, {note}", NATURAL_VOICE.languages)]


def _install_natural() -> int:
    from voices.piper_driver import is_installed
    from voices.piper_install import InstallError, install

    if is_installed():
        tell("The natural voice is already installed; choose it with --voice natural or y.")
        return 0
    try:
        install(tell)
    except InstallError as err:
        raise SpeechError(str(err)) from err
    tell("Choose it with --voice natural, or with y in the reader.")
    return 0


class _ProgressBar:
    """A progress bar on the terminal's stderr for exports; silent when stderr is not a terminal.

    Accepts progress(fraction), progress(done, total) or progress(done=…, total=…)."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.shown = False
        self.last: tuple[int, int] | None = None
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()

    def update(self, *args: Any, **kwargs: Any) -> None:
        values = [*args, *kwargs.values()]
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if not self.enabled or not numbers:
            return
        fraction = numbers[0] / numbers[1] if len(numbers) > 1 and numbers[1] else numbers[0]
        fraction = max(0.0, min(1.0, float(fraction)))
        filled = round(fraction * self.width)
        if (filled, round(fraction * 100)) == self.last:
            return  # one write per visible change, not one per sentence
        self.last = (filled, round(fraction * 100))
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\rExporting [{bar}] {fraction:4.0%}")
        self.stream.flush()
        self.shown = True


class _ItemBars:
    """One progress bar per item on a terminal (rich); elsewhere only a line per item."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self.console = Console(file=stream)
        self.live = self.console.is_terminal
        self.progress = Progress(console=self.console, transient=False, disable=not self.live)
        self.tasks: dict[int, Any] = {}

    def __enter__(self) -> _ItemBars:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, number: int, done: int, total: int) -> None:
        if number not in self.tasks:
            self.tasks[number] = self.progress.add_task(f"Item {number + 1}", total=total)
        self.progress.update(self.tasks[number], completed=done, total=total)

    def say(self, line: str) -> None:
        emit(one_line(line))
