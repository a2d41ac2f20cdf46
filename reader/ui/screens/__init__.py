"""The reader's screens: reading, start, help and the dialogs one types in.

Screens map keys to actions and show state; the ReadingController (reader/reading/) does the
work and the speaking. They never import the app: what they need comes in as arguments, what
happened goes up as messages (reader/ui/messages.py), and dialogs answer with `dismiss(value)`.
"""

from reader.ui.screens.base import SpokenModal, push_spoken
from reader.ui.screens.dialogs import FindDialog, OpenDialog
from reader.ui.screens.help import KEYS, HelpScreen, help_line
from reader.ui.screens.links import LinksScreen
from reader.ui.screens.reading import ReaderScreen
from reader.ui.screens.start import StartScreen

__all__ = [
    "KEYS",
    "FindDialog",
    "HelpScreen",
    "LinksScreen",
    "OpenDialog",
    "ReaderScreen",
    "SpokenModal",
    "StartScreen",
    "help_line",
    "push_spoken",
]
