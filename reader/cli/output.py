"""What the commands print. Page text is untrusted: control characters and escape sequences
never reach the terminal (stdout through `emit`, messages on stderr through `tell`, JSON with
the characters a terminal would act on \\u-escaped), and library chatter goes to stderr so
stdout holds only the command's output."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from typing import Any

from reader.errors import FetchError
from reader.load import load_source
from reader.model import Article
from reader.text import strip_controls

_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ud800-\udfff]"
)
_SPACES = re.compile(r"\s+")


def load_quietly(source: str) -> Article:
    """The article `source` names, anything the libraries print on the way kept off stdout."""
    from reader.source.page import XML_NOT_A_PAGE

    with stdout_to_stderr():
        try:
            return load_source(source)
        except FetchError as err:
            if XML_NOT_A_PAGE not in str(err):
                raise
            # Most XML given to `reader text` is a feed: say which command lists one.
            raise FetchError(f"{err} To list a feed, use 'reader feed ADDRESS'.") from err


def one_line(text: str) -> str:
    return _SPACES.sub(" ", strip_controls(text)).strip()


def emit(line: str = "") -> None:
    """Print page-derived text: controls and escape sequences never reach the terminal."""
    sys.stdout.write(strip_controls(line) + "\n")


def emit_lines(lines: list[str]) -> None:
    """`emit` each of `lines`: at once when all are printable (nothing to strip), as most
    pages' are (`reader text` prints 500 000 lines for a huge page)."""
    if "".join(lines).isprintable():
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
        return
    for line in lines:
        emit(line)


def tell(message: str) -> None:
    sys.stderr.write(one_line(message) + "\n")


@contextmanager
def stdout_to_stderr() -> Iterator[None]:
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


def json_text(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # json leaves C1 controls (\x9b is an 8-bit escape), bidi marks and lone surrogates raw:
    # \u-escape them, so the terminal is safe and the data stays exactly the same.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
