"""A source, a reason, a size and a time as they may appear in a one-sentence FetchError."""

from __future__ import annotations

import re

from reader.errors import FetchError
from reader.text import message_text


def show(source: str, limit: int = 80) -> str:
    """The source as it may appear in a message: no control characters, not too long."""
    text = message_text(str(source))
    if len(text) <= limit:
        return text
    return text[: limit - 21] + "…" + text[-20:]


def reason_of(exc: BaseException) -> str:
    """A short lower-case reason from an exception, without "[Errno 2]" noise."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", message_text(str(text))).strip().rstrip(".")
    text = text.splitlines()[0] if text else type(exc).__name__
    return (text[:1].lower() + text[1:])[:200]


def seconds_text(value: float) -> str:
    return "1 second" if value == 1 else f"{value:g} seconds"


def size_text(value: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value} bytes"


def too_large(shown: str, max_bytes: int) -> FetchError:
    return FetchError(f"{shown} is larger than {size_text(max_bytes)}, too large to read.")
