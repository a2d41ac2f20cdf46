"""A feed as a list of its articles: up and down say each one ("title, date, 3 of 20,
unread"), enter reads it, s follows the feed, c turns continuous listening on or off, b opens
the start screen (other feeds, recent articles) and escape goes back to the article the list
was opened over (else to the start screen)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.reading.listening import FeedListening
from reader.text import clean
from reader.ui.messages import OpenFeedItem, Say, ShowStart, StartEscape
from reader.ui.screens.base import LIST_SCREEN_KEYS, ChoiceScreen, built, leaving, went_round
from reader.ui.widgets import ChoiceList


class FeedScreen(ChoiceScreen):
    AUTO_FOCUS = "#items"
    BINDINGS = [
        *LIST_SCREEN_KEYS,
        Binding("escape", "escape", "Back"),
        Binding("b", "start", "Start screen"),
        Binding("s", "app.follow_feed", "Follow this feed"),
        Binding("c", "app.toggle_continuous", "Continuous listening"),
    ]

    def __init__(
        self,
        listening: FeedListening,
        level: int = 1,
        message: str = "",
        over_article: bool = False,
    ) -> None:
        super().__init__(message)
        self.listening = listening
        self.over_article = over_article  # opened with b while reading: escape goes back
        self.level = level
        self.message = message
        self.said_message = message  # what is said for it (an error: its address in words)
        # The list highlights an item as it is built (and again the one on_mount sets):
        # welcome() says that item already, after the feed's name, so the highlights are quiet
        # until it is reached (said at once, the item cut the name off).
        self.settled = False

    def compose(self) -> ComposeResult:
        yield Static(Text(clean(self.listening.feed.title)), id="title")
        yield Static(Text(self.instructions()), classes="hint")
        options = [
            Option(self.prompt(i), id=f"i{i}") for i in range(len(self.listening.feed.items))
        ]
        self.drawn_level = self.level
        yield ChoiceList(*options, id="items")  # says "Top of list." when it goes round
        yield self.message_line

    def on_mount(self) -> None:
        self.set_class(self.level > 1, "large")
        if leaving(self):  # the app quit while it was being built
            return
        if self.drawn_level != self.level:
            self.draw_lines()  # the print changed while it was being built
        items = self.query_one(OptionList)
        if self.listening.current is not None and items.option_count:
            items.highlighted = self.listening.current

    def line(self, index: int, big: bool) -> str:
        """An item: its label ("title, date, 3 of 20, unread"), or in big print its title."""
        if big:
            return clean(self.listening.feed.items[index].title)
        return clean(self.listening.label(index))

    def refresh_item(self, index: int) -> None:
        """An item's read mark changed: redraw its line."""
        if not built(self):
            return  # drawn as it is built (or not at all, while it is taken down)
        items = self.query_one(OptionList)
        if index < items.option_count:
            items.replace_option_prompt_at_index(index, self.prompt(index))

    def instructions(self) -> str:
        """Shown under the title and said after the first item, as the other lists do."""
        said = "Up and down go through the articles, enter reads one, s follows the feed, "
        said += "b the start screen."
        if self.over_article:
            said += " Escape goes back to the article."
        return said

    def first_item(self) -> int:
        """The item highlighted as the list opens: the one being read, or the first."""
        return self.listening.current or 0

    def welcome(self) -> list[str]:
        """The message, the feed's name and counts, the item highlighted, the instructions:
        each said whole (the item, said separately, cut the name off)."""
        said = [self.said_message] if self.said_message else []
        said.append(self.listening.heading())
        if self.listening.feed.items:
            said.append(self.listening.label(self.first_item()))
        said.append(self.instructions())
        return said

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        went = went_round(event.option_list)  # this move's, taken whatever happens
        if not self.settled:
            self.settled = event.option_index == self.first_item()
            return
        said = [*went, self.listening.label(event.option_index)]
        self.post_message(Say(said, "menu", choice=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.post_message(OpenFeedItem(event.option_index))

    def action_start(self) -> None:
        """b: the start screen, for recent articles and other feeds (b from the article brought
        up this list, so b again goes on, to the start screen; escape goes back)."""
        self.post_message(ShowStart())

    def action_escape(self) -> None:
        if self.over_article:  # b while reading an item brought it up: back to the article
            self.post_message(StartEscape(over_article=True))
        else:
            self.post_message(ShowStart())

    def action_no_article(self) -> None:
        hint = "This is the list of the feed's articles: up and down choose, enter reads."
        self.post_message(Say([hint], "menu", shown=True))
