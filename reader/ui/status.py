"""The status line made to fit: words are shortened before the voice's name is cut.

    fit_status(["Section 6/7", "Sent 3/12", "Rate 175", "Vol 100%", "Font 3/5", "Playing"],
               "English (Great Britain)", 78)
    -> "Sec 6/7 | S 3/12 | R 175 | V 100% | F 3/5 | Playing | English (Great Britain)"

At 80 columns (78 inside the line's padding) the name stays whole with any state; a name is
cut (with "…") only when even the short words leave no room, and left out below four cells.
"""

from __future__ import annotations

SEPARATOR = " | "
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
    short = SEPARATOR.join(shorten(p) for p in parts)
    if name is None or _fits(short, name, width):
        return _join(short, name)
    room = width - len(short) - len(SEPARATOR)
    if room < MIN_NAME:
        return short
    return _join(short, name[: room - 1] + "…")


def _fits(text: str, name: str | None, width: int) -> bool:
    return len(_join(text, name)) <= width


def _join(text: str, name: str | None) -> str:
    return text if name is None else text + SEPARATOR + name
