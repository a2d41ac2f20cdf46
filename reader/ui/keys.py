"""What the app-wide keys do. The screens' bindings name these `app.…` (the reading screen's,
and the start screen's and a feed list's, which answer the same keys the same way): each is a
call into the ReadingController, or a talking dialog pushed with `push_spoken` (help's
highlight then follows the line being read). A base of
ReaderApp, so the app itself is only its lifecycle and its screen stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from reader.reading.controller import ReadingController
from reader.reading.types import OPEN, Announcement
from reader.serve import is_served, reload_at_level
from reader.ui.messages import HelpSpoken
from reader.ui.screens import HelpScreen, OpenDialog, ReaderScreen, StartScreen, push_spoken
from reader.ui.screens.voices import VoicesScreen
from reader.ui.themes import next_theme, theme_label
from voices.base import SpeechEvent

if TYPE_CHECKING:
    from reader.ui.feedflow import FeedFlow
    from reader.ui.view import ReadingView


class ReaderKeys(App[int]):
    reading: ReadingController
    view: ReadingView
    feeds: FeedFlow

    def cancel_loading(self) -> bool:
        """Drop a load in progress (the app's: loading is its lifecycle); False if none."""
        raise NotImplementedError

    def font_level(self) -> int:
        """The large-print level screens draw at (1 in a browser: the page's font is the print)."""
        return 1 if is_served() else self.reading.settings.font_size

    def action_play_pause(self) -> None:
        self.reading.play_pause()

    def action_stop(self) -> None:
        if not self.cancel_loading():
            self.reading.stop()

    def action_navigate(self, method: str) -> None:
        """A reading move: next/prev sentence or section, repeat, start, end."""
        self.reading.navigate(method)

    def action_where(self) -> None:
        self.reading.where()

    def action_rate(self, direction: int) -> None:
        self.reading.change_rate(direction)

    def action_volume(self, step: float) -> None:
        self.reading.change_volume(step)

    def action_voice(self, step: int) -> None:
        self.reading.voices.cycle(step)

    def action_voices(self) -> None:
        """ctrl+y: the voice choice (the article's voice, the interface's, installing one)."""
        if self.reading.queue is None:
            self.reading.tell("Speech is still starting.")
        elif not isinstance(self.screen, VoicesScreen):
            screen = VoicesScreen(self.reading, self.font_level())
            push_spoken(self, self.reading, screen, screen.closed)

    def action_font(self, step: int) -> None:
        self.set_font(self.reading.settings.font_size + step)

    def set_font(self, level: int) -> None:
        level, said, at_limit = self.reading.set_font(level)
        if is_served():
            # In a browser the level is the page's real font size, set only at page load: save
            # the place and settings, then reload the page; the new app process resumes here.
            self.reading.announce(said, "font")
            if not at_limit:
                self.reading.save_all()
                reload_at_level(self, level)
            return
        if isinstance(self.screen, (ReaderScreen, StartScreen)):
            self.screen.apply_font(level)
        self.reading.announce(said, "font")
        self.view.refresh_reading()

    def action_next_theme(self) -> None:
        self.theme = next_theme(self.theme)
        self.reading.set_theme(self.theme, theme_label(self.theme))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            push_spoken(self, self.reading, HelpScreen(self.font_level()), self.help_closed)

    def help_closed(self, _: None, was_playing: bool) -> None:
        over_article = self.reading.session is not None and isinstance(self.screen, ReaderScreen)
        otherwise = "Help closed. Press space to go on reading." if over_article else ""
        self.reading.modal_closed(HelpScreen.modal, was_playing, otherwise)

    def on_help_spoken(self, message: HelpSpoken) -> None:
        session = self.reading.session
        if session is not None and not session.is_current(message.item):
            return  # a line of the list that up or down has already cut off: stale
        if not self.screen_stack:
            return  # the app is closing: a late speech event must not crash the way out
        if isinstance(self.screen, HelpScreen):
            self.screen.follow(message.text)

    def help_line_started(self, event: SpeechEvent) -> None:
        """(Speech thread.) Help read aloud moves its highlight along."""
        item = event.item
        if event.kind == "start" and item is not None and item.tag == Announcement("help"):
            self.post_message(HelpSpoken(item.text, item))

    def action_open_dialog(self) -> None:
        if not isinstance(self.screen, OpenDialog):
            dialog = OpenDialog(level=self.font_level())
            push_spoken(self, self.reading, dialog, self.dialog_closed)

    def dialog_closed(self, source: str | None, _: bool) -> None:
        # Escape while it loads: it must not open after all. (Reading stays paused.)
        if source is None and not self.cancel_loading():
            self.reading.tell(OPEN.closed, OPEN.tell_tag)
        self.view.update_status()

    def action_follow_feed(self) -> None:
        self.feeds.follow()

    def action_toggle_continuous(self) -> None:
        self.feeds.toggle_continuous()
