"""Saving the place and the settings, and saying honestly when that failed (issue 9 item 3):
the part of ReadingController that writes to disk, kept apart so the controller stays small.

A mixin: ReadingController sets the attributes declared below in its __init__."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reader.errors import ReaderError
from reader.settings import Settings, save_settings

if TYPE_CHECKING:
    from reader.reading.session import ReadingSession
    from reader.reading.types import View
    from reader.store import Store


class Saving:
    session: ReadingSession | None
    article_source: str | None
    store: Store
    settings: Settings
    view: View
    notices: list[str]
    save_errors: dict[str, str]  # what could not be saved, by kind, until it is
    leaving: bool
    quitting: threading.Event

    def is_piped(self, source: str) -> bool:
        raise NotImplementedError

    def announce(self, text: str, tag: str = "message", error: bool = False) -> None:
        raise NotImplementedError

    def save_all(self) -> None:
        """Position and settings; safe to call again (each save writes the same thing)."""
        self.save_position()
        self.save_settings()

    def save_position(self, now: bool = True) -> None:
        session, source = self.session, self.article_source
        if session is None or source is None or self.is_piped(source):
            return
        section, sentence = session.position
        try:
            self.store.save_position(
                source, section, sentence, session.article.title, finished=session.finished
            )
        except ReaderError as err:
            self.save_failed("position", err, now)
        else:
            self.save_errors.pop("position", None)
        # The store writes an unsaved recent entry with the next change, so it now fares (and
        # is told) as the place does: one sentence, not two, for one full disk.
        self.save_errors.pop("recent", None)

    def save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except ReaderError as err:
            self.save_failed("settings", err)
            return
        self.save_errors.pop("settings", None)

    def save_failed(self, kind: str, err: ReaderError, now: bool = True) -> None:
        """Shown every time; said once per new reason (a full disk must not interrupt reading
        every few seconds). now=False: said with the notices before the next article."""
        text = str(err)
        new = self.save_errors.get(kind) != text
        self.save_errors[kind] = text
        if not new or self.leaving or self.quitting.is_set():  # quitting: the goodbye says it
            self.view.show_message(text, error=True)
        elif now:
            self.announce(text, "error", error=True)
        else:
            self.notices.append(text)
            self.view.show_message(text, error=True)

    def goodbye(self) -> str:
        """Never "position saved" when it was not: then the failure is the goodbye."""
        unsaved = " ".join(self.save_errors.values())
        if unsaved:
            return f"{unsaved} Goodbye."
        return "Goodbye, position saved." if self.session is not None else "Goodbye."
