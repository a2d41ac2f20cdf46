"""A page that takes long to arrive is not met with silence: 'Still loading' is said every few
seconds until it opens. Real app, real eSpeak, a real slow server on 127.0.0.1."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from helpers.app import Run, running
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.ui.loading import LOAD_THREAD
from reader.ui.screens import StartScreen

pytestmark = pytest.mark.anyio

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Slow news</title>
</head><body><article><h1>Slow news</h1><p>This page took its time to arrive. It is here
now.</p></article></body></html>"""


async def test_a_slow_page_is_announced_as_still_loading(
    tmp_path: Path, httpserver: HTTPServer, release: threading.Event
) -> None:
    def slow(request: Request) -> Response:
        # The page arrives once "Still loading" has been said, however long that takes on a
        # busy machine (a fixed 4.5 s could end before the first one was due).
        release.wait(60)
        return Response(PAGE, content_type="text/html; charset=utf-8")

    httpserver.expect_request("/slow.html").respond_with_handler(slow)
    async with running(tmp_path, httpserver.url_for("/slow.html"), wait=False) as run:
        await run.said("Still loading")
        release.set()
        await run.until(lambda: run.app.session is not None)
        texts = [r["text"] for r in run.starts()]
        assert texts[0] == "Loading slow on 127.0.0.1"  # the address said as page and site
        assert "Still loading" in texts
        assert run.app.article is not None and run.app.article.title == "Slow news"
        # and once it has opened, no more of it: longer than the 3 s between two of them is
        # the only way to hear that nothing more comes
        await run.pilot.pause(3.5)
        later = [r["text"] for r in run.starts()]
        assert later.count("Still loading") == texts.count("Still loading")


async def test_escape_cancels_a_slow_load_and_keys_meanwhile_say_it_is_loading(
    tmp_path: Path, httpserver: HTTPServer, release: threading.Event
) -> None:
    """A listener who gives up on a slow page presses escape: the load is dropped (the page
    must not open later and start talking), and they are back at the start screen."""
    answered = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(60)  # until the test has cancelled the load
        answered.set()
        return Response(PAGE, content_type="text/html; charset=utf-8")

    httpserver.expect_request("/slow.html").respond_with_handler(slow)
    async with running(tmp_path, httpserver.url_for("/slow.html"), wait=False) as run:
        await run.until(lambda: run.app.queue is not None)
        mark = await run.press("space")
        await run.said("Still loading. Escape cancels.", mark)
        mark = await run.press("escape")
        await run.said("Loading cancelled.", mark)
        assert isinstance(run.app.screen, StartScreen)
        release.set()  # the server answers now, after the cancel
        await run.until(lambda: answered.is_set() and fetch_threads() == 0 and not loading(run))
        await run.pilot.pause(0.5)  # what the late answer could still set off has run
        assert run.app.article is None and isinstance(run.app.screen, StartScreen)
        assert "Slow news" not in " ".join(r["text"] for r in run.starts())


async def test_escape_ends_the_download_thread_before_the_server_answers(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A cancelled load must not keep its thread and socket until a dead server answers: nine
    escapes used to leave nine threads and nine open connections behind."""
    release = threading.Event()

    def stalled(request: Request) -> Response:
        release.wait(60)
        return Response(PAGE, content_type="text/html; charset=utf-8")

    httpserver.expect_request("/stalled.html").respond_with_handler(stalled)
    try:
        async with running(tmp_path, httpserver.url_for("/stalled.html"), wait=False) as run:
            await run.until(lambda: run.app.queue is not None)
            await run.until(lambda: fetch_threads() > 0)
            mark = await run.press("escape")
            await run.said("Loading cancelled.", mark)
            # Still inside the block: the server has not answered, the reader let go itself.
            await run.until(lambda: fetch_threads() == 0)
    finally:
        release.set()


def fetch_threads() -> int:
    return sum(t.name == "reader-fetch" for t in threading.enumerate())


def loading(run: Run) -> bool:
    """A thread of the app's that opens a source is still running."""
    return any(t.name == LOAD_THREAD for t in threading.enumerate())
