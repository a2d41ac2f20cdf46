"""Typed speech tags (after NVDA's typed speech commands): what each SpeechItem is, so the
session, the app and the speech log tell reading from announcements by type, not by the shape
of a tuple. voices/ treats tags as opaque and hands them back in its events.

Both are tuples, so a tag still compares equal to, and hashes like, its plain form:
`ReadingTag(3, 1) == (3, 1)` and `Announcement("help") == ("announce", "help")`.
"""

from __future__ import annotations

from typing import NamedTuple


class ReadingTag(NamedTuple):
    """A sentence of the article: sentence 0 is its section's title."""

    section: int
    sentence: int


class _AnnouncementFields(NamedTuple):
    marker: str
    kind: str


class Announcement(_AnnouncementFields):
    """Something the reader says about itself (a key's answer, a dialog opening, an error);
    `kind` says which ("navigation", "help", "find", "error", ...)."""

    __slots__ = ()

    def __new__(cls, kind: str) -> Announcement:
        return super().__new__(cls, "announce", kind)
