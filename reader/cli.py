"""The `reader` command: open the reading app, or print an article's outline or speech text.

Other tools and checks depend on this contract exactly: `reader outline SOURCE --json`,
`reader text SOURCE`, exit codes 0 ok / 2 usage / 3 fetch / 4 no article, and errors as one
plain sentence on stderr with no traceback.
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import io
import json
import os
import re
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from reader import __version__
from reader.errors import NoFeedError, ReaderError, SpeechError, UsageError
from reader.load import load_source
from reader.model import Article, Section
from reader.paths import config_dir
from reader.source import resolve_source
from reader.speech import article_utterances, speech_warnings
from reader.text import strip_controls
from voices.base import MAX_RATE, MIN_RATE

SUBCOMMANDS = ("outline", "text", "export", "voices", "serve", "feed", "feeds")

# Characters json.dumps(ensure_ascii=False) leaves raw that a terminal would act on or hide.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ud800-\udfff]"
)
_SPACES = re.compile(r"\s+")
_BLOCK_NAMES = {
    "paragraph": ("paragraph", "paragraphs"),
    "list_item": ("list item", "list items"),
    "question": ("question", "questions"),
    "answer": ("answer", "answers"),
    "quote": ("quote", "quotes"),
    "table_row": ("table row", "table rows"),
    "image": ("image", "images"),
    "code": ("code block", "code blocks"),
}
_KIND_MARKERS = {"intro": "[Intro] ", "qa": "[Q&A] ", "section": ""}


# --------------------------------------------------------------------------- sources


def _load(source: str) -> Article:
    with _stdout_to_stderr():
        return load_source(source)


# --------------------------------------------------------------------------- argument parsing


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is a UsageError (one sentence, exit 2), not usage + exit."""

    def error(self, message: str) -> NoReturn:
        sentence = message[:1].upper() + message[1:]
        raise UsageError(f"{sentence.rstrip('.')} (see '{self.prog} --help').")


def _rate(value: str) -> int:
    try:
        rate = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the rate must be a whole number of words per minute, like 250, not {value!r}"
        ) from None
    clamped = max(MIN_RATE, min(MAX_RATE, rate))
    if clamped != rate:
        _note(f"Rate {rate} is outside {MIN_RATE} to {MAX_RATE}; using {clamped} words per minute.")
    return clamped


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(
            f"the port must be a number from 1 to 65535, not {value!r}"
        )
    return int(value)


