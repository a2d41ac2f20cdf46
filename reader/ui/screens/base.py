"""What the screens share: the keys they have in common, how wide text may be, the lists to
choose from (start, a feed's list) and the talking modal.

Screens never import the app: they show what they are given, post messages (reader/ui/messages)
for the app to act on, and dialogs hand back their answer with `dismiss(value)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList

from reader.reading.controller import ReadingController
from reader.reading.types import Modal
from reader.text import clean
from reader.ui.widgets import MessageLine, sized_text


def key_table(table: str, show: bool = True) -> list[Binding]:
    """Bindings written as a table, one a line: the keys, the action and (optional) what it
    does, in columns two or more spaces apart. A table lines the keys up and reads like the
    help and README key lists, where a list of Binding calls would not."""
    rows = [re.split(r"\s{2,}", line.strip()) for line in table.strip().splitlines()]
    if any(not 2 <= len(row) <= 3 for row in rows):
        raise ValueError(f"a key table row is not keys, action[, description]: {rows}")
    return [Binding(*row, show=show) for row in rows]


# The keys every list screen (start screen, a feed's list) answers the same way as the reading
# screen, so a listener never has to learn which screen they are on to change the voice or print.
# Keys that work on every screen with the reader behind it, in the order help lists them.
RATE_AND_FONT_KEYS = key_table("""
    right_square_bracket  app.rate(1)   Faster
    left_square_bracket   app.rate(-1)  Slower
    plus,equals_sign      app.font(1)   Bigger
    minus                 app.font(-1)  Smaller
""")
SOUND_AND_LOOK_KEYS = key_table("""
    v       app.volume(0.1)   Louder
    V       app.volume(-0.1)  Softer
    ctrl+t  app.next_theme    Theme
    y       app.voice(1)      Next voice
    Y       app.voice(-1)     Previous voice
    ctrl+y  app.voices        Voices
""")
LIST_SCREEN_KEYS = [
    *key_table("""
        o                 app.open_dialog  Open
        question_mark,f1  app.help         Help
        q                 app.quit_reader  Quit
    """),
    # Reading keys with nothing to read: said so, never silence.
    Binding("space,right,left,n,p,h,H,t,r,w,slash", "no_article", show=False),
    Binding("1,2,3,4,5,6,l,L,T,k,z,backspace,ctrl+down,ctrl+up", "no_article", show=False),
    *RATE_AND_FONT_KEYS,
    *SOUND_AND_LOOK_KEYS,
]

ResultT = TypeVar("ResultT")

# Said before the option a list's up or down went round to (every list: sections, links, the
# start screen, voices, help), in the interface's words.
WENT_ROUND = {"top": "Top of list.", "bottom": "Bottom of list."}


def went_round(options: OptionList) -> list[str]:
    """What to say before the option just highlighted, when the move went round the list's
    end: ["Top of list."] or ["Bottom of list."]; [] otherwise (or for a list that never goes
    round)."""
    take = getattr(options, "take_went_round", None)
    went = take() if take is not None else ""
    return [WENT_ROUND[went]] if went else []


class MessageScreen(Screen[None]):
    """A screen with a message line (reading, start, a feed's list) that the app writes to
    from outside. The line is made with the screen, so a message given before the screen is
    built is shown once it is, and one given while it is taken down is simply not seen."""

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self.message_line = MessageLine(Text(clean(message)), id="message")

    def show_message(self, text: str, error: bool = False) -> None:
        self.message_line.update(Text(clean(text)))
        self.message_line.set_class(error, "error")


class ChoiceScreen(MessageScreen):
    """A screen that is a list to choose from (start, a feed's list): its lines are drawn in
    big glyphs for large print, and drawn again when the font level changes."""

    level: int  # the large-print level (1 in a browser)
    drawn_level: int  # the level the lines were drawn at (a change while building redraws them)

    def line(self, index: int, big: bool) -> str:
        """The text of line `index`, as shown in normal print or (`big`) in big glyphs."""
        raise NotImplementedError

    def prompt(self, index: int) -> Text:
        """Line `index` as shown at the screen's level: big glyphs for large print, with a blank
        row between lines so each stands apart."""
        if self.level <= 1:
            return Text(self.line(index, big=False))
        text = sized_text(self.line(index, big=True), self.level, text_width(self, 8))
        text.append("\n")
        return text

    def apply_font(self, level: int) -> None:
        """Redraw the lines at `level` (the highlight stays where it is); a screen not built
        yet draws them at `level` as it mounts."""
        self.level = level
        self.set_class(level > 1, "large")
        if built(self):
            self.draw_lines()

    def draw_lines(self) -> None:
        lines = self.query_one(OptionList)
        self.drawn_level = self.level
        for index in range(lines.option_count):
            lines.replace_option_prompt_at_index(index, self.prompt(index))


def leaving(screen: Screen[Any]) -> bool:
    """Whether `screen` is being taken down (popped, or the app is exiting). Textual removes a
    closing screen's widgets one by one over several ticks while speech events, timers and keys
    still arrive, so a widget looked up then may be gone. It marks every widget `_pruning` at
    once before removing any (its own `display` reads that flag; it has no public name)."""
    return screen._pruning or screen._closing or screen._closed


def built(screen: Screen[Any]) -> bool:
    """Whether all of `screen`'s widgets are there: mounted (a pushed screen is composed a few
    ticks later) and not being taken down. Anything that changes a screen from outside its
    own handlers checks this first (or updates only widgets the screen holds, which show what
    they were given once they are mounted)."""
    return screen.is_mounted and not leaving(screen)


def text_width(screen: Screen[Any], margin: int) -> int:
    """Cells available for text in a box `margin` cells narrower than the terminal."""
    return max((screen.app.size.width or 80) - margin, 20)


class SpokenModal(ModalScreen[ResultT]):
    """A dialog that talks (find, help, open): the app pushes it with `push_spoken`, which
    pauses reading as it opens (`modal.pauses`; otherwise its own speech stops reading) and says
    `said()`; when it is dismissed the app says that it closed, reading on if it was playing.

    `level` is the large-print level for its own text (1 in a browser, where the page's real
    font size is the large print)."""

    modal: ClassVar[Modal]
    tag: ClassVar[str] = "dialog"

    def __init__(self, level: int = 1) -> None:
        super().__init__()
        self.level = level

    def said(self) -> list[str]:
        """What is said as it opens."""
        raise NotImplementedError


def push_spoken(
    app: App[Any],
    reading: ReadingController,
    screen: SpokenModal[ResultT],
    closed: Callable[[ResultT | None, bool], None],
) -> None:
    """Push a talking dialog: reading pauses, the dialog is said; `closed(result, was_playing)`
    runs once it is dismissed."""
    was_playing = reading.modal_opened(screen.modal)
    app.push_screen(screen, lambda result: closed(result, was_playing))
    reading.say(screen.said(), screen.tag)
