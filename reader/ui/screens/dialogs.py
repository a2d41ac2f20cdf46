"""The dialogs one types in: open a web address or file, find words in the article.

Each typed character is said, as a screen reader would; enter posts what was typed for the app
to act on, and the dialog hands back its answer with `dismiss(value)` (None: closed with escape).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from reader.reading.types import FIND, OPEN
from reader.ui.messages import OpenSource, Say
from reader.ui.screens.base import SpokenModal, leaving, text_width
from reader.ui.widgets import MessageLine, sized_text

# How a typed character is said when its own sound would be nothing or unclear.
CHARACTER_NAMES = {
    " ": "space",
    ".": "dot",
    "/": "slash",
    "\\": "backslash",
    ":": "colon",
    ";": "semicolon",
    ",": "comma",
    "-": "dash",
    "_": "underscore",
    "~": "tilde",
    "?": "question mark",
    "!": "exclamation mark",
    "=": "equals",
    "&": "and",
    "#": "hash",
    "%": "percent",
    "@": "at",
    "+": "plus",
    "*": "star",
    "'": "apostrophe",
    '"': "quote",
    "(": "left bracket",
    ")": "right bracket",
    "[": "left square bracket",
    "]": "right square bracket",
    "{": "left brace",
    "}": "right brace",
    "<": "less than",
    ">": "greater than",
    "|": "bar",
    "$": "dollar",
    "^": "caret",
    "`": "backtick",
}


def character_name(ch: str) -> str:
    return CHARACTER_NAMES.get(ch, ch)


def typing_echo(old: str, new: str) -> str:
    """What a screen reader says for an edit from `old` to `new`: a typed character (a space
    says the word it ended), a deleted character, or pasted text."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    inserted, deleted = new[start : len(new) - end], old[start : len(old) - end]
    if inserted == " ":
        words = new[:start].split()
        return words[-1] if words else "space"
    if inserted:
        return character_name(inserted) if len(inserted) == 1 else inserted
    if deleted:
        return character_name(deleted) if len(deleted) == 1 else f"Deleted {deleted}"
    return ""


class TypingDialog(SpokenModal[str]):
    """A dialog with one line to type in: each typed character is said (interrupting the last),
    and in large print what has been typed is echoed in big glyphs below the line. Escape
    dismisses it with None; a dialog that did its work dismisses it with what was typed."""

    BINDINGS = [Binding("escape", "close", "Close")]
    echo_id = ""
    error_id = ""

    def __init__(self, value: str = "", level: int = 1) -> None:
        super().__init__(level)
        self.echoed = value  # the text the last echo described

    def on_mount(self) -> None:
        self.set_class(self.level > 1, "large")
        if leaving(self):  # the app quit while it was being built
            return
        self.query_one(Input).focus()
        self.show_echo(self.echoed)

    def on_input_changed(self, event: Input.Changed) -> None:
        said = typing_echo(self.echoed, event.value)
        self.echoed = event.value
        self.show_echo(event.value)
        if said:
            self.post_message(Say([said], "echo"))

    def show_echo(self, value: str) -> None:
        if leaving(self):
            return
        box = self.query_one(f"#{self.echo_id}-box")
        box.display = self.level > 1 and bool(value)
        if box.display:
            # The end of what was typed matters most: keep it in view when it runs long.
            self.query_one(f"#{self.echo_id}", Static).update(
                sized_text(value, self.level, text_width(self, 10))
            )
            box.scroll_end(animate=False)

    def show_error(self, message: str) -> None:
        if leaving(self):  # a load ended as the app quit: nobody is there to see it
            return
        line = self.query_one(f"#{self.error_id}", MessageLine)
        line.update(sized_text(message, min(self.level, 2), text_width(self, 10)))
        line.set_class(bool(message), "error")

    def action_close(self) -> None:
        self.dismiss(None)


