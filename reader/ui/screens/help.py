"""Help: every key, shown and said; the key map it is drawn from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.reading.types import HELP
from reader.text import clean
from reader.ui.messages import (
    Say,
)
from reader.ui.screens.base import SpokenModal, text_width
from reader.ui.widgets import (
    sized_text,
)

# The key map: (keys as shown, keys as spoken, what they do). One list feeds the help screen,
# the spoken help and README; the screens' bindings must match it (tests check every row).
KEYS: list[tuple[str, str, str]] = [
    ("space", "space", "Play or pause"),
    ("escape", "escape", "Stop; also closes a dialog or the section list"),
    ("right / left", "right arrow, left arrow", "Next / previous sentence"),
    (
        "n / p, h / H",
        "n or h, p or shift h",
        "Next / previous section: title, then reading goes on",
    ),
    ("t", "t", "Section list: up and down speak each title, enter reads from it"),
    ("] / [", "right bracket, left bracket", "Faster / slower, 25 words a minute, 80 to 1000"),
    ("+ or = / -", "plus or equals, minus", "Font size up / down, levels 1 to 5"),
    ("r", "r", "Repeat the current sentence"),
    ("w", "w", "Where am I: percent read, time left, section, sentence, rate"),
    ("o", "o", "Open a web address or file"),
    ("b", "b", "Start screen: recent articles and the sample; escape comes back"),
    ("? or f1", "question mark or f1", "Help: this list, shown and spoken"),
    ("q", "q", "Quit, saving your place"),
    ("home / end", "home, end", "Start / end of the article"),
    ("v / V", "v, shift v", "Louder / softer"),
    ("ctrl+t", "control t", "Next colour theme: high contrast, light, dark"),
    ("up / down", "up arrow, down arrow", "Scroll the text (reading does not move)"),
    (
        "y / Y",
        "y, shift y",
        "Next / previous voice for the article's language (with no article: for the reader's "
        "own words), announced",
    ),
    (
        "ctrl+y",
        "control y",
        "Voices: choose the article's voice or the reader's own, or install the natural voice",
    ),
    (
        "/ or ctrl+f",
        "slash or control f",
        "Find: type words, enter reads from the next sentence that has them",
    ),
    ("s", "s", "Follow the feed: on a feed's list, or on a page that names one"),
    ("c", "c", "Continuous listening on or off: at an article's end the next unread one starts"),
    ("1-6", "1 to 6", "Next heading of that level; reading goes on from it"),
    ("shift+1-6", "shift 1 to shift 6", "Previous heading of that level"),
    ("l / L", "l, shift l", "Next / previous list; reading goes on from it"),
    ("ctrl+down", "control down arrow", "Next paragraph"),
    ("ctrl+up", "control up arrow", "Previous paragraph"),
    ("T", "shift t", "Table: the current row's number and headers again"),
    ("k", "k", "Links list: up and down speak each link, enter opens it"),
    ("backspace", "backspace", "Back to the article you left, at the same sentence"),
    ("z", "z", "Sleep timer: off, 15, 30 or 60 minutes; at the end reading stops"),
]


def help_line(index: int) -> str:
    """A key of the key map as help says it."""
    _, spoken, what = KEYS[index]
    return f"{spoken}: {spoken_words(what)}."


def spoken_words(text: str) -> str:
    """Help text for the ear: 'Next / previous' would be read 'next slash previous'."""
    return text.replace(" / ", " or ")


class HelpRow(Static):
    """One key of the help list."""


class HelpBox(VerticalScroll):
    """The help list's scroller; never focused, so up and down reach the help screen's keys."""

    can_focus = False


class HelpScreen(SpokenModal[None]):
    """Every key, shown and said. Up and down move through the keys, each said (to hear one
    again); escape, q, ? or f1 closes it. In large print the keys are drawn in big glyphs, one
    key at a time in view."""

    modal = HELP
    tag = "help"
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help"),
        # The reading keys do nothing here: said so, never silence.
        Binding(
            "space,enter,right,left,n,p,h,H,t,r,w,o,b,v,V,y,Y,slash,"
            "right_square_bracket,left_square_bracket,plus,equals_sign,minus,"
            "1,2,3,4,5,6,l,L,T,k,z,backspace,ctrl+down,ctrl+up",
            "hint",
            show=False,
        ),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("home", "move(-100)", show=False),
        Binding("end", "move(100)", show=False),
    ]
    AUTO_FOCUS = None

    def __init__(self, level: int = 1) -> None:
        super().__init__(level)
        self.current: int | None = None  # the key row up/down last moved to

    def said(self) -> list[str]:
        spoken = ["Help. Keys."]
        spoken += [help_line(index) for index in range(len(KEYS))]
        spoken.append("Up and down go through the keys. Escape closes this help.")
        return spoken

    def compose(self) -> ComposeResult:
        level = self.level
        self.set_class(level > 1, "large")
        with HelpBox(id="help-box"):
            yield Static(Text("Keys", style="bold underline"), id="help-title")
            for index in range(len(KEYS)):
                yield HelpRow(self.row_text(index, level, False), classes="help-row")
            yield Static(
                Text("Up and down go through the keys. Escape closes this help.", style="bold"),
                id="help-end",
            )

    def row_text(self, index: int, level: int, current: bool) -> Text:
        keys, _, what = KEYS[index]
        if level > 1:
            return sized_text(f"{keys}: {what}", level, text_width(self, 10), marked=current)
        width = max(len(k) for k, _, _ in KEYS) + 2
        text = Text("▶ " if current else "  ", style="bold")
        text.append(keys.ljust(width), style="bold")
        text.append(what)
        return text

    def action_move(self, step: int) -> None:
        """Move to the next or previous key row, show it and say it."""
        last = len(KEYS) - 1
        here = self.current
        index = 0 if here is None else min(max(here + step, 0), last)
        self.show_row(index)
        self.post_message(Say([help_line(index)], "help"))

    def show_row(self, index: int) -> None:
        """Mark key row `index` as the current one and scroll it into view."""
        rows = list(self.query(HelpRow))
        if len(rows) != len(KEYS):  # not built yet, or being taken down
            return
        level = self.level
        here = self.current
        if here is not None:
            rows[here].remove_class("current")
            rows[here].update(self.row_text(here, level, False))
        self.current = index
        rows[index].add_class("current")
        rows[index].update(self.row_text(index, level, True))
        rows[index].scroll_visible(animate=False, top=level > 1)

    def follow(self, text: str) -> None:
        """Help read aloud has reached the line `text`: move the highlight there, so that down
        after listening a while goes on from the last key heard."""
        lines = [clean(help_line(index)) for index in range(len(KEYS))]
        if text in lines:
            self.show_row(lines.index(text))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_hint(self) -> None:
        hint = "Help is open. Up and down go through the keys, escape closes it."
        self.post_message(Say([hint], "menu"))
