"""The app never crashes on timing: a screen being built or taken down while speech events,
a font change or a quit arrive. Each test drives the real app into the window where a screen's
widgets are not all there (it is mounting, or being removed as the app exits) and does what a
speech event, a key or a hang-up would do there, tick by tick, so the window is always hit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.app import STEADY, Run, running
from helpers.paths import UserDirs, seed_copy
from textual.widgets import OptionList

from reader.load import load_article_or_feed
from reader.reading.setup import prepare
from reader.reading.types import ReadingTag
from reader.store import Store
from reader.ui.messages import ArticleLoaded, SpeechUpdate
from reader.ui.screens import ReaderScreen, StartScreen
from voices.base import SpeechEvent, SpeechItem

pytestmark = pytest.mark.anyio


@pytest.fixture
def page(tmp_path: Path) -> str:
    return seed_copy(tmp_path)


async def speech_events_until_it_has_gone(run: Run, screen: ReaderScreen) -> int:
    """Speech events, once a tick, as the queue's thread posts them, until the reading screen
    has no widgets left; returns how many ticks it had only some of them."""
    app, ticks = run.app, 0
    word = SpeechEvent("word", SpeechItem("Reading on", tag=ReadingTag(0, 0)), 0, 7)
    whole = len(list(screen.walk_children()))
    for _ in range(100_000):  # bounded: a closing app is gone within a few hundred ticks
        left = len(list(screen.walk_children()))
        if not left:
            break
        ticks += left < whole
        app.post_message(SpeechUpdate(word))
        app.view.speech_update(word)  # as its handler does, should the app not take it in time
        await asyncio.sleep(0)
    return ticks


async def test_speech_events_while_the_large_print_screen_is_taken_down(
    tmp_path: Path, page: str
) -> None:
    """Speech events still arrive while the app exits and the reading screen's widgets are
    removed one by one (the big print before the pane): showing them is skipped, not a
    NoMatches crash (seen once in test_home_and_end after + +)."""
    async with running(tmp_path, page, autoplay=True, rate=STEADY) as run:
        await run.press("plus", "plus")
        await run.then_reads(0, 0)
        screen = run.app.reader_screen
        assert isinstance(screen, ReaderScreen) and screen.has_class("large")
        events = asyncio.create_task(speech_events_until_it_has_gone(run, screen))
    # Leaving `running` took the app down as run_test does: its screens were removed while
    # its own message loop still took the speech events (a crash there is raised above).
    assert await events > 0
    assert run.app.crash is None


async def article_opens_then(run: Run, page: str, leave: Callable[[], object]) -> None:
    """Open `page` (as a finished load does) and leave in the same tick, while its reading
    screen is still being built."""
    loaded = await asyncio.to_thread(lambda: prepare(load_article_or_feed(page)))
    run.app.on_article_loaded(ArticleLoaded(page, loaded, "", None))
    screen = run.app.reader_screen
    assert screen is not None and not screen.is_mounted
    left = leave()
    if asyncio.iscoroutine(left):
        await left
    await run.until(lambda: run.app.return_code is not None)


@pytest.mark.parametrize("way", ["q", "exit", "hang-up"])
async def test_quitting_while_the_reading_screen_is_built_exits_cleanly(
    tmp_path: Path, page: str, user_dirs: UserDirs, way: str
) -> None:
    """q, ctrl+c, app.exit() from anywhere or a hang-up at the moment an article's screen is
    mounting: a clean exit (status 0, no crash) with the place saved."""
    async with running(tmp_path, None) as run:
        app = run.app
        leave = {
            "q": lambda: app.run_action("quit_reader"),
            "exit": app.exit,
            "hang-up": app.exit_on_signal,
        }[way]
        await article_opens_then(run, page, leave)
    assert app.crash is None, app.crash
    assert app.return_code == 0
    saved = Store(user_dirs.data).position(page)
    assert saved is not None and (saved.section, saved.sentence) == (0, 0)


async def test_a_font_change_as_the_start_screen_opens_draws_it_at_the_new_size(
    tmp_path: Path, page: str
) -> None:
    """+ pressed the moment b has pushed the start screen, before it is built: it is drawn
    at the new level once built (a lookup of its list then found nothing and crashed)."""
    async with running(tmp_path, page) as run:
        app = run.app
        app.action_start_screen()
        start = app.screen
        assert isinstance(start, StartScreen) and not start.is_mounted
        app.set_font(3)
        await run.until(lambda: start.is_mounted)
        await run.pilot.pause()
        assert app.crash is None and start.has_class("large")
        choices = start.query_one(OptionList)
        prompt = choices.get_option_at_index(0).prompt
        assert "\n" in str(prompt)  # big glyphs: several rows, not the one-line text
