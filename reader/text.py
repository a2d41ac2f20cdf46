"""Text rules every layer shares, written once: page and feed text is untrusted.

`clean` is for anything shown in the app or said by it: control and format characters (escapes,
bells, bidi tricks) go, and line breaks become spaces. Callers put the result in `Text` objects,
never in markup, so `[` is harmless.
"""

from __future__ import annotations

import unicodedata

_DROPPED = ("Cc", "Cf", "Cs")  # controls, format characters (bidi overrides), lone surrogates


def clean(text: str) -> str:
    """`text` without control or format characters, each tab or line break a space."""
    return "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in _DROPPED
    )
