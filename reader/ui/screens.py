"""The reader's screens: reading, start, help and the open dialog.

Screens map keys to the app's actions and show state; the app (and its ReadingSession) does the
work and the speaking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.ui.widgets import (
    BigBox,
    BigPrint,
    MessageLine,
    ReadingPane,
    SectionList,
    StatusLine,
    clean,
    sized_text,
)

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp

# The key map: (keys as shown, keys as spoken, what they do). One list feeds the help screen,
# the spoken help and README; the bindings below must match it (tests check every row).
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
    ("w", "w", "Where am I: section, sentence and rate"),
    ("o", "o", "Open a web address or file"),
    ("b", "b", "Start screen: recent articles and the sample; escape comes back"),
    ("? or f1", "question mark or f1", "Help: this list, shown and spoken"),
    ("q", "q", "Quit, saving your place"),
    ("home / end", "home, end", "Start / end of the article"),
    ("v / V", "v, shift v", "Louder / softer"),
    ("ctrl+t", "control t", "Next colour theme: high contrast, light, dark"),
    ("up / down", "up arrow, down arrow", "Scroll the text (reading does not move)"),
    ("y / Y", "y, shift y", "Next / previous voice for the article's language, announced"),
    (
        "/ or ctrl+f",
        "slash or control f",
        "Find: type words, enter reads from the next sentence that has them",
    ),
]


def app_of(screen: Screen[Any]) -> ReaderApp:
    return screen.app  # type: ignore[return-value]


def font_level(screen: Screen[Any]) -> int:
    """The large-print level for the screen's own text (1 in a browser: there the page's real
    font size is the large print)."""
    from reader.ui.app import served

    return 1 if served() else app_of(screen).settings.font_size


def text_width(screen: Screen[Any], margin: int) -> int:
    """Cells available for text in a box `margin` cells narrower than the terminal."""
    return max((screen.app.size.width or 80) - margin, 20)


class ReaderScreen(Screen[None]):
    """Section list, reading pane, message and status lines. Nothing here takes focus except
    the section list while `t` has opened it, so every key below reaches this screen."""

    AUTO_FOCUS = None
    BINDINGS = [
        Binding("space", "app.play_pause", "Play/Pause"),
        Binding("escape", "escape", "Stop"),
        Binding("right", "app.next_sentence", "Next sentence"),
        Binding("left", "app.prev_sentence", "Previous sentence"),
        Binding("n,h", "app.next_section", "Next section"),
        Binding("p,H", "app.prev_section", "Previous section"),
        Binding("t", "sections", "Sections"),
        Binding("right_square_bracket", "app.faster", "Faster"),
        Binding("left_square_bracket", "app.slower", "Slower"),
        Binding("plus,equals_sign", "app.font_bigger", "Bigger"),
        Binding("minus", "app.font_smaller", "Smaller"),
        Binding("r", "app.repeat", "Repeat"),
        Binding("w", "app.where", "Where am I"),
        Binding("o", "app.open_dialog", "Open"),
        Binding("b", "app.start_screen", "Start screen"),
        Binding("question_mark,f1", "app.help", "Help"),
        Binding("q", "app.quit_reader", "Quit"),
        Binding("home", "app.start", "Start"),
        Binding("end", "app.end", "End"),
        Binding("v", "app.louder", "Louder"),
        Binding("V", "app.softer", "Softer"),
        Binding("ctrl+t", "app.next_theme", "Theme"),
        Binding("y", "app.next_voice", "Next voice"),
        Binding("Y", "app.prev_voice", "Previous voice"),
        Binding("slash,ctrl+f", "app.find", "Find"),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
        Binding("pagedown", "scroll(10)", "Page down", show=False),
    ]

    quiet_highlight: int | None = None  # a highlight set by the screen, not by the listener

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        with Vertical(id="body"):
            yield SectionList(id="sections")
            yield ReadingPane(id="pane")
            with BigBox(id="big"):
                yield BigPrint(id="bigprint")
        yield MessageLine("", id="message")
        yield StatusLine("", id="status")
        yield Static(
            Text("space play/pause · t sections · ? help · q quit"), id="hint", classes="hint"
        )

    def on_mount(self) -> None:
        sections = self.query_one(SectionList)
        sections.can_focus = False  # only while `t` has opened it
        from reader.ui.app import served

        # Served in a browser, the page's own font size is the large print.
        self.apply_font(1 if served() else app_of(self).settings.font_size)

    # -- actions that belong to the screen

    def action_escape(self) -> None:
        if self.sections_open:
            self.close_sections()
        else:
            app_of(self).action_stop()

    def action_sections(self) -> None:
        if self.sections_open:
            self.close_sections()
            return
        app = app_of(self)
        if app.session is None:
            return
        sections = self.query_one(SectionList)
        sections.can_focus = True
        self.set_class(True, "sections-open")
        if sections.highlighted != app.session.section:
            # sections_opened says this title; the list's own event for it would cut that off.
            self.quiet_highlight = app.session.section
            sections.highlighted = app.session.section
        sections.focus()
        app.sections_opened()

    def close_sections(self, spoken: bool = True) -> None:
        sections = self.query_one(SectionList)
        self.set_focus(None)
        sections.can_focus = False
        self.set_class(False, "sections-open")
        if spoken:
            app_of(self).sections_closed()

    @property
    def sections_open(self) -> bool:
        return self.has_class("sections-open")

    def action_scroll(self, lines: int) -> None:
        if self.has_class("large"):
            self.query_one(BigBox).scroll_lines(1 if lines > 0 else -1)  # whole lines only
        else:
            self.query_one(ReadingPane).scroll_relative(y=lines, animate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        quiet, self.quiet_highlight = self.quiet_highlight, None
        if event.option_index == quiet:
            return
        if self.sections_open and event.option_list.has_focus:
            app_of(self).section_highlighted(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.sections_open:
            self.close_sections(spoken=False)
            app_of(self).go_to_section(event.option_index)

    # -- showing state

    def apply_font(self, level: int) -> None:
        """Level 1: outline and normal text. 2-5: big print only, the outline folded away."""
        self.set_class(level > 1, "large")
        for n in range(1, 6):
            self.set_class(level == n, f"font-{n}")


def source_name(source: str) -> str:
    """Where an article is from, briefly: a web address's host, a file's name."""
    from urllib.parse import urlsplit

    if "://" in source and not source.startswith("file:"):
        host = urlsplit(source).hostname or source
        return host.removeprefix("www.")
    name = source.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1]
    return name or source


class StartScreen(Screen[None]):
    """`reader` with no article: open a web address or file, a recent article, or the sample."""

    AUTO_FOCUS = "#choices"
    BINDINGS = [
        Binding("o", "app.open_dialog", "Open"),
        Binding("question_mark,f1", "app.help", "Help"),
        Binding("q", "app.quit_reader", "Quit"),
        Binding("escape", "escape", "Stop speech, or back to the article"),
        Binding("b", "back", "Back to the article", show=False),
        # Reading keys with nothing to read: said so, never silence.
        Binding("space,right,left,n,p,h,H,t,r,w,slash", "no_article", show=False),
        Binding("right_square_bracket", "app.faster", "Faster"),
        Binding("left_square_bracket", "app.slower", "Slower"),
        Binding("plus,equals_sign", "app.font_bigger", "Bigger"),
        Binding("minus", "app.font_smaller", "Smaller"),
        Binding("v", "app.louder", "Louder"),
        Binding("V", "app.softer", "Softer"),
        Binding("ctrl+t", "app.next_theme", "Theme"),
        Binding("y", "app.next_voice", "Next voice"),
        Binding("Y", "app.prev_voice", "Previous voice"),
    ]

    def __init__(
        self, recent: list[tuple[str, str]], message: str = "", over_article: bool = False
    ) -> None:
        super().__init__()
        self.recent = recent  # (title, source)
        self.message = message
        self.over_article = over_article  # opened with b while reading: escape goes back
        self.first_highlight = True

    def compose(self) -> ComposeResult:
        yield Static(Text("Reader"), id="title")
        back = " Escape goes back to the article." if self.over_article else ""
        yield Static(
            Text("Choose with up and down, open with enter. Press ? for help, q to quit." + back),
            classes="hint",
        )
        level = font_level(self)
        options = [
            Option(self.prompt(i, level), id=option_id)
            for i, (option_id, _, _, _) in enumerate(self.choices())
        ]
        yield OptionList(*options, id="choices")
        yield MessageLine(Text(self.message), id="message")

    def choices(self) -> list[tuple[str, str, str, str]]:
        """(option id, shown text, big-print text, spoken text) of each choice."""
        opening = "Open a web address or file"
        sample = "Read the built-in sample article"
        choices = [("open", f"{opening}…", opening, opening), ("sample", sample, sample, sample)]
        for i, (title, source) in enumerate(self.recent):
            title = clean(title)
            # Said: the title, then only where it is from (a whole path or URL is noise).
            spoken = f"Recent: {title}, from {source_name(clean(source))}"
            choices.append(
                (f"r{i}", f"Recent: {title} — {clean(source)}", f"Recent: {title}", spoken)
            )
        return choices

    def prompt(self, index: int, level: int) -> Text:
        """A choice as shown at font `level`: big glyphs for large print, with a blank row
        between choices so each stands apart."""
        _, shown, big, _ = self.choices()[index]
        if level <= 1:
            return Text(shown)
        text = sized_text(big, level, text_width(self, 8))
        text.append("\n")
        return text

    def apply_font(self, level: int) -> None:
        """Redraw the choices at `level` (the highlight stays where it is)."""
        choices = self.query_one(OptionList)
        for index in range(choices.option_count):
            choices.replace_option_prompt_at_index(index, self.prompt(index, level))
        self.set_class(level > 1, "large")

    def on_mount(self) -> None:
        self.set_class(font_level(self) > 1, "large")

    def spoken_options(self) -> list[str]:
        return [spoken for _, _, _, spoken in self.choices()]

    def action_escape(self) -> None:
        app = app_of(self)
        if app.cancel_loading():
            return
        if self.over_article:
            app.back_to_article()
        else:
            app.action_stop()

    def action_back(self) -> None:
        if self.over_article:
            app_of(self).back_to_article()
        else:
            self.action_no_article()

    def action_no_article(self) -> None:
        if self.over_article:
            hint = "The article waits behind this screen: escape goes back to it."
        else:
            hint = "No article is open. Choose one with up and down arrows, enter opens it."
        app_of(self).tell(hint, "menu")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        app = app_of(self)
        # The list highlights its first choice when it is built; show_start already says that
        # choice after the welcome, and saying it here would cut the welcome (or an error) off.
        first, self.first_highlight = self.first_highlight, False
        if first and event.option_index == 0:
            return
        if app.ready_to_speak_choices:
            count = event.option_list.option_count
            spoken = self.spoken_options()[event.option_index]
            app.say([f"{spoken}, {event.option_index + 1} of {count}"], "menu")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        app = app_of(self)
        option_id = event.option.id or ""
        if option_id == "open":
            app.action_open_dialog()
        elif option_id == "sample":
            app.open_source("sample")
        elif option_id.startswith("r"):
            app.open_source(self.recent[int(option_id[1:])][1])


class HelpRow(Static):
    """One key of the help list."""


class HelpBox(VerticalScroll):
    """The help list's scroller; never focused, so up and down reach the help screen's keys."""

    can_focus = False


class HelpScreen(ModalScreen[None]):
    """Every key, shown; the app speaks the same list. Up and down move through the keys, each
    said (to hear one again); escape, q, ? or f1 closes it. In large print the keys are drawn in
    big glyphs, one key at a time in view."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help"),
        # The reading keys do nothing here: said so, never silence.
        Binding(
            "space,enter,right,left,n,p,h,H,t,r,w,o,b,v,V,y,Y,slash,"
            "right_square_bracket,left_square_bracket,plus,equals_sign,minus",
            "hint",
            show=False,
        ),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("home", "move(-100)", show=False),
        Binding("end", "move(100)", show=False),
    ]
    AUTO_FOCUS = None

    def __init__(self) -> None:
        super().__init__()
        self.current: int | None = None  # the key row up/down last moved to

    def compose(self) -> ComposeResult:
        level = font_level(self)
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
        app_of(self).help_row(index)

    def show_row(self, index: int) -> None:
        """Mark key row `index` as the current one and scroll it into view."""
        rows = list(self.query(HelpRow))
        if index >= len(rows):
            return  # spoken before the rows were composed: the first key press shows it
        level = font_level(self)
        here = self.current
        if here is not None and here < len(rows):
            rows[here].remove_class("current")
            rows[here].update(self.row_text(here, level, False))
        self.current = index
        rows[index].add_class("current")
        rows[index].update(self.row_text(index, level, True))
        rows[index].scroll_visible(animate=False, top=level > 1)

    def action_close(self) -> None:
        self.dismiss(None)
        app_of(self).help_closed()

    def action_hint(self) -> None:
        app_of(self).say(
            ["Help is open. Up and down go through the keys, escape closes it."], "menu"
        )


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


