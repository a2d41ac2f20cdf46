"""The status line made to fit: words are shortened before the voice's name is cut.

    fit_status(["Section 6/7", "Sent 3/12", "Rate 175", "Vol 100%", "Font 3/5", "Playing"],
               "English (Great Britain)", 78)
    -> "Sec 6/7 | S 3/12 | R 175 | V 100% | F 3/5 | Playing | English (Great Britain)"

Steps, each taken only if the line is still too long: short label words; two spaces instead of
" | "; the name cut (with "…"); the name left out (below four cells). At 80 columns (78 inside
the line's padding) "English (Great Britain)" stays whole even with 123/456 sentences.
"""

from __future__ import annotations

SEPARATOR = " | "
TIGHT = "  "  # two spaces: still a clear gap, one cell less than " | "
SHORT = {"Section": "Sec", "Sent": "S", "Rate": "R", "Vol": "V", "Font": "F"}
MIN_NAME = 4  # cells: below this a cut name says nothing


def shorten(part: str) -> str:
    """'Section 6/7' -> 'Sec 6/7': the label word shortened, the figures kept."""
    label, _, rest = part.partition(" ")
    return f"{SHORT[label]} {rest}" if label in SHORT and rest else part


def fit_status(parts: list[str], name: str | None, width: int) -> str:
    """`parts` joined, then `name`, in at most `width` cells where possible."""
    full = SEPARATOR.join(parts)
    if _fits(full, name, width):
        return _join(full, name)
    short = [shorten(p) for p in parts]
    for separator in (SEPARATOR, TIGHT):
        text = separator.join(short)
        if name is None or _fits(text, name, width, separator):
            return _join(text, name, separator)
    room = width - len(text) - len(TIGHT)
    if room < MIN_NAME:
        return text
    return _join(text, name[: room - 1] + "…", TIGHT)


def _fits(text: str, name: str | None, width: int, separator: str = SEPARATOR) -> bool:
    return len(_join(text, name, separator)) <= width


def _join(text: str, name: str | None, separator: str = SEPARATOR) -> str:
    return text if name is None else text + separator + name
