"""The app's messages, in one place (after posting's messages.py): speech events carried from
the queue's thread to the UI thread, and what screens tell the app instead of calling it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from voices.base import SpeechEvent, SpeechItem

if TYPE_CHECKING:  # importing miniaudio starts a thread: not before hang-up is set up
    from voices.stack import Speech


class SpeechUpdate(Message):
    """A speech event, carried from the queue's thread to the UI thread."""

    def __init__(self, event: SpeechEvent) -> None:
        super().__init__()
        self.event = event


class SpeechFailed(Message):
    """The synthesiser failed before it ever spoke: reading goes on silently."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SpeechReady(Message):
    def __init__(self, speech: Speech, notices: list[str]) -> None:
        super().__init__()
        self.speech = speech
        self.notices = notices  # what the user must be told: no speech, no sound device...


class HelpSpoken(Message):
    """A line of the spoken help has started: the help screen's highlight follows it."""

    def __init__(self, text: str, item: SpeechItem) -> None:
        super().__init__()
        self.text = text
        self.item = item  # stale if up or down has already cut it off


class ArticleLoaded(Message):
    """A load ended: `loaded`, or None and `error` (shown) and `said` (the same for the ear,
    without a whole web address; "" to say `error` as it is)."""

    def __init__(self, source: str, loaded: Any, error: str, dialog: Any, said: str = "") -> None:
        super().__init__()
        self.source, self.loaded, self.error, self.dialog = source, loaded, error, dialog
        self.said = said


class Say(Message):
    """A screen's own words to say: a typed character, a help row, a choice, a hint.
    `shown`: also shown on the message line (once a closing screen has gone). `choice`: a
    highlighted choice of the start screen, said only once speech is ready to say choices."""

    def __init__(self, texts: list[str], tag: str, shown: bool = False, choice: bool = False):
        super().__init__()
        self.texts, self.tag, self.shown, self.choice = texts, tag, shown, choice


class OpenSource(Message):
    """Open `source` (a web address, a path, "sample"); `dialog`: the open dialog it was typed
    in, which stays, showing the error, if it cannot be opened. `name`: what "Loading …" calls
    it (a link's text: its address would be spelt out)."""

    def __init__(self, source: str, dialog: Any = None, name: str = "") -> None:
        super().__init__()
        self.source, self.dialog, self.name = source, dialog, name


class StartEscape(Message):
    """Escape on the start screen: cancel a load, else back to the article (when the screen
    was opened over one) or stop speech."""

    def __init__(self, over_article: bool) -> None:
        super().__init__()
        self.over_article = over_article


class BackToArticle(Message):
    """b on the start screen opened over an article: back to it."""


class ShowStart(Message):
    """Leave a feed's list for the start screen (escape or b on it)."""


class OpenFeedItem(Message):
    """Enter on a feed's list: read item `index`."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
