"""The voice choice (ctrl+y): up and down say each voice, enter chooses it, tab switches between
the article's voice and the voice of the reader's own words; while the natural voice is not
installed, its row installs it with one key (enter), saying how the download goes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.reading.controller import ReadingController
from reader.reading.types import Modal
from reader.reading.voicemenu import choose, natural_installed, voice_menu
from reader.text import clean
from reader.ui.messages import Say
from reader.ui.screens.base import SpokenModal, leaving, text_width, went_round
from reader.ui.widgets import ChoiceList, MessageLine, sized_text
from voices.piper_install import INSTALLED, InstallError, install
from voices.piper_switch import NATURAL_VOICE

VOICES = Modal(True, "Voices closed.", "message", "dialog")
STILL_INSTALLING_EVERY = 10.0  # seconds without news before "Still installing" is said


class VoicesScreen(SpokenModal[str]):
    """Dismissed with what was chosen, said as it closes (None: escape)."""

    modal: ClassVar[Modal] = VOICES
    tag = "voices"
    AUTO_FOCUS = "#voice-list"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("tab", "switch", "Article or interface voice"),
    ]
    DEFAULT_CSS = """
    VoicesScreen { align: center middle; }
    #voices-box {
        width: 80%; max-width: 90; height: 80%;
        border: heavy $reader-focus; background: $reader-background; padding: 0 1;
    }
    VoicesScreen.large #voices-box { width: 100%; max-width: 100%; height: 100%; }
    #voice-list { height: 1fr; }
    """

    def __init__(self, reading: ReadingController, level: int = 1) -> None:
        super().__init__(level)
        self.reading = reading
        self.menu = voice_menu(reading, for_interface=False)
        self.installing = False
        self.quiet_highlight: int | None = None  # set by the screen itself: said already
        self.unsaid = ""  # install progress not yet said (speech was busy)
        self.first_step = False
        self.quiet_since = 0.0  # install: seconds since something was last said

    def said(self) -> list[str]:
        return self.menu.opening()

    def compose(self) -> ComposeResult:
        with Vertical(id="voices-box"):
            yield Static(Text(self.menu.title(), style="bold"), id="voices-title")
            yield ChoiceList(id="voice-list")
            yield Static(
                Text("Enter chooses. Tab: article or interface voice. Escape goes back."),
                classes="hint",
            )
            yield MessageLine("", id="voices-message")

    def on_mount(self) -> None:
        self.set_class(self.level > 1, "large")
        self.show_menu(self.menu.start)
        self.set_interval(1.0, self.tell_progress)

    # -- the list

    def show_menu(self, highlight: int) -> None:
        if leaving(self):  # the app quit while it was being built, or an install ended
            return
        self.query_one("#voices-title", Static).update(Text(self.menu.title(), style="bold"))
        voices = self.query_one(OptionList)
        voices.clear_options()
        width = text_width(self, 8)
        for index in range(self.menu.count):
            shown = clean(self.menu.row(index))
            prompt = Text(shown) if self.level <= 1 else sized_text(shown, self.level, width)
            voices.add_option(Option(prompt, id=f"v{index}"))
        self.quiet_highlight = highlight  # said by whoever showed the menu
        voices.highlighted = highlight

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        quiet, self.quiet_highlight = self.quiet_highlight, None
        went = went_round(event.option_list)
        if event.option_index != quiet and not self.installing:
            self.say([*went, self.menu.spoken_row(event.option_index)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.installing:
            self.say(["Still installing the natural voice; please wait."])
        elif self.menu.is_install(event.option_index):
            self.start_install()
        else:
            self.dismiss(choose(self.reading, self.menu, event.option_index))

    def action_switch(self) -> None:
        if self.installing:
            self.say(["Still installing the natural voice; please wait."])
            return
        self.menu = voice_menu(self.reading, not self.menu.for_interface)
        self.show_menu(self.menu.start)
        self.say(self.menu.opening())

    def action_close(self) -> None:
        if self.installing:
            # pip cut off halfway could leave the packages half there: it runs to its end.
            self.say(["Still installing the natural voice; it cannot be stopped halfway."])
            return
        self.dismiss(None)

    def closed(self, said: str | None, was_playing: bool) -> None:
        """After it has gone: say what was chosen (or that it closed); reading goes on."""
        modal = self.modal if said is None else self.modal._replace(closed=said)
        self.reading.modal_closed(modal, was_playing, said or "")

    def say(self, texts: list[str], shown: bool = False) -> None:
        self.quiet_since = 0.0
        if shown:
            self.show_line(texts[0])
        self.post_message(Say(texts, self.tag))

    def show_line(self, text: str, error: bool = False) -> None:
        if leaving(self):
            return
        line = self.query_one("#voices-message", MessageLine)
        line.update(sized_text(clean(text), min(self.level, 2), text_width(self, 10)))
        line.set_class(error, "error")

    # -- installing the natural voice

    def start_install(self) -> None:
        self.installing = True
        self.first_step = True  # it answers the key: said at once
        self.run_worker(self.install, thread=True, exit_on_error=False, group="install")

    def install(self) -> None:
        """(A worker thread.) pip, its progress told as it goes."""
        try:
            install(lambda text: self.app.call_from_thread(self.progress, text))
        except InstallError as err:
            self.app.call_from_thread(self.install_ended, str(err))
        except Exception as err:  # noqa: BLE001 - said in one sentence, never a traceback
            self.app.call_from_thread(self.install_ended, f"The install failed: {err}")
        else:
            self.app.call_from_thread(self.install_ended, "")

    def progress(self, text: str) -> None:
        """Each step is shown at once, and said when nothing else is being said (a newer
        step replaces one still waiting), so the listener hears how far it has got."""
        self.show_line(text)
        if text == INSTALLED:
            return  # said with the voice to choose, once the list shows it
        queue = self.reading.queue
        if not self.first_step and queue is not None and queue.speaking:
            self.unsaid = text
        else:
            self.unsaid, self.first_step = "", False
            self.say([text])

    def tell_progress(self) -> None:
        """Every second while installing: a step still unsaid, or after a long silence (a big
        download), that it is still going."""
        if not self.installing:
            return
        queue = self.reading.queue
        if queue is not None and queue.speaking:
            return
        self.quiet_since += 1.0
        if self.unsaid:
            text, self.unsaid = self.unsaid, ""
            self.say([text])
        elif self.quiet_since >= STILL_INSTALLING_EVERY:
            self.say(["Still installing the natural voice."])

    def install_ended(self, error: str) -> None:
        self.installing = False
        self.unsaid = ""
        if error:
            self.show_line(error, error=True)
            self.say([error])
            return
        natural_installed(self.reading)
        self.menu = voice_menu(self.reading, self.menu.for_interface)
        ids = [v.id for v in self.menu.voices]
        at = ids.index(NATURAL_VOICE.id) if NATURAL_VOICE.id in ids else self.menu.start
        self.show_menu(at)
        self.show_line(INSTALLED)
        self.say([INSTALLED, f"{self.menu.spoken_row(at)}. Press enter to choose it."])
