"""The `reader` command: open the reading app, or print an article's outline or speech text.

Other tools and checks depend on this contract exactly: `reader outline SOURCE --json`,
`reader text SOURCE`, exit codes 0 ok / 2 usage / 3 fetch / 4 no article, and errors as one
plain sentence on stderr with no traceback.

The package: `args` (the words), `output` (what is printed, and how safely), and one module per
family of commands: `articles` (outline, text), `feeds` (feed, feeds), `audio` (export,
voices), `launch` (the app, serve). Nothing else in reader imports this package.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence

from reader.cli.args import parse_args
from reader.cli.articles import cmd_outline, cmd_text
from reader.cli.audio import cmd_export, cmd_voices
from reader.cli.feeds import cmd_feed, cmd_feeds
from reader.cli.launch import cmd_app, cmd_serve
from reader.cli.output import one_line, tell
from reader.errors import ReaderError

_COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    "outline": cmd_outline,
    "text": cmd_text,
    "export": cmd_export,
    "voices": cmd_voices,
    "serve": cmd_serve,
    "feed": cmd_feed,
    "feeds": cmd_feeds,
    None: cmd_app,
}


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
        tell(str(done.code))  # sys.exit("message") from a library: a failure, said once
        return 1
    except ReaderError as err:
        tell(str(err) or "Something went wrong.")
        return err.exit_code
    except KeyboardInterrupt:
        tell("Stopped.")
        return 130
    except BrokenPipeError:
        # `reader text x | head`: the reader of our output left; nothing more to say.
        _silence_stdout()
        return 1
    except Exception as err:  # the promise: one sentence, never a traceback
        if os.environ.get("READER_DEBUG") == "1":
            traceback.print_exc()
        detail = one_line(str(err))
        tell(
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
        tell(f"A background task of reader stopped on an unexpected problem ({name}).")

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
