"""A user trial heard whole web addresses spelt out in spoken errors ("The page
http://example.com/2026/11/some-long-slug?x=1 was not found"). An error is now said with the
page's last path part in words and its site ("The page some long slug on example.com was not
found."), and shown (and printed by the command line) with the whole address as before.
"Loading …" is said the same way. The speech log is the oracle for what is heard."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from helpers.app import SIZE, Run, message_line, running
from helpers.cli import assert_one_line_error, run
from helpers.speech import reader_driver
from pytest_httpserver import HTTPServer
from textual.widgets import Input
from werkzeug import Request, Response

from reader.errors import FetchError
from reader.source.fetch import fetch
from reader.text import said_addresses, said_page
from reader.ui.app import ReaderApp
from reader.ui.screens import OpenDialog, StartScreen

pytestmark = pytest.mark.anyio

LONG = "/2026/11/some-long-slug-about-infusions-for-people-with-relapsing-ms-and-their-nurses"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://example.com/2026/11/some-long-slug?x=1", "some long slug on example.com"),
        (
            "https://www.example.com/news/story_of_the_day.html#top",
            "story of the day on example.com",
        ),
        ("https://example.com/", "example.com"),
        ("https://example.com/index.php", "example.com"),
        ("https://example.com/blog/2026/11/", "blog on example.com"),
        ("https://example.com/p/12345", "example.com"),
        ("http://127.0.0.1:8080/a%20page", "a page on 127.0.0.1"),
    ],
)
def test_a_page_address_is_said_as_its_last_part_and_its_site(url: str, said: str) -> None:
    assert said_page(url) == said


def test_an_address_inside_a_sentence_is_said_and_its_punctuation_kept() -> None:
    sentence = "Could not fetch https://example.com/a/some-page: connection reset."
    assert said_addresses(sentence) == "Could not fetch some page on example.com: connection reset."
    # Shortened for the eye, its path is lost: the site alone.
    shortened = "The page https://example.com/2026/11/some-lo…-nurses was not found."
    assert said_addresses(shortened) == "The page example.com was not found."
    assert said_addresses("No address here.") == "No address here."


def test_a_404_is_shown_with_its_address_and_said_with_its_page(httpserver: HTTPServer) -> None:
    httpserver.expect_request(LONG).respond_with_data("gone", status=404)
    url = httpserver.url_for(LONG)
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert str(caught.value).startswith("The page http://127.0.0.1:")
    assert str(caught.value).endswith("(HTTP 404).")
    assert caught.value.said == (
        "The page some long slug about infusions for people with on 127.0.0.1 was not found."
    )


def test_the_command_line_still_prints_the_whole_address(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone-story").respond_with_data("gone", status=404)
    url = httpserver.url_for("/gone-story")
    done = run("text", url)
    assert done.returncode == 3
    assert assert_one_line_error(done.stderr) == f"The page {url} was not found (HTTP 404)."


async def test_the_app_says_the_page_and_site_and_shows_the_address(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/2026/11/some-long-slug").respond_with_data("gone", status=404)
    url = httpserver.url_for("/2026/11/some-long-slug?x=1")
    log = tmp_path / "log.jsonl"
    app = ReaderApp(url, audio="null", speech_log=log, rate=500, driver=reader_driver())
    async with app.run_test(size=SIZE) as pilot:
        heard = Run(app, pilot, log)
        await heard.until(lambda: isinstance(app.screen, StartScreen))
        await heard.said("The page some long slug on 127.0.0.1 was not found.", exact=True)
        await heard.said("Open a web address or file, 1 of")
        texts = heard.texts()
        assert not any("http" in text for text in texts), texts
        shown = message_line(app)
        assert "/2026/11/some-long-slug?x=1" in shown and "(HTTP 404)" in shown


async def test_an_address_typed_to_open_is_said_as_its_page_and_site(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    heard_loading = threading.Event()  # the page answers once "Loading …" has been heard

    def handler(_: Request) -> Response:
        heard_loading.wait(20)
        return Response("gone", status=404)

    httpserver.expect_request("/2026/11/some-long-slug").respond_with_handler(handler)
    url = httpserver.url_for("/2026/11/some-long-slug?x=1")
    async with running(tmp_path, None) as heard:
        mark = await heard.press("o")
        dialog = heard.app.screen
        assert isinstance(dialog, OpenDialog)
        dialog.query_one(Input).value = url
        mark = await heard.press("enter")
        try:
            await heard.said("Loading some long slug on 127.0.0.1", mark, exact=True)
        finally:
            heard_loading.set()
        await heard.said("The page some long slug on 127.0.0.1 was not found.", mark, exact=True)
        shown = str(dialog.query_one("#open-error").render())
        assert "some-long-slug?x=1 was not found (HTTP 404)" in shown
        assert not any("http" in text for text in heard.texts(mark))
