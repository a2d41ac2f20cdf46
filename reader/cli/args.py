"""The command line's words: `reader [SOURCE]` for the reading app, or a command
(`outline`, `text`, `export`, `voices`, `serve`, `feed`, `feeds`) with its own options.

A usage mistake is a UsageError: one sentence on stderr and exit status 2, never argparse's
usage block."""

from __future__ import annotations

import argparse
import difflib
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import NoReturn

from reader import __version__
from reader.cli.output import tell
from reader.errors import UsageError
from reader.paths import config_dir
from reader.text import message_text
from voices.base import MAX_RATE, MIN_RATE

SUBCOMMANDS = ("outline", "text", "export", "voices", "serve", "feed", "feeds")


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
        tell(f"Rate {rate} is outside {MIN_RATE} to {MAX_RATE}; using {clamped} words per minute.")
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


def _source(value: str) -> str:
    """A SOURCE that cannot name anything is a usage mistake (exit 2), said in one sentence:
    not a page that could not be fetched (exit 3)."""
    if not value.strip():
        raise UsageError("No source was given: name a web address, a file, - or sample.")
    if not value.isprintable():
        raise UsageError("The source has control characters in it; type the address again.")
    scheme, _, rest = value.strip().partition("://")
    if scheme.lower() in ("http", "https") and not rest.split("/", 1)[0].strip("@:"):
        raise UsageError(
            f"{message_text(value)[:80]} names no web site; "
            "a web address looks like https://example.com/page."
        )
    return value


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
    parser.add_argument("source", nargs="?", type=_source, metavar="SOURCE", help="article to open")
    parser.add_argument(
        "--audio", choices=("auto", "null"), help="audio output; null is silent but timed"
    )
    parser.add_argument("--speech-log", metavar="FILE", help="write each speech event as JSON")
    _add_voice_options(parser)
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    return parser


_DESCRIPTIONS = {
    "outline": "Print the article's sections.",
    "text": "Print the text as it will be spoken, one sentence per line.",
    "export": (
        "Record the article to a WAV or MP3 file, with FILE.chapters.json beside it "
        "(e.g. talk.mp3.chapters.json). An MP3 also carries its title and chapters inside. "
        "Given a feed and a folder, every item becomes an MP3 there, with a podcast feed.xml."
    ),
    "voices": "List the voices and their languages.",
    "serve": "Run the reader in a web browser (textual-serve).",
    "feed": "List a feed's articles (the feed, or a page that names one).",
    "feeds": (
        "The feeds you follow, with unread counts. add SOURCE follows a feed (or the feed a "
        "page names); remove URL; refresh fetches new items; import FILE.opml; export "
        "prints OPML."
    ),
}


def _command_parser(command: str) -> _Parser:
    parser = _Parser(prog=f"reader {command}", description=_DESCRIPTIONS[command])
    if command in ("outline", "text", "export", "feed"):
        parser.add_argument(
            "source", type=_source, metavar="SOURCE", help="URL, file, '-' or 'sample'"
        )
    if command in ("outline", "feed"):
        parser.add_argument("--json", action="store_true", help="machine-readable JSON")
    options = _OPTIONS.get(command)
    if options is not None:
        options(parser)
    return parser


def _add_export_options(parser: _Parser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="FILE.wav|FILE.mp3|DIR")
    parser.add_argument("--jobs", type=_jobs, default=1, metavar="N", help="items at once")
    parser.add_argument("--since", type=_since, metavar="DATE", help="items from this date")
    parser.add_argument("--base-url", metavar="URL", help="where DIR is served, for feed.xml")
    _add_voice_options(parser)


def _add_feeds_options(parser: _Parser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=("list", "add", "remove", "refresh", "import", "export"),
    )
    parser.add_argument("target", nargs="?", metavar="SOURCE|FILE")


def _add_voices_options(parser: _Parser) -> None:
    parser.add_argument("--language", metavar="LANG", help="only voices for this language")
    parser.add_argument(
        "--install",
        choices=("natural",),
        help="install the natural-sounding voice (about 140 MB; needs the network once)",
    )


def _add_serve_options(parser: _Parser) -> None:
    parser.add_argument("source", nargs="?", type=_source, metavar="SOURCE", help="article to open")
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


# The options each command adds after its source (and --json).
_OPTIONS: dict[str, Callable[[_Parser], None]] = {
    "export": _add_export_options,
    "feeds": _add_feeds_options,
    "voices": _add_voices_options,
    "serve": _add_serve_options,
}


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
