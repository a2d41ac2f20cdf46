"""Navigation by element, the links list with its history, where am I and the sleep timer,
through the real app (Pilot), the real speech queue and eSpeak on the null audio backend, on
pages of our own served by pytest-httpserver on 127.0.0.1. The speech log is the oracle."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from helpers.app import Run
from helpers.app import running as app_running

from reader.reading.timekeeping import SleepTimer
from reader.ui.screens import HelpScreen, LinksScreen, ReaderScreen, StartScreen

SIZE = (100, 32)

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def running(tmp_path: Path, source: str | None, rate: int = 300) -> AsyncIterator[Run]:
    async with app_running(tmp_path, source, rate=rate, size=SIZE) as run:
        yield run


async def test_heading_keys_say_the_title_and_level_and_read_on(tmp_path: Path, site) -> None:
    async with running(tmp_path, site("guide.html")) as run:
        mark = await run.press("2")
        assert (await run.said("Treatment", mark))["section"] == 1
        await run.said("heading level 2", mark)
        await run.then_reads(1, 1, mark)  # reading goes on: skim reading
        assert run.app.session.state == "playing"
        mark = await run.press("3")
        await run.said("Infusions", mark)
        mark = await run.press("2")
        await run.said("Daily life", mark)
        mark = await run.press("2")
        await run.said("Getting help", mark)
        mark = await run.press("2")
        await run.said("No next level 2 heading.", mark)  # never silence
        mark = await run.press("at")  # shift+2 in a terminal: previous level 2
        await run.said("Getting help", mark)  # the heading of the part being read
        mark = await run.press("at")
        await run.said("Daily life", mark)
        mark = await run.press("exclamation_mark")  # shift+1
        await run.said("Living with MS: a guide", mark)
        await run.said("heading level 1", mark)
        # Held at the title: read on, the intro's two sentences end in ~5 s, and on a busy
        # machine the next key could come after reading had moved into "Treatment".
        await run.pause_reading()
        mark = await run.press("shift+2")  # as the kitty keyboard protocol names it
        await run.said("No previous level 2 heading.", mark)
        mark = await run.press("4")
        await run.said("No next level 4 heading.", mark)


async def test_list_and_paragraph_keys(tmp_path: Path, site) -> None:
    async with running(tmp_path, site("guide.html")) as run:
        mark = await run.press("l")
        await run.said("List, 3 items.", mark)  # extraction's own cue (issue 12 item 1)
        await run.heard("every four weeks", mark)
        mark = await run.press("l")
        await run.said("Nested list, 2 items.", mark)  # a nested list is a stop of its own
        await run.said("The first dose is split in two", mark)
        mark = await run.press("l")
        await run.said("List, 3 items.", mark)
        await run.heard("Keep cool in hot weather", mark)
        mark = await run.press("l")
        await run.said("No next list.", mark)
        await run.pause_reading()  # (reading is back at the start of that list)
        mark = await run.press("L")
        await run.said("Nested list, 2 items.", mark)
        await run.pause_reading()
        mark = await run.press("L")
        await run.said("List, 3 items.", mark)
        await run.pause_reading()
        mark = await run.press("L")
        await run.said("No previous list.", mark)
        mark = await run.press("home")
        await run.then_reads(0, 0, mark)
        mark = await run.press("ctrl+down")
        await run.said("Multiple sclerosis affects the brain", mark)
        mark = await run.press("ctrl+down")
        await run.said("Read it from the start, or jump to the part you need.", mark)
        position = await run.pause_reading()
        mark = await run.press("ctrl+down")  # the next paragraph is the next heading
        await run.said("Treatment", mark)
        assert run.app.session.state == "playing"
        await run.pause_reading()
        run.app.session.go_to(*position)
        mark = await run.press("ctrl+up")
        await run.said("Multiple sclerosis affects the brain", mark)
        mark = await run.press("home", "ctrl+up")
        await run.said("No previous paragraph.", mark)


async def test_the_table_key_says_the_row_and_the_first_row(tmp_path: Path, site) -> None:
    async with running(tmp_path, site("guide.html"), rate=200) as run:
        mark = await run.press("T")
        await run.said("Not in a table.", mark)
        session = run.app.session
        first_row = next(
            index for index in range(session.total) if "Fingolimod" in session.utterance(index).text
        )
        session.go_to(*_position(session, first_row))
        await run.pause_reading()
        mark = await run.press("T")
        said = (await run.said("Row ", mark))["text"]
        # The row again in full (the header row is not a row).
        assert said == "Row 1 of 2: Drug: Fingolimod; Dose: 0.5 milligrams; How often: daily."


def _position(session, index: int) -> tuple[int, int]:
    u = session.utterance(index)
    return u.section, u.sentence


async def test_following_a_link_and_backspace_restore_the_same_sentence(
    tmp_path: Path, site
) -> None:
    async with running(tmp_path, site("guide.html")) as run:
        mark = await run.press("3")  # Infusions
        await run.then_reads(2, 1, mark)
        here = await run.pause_reading()
        mark = await run.press("k")
        assert isinstance(run.app.screen, LinksScreen)
        # Opens on the first link after the paragraph being read.
        await run.said("Links, 3 items. MS Society, 2 of 3. Up and down to move", mark)
        mark = await run.press("down")
        await run.said("phone numbers, 3 of 3", mark)
        mark = await run.press("up", "up")
        await run.said("guide to infusion side effects, 1 of 3", mark)
        mark = await run.press("enter")
        await run.said("Loading guide to infusion side effects", mark)
        await run.until(lambda: run.app.article_source == site("other.html"))
        await run.said("Infusion side effects. Press space to read.", mark)
        assert isinstance(run.app.screen, ReaderScreen)
        mark = await run.press("n")  # read a little of the other page
        await run.then_reads(1, 1, mark)
        mark = await run.press("backspace")
        await run.until(lambda: run.app.article_source == site("guide.html"))
        said = await run.said("Back to Living with MS: a guide.", mark)
        assert "Resuming at section 3 of 7, Infusions" in said["text"]
        await run.then_reads(*here, mark)
        assert run.app.session.position[0] == here[0]
        mark = await run.press("backspace")
        await run.said("No article to go back to.", mark)


async def test_links_list_escape_goes_back_to_reading(tmp_path: Path, site) -> None:
    async with running(tmp_path, site("other.html")) as run:
        mark = await run.press("space")
        await run.then_reads(0, 1, mark)
        mark = await run.press("k")
        await run.said("Links, 1 item. guide, 1 of 1.", mark)
        mark = await run.press("escape")
        await run.said("Links list closed.", mark)
        assert isinstance(run.app.screen, ReaderScreen)
        assert run.app.session.state == "playing"  # it was reading: reading goes on
    async with running(tmp_path, site("third.html")) as run:
        mark = await run.press("k")
        await run.said("This article has no links.", mark)
        assert isinstance(run.app.screen, ReaderScreen)


async def test_where_am_i_says_percent_and_time_left_first(tmp_path: Path, site) -> None:
    async with running(tmp_path, site("guide.html"), rate=175) as run:
        await run.press("2")
        await run.pause_reading()
        mark = await run.press("w")
        said = (await run.said("", mark))["text"]
        assert re.match(r"\d+ percent, (under a minute|\d+ minutes?) left\. Section 2 of 7: ", said)


async def test_sleep_timer_cycles_and_a_short_real_one_warns_stops_and_saves(
    tmp_path: Path, site
) -> None:
    async with running(tmp_path, site("guide.html"), rate=120) as run:
        for said in ("15 minutes", "30 minutes", "60 minutes", "off"):
            mark = await run.press("z")
            await run.said(f"Sleep timer {said}.", mark)
        # The app's own clock (time.monotonic) and its once-a-second tick, with a short timer.
        run.app.reading.time.sleep = SleepTimer(steps=(5.0,), warn_before=3.0)
        mark = await run.press("z")
        await run.said("Sleep timer 5 seconds.", mark)
        await run.press("2")  # reading from the next part, as one falls asleep
        await run.said("Sleep timer: 3 seconds left.", mark)
        assert run.app.session.state == "playing"
        await run.said("Sleep timer ended. Reading stopped. Your place is saved.", mark)
        session = run.app.session
        assert session.state == "stopped"
        saved = run.app.store.position(site("guide.html"))
        assert saved is not None and (saved.section, saved.sentence) == session.position
        assert session.position[0] >= 1


async def test_help_lists_the_new_keys_and_other_screens_say_why_they_do_nothing(
    tmp_path: Path, site
) -> None:
    async with running(tmp_path, site("guide.html")) as run:
        mark = await run.press("question_mark")
        assert isinstance(run.app.screen, HelpScreen)
        await run.said("Help. Keys.", mark)
        queued = [item.text for item in run.app.session._keep]  # all of help, to be said
        assert "k: Links list: up and down speak each link, enter opens it." in queued
        assert "shift 1 to shift 6: Previous heading of that level." in queued
        for key in ("2", "l", "k", "z", "backspace"):
            mark = await run.press(key)
            await run.said("Help is open. Up and down go through the keys", mark)
        await run.press("escape")
    async with running(tmp_path, None) as run:
        assert isinstance(run.app.screen, StartScreen)
        for key in ("2", "l", "k", "backspace"):
            mark = await run.press(key)
            await run.said("No article is open. Choose one with up and down arrows", mark)
