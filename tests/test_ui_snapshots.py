"""Snapshots of the reader: main screen at font size 1, 3 and 5, and help. Deterministic: the app is
opened with autoplay off, and the picture is taken once speech has fallen quiet."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import returning_user
from textual.pilot import Pilot

from reader.ui.app import ReaderApp
from reader.ui.screens import HelpScreen

FIXTURE = Path(__file__).parent / "fixtures" / "seed_like.html"
SIZE = (100, 30)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))
    returning_user(tmp_path / "config")
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READER_AUDIO", "null")


def make_app() -> ReaderApp:
    return ReaderApp(str(FIXTURE), audio="null", autoplay=False, rate=1000)


async def quiet(pilot: Pilot, timeout: float = 20.0) -> None:
    """Wait (bounded) until the article is open and nothing is being said."""
    app: ReaderApp = pilot.app  # type: ignore[assignment]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.session is not None and app.queue is not None and not app.queue.speaking:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the reader did not fall quiet")


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
