"""The links list (k, after NVDA's elements list): up and down say each link's text, enter opens
it in the reader (the article left keeps its place; backspace comes back to it), escape goes
back to reading."""

from __future__ import annotations

from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.model import Link
from reader.reading.types import LINKS
from reader.text import clean, counted
from reader.ui.messages import Say
from reader.ui.screens.base import SpokenModal, leaving, text_width, went_round
from reader.ui.widgets import ChoiceList, sized_text


def link_text(link: Link) -> str:
    """What a link is called: its text, or (an image link with no words) where it goes."""
    text = " ".join(clean(link.text).split())
    if text:
        return text
    parts = urlsplit(link.href)
    return clean(f"{parts.hostname or ''}{parts.path}".strip("/")) or "link"


class LinksScreen(SpokenModal[Link]):
    """The article's links; dismissed with the link chosen, or None (escape)."""

    modal = LINKS
    tag = "links"
    AUTO_FOCUS = "#links"
    BINDINGS = [Binding("escape,k", "close", "Close the links list")]
    DEFAULT_CSS = """
    LinksScreen { align: center middle; }
    #links-box {
        width: 90%; max-width: 100; height: 90%;
        border: heavy $reader-focus; background: $reader-background; padding: 0 1;
    }
    LinksScreen.large #links-box { width: 100%; max-width: 100%; }
    #links { height: 1fr; }
    """

    def __init__(self, links: list[Link], first: int = 0, level: int = 1) -> None:
        super().__init__(level)
        self.links = links
        self.first = min(max(first, 0), len(links) - 1)
        # The list highlights its first link as it is built, then the one on_mount sets:
        # said() says that one already, so the highlights are quiet until it is reached.
        self.settled = False

    def said(self) -> list[str]:
        count = len(self.links)
        return [
            f"Links, {counted(count, 'item')}. {self.spoken(self.first)}. "
            "Up and down to move, enter to open, escape to go back."
        ]

    def spoken(self, index: int) -> str:
        return f"{link_text(self.links[index])}, {index + 1} of {len(self.links)}"

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box"):
            yield Static(Text("Links", style="bold underline"), id="links-title")
            options = [Option(self.prompt(i), id=f"l{i}") for i in range(len(self.links))]
            yield ChoiceList(*options, id="links")
            yield Static(Text("Enter opens the link. Escape goes back."), classes="hint")

    def prompt(self, index: int) -> Text:
        """A link as shown: its text and where it goes (big glyphs: its text only)."""
        link = self.links[index]
        if self.level > 1:
            text = sized_text(link_text(link), self.level, text_width(self, 10))
            text.append("\n")
            return text
        text = Text(link_text(link), style="bold")
        text.append(f"  {clean(link.href)}")
        return text

    def on_mount(self) -> None:
        self.set_class(self.level > 1, "large")
        if leaving(self):  # the app quit while it was being built
            return
        options = self.query_one(OptionList)
        options.highlighted = self.first

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        went = went_round(event.option_list)
        if not self.settled:
            self.settled = event.option_index == self.first
            return
        self.post_message(Say([*went, self.spoken(event.option_index)], "links"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
