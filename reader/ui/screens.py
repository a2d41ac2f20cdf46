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

from reader.ui.widgets import BigPrint, MessageLine, ReadingPane, SectionList, StatusLine, clean

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

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        with Vertical(id="body"):
            yield SectionList(id="sections")
            yield ReadingPane(id="pane")
            with VerticalScroll(id="big"):
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
        target = self.query_one("#big") if self.has_class("large") else self.query_one(ReadingPane)
        target.scroll_relative(y=lines, animate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
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


class StartScreen(Screen[None]):
    """`reader` with no article: open a web address or file, a recent article, or the sample."""

    AUTO_FOCUS = "#choices"
    BINDINGS = [
        Binding("o", "app.open_dialog", "Open"),
        Binding("question_mark,f1", "app.help", "Help"),
        Binding("q", "app.quit_reader", "Quit"),
        Binding("escape", "app.stop", "Stop speech"),
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

    def __init__(self, recent: list[tuple[str, str]], message: str = "") -> None:
        super().__init__()
        self.recent = recent  # (title, source)
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(Text("Reader"), id="title")
        yield Static(
            Text("Choose with up and down, open with enter. Press ? for help, q to quit."),
            classes="hint",
        )
        options = [
            Option(Text("Open a web address or file…"), id="open"),
            Option(Text("Read the built-in sample article"), id="sample"),
        ]
        for i, (title, source) in enumerate(self.recent):
            options.append(Option(Text(f"Recent: {clean(title)} — {clean(source)}"), id=f"r{i}"))
        yield OptionList(*options, id="choices")
        yield MessageLine(Text(self.message), id="message")

    def spoken_options(self) -> list[str]:
        return [str(o.prompt) for o in self.query_one(OptionList).options]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        app = app_of(self)
        if app.ready_to_speak_choices:
            count = event.option_list.option_count
            app.say([f"{event.option.prompt}, {event.option_index + 1} of {count}"], "menu")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        app = app_of(self)
        option_id = event.option.id or ""
        if option_id == "open":
            app.action_open_dialog()
        elif option_id == "sample":
            app.open_source("sample")
        elif option_id.startswith("r"):
            app.open_source(self.recent[int(option_id[1:])][1])


class HelpScreen(ModalScreen[None]):
    """Every key, shown; the app speaks the same list. Escape, q, ? or f1 closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help"),
        Binding("up", "scroll(-1)", show=False),
        Binding("down", "scroll(1)", show=False),
    ]
    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        table = Text()
        width = max(len(keys) for keys, _, _ in KEYS) + 2
        for keys, _, what in KEYS:
            table.append(keys.ljust(width), style="bold")
            table.append(what + "\n")
        table.append("\nPress escape to close this help.", style="bold")
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold underline"), id="help-title")
            yield Static(table, id="help-keys")

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-box").scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
        app_of(self).help_closed()


class OpenDialog(ModalScreen[None]):
    """A web address or file path; enter opens it (the dialog stays, with the error, if it
    cannot be opened); escape closes it."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="open-box"):
            yield Static(Text("Open a web address or file", style="bold"), id="open-title")
            yield Input(placeholder="https://… or a file path, or: sample", id="open-input")
            yield Static(Text("Enter opens it. Escape goes back."), classes="hint")
            yield MessageLine("", id="open-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            app_of(self).say(["Type a web address or a file path first."], "dialog")
            return
        self.show_error("")
        app_of(self).open_source(value, dialog=self)

    def show_error(self, message: str) -> None:
        line = self.query_one("#open-error", MessageLine)
        line.update(Text(clean(message)))
        line.set_class(bool(message), "error")

    def action_close(self) -> None:
        self.dismiss(None)
        app_of(self).dialog_closed()


class FindDialog(ModalScreen[None]):
    """Words to find; enter reads from the next sentence that has them (the dialog stays,
    saying "Not found", when none has); escape closes it. Opens with the last search."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, last: str = "") -> None:
        super().__init__()
        self.last = last

    def compose(self) -> ComposeResult:
        with Vertical(id="find-box"):
            yield Static(Text("Find in the article", style="bold"), id="find-title")
            yield Input(value=self.last, placeholder="words to find", id="find-input")
            yield Static(
                Text("Enter reads from the next sentence with them. Escape goes back."),
                classes="hint",
            )
            yield MessageLine("", id="find-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        app_of(self).find_text(event.value, self)

    def show_error(self, message: str) -> None:
        line = self.query_one("#find-error", MessageLine)
        line.update(Text(clean(message)))
        line.set_class(bool(message), "error")

    def action_close(self) -> None:
        self.dismiss(None)
        app_of(self).find_closed()
