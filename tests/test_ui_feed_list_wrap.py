"""The feed list says when it goes round, as every other list does ("Bottom of list." on up
from the first item, "Top of list." on down from the last): a second user trial heard it go
round in silence. Real app (Pilot, real eSpeak, null audio), the feed served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.app import running
from pytest_httpserver import HTTPServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def feed(httpserver: HTTPServer) -> str:
    items = "".join(
        f"<item><title>Story {n}</title><link>/s/{n}</link><guid>s{n}</guid>"
        f"<pubDate>Mon, {day:02d} Nov 2026 10:00:00 +0000</pubDate>"
        f"<description>Story {n} has one short sentence.</description></item>"
        for n, day in ((2, 19), (1, 18))
    )
    rss = f"<rss version='2.0'><channel><title>MS News Today</title>{items}</channel></rss>"
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss, content_type="application/rss+xml"
    )
    return httpserver.url_for("/feed.xml")


async def test_the_feed_list_says_when_it_goes_round(tmp_path: Path, feed: str) -> None:
    async with running(tmp_path, feed, rate=700, wait=False) as run:
        await run.said("Feed: MS News Today")
        await run.said("Story 2, 19 November 2026, 1 of 2, unread")
        mark = await run.press("up")
        first = await run.said("Bottom of list.", mark, exact=True)
        item = await run.said("Story 1, 18 November 2026, 2 of 2, unread", mark)
        assert first["t"] <= item["t"]
        mark = await run.press("down")
        await run.said("Top of list.", mark, exact=True)
        await run.said("Story 2, 19 November 2026, 1 of 2, unread", mark)
        mark = await run.press("down")
        await run.said("Story 1, 18 November 2026, 2 of 2, unread", mark)
        assert not any("of list" in t for t in run.texts(mark))
