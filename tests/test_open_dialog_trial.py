"""What a user trial found in the Open dialog (where an address or path is typed): while a page
loaded the field still took keys (typed characters were echoed over "Loading", enter loaded it
again), and after a failure the listener could not tell the field was ready for a new address.
Now, while loading, escape cancels, q quits and every other key is answered "Still loading.";
after a failure the error is said and shown, and the field has the focus again with the
address in it selected (typing replaces it; end keeps it to correct). Through the real app
(Pilot), a real HTTP server and eSpeak on the null audio backend; the speech log is the
oracle."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.app import Run, running
from pytest_httpserver import HTTPServer
from textual.widgets import Input
from werkzeug import Request, Response

from reader.ui.screens import OpenDialog, StartScreen

pytestmark = pytest.mark.anyio

SLUG = "/2026/11/infusion-slows-ms?ref=home"


@pytest.fixture
def answer() -> Iterator[threading.Event]:
    """Set to let the slow page answer (and at the end, so no server thread is held)."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def slow_404(httpserver: HTTPServer, answer: threading.Event) -> str:
    """A page that takes its time, then is not found."""

    def handler(_: Request) -> Response:
        answer.wait(20)
        return Response("gone", status=404)

    httpserver.expect_request("/2026/11/infusion-slows-ms").respond_with_handler(handler)
    return httpserver.url_for(SLUG)


async def open_dialog(run: Run) -> OpenDialog:
    mark = await run.press("o")
    dialog = run.app.screen
    assert isinstance(dialog, OpenDialog)
    await run.said("Open.", mark)
    return dialog


async def start_loading(run: Run, dialog: OpenDialog, address: str) -> int:
    dialog.query_one(Input).value = address
    mark = await run.press("enter")
    await run.said("Loading", mark)
    await run.until(lambda: dialog.loading)
    return mark


async def test_keys_while_loading_are_answered_and_never_typed(
    tmp_path: Path, slow_404: str, answer: threading.Event
) -> None:
    async with running(tmp_path, None) as run:
        dialog = await open_dialog(run)
        first = await start_loading(run, dialog, slow_404)
        field = dialog.query_one(Input)
        assert "Loading" in str(dialog.query_one("#open-error").render())  # shown as well
        mark = await run.press("x")
        await run.said("Still loading. Escape cancels.", mark)
        mark = await run.press("enter", "backspace")
        await run.pilot.pause(0.3)
        assert field.value == slow_404, "a key reached the field while loading"
        assert "x" not in run.texts(mark)
        loads = [t for t in run.texts(first) if t.startswith("Loading")]
        assert len(loads) == 1, f"enter loaded the page again: {loads}"
        answer.set()
        await run.said("The page infusion slows ms on 127.0.0.1 was not found.", mark, exact=True)
        await run.said(OpenDialog.again, mark)
        # Ready for a new address: focused, the address kept and selected.
        assert run.app.screen is dialog and not dialog.loading
        await run.until(lambda: run.app.focused is field)
        assert field.value == slow_404
        assert (field.selection.start, field.selection.end) == (0, len(slow_404))
        shown = str(dialog.query_one("#open-error").render())
        assert "was not found (HTTP 404)" in shown and "127.0.0.1" in shown
        mark = await run.press("s")  # typing replaces the selected address
        assert field.value == "s"
        await run.said("s", mark)


async def test_escape_while_loading_cancels_and_q_quits(tmp_path: Path, slow_404: str) -> None:
    async with running(tmp_path, None) as run:
        dialog = await open_dialog(run)
        await start_loading(run, dialog, slow_404)
        mark = await run.press("escape")
        await run.said("Loading cancelled.", mark)
        await run.until(lambda: isinstance(run.app.screen, StartScreen))
        dialog = await open_dialog(run)
        await start_loading(run, dialog, slow_404)
        mark = await run.press("q")
        await run.said("Goodbye", mark)
        await run.until(lambda: run.app.return_code is not None)