class TypingDialog(ModalScreen[None]):
    """A dialog with one line to type in: each typed character is said (interrupting the last),
    and in large print what has been typed is echoed in big glyphs below the line."""

    BINDINGS = [Binding("escape", "close", "Close")]
    echo_id = ""

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self.echoed = value  # the text the last echo described

    def on_mount(self) -> None:
        self.set_class(font_level(self) > 1, "large")
        self.query_one(Input).focus()
        self.show_echo(self.echoed)

    def on_input_changed(self, event: Input.Changed) -> None:
        said = typing_echo(self.echoed, event.value)
        self.echoed = event.value
        self.show_echo(event.value)
        if said:
            app_of(self).say([said], "echo")

    def show_echo(self, value: str) -> None:
        level = font_level(self)
        box = self.query_one(f"#{self.echo_id}-box")
        box.display = level > 1 and bool(value)
        if box.display:
            # The end of what was typed matters most: keep it in view when it runs long.
            self.query_one(f"#{self.echo_id}", Static).update(
                sized_text(value, level, text_width(self, 10))
            )
            box.scroll_end(animate=False)


class OpenDialog(TypingDialog):
    """A web address or file path; enter opens it (the dialog stays, with the error, if it
    cannot be opened); escape closes it."""

    echo_id = "open-echo"

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
            app_of(self).say(["Type a web address or a file path first."], "dialog")
            return
        self.show_error("")
        app_of(self).open_source(value, dialog=self)

    def show_error(self, message: str) -> None:
        line = self.query_one("#open-error", MessageLine)
        line.update(sized_text(message, min(font_level(self), 2), text_width(self, 10)))
        line.set_class(bool(message), "error")

    def action_close(self) -> None:
        self.dismiss(None)
        app_of(self).dialog_closed()


class FindDialog(TypingDialog):
    """Words to find; enter reads from the next sentence that has them (the dialog stays,
    saying "Not found", when none has); escape closes it. Opens with the last search."""

    echo_id = "find-echo"

    def __init__(self, last: str = "") -> None:
        super().__init__(last)
        self.last = last

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
        app_of(self).find_text(event.value, self)

    def show_error(self, message: str) -> None:
        line = self.query_one("#find-error", MessageLine)
        line.update(sized_text(message, min(font_level(self), 2), text_width(self, 10)))
        line.set_class(bool(message), "error")

    def action_close(self) -> None:
        self.dismiss(None)
        app_of(self).find_closed()
