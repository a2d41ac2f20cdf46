"""Errors the user is told about in one plain sentence; each carries its CLI exit code.

The base class and SpeechError come from voices/ (the lower layer raises them too): one base,
so `except ReaderError` catches every one of them.
"""

from voices.errors import SpeechError
from voices.errors import ToldError as ReaderError

__all__ = [
    "FetchError",
    "NoArticleError",
    "ReaderError",
    "SpeechError",
    "UsageError",
    "WriteError",
]


class UsageError(ReaderError):
    exit_code = 2


class FetchError(ReaderError):
    """The source could not be fetched or read (missing file, HTTP error, wrong content type...).

    `str(err)` is the sentence shown (and printed by the command line), with the address as
    it is written; `said`, when given, is the same sentence for the ear, which never hears a
    whole address spelt out ("The page some long slug on example.com was not found.")."""

    exit_code = 3

    def __init__(self, message: str = "", said: str = "") -> None:
        super().__init__(message)  # (args stay the one sentence: str(err) is that sentence)
        self.said = said


class FetchCancelled(FetchError):
    """The caller cancelled the download (escape while a page loads)."""


class WriteError(ReaderError):
    """An export could not be written (read-only folder, full disk...): the same kind of
    problem as a source that cannot be read, in the other direction."""

    exit_code = 3


class NoFeedError(ReaderError):
    """The page was read but is not a feed and names none."""

    exit_code = 4


class NoArticleError(ReaderError):
    """The page was read but holds no article (a login form, an empty page...)."""

    exit_code = 4
