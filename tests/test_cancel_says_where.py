"""Escape while a page loads from the start screen's Open dialog: "Loading cancelled." and then
where the listener is and on which choice (a second user trial was left on the start screen
without hearing so). Real app (Pilot, real eSpeak, null audio), a slow page on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.app import running
from pytest_httpserver import HTTPServer
from textual.widgets import Input
from werkzeug import Request, Response

from reader.ui.screens import OpenDialog, StartScreen

pytestmark = pytest.mark.anyio


@pytest.fixture
def answer() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # no server thread is left waiting


@pytest.fixture
def slow(httpserver: HTTPServer, answer: threading.Event) -> str:
    def handler(_: Request) -> Response:
        answer.wait(20)
        return Response("<p>Too late.</p>", content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(handler)
    return httpserver.url_for("/slow")


async def test_cancelling_says_the_start_screen_and_its_choice(tmp_path: Path, slow: str) -> None:
    async with running(tmp_path, None) as run:
        mark = await run.press("o")
        dialog = run.app.screen
        assert isinstance(dialog, OpenDialog)
        await run.said("Open.", mark)
        dialog.query_one(Input).value = slow
        mark = await run.press("enter")
        await run.until(lambda: dialog.loading)
        mark = await run.press("escape")
        await run.said("Loading cancelled.", mark, exact=True)
        await run.said("Start screen.", mark, exact=True)
        await run.said("Open a web address or file, 1 of ", mark)
        assert isinstance(run.app.screen, StartScreen)
