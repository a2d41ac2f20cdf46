"""Snapshots of the reader: main screen at font size 1, 3 and 5, and help. Deterministic: the app is
opened with autoplay off, and the picture is taken once speech has fallen quiet."""

from __future__ import annotations

from helpers.paths import SEED
from helpers.speech import reader_driver
from helpers.waiting import until
from textual.pilot import Pilot

from reader.ui.app import ReaderApp
from reader.ui.screens import HelpScreen

SIZE = (100, 30)


def make_app() -> ReaderApp:
    return ReaderApp(str(SEED), audio="null", autoplay=False, rate=1000, driver=reader_driver())


async def quiet(pilot: Pilot) -> None:
    """Wait (bounded) until the article is open and nothing is being said."""
    app: ReaderApp = pilot.app  # type: ignore[assignment]
    await until(
        pilot,
        lambda: app.session is not None and app.queue is not None and not app.queue.speaking,
        what="the reader falling quiet",
    )
    await pilot.pause()


def test_main_screen_font_size_1(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=quiet)


def test_main_screen_font_size_3(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await quiet(pilot)
        await pilot.press("plus", "plus")
        await quiet(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_main_screen_font_size_5(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await quiet(pilot)
        await pilot.press("plus", "plus", "plus", "plus")
        await quiet(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await quiet(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        # The highlight follows help read aloud; home stops that on the first key, so the
        # picture does not depend on how far the voice got.
        await pilot.press("home")
        await quiet(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
