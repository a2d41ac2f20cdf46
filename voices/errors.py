"""The errors voices/ raises: one plain sentence for the user, never a traceback.

They live here, not in reader/, so that the speech layer imports nothing from the app above it;
reader.errors builds its own errors on `ToldError` (its `ReaderError` is this very class), so an
`except ReaderError` still catches a voice that cannot be found.
"""


class ToldError(Exception):
    """A problem to tell the user about, never a traceback. `str(err)` is the sentence;
    `exit_code` is the command line's exit status for it."""

    exit_code = 1


class SpeechError(ToldError):
    """Speech could not be produced (unknown voice, synthesiser failed twice...)."""

    exit_code = 5