def _sessions(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise argparse.ArgumentTypeError(f"the number of pages must be 1 to 1000, not {value!r}")
    return int(value)


def _font_size(value: str) -> int:
    if value not in {"1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError(f"the font size must be 1 to 5, not {value!r}")
    return int(value)


def _add_voice_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rate", type=_rate, metavar="WPM", help="speech rate, 80-1000 words/min")
    parser.add_argument("--voice", metavar="ID", help="voice id (see 'reader voices')")


def _main_parser() -> _Parser:
    parser = _Parser(
        prog="reader",
        description="Read web articles aloud, section by section, driven by the keyboard.",
        epilog=(
            "commands:\n"
            "  reader outline SOURCE [--json]   the article's sections\n"
            "  reader text SOURCE               the text as it will be spoken\n"
            "  reader export SOURCE -o FILE.wav record the article (.wav or .mp3) with chapters\n"
            "  reader voices                    the voices you can choose\n"
            "  reader feed SOURCE [--json]      a feed's articles, newest first\n"
            "  reader feeds [add|remove|refresh|import|export]  the feeds you follow\n"
            "  reader serve                     the reader in a web browser\n"
            "\n"
            "SOURCE is a web address, a file, '-' for standard input, or 'sample' for the\n"
            "built-in sample article. A file named like a command: write ./text or use\n"
            "'reader -- text'.\n"
            f"Your settings and speech rules (speech.toml) live in {config_dir()}."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", nargs="?", metavar="SOURCE", help="article to open")
    parser.add_argument(
        "--audio", choices=("auto", "null"), help="audio output; null is silent but timed"
    )
    parser.add_argument("--speech-log", metavar="FILE", help="write each speech event as JSON")
    _add_voice_options(parser)
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    return parser


def _command_parser(command: str) -> _Parser:
    parser = _Parser(prog=f"reader {command}")
    if command in ("outline", "text", "export", "feed"):
        parser.add_argument("source", metavar="SOURCE", help="URL, file, '-' or 'sample'")
    if command == "outline":
        parser.description = "Print the article's sections."
        parser.add_argument("--json", action="store_true", help="machine-readable JSON")
    elif command == "text":
        parser.description = "Print the text as it will be spoken, one sentence per line."
    elif command == "export":
        _add_export_options(parser)
    elif command == "feeds":
        parser.description = (
            "The feeds you follow, with unread counts. add SOURCE follows a feed (or the feed a "
            "page names); remove URL; refresh fetches new items; import FILE.opml; export "
            "prints OPML."
        )
        parser.add_argument(
            "action",
            nargs="?",
            default="list",
            choices=("list", "add", "remove", "refresh", "import", "export"),
        )
        parser.add_argument("target", nargs="?", metavar="SOURCE|FILE")
    elif command == "feed":
        parser.description = "List a feed's articles (the feed, or a page that names one)."
        parser.add_argument("--json", action="store_true", help="machine-readable JSON")
    elif command == "voices":
        parser.description = "List the voices and their languages."
        parser.add_argument("--language", metavar="LANG", help="only voices for this language")
        parser.add_argument(
            "--install",
            choices=("natural",),
            help="install the natural-sounding voice (about 140 MB; needs the network once)",
        )
    elif command == "serve":
        _add_serve_options(parser)
    return parser


def _add_export_options(parser: _Parser) -> None:
    parser.description = (
        "Record the article to a WAV or MP3 file, with FILE.chapters.json beside it "
        "(e.g. talk.mp3.chapters.json). An MP3 also carries its title and chapters inside. "
        "Given a feed and a folder, every item becomes an MP3 there, with a podcast feed.xml."
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE.wav|FILE.mp3|DIR")
    parser.add_argument("--jobs", type=_jobs, default=1, metavar="N", help="items at once")
    parser.add_argument("--since", type=_since, metavar="DATE", help="items from this date")
    parser.add_argument("--base-url", metavar="URL", help="where DIR is served, for feed.xml")
    _add_voice_options(parser)


def _add_serve_options(parser: _Parser) -> None:
    parser.description = "Run the reader in a web browser (textual-serve)."
    parser.add_argument("source", nargs="?", metavar="SOURCE", help="article to open")
    parser.add_argument("--host", default=None, help="address to listen on")
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow a --host other machines can reach"
    )
    parser.add_argument(
        "--max-sessions", type=_sessions, default=None, metavar="N", help="pages at once (4)"
    )
    parser.add_argument("--port", type=_port, default=None)
    parser.add_argument("--font-size", type=_font_size, default=None, metavar="1-5")
    parser.add_argument("--audio", choices=("auto", "null"), help="audio for each page's app")
    _add_voice_options(parser)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """A subcommand wins over a source of the same name; everything else is the reading app."""
    if argv and argv[0] in SUBCOMMANDS:
        args = _command_parser(argv[0]).parse_args(argv[1:])
        args.command = argv[0]
        return args
    parser = _main_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        raise UsageError(_unknown_arguments(args.source, extra))
    args.command = None
    return args


def _unknown_arguments(source: str | None, extra: list[str]) -> str:
    if source and not extra[0].startswith("-") and not os.path.exists(source):
        guess = difflib.get_close_matches(source, SUBCOMMANDS, n=1)
        if guess:
            return f"There is no command '{source}'; did you mean 'reader {guess[0]}'?"
    shown = " ".join(extra)
    return f"Unrecognised arguments: {shown} (see 'reader --help')."


# --------------------------------------------------------------------------- output


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", strip_controls(text)).strip()


def _out(line: str = "") -> None:
    """Print page-derived text: controls and escape sequences never reach the terminal."""
    sys.stdout.write(strip_controls(line) + "\n")


def _note(message: str) -> None:
    sys.stderr.write(_one_line(message) + "\n")


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Keep stdout clean for our output: library prints (even from C or child processes started
    meanwhile) go to stderr instead."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
        err_fd = sys.stderr.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        with redirect_stdout(sys.stderr):
            yield
        return
    saved = os.dup(fd)
    try:
        os.dup2(err_fd, fd)
        with redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, fd)
        os.close(saved)


def _json_text(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # json leaves C1 controls (\x9b is an 8-bit escape), bidi marks and lone surrogates raw:
    # \u-escape them, so the terminal is safe and the data stays exactly the same.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _counts(section: Section) -> str:
    counts = Counter(block.kind for block in section.blocks)
    if not counts:
        return "no text"
    parts = []
    for kind, number in counts.items():
        singular, plural = _BLOCK_NAMES.get(kind, (kind, kind + "s"))
        parts.append(f"{number} {singular if number == 1 else plural}")
    return ", ".join(parts)


def _preview(section: Section, words: int = 12) -> str:
    if not section.blocks:
        return ""
    split = _one_line(section.blocks[0].text).split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


def outline_lines(article: Article) -> list[str]:
    """A readable outline: sections numbered and indented by level, with kind and contents."""
    count = len(article.sections)
    lines = [
        _one_line(article.title) or "(untitled)",
        f"{_one_line(article.source)} · language {article.language} · "
        f"{count} section{'' if count == 1 else 's'}",
        "",
    ]
    for number, section in enumerate(article.sections, start=1):
        indent = "  " * max(0, section.level - 1)
        marker = _KIND_MARKERS.get(section.kind, f"[{section.kind}] ")
        title = _one_line(section.title) or "(untitled)"
        lines.append(f"{indent}{number}. {marker}{title} ({_counts(section)})")
        preview = _preview(section)
        if preview:
            lines.append(f"{indent}   {preview}")
    return lines


def text_lines(article: Article) -> list[str]:
    """The speech text: each section's title, then one sentence per line; blank line between."""
    lines: list[str] = []
    for number, utterances in enumerate(article_utterances(article)):
        if number:
            lines.append("")
        lines.extend(u.text for u in utterances)
    return lines


# --------------------------------------------------------------------------- commands


def _cmd_outline(args: argparse.Namespace) -> int:
    article = _load(args.source)
    if args.json:
        sys.stdout.write(_json_text(article.to_dict()) + "\n")
    else:
        for line in outline_lines(article):
            _out(line)
    return 0


def _cmd_text(args: argparse.Namespace) -> int:
    article = _load(args.source)
    lines = text_lines(article)
    for warning in speech_warnings():
        _note(warning)
    for line in lines:
        _out(line)
    return 0


def _cmd_feed(args: argparse.Namespace) -> int:
    from reader.feeds import feed_lines, feed_to_dict, load_feed

    feed = load_feed(resolve_source(args.source))
    assert feed is not None  # no validators given: never "not modified"
    if args.json:
        sys.stdout.write(_json_text(feed_to_dict(feed)) + "\n")
    else:
        for line in feed_lines(feed):
            _out(line)
    if feed.damaged:
        _note(
            f"The feed at {_one_line(feed.url)} is damaged; "
            "the items that could be read are listed."
        )
    return 0


def _cmd_feeds(args: argparse.Namespace) -> int:
    from reader import subscriptions as subs
    from reader.store import load_store

    store, messages = load_store()
    for message in messages:
        _note(message)
    needs_target = args.action in ("add", "remove", "import")
    if needs_target and not args.target:
        raise UsageError(f"'reader feeds {args.action}' needs a feed address or file.")
    action = {
        "list": _feeds_list,
        "add": _feeds_add,
        "remove": _feeds_remove,
        "refresh": _feeds_refresh,
        "import": _feeds_import,
        "export": lambda store, _: _out(subs.export_opml(store).rstrip("\n")) or 0,
    }[args.action]
    return action(store, args.target)


def _feeds_list(store: Any, _: str | None) -> int:
    from reader.subscriptions import subscriptions

    followed = subscriptions(store)
    if not followed:
        _out("You follow no feeds yet; add one with 'reader feeds add ADDRESS'.")
    for sub in followed:
        problem = f" (last refresh failed: {_one_line(sub.error)})" if sub.error else ""
        _out(f"{_one_line(sub.title)}: {sub.unread} unread of {sub.total} · {sub.url}{problem}")
    return 0


def _feeds_add(store: Any, source: str) -> int:
    from reader.feeds import load_feed
    from reader.subscriptions import subscribe

    feed = load_feed(resolve_source(source))
    assert feed is not None
    subscribe(store, feed)
    count = len(feed.items)
    _out(f"Following {_one_line(feed.title)}: {count} item{'' if count == 1 else 's'}.")
    return 0


def _feeds_remove(store: Any, url: str) -> int:
    from reader.subscriptions import subscriptions, unsubscribe

    if url not in {sub.url for sub in subscriptions(store)}:
        raise UsageError(f"You do not follow {_one_line(url)}; 'reader feeds' lists what you do.")
    unsubscribe(store, url)
    _out(f"No longer following {_one_line(url)}.")
    return 0


def _feeds_refresh(store: Any, _: str | None) -> int:
    from reader.subscriptions import refresh, subscriptions

    failed = 0
    for sub in subscriptions(store):
        got = refresh(store, sub.url)
        if got.error:
            failed += 1
            _out(f"{_one_line(got.title)}: {_one_line(got.error)} Its {sub.total} items are kept.")
        elif not got.changed:
            _out(f"{_one_line(got.title)}: nothing new.")
        else:
            _out(f"{_one_line(got.title)}: {got.new} new.")
    return 3 if failed else 0


def _feeds_import(store: Any, path: str) -> int:
    from reader.feeds import load_feed
    from reader.subscriptions import import_opml, subscribe

    failed = 0
    for url, title in import_opml(Path(path)):
        try:
            feed = load_feed(url)
            assert feed is not None
            subscribe(store, feed)
            _out(f"Following {_one_line(feed.title)}.")
        except ReaderError as err:
            failed += 1
            _out(f"Could not follow {_one_line(title)}: {_one_line(str(err))}")
    return 3 if failed else 0


def _cmd_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in (".wav", ".mp3"):
        return _export_feed(args, output)
    if output.is_dir():
        raise UsageError(f"{output} is a folder; give a file name ending in .wav.")
    if not output.parent.is_dir():
        raise UsageError(f"The folder {output.parent} does not exist.")
    article = _load(args.source)
    from reader.export import export_article

    rate, voice = _saved_voice_settings(args.rate, args.voice)
    with _ProgressBar(sys.stderr) as bar, _stdout_to_stderr():
        chapters = export_article(article, output, rate=rate, voice=voice, progress=bar.update)
    count = len(chapters)
    length = _wav_length(output)
    _out(f"Saved {output}: {count} chapter{'' if count == 1 else 's'}{length}.")
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
    rate, voice = _saved_voice_settings(args.rate, args.voice)
    with _ItemBars(sys.stderr) as bars:  # eSpeak runs in the pool's processes, not here
        outcomes = export_feed(
            feed,
            folder,
            jobs=args.jobs,
            since=args.since,
            rate=rate,
            voice=voice,
            base_url=args.base_url,
            report=bars.say,
            progress=bars.update,
        )
    made = sum(1 for o in outcomes if o.file)
    skipped = len(outcomes) - made
    _out(
        f"{folder}: {made} new item{'' if made == 1 else 's'}"
        + (f", {skipped} skipped" if skipped else "")
        + f"; podcast feed {folder / 'feed.xml'}."
    )
    return 3 if skipped else 0  # a cron job must hear that an item is missing


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
        _out(_one_line(line))


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 32:
        raise argparse.ArgumentTypeError("give a number of jobs from 1 to 32")
    return int(value)


def _since(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-30") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _saved_voice_settings(rate: int | None, voice: str | None) -> tuple[int | None, str | None]:
    """--rate / --voice, else the user's saved ones: an export should sound like the reader
    they have set up (problems with the settings file are told on stderr)."""
    if rate is not None and voice is not None:
        return rate, voice
    from reader.settings import load_settings

    settings, messages = load_settings()
    for message in messages:
        _note(message)
    return (rate if rate is not None else settings.rate), (voice or settings.voice)


def _wav_length(path: Path) -> str:
    """', 3 minutes 20 seconds' for a readable WAV or MP3, else ''."""
    from reader.export import audio_seconds

    length = audio_seconds(path)
    if length is None:
        return ""
    minutes, seconds = divmod(round(length), 60)
    parts = [f"{minutes} minute{'' if minutes == 1 else 's'}"] if minutes else []
    parts.append(f"{seconds} second{'' if seconds == 1 else 's'}")
    return ", " + " ".join(parts)


def _cmd_voices(args: argparse.Namespace) -> int:
    from voices.drivers import make_driver

    if args.install:
        return _install_natural()
    with _stdout_to_stderr():
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
        _note(f"No voices found{f' for {wanted}' if wanted else ''}.")
        return 0
    width = max(len(_one_line(r[0])) for r in rows)
    for voice_id, name, languages in rows:
        _out(f"{_one_line(voice_id):<{width}}  {_one_line(name)}  ({_one_line(languages)})")
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
        _note("The natural voice is already installed; choose it with --voice natural or y.")
        return 0
    try:
        install(_note)
    except InstallError as err:
        raise SpeechError(str(err)) from err
    _note("Choose it with --voice natural, or with y in the reader.")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from reader.serve.server import main as serve_main

    # The source goes through as typed: the app resolves "sample" itself and remembers it by
    # that name (resume positions and recent list then survive reinstalling reader).
    options = {
        "port": args.port,
        "font_size": args.font_size,
        "host": args.host,
        "source": args.source,
        "app_args": _app_args(args) or None,
        "allow_remote": args.allow_remote or None,
        "max_sessions": args.max_sessions,
    }
    return _exit_code(_call(serve_main, options))


def _app_args(args: argparse.Namespace) -> list[str]:
    """The reading-app options of `reader serve`, passed on to each page's `python -m reader`."""
    out: list[str] = []
    for name in ("audio", "rate", "voice"):
        value = getattr(args, name)
        if value is not None:
            out += [f"--{name}", str(value)]
    return out


def _cmd_app(args: argparse.Namespace) -> int:
    from reader.ui.app import run_app

    source, piped = args.source, None
    if source == "-" and not sys.stdin.isatty():
        source, piped = _piped_page_to_file(), True
    options = {
        "source": source,  # as typed: the app resolves "sample" (see _cmd_serve)
        "piped": piped,
        "audio": args.audio,
        "speech_log": args.speech_log,
        "rate": args.rate,
        "voice": args.voice,
    }
    return _exit_code(_call(run_app, options))


def _piped_page_to_file() -> str:
    """`cat page.html | reader -`: the page came on standard input, but the app reads its keys
    there too. Keep the page in a temporary file and give the app the terminal for keys."""
    import atexit
    import tempfile

    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise UsageError("The page on standard input is larger than 10 MB; reader stops there.")
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise UsageError(
            "The reader needs a keyboard, but standard input is a pipe and there is no terminal; "
            "use 'reader text -' to print the text instead."
        ) from None
    os.dup2(tty, 0)  # fd 0 is what Textual reads keys from
    os.close(tty)
    with tempfile.NamedTemporaryFile("wb", prefix="reader-stdin-", delete=False) as file:
        file.write(data)
    atexit.register(lambda: Path(file.name).unlink(missing_ok=True))
    return file.name


MAX_STDIN_BYTES = 10_000_000


def _call(function: Callable[..., Any], options: dict[str, Any]) -> Any:
    """Pass the options the function accepts; unset ones (None) are left to its defaults."""
    given = {k: v for k, v in options.items() if v is not None}
    parameters = inspect.signature(function).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        unsupported = sorted(set(given) - set(parameters))
        if unsupported:
            names = ", ".join("--" + name.replace("_", "-") for name in unsupported)
            raise UsageError(f"This version of reader does not support {names} here.")
    return function(**given)


def _exit_code(result: Any) -> int:
    return result if isinstance(result, int) and not isinstance(result, bool) else 0


_COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    "outline": _cmd_outline,
    "text": _cmd_text,
    "export": _cmd_export,
    "voices": _cmd_voices,
    "serve": _cmd_serve,
    "feed": _cmd_feed,
    "feeds": _cmd_feeds,
    None: _cmd_app,
}


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


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run reader; returns the exit code. Never lets a traceback reach the user
    (unless READER_DEBUG=1)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    _quiet_threads()
    try:
        args = parse_args(argv)
        return _COMMANDS[args.command](args)
    except SystemExit as done:  # --help and --version finish through argparse's exit()
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        _note(str(done.code))  # sys.exit("message") from a library: a failure, said once
        return 1
    except ReaderError as err:
        _note(str(err) or "Something went wrong.")
        return err.exit_code
    except KeyboardInterrupt:
        _note("Stopped.")
        return 130
    except BrokenPipeError:
        # `reader text x | head`: the reader of our output left; nothing more to say.
        _silence_stdout()
        return 1
    except Exception as err:  # the promise: one sentence, never a traceback
        if os.environ.get("READER_DEBUG") == "1":
            traceback.print_exc()
        detail = _one_line(str(err))
        _note(
            f"reader stopped on an unexpected problem ({type(err).__name__}"
            f"{': ' + detail[:200] if detail else ''}); set READER_DEBUG=1 to see the details."
        )
        return 1


def _quiet_threads() -> None:
    """A background thread that dies of an unexpected error is told in one sentence, not
    Python's traceback (READER_DEBUG=1 keeps the traceback)."""
    if os.environ.get("READER_DEBUG") == "1":
        return

    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.exc_type.__name__
        _note(f"A background task of reader stopped on an unexpected problem ({name}).")

    threading.excepthook = hook


def _tolerant_output() -> None:
    # A terminal that cannot show a character gets "?" rather than a crash mid-article.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, io.UnsupportedOperation):
                pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
