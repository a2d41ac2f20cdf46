"""`reader serve` and `reader [SOURCE]`: the reading app in a web browser or in this terminal.
The options go through as typed; the app and the server (imported only when started) take
those they support, and an option they do not is a usage mistake."""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.errors import UsageError


def cmd_serve(args: argparse.Namespace) -> int:
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


def cmd_app(args: argparse.Namespace) -> int:
    from reader.ui.app import run_app

    source, piped = args.source, None
    if source == "-" and not sys.stdin.isatty():
        source, piped = _piped_page_to_file(), True
    options = {
        "source": source,  # as typed: the app resolves "sample" (see cmd_serve)
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
