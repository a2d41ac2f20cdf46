"""Errors the user is told about in one plain sentence; each carries its CLI exit code."""


class ReaderError(Exception):
    """A problem to tell the user about, never a traceback. `str(err)` is the sentence."""

    exit_code = 1


class UsageError(ReaderError):
    exit_code = 2


class FetchError(ReaderError):
    """The source could not be fetched or read (missing file, HTTP error, wrong content type...)."""

    exit_code = 3


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


class SpeechError(ReaderError):
    """Speech could not be produced (unknown voice, synthesiser failed twice...)."""

    exit_code = 5