class OpenDialog(TypingDialog):
    """A web address or file path; enter opens it (the dialog stays, with the error, if it
    cannot be opened; once it has opened, the app dismisses it with the source); escape closes
    it.

    While the page loads the field takes no keys (a user trial typed into it, and pressed
    enter again, while a page loaded): escape cancels, q quits, any other key is answered
    "Still loading." If the page cannot be opened, the field takes keys again with the address
    still in it, selected, so typing replaces it and end or an arrow keeps it to correct."""

    modal = OPEN
    echo_id = "open-echo"
    error_id = "open-error"
    # Said after the error when the address could not be opened (the field is ready again).
    again = "Type a new address, or press end to correct this one. Escape goes back."
    still_loading = "Still loading. Escape cancels."

    def __init__(self, value: str = "", level: int = 1) -> None:
        super().__init__(value, level)
        self.loading = False

    def loading_began(self, shown: str) -> None:
        """The address typed is loading: the field takes no keys until it ends."""
        if leaving(self):
            return
        self.loading = True
        field = self.query_one(Input)
        field.disabled = True  # (its keys now reach `on_key`)
        self.show_error("")
        self.query_one(f"#{self.error_id}", MessageLine).update(Text(shown))

    def loading_failed(self, error: str) -> None:
        """It could not be opened: `error` shown, and the field ready for keys again, focused,
        the address in it selected."""
        self.loading = False
        if leaving(self):  # a load ended as the app quit: nobody is there to see it
            return
        field = self.query_one(Input)
        field.disabled = False
        field.focus()
        field.select_all()
        self.show_error(error)

    async def on_key(self, event: events.Key) -> None:
        """While loading, no key reaches the field: escape cancels (the binding), q quits, any
        other key is answered."""
        if not self.loading or event.key == "escape":
            return
        event.stop()
        event.prevent_default()
        if event.key == "q":
            await self.run_action("app.quit_reader")
        else:
            self.post_message(Say([self.still_loading], "loading", shown=False))

    def said(self) -> list[str]:
        return ["Open. Type a web address or a file path, then press enter."]

    def compose(self) -> ComposeResult:
        with Vertical(id="open-box"):
            yield Static(Text("Open a web address or file", style="bold"), id="open-title")
            yield Input(placeholder="https://… or a file path, or: sample", id="open-input")
            with VerticalScroll(id="open-echo-box", classes="echo-box"):
                yield Static("", id="open-echo", classes="echo")
            yield Static(Text("Enter opens it. Escape goes back."), classes="hint")
            yield MessageLine("", id="open-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.post_message(Say(["Type a web address or a file path first."], "dialog"))
            return
        if self.loading:  # (the field is disabled then: a second enter must not load twice)
            return
        self.show_error("")
        self.post_message(OpenSource(value, dialog=self))


class FindDialog(TypingDialog):
    """Words to find; enter reads from the next sentence that has them (the dialog stays,
    saying "Not found", when none has; else it is dismissed with where they were found);
    escape closes it. Opens with the last search."""

    modal = FIND
    echo_id = "find-echo"
    error_id = "find-error"

    def __init__(
        self, find: Callable[[str], tuple[bool, str]], last: str = "", level: int = 1
    ) -> None:
        super().__init__(last, level)
        self.find = find  # reads from the words, or says why not: (found, what to show)
        self.last = last

    def said(self) -> list[str]:
        said = "Find. Type the words to find, then press enter."
        if self.last:
            said += f" Last time: {self.last}."
        return [said]

    def compose(self) -> ComposeResult:
        with Vertical(id="find-box"):
            yield Static(Text("Find in the article", style="bold"), id="find-title")
            yield Input(value=self.last, placeholder="words to find", id="find-input")
            with VerticalScroll(id="find-echo-box", classes="echo-box"):
                yield Static("", id="find-echo", classes="echo")
            yield Static(
                Text("Enter reads from the next sentence with them. Escape goes back."),
                classes="hint",
            )
            yield MessageLine("", id="find-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        found, shown = self.find(event.value)
        if found:
            self.dismiss(shown)
        elif shown:
            self.show_error(shown)
