"""The reader's screens: reading, start and help (the typing dialogs are in dialogs.py).

Screens map keys to the app's actions and show state; the app (over its ReadingController) does
the work and the speaking. They never import the app: what they need comes in as arguments, and
what happened goes up as messages (reader/ui/messages.py).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.reading.controller import HELP
from reader.reading.session import ReadingSession, map_span
from reader.reading.tags import ReadingTag
from reader.text import clean
from reader.ui.base import SpokenModal, text_width
from reader.ui.messages import (
    BackToArticle,
    OpenSource,
    Say,
    SectionChosen,
    SectionHighlighted,
    SectionsClosed,
    StartEscape,
)
from reader.ui.widgets import (
    BigPrint,
    MessageLine,
    ReadingPane,
    SectionList,
    StatusLine,
    sized_text,
)

WINDOW = 150  # sentences shown at a time in the reading pane

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


def help_line(index: int) -> str:
    """A key of the key map as help says it."""
    _, spoken, what = KEYS[index]
    return f"{spoken}: {spoken_words(what)}."


def spoken_words(text: str) -> str:
    """Help text for the ear: 'Next / previous' would be read 'next slash previous'."""
    return text.replace(" / ", " or ")


class BigBox(VerticalScroll):
    """The large-print scroller; never focused, or it would take home, end, up and down for
    its own scrolling and the reading keys would fall silent at font sizes 2 to 5."""

    can_focus = False


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
        Binding("t", "app.sections", "Sections"),
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

    def __init__(self, level: int = 1) -> None:
        super().__init__()
        self.level = level  # the font size level (1 in a browser: the page's font is the print)

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
        self.apply_font(self.level)

    # -- actions that belong to the screen

    async def action_escape(self) -> None:
        if self.sections_open:
            self.close_sections()
        else:
            await self.run_action("app.stop")

    def open_sections(self, current: int) -> None:
        """`t`: focus the section list on section `current` (the app says it)."""
        sections = self.query_one(SectionList)
        sections.can_focus = True
        self.set_class(True, "sections-open")
        if sections.highlighted != current:
            # The app says this title; the list's own event for it would cut that off.
            self.quiet_highlight = current
            sections.highlighted = current
        sections.focus()

    def close_sections(self, spoken: bool = True) -> None:
        sections = self.query_one(SectionList)
        self.set_focus(None)
        sections.can_focus = False
        self.set_class(False, "sections-open")
        if spoken:
            self.post_message(SectionsClosed())

    @property
    def sections_open(self) -> bool:
        return self.has_class("sections-open")

    def action_scroll(self, lines: int) -> None:
        target = self.query_one("#big") if self.has_class("large") else self.query_one(ReadingPane)
        target.scroll_relative(y=lines, animate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        quiet, self.quiet_highlight = self.quiet_highlight, None
        if event.option_index == quiet:
            return
        if self.sections_open and event.option_list.has_focus:
            self.post_message(SectionHighlighted(event.option_index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.sections_open:
            self.close_sections(spoken=False)
            self.post_message(SectionChosen(event.option_index))

    # -- showing state

    def apply_font(self, level: int) -> None:
        """Level 1: outline and normal text. 2-5: big print only, the outline folded away."""
        self.level = level
        self.set_class(level > 1, "large")
        for n in range(1, 6):
            self.set_class(level == n, f"font-{n}")

    def show_reading(self, session: ReadingSession, font_size: int, theme: str) -> bool:
        """Show the session's section, sentence and word in the pane (or the big print).
        False while the screen is still being built (its first refresh will show it)."""
        section, sentence = session.position
        try:
            pane = self.query_one(ReadingPane)
        except NoMatches:
            return False
        window = max(sentence - 1, 0) // WINDOW
        if pane.section != (section, window):
            # A very long section (a page with no headings) is shown WINDOW lines at a time.
            utts = session.utterances_of(section)[window * WINDOW : (window + 1) * WINDOW + 1]
            shown = session.shown_of(section)[window * WINDOW : (window + 1) * WINDOW + 1]
            pane.show_section((section, window), shown, [u.sentence for u in utts])
            self.query_one(SectionList).highlighted = section
        word = None
        current = session.current
        shown_text = session.current_shown
        if session.word is not None and current is not None:
            tag = session.word.item.tag
            if isinstance(tag, ReadingTag) and tag == (section, sentence):
                start = session.word.offset
                word = map_span(current.text, shown_text, start, start + session.word.length)
        pane.highlight(sentence, word, theme)
        if self.has_class("large") and current is not None:
            big = self.query_one(BigPrint)
            big.show(shown_text, font_size, word)
            if big.highlight_row is not None:
                self.query_one("#big").scroll_to(y=big.highlight_row, animate=False)
        return True

    def show_status(self, text_for_width: Callable[[int], str]) -> None:
        """The status line, as long as its width allows."""
        try:
            line = self.query_one(StatusLine)
        except NoMatches:
            return
        width = line.size.width or self.app.size.width - 2  # its content: padding left out
        line.update(Text(text_for_width(width)))


def source_name(source: str) -> str:
    """Where an article is from, briefly: a web address's host, a file's name."""
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
        self,
        recent: list[tuple[str, str]],
        message: str = "",
        over_article: bool = False,
        level: int = 1,
    ) -> None:
        super().__init__()
        self.recent = recent  # (title, source)
        self.message = message
        self.over_article = over_article  # opened with b while reading: escape goes back
        self.level = level  # the large-print level (1 in a browser)
        self.first_highlight = True

    def compose(self) -> ComposeResult:
        yield Static(Text("Reader"), id="title")
        back = " Escape goes back to the article." if self.over_article else ""
        yield Static(
            Text("Choose with up and down, open with enter. Press ? for help, q to quit." + back),
            classes="hint",
        )
        level = self.level
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
        self.level = level
        choices = self.query_one(OptionList)
        for index in range(choices.option_count):
            choices.replace_option_prompt_at_index(index, self.prompt(index, level))
        self.set_class(level > 1, "large")

    def on_mount(self) -> None:
        self.set_class(self.level > 1, "large")

    def spoken_options(self) -> list[str]:
        return [spoken for _, _, _, spoken in self.choices()]

    def action_escape(self) -> None:
        self.post_message(StartEscape(self.over_article))

    def action_back(self) -> None:
        if self.over_article:
            self.post_message(BackToArticle())
        else:
            self.action_no_article()

    def action_no_article(self) -> None:
        if self.over_article:
            hint = "The article waits behind this screen: escape goes back to it."
        else:
            hint = "No article is open. Choose one with up and down arrows, enter opens it."
        self.post_message(Say([hint], "menu", shown=True))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The list highlights its first choice when it is built; show_start already says that
        # choice after the welcome, and saying it here would cut the welcome (or an error) off.
        first, self.first_highlight = self.first_highlight, False
        if first and event.option_index == 0:
            return
        count = event.option_list.option_count
        spoken = self.spoken_options()[event.option_index]
        said = f"{spoken}, {event.option_index + 1} of {count}"
        self.post_message(Say([said], "menu", choice=True))

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == "open":
            await self.run_action("app.open_dialog")
        elif option_id == "sample":
            self.post_message(OpenSource("sample"))
        elif option_id.startswith("r"):
            self.post_message(OpenSource(self.recent[int(option_id[1:])][1]))


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
