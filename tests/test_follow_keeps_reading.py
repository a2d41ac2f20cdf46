"""s on an article follows its page's feed and reading goes on, as after w, k or +: a second
user trial heard "Following …" and then silence, reading left stopped. Real app (Pilot, real
eSpeak, null audio), the page and its feed served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.app import running
from pytest_httpserver import HTTPServer

pytestmark = pytest.mark.anyio

SENTENCES = [f"Sentence {n} of the story is about resting well." for n in range(1, 31)]


@pytest.fixture
def page(httpserver: HTTPServer) -> str:
    body = "".join(f"<p>{s}</p>" for s in SENTENCES)
    html = (
        "<html><head><title>Resting well</title>"
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
        f"<body><article><h1>Resting well</h1>{body}</article></body></html>"
    )
    rss = (
        "<rss version='2.0'><channel><title>MS News Today</title><item><title>Resting well"
        "</title><link>/story</link><guid>s1</guid></item></channel></rss>"
    )
    httpserver.expect_request("/story").respond_with_data(html, content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss, content_type="application/rss+xml"
    )
    return httpserver.url_for("/story")


async def test_following_a_pages_feed_goes_on_reading(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page, autoplay=True, rate=450) as run:
        await run.said(SENTENCES[0])
        mark = await run.press("s")
        following = await run.said("Following MS News Today: 1 article.", mark)
        # Reading goes on after the announcement, from where it was.
        await run.until(
            lambda: any(
                r["text"] in SENTENCES and r["t"] > following["t"] for r in run.starts(mark)
            )
        )
