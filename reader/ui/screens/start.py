"""The start screen: open a web address or file, a recent article, or the sample."""

from __future__ import annotations

from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.text import clean
from reader.ui.messages import (
    BackToArticle,
    OpenSource,
    Say,
    StartEscape,
)
from reader.ui.screens.base import LIST_SCREEN_KEYS, ChoiceScreen, leaving, went_round
from reader.ui.widgets import ChoiceList


def source_name(source: str) -> str:
    """Where an article is from, briefly: a web address's host, a file's name."""
    if "://" in source and not source.startswith("file:"):
        host = urlsplit(source).hostname or source
        return host.removeprefix("www.")
    name = source.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1]
    return name or source


class StartScreen(ChoiceScreen):
    """`reader` with no article: open a web address or file, a recent article, or the sample."""

    AUTO_FOCUS = "#choices"
    BINDINGS = [
        *LIST_SCREEN_KEYS,
        Binding("escape", "escape", "Stop speech, or back to the article"),
        Binding("b", "back", "Back to the article", show=False),
    ]

    def __init__(
        self,
        recent: list[tuple[str, str]],
        message: str = "",
        over_article: bool = False,
        level: int = 1,
        feeds: list[tuple[str, str, int]] | None = None,
    ) -> None:
        super().__init__(message)
        self.recent = recent  # (title, source)
        self.feeds = feeds or []  # (title, url, unread) of the followed feeds
        self.message = message
        self.said_message = message  # what is said for it (an error: its address in words)
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
        options = [
            Option(self.prompt(i), id=option_id)
            for i, (option_id, _, _, _) in enumerate(self.choices())
        ]
        self.drawn_level = self.level
        yield ChoiceList(*options, id="choices")
        yield self.message_line

    def choices(self) -> list[tuple[str, str, str, str]]:
        """(option id, shown text, big-print text, spoken text) of each choice."""
        opening = "Open a web address or file"
        sample = "Read the built-in sample article"
        choices = [("open", f"{opening}…", opening, opening), ("sample", sample, sample, sample)]
        for i, (title, _, unread) in enumerate(self.feeds):
            said = f"Feed: {clean(title)}, {unread} unread"
            choices.append((f"f{i}", said, f"Feed: {clean(title)}", said))
        for i, (title, source) in enumerate(self.recent):
            title = clean(title)
            # Said: the title, then only where it is from (a whole path or URL is noise).
            spoken = f"Recent: {title}, from {source_name(clean(source))}"
            choices.append(
                (f"r{i}", f"Recent: {title} — {clean(source)}", f"Recent: {title}", spoken)
            )
        return choices

    def line(self, index: int, big: bool) -> str:
        _, shown, big_print, _ = self.choices()[index]
        return big_print if big else shown

    def on_mount(self) -> None:
        self.set_class(self.level > 1, "large")
        if self.drawn_level != self.level and not leaving(self):
            self.draw_lines()  # the print changed while it was being built

    def welcome(self) -> list[str]:
        """What is said as it opens: its message, what it is, and its first choice."""
        welcome = "Reader. Choose with up and down arrows, open with enter. Question mark for help."
        if self.over_article:
            welcome = "Start screen. Choose with up and down arrows, open with enter. "
            welcome += "Escape goes back to the article."
        first = f"Open a web address or file, 1 of {2 + len(self.feeds) + len(self.recent)}"
        return [m for m in (self.said_message, welcome, first) if m]

    def current_choice(self) -> str:
        """The highlighted choice as the list says it: "Open a web address or file, 1 of 4"."""
        return self._choice_said(self.query_one(OptionList).highlighted or 0)

    def _choice_said(self, index: int) -> str:
        count = self.query_one(OptionList).option_count
        return f"{self.spoken_options()[index]}, {index + 1} of {count}"

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
        went = went_round(event.option_list)
        if first and event.option_index == 0:
            return
        said = self._choice_said(event.option_index)
        self.post_message(Say([*went, said], "menu", choice=True))

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == "open":
            await self.run_action("app.open_dialog")
        elif option_id == "sample":
            self.post_message(OpenSource("sample"))
        elif option_id.startswith("f"):
            self.post_message(OpenSource(self.feeds[int(option_id[1:])][1]))
        elif option_id.startswith("r"):
            self.post_message(OpenSource(self.recent[int(option_id[1:])][1]))
