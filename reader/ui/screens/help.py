"""Help: every key, shown and said; the key map it is drawn from."""

from __future__ import annotations

import tomllib
from importlib import resources

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
from reader.ui.screens.base import WENT_ROUND, SpokenModal, text_width
from reader.ui.widgets import (
    sized_text,
)


def _key_map() -> list[tuple[str, str, str]]:
    text = resources.files("reader").joinpath("data", "keys.toml").read_text(encoding="utf-8")
    return [(shown, spoken, what) for shown, spoken, what in tomllib.loads(text)["keys"]]


# The key map, (keys as shown, keys as spoken, what they do), is data in `reader/data/keys.toml`
# (one row a line, like README's key table). One list feeds the help screen, the spoken help and
# README; the screens' bindings must match it (tests check every row).
KEYS: list[tuple[str, str, str]] = _key_map()


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
        """Move to the next or previous key row, show it and say it. Up and down go round the
        list's ends, as every list does, and say so; home and end (a step of 100) stop there."""
        last = len(KEYS) - 1
        here = self.current
        index = 0 if here is None else min(max(here + step, 0), last)
        went: list[str] = []
        if here is not None and abs(step) == 1 and index == here:  # at an end: go round
            index = 0 if step > 0 else last
            went = [WENT_ROUND["top" if step > 0 else "bottom"]]
        self.show_row(index)
        self.post_message(Say([*went, help_line(index)], "help"))

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
