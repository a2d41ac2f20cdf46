"""Local files, file:// addresses and standard input, read whole but never past the size cap."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import BinaryIO, TextIO
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from reader.errors import FetchError
from reader.model import Page
from reader.source.messages import reason_of, show, too_large
from reader.source.page import to_page
from reader.text import message_text


def local_exists(source: str) -> bool:
    try:
        return Path(source).expanduser().exists()
    except (OSError, ValueError, RuntimeError):  # too long, NUL inside, no home dir...
        return False


def file_url_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(
            f"{show(url)} points at another computer ({message_text(parts.netloc)}); "
            "reader only opens file:// addresses on this computer."
        )
    return Path(url2pathname(unquote(parts.path)))


def read_file(path: Path, given: str, max_bytes: int) -> Page:
    shown = show(given)
    data = read_file_bytes(path, given, shown, max_bytes)
    absolute = os.path.abspath(path)
    return to_page(data, url=absolute, shown=shown, content_type=None, name=path.name)


def read_file_bytes(path: Path, given: str, shown: str, max_bytes: int) -> bytes:
    try:
        if path.is_dir():
            raise FetchError(f"{shown} is a folder, not a file.")
        with open(path, "rb") as handle:
            if _regular_size(handle) > max_bytes:
                raise too_large(shown, max_bytes)
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise FetchError(_missing_file_message(given, shown)) from exc
    except IsADirectoryError as exc:
        raise FetchError(f"{shown} is a folder, not a file.") from exc
    except PermissionError as exc:
        raise FetchError(f"Permission to read {shown} was denied.") from exc
    except (OSError, ValueError) as exc:
        raise FetchError(f"Could not read {shown}: {reason_of(exc)}.") from exc
    if len(data) > max_bytes:
        raise too_large(shown, max_bytes)
    return data


def _regular_size(handle: BinaryIO) -> int:
    stat = os.fstat(handle.fileno())
    # Only regular files have a meaningful size; devices and pipes report 0.
    return stat.st_size if (stat.st_mode & 0o170000) == 0o100000 else 0


def _missing_file_message(given: str, shown: str) -> str:
    first = given.split("/", 1)[0].lower()
    # A site's name, or a machine's address ("127.0.0.1:8000", "localhost:8000"), any port.
    domain = (
        re.fullmatch(
            r"(?:[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}|localhost)(?::\d+)?",
            first,
        )
        is not None
    )
    # "www.example.com" or "example.com/story" was meant as a web address.
    if domain and (first.startswith("www.") or "/" in given or ":" in first):
        return f"The file {shown} does not exist; for a web page, start the address with https://."
    return f"The file {shown} does not exist."


# --------------------------------------------------------------------------- stdin


def read_stdin(max_bytes: int) -> Page:
    stream = sys.stdin
    if stream is None:
        raise FetchError("There is no standard input to read from.")
    try:
        if stream.isatty():
            raise FetchError(
                "Standard input is a terminal; pipe a page into reader "
                "(for example: cat page.html | reader outline -)."
            )
        data = _read_stream(stream, max_bytes)
    except FetchError:
        raise
    except (OSError, ValueError, UnicodeError) as exc:
        raise FetchError(f"Could not read standard input: {reason_of(exc)}.") from exc
    if len(data) > max_bytes:
        raise too_large("Standard input", max_bytes)
    return to_page(data, url="-", shown="Standard input", content_type=None, name="")


def _read_stream(stream: TextIO, max_bytes: int) -> bytes:
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        return binary.read(max_bytes + 1)
    # A text-only stream (replaced sys.stdin): it is already decoded.
    return stream.read(max_bytes + 1).encode("utf-8", "surrogatepass")
