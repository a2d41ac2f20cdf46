"""Contrast of what the real reader draws: every character on the start screen, the reading screen
at font size 1 and 3 (sentence and word highlighted while reading), the section list, help and the
dialogs, in each of the three themes, must reach 7:1 against its background (borders 3:1)."""

from __future__ import annotations

import pytest
from helpers.paths import UserDirs
from helpers.speech import reader_driver
from helpers.waiting import until
from textual.pilot import Pilot

from reader.ui.app import ReaderApp
from reader.ui.screens import FindDialog, HelpScreen, OpenDialog, ReaderScreen, StartScreen
from reader.ui.themes import THEMES, audit_contrast
from reader.ui.widgets import BigPrint, ReadingPane

SIZE = (100, 30)

pytestmark = pytest.mark.anyio


class Audit:
    def __init__(self, app: ReaderApp, pilot: Pilot) -> None:
        self.app, self.pilot = app, pilot
        self.seen: list[str] = []

    async def check(self, what: str) -> None:
        await self.pilot.pause()
        problems = audit_contrast(self.app)
        assert problems == [], f"{self.app.theme}, {what}: {problems[:5]}"
        self.seen.append(what)


@pytest.mark.parametrize("theme", list(THEMES))
async def test_every_drawn_character_reaches_the_contrast_minimum(
    user_dirs: UserDirs, theme: str
) -> None:
    config = user_dirs.config
    config.mkdir(exist_ok=True)
    # A bad value, so the start screen also shows a message in the error style.
    (config / "settings.toml").write_text(f'theme = "{theme}"\nvolume = "loud"\n')
    app = ReaderApp(None, audio="null", rate=1000, driver=reader_driver())
    async with app.run_test(size=SIZE) as pilot:
        audit = Audit(app, pilot)
        await until(pilot, lambda: app.queue is not None and isinstance(app.screen, StartScreen))
        assert app.theme == theme
        assert "error" in app.screen.query_one("#message").classes
        await audit.check("start screen with an error message")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await audit.check("help over the start screen")
        await pilot.press("escape", "o")
        assert isinstance(app.screen, OpenDialog)
        await pilot.press(*"nowhere.html", "enter")
        await until(pilot, lambda: "error" in app.screen.query_one("#open-error").classes)
        await audit.check("open dialog showing an error")
        await pilot.press("escape", "down", "enter")  # the built-in sample
        await until(pilot, lambda: app.session is not None and isinstance(app.screen, ReaderScreen))
        pane = app.screen.query_one(ReadingPane)
        await until(pilot, lambda: app.session.word is not None and pane.current is not None)
        await audit.check("reading, font size 1, sentence and word highlighted")
        await pilot.press("t")
        await audit.check("section list open")
        await pilot.press("escape", "plus", "plus")
        big = app.screen.query_one(BigPrint)
        await until(pilot, lambda: big.word is not None and app.screen.has_class("font-3"))
        await audit.check("reading, font size 3, word highlighted")
        await pilot.press("minus", "minus", "slash")
        assert isinstance(app.screen, FindDialog)
        await audit.check("find dialog")
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await audit.check("help over the reading screen")
    assert len(audit.seen) == 8
