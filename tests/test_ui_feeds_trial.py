"""What a user trial of the feed list found (a legally blind listener, an MS news site's feed of
five items: three articles, a dead link and a PDF; and a broken feed), in the real app (Pilot,
real eSpeak, null audio) with the feeds served by a real HTTP server on 127.0.0.1: a failing
item keeps the listener on the list, on that item; the list says its name whole and its
instructions; a damaged feed is said to be damaged; b on the list reaches the start screen and
escape the article; a skipped item stays unread in the list as in the store; s on a followed
feed says it is already followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.app import Run, running
from helpers.cli import assert_one_line_error
from helpers.cli import run as run_reader
from helpers.paths import UserDirs
from pytest_httpserver import HTTPServer
from textual.widgets import OptionList

from reader.store import Store
from reader.subscriptions import subscriptions
from reader.ui.screens import ReaderScreen, StartScreen
from reader.ui.screens.feed import FeedScreen

pytestmark = pytest.mark.anyio

HINT = "Up and down go through the articles"


def trial_feed(base: str) -> str:
    """Five items, newest first: three stories the feed carries whole, a dead link, a PDF."""

    def story(n: int, day: int) -> str:
        return (
            f"<item><title>Story {n}</title><link>/s/{n}</link><guid>s{n}</guid>"
            f"<pubDate>Mon, {day:02d} Nov 2026 10:00:00 +0000</pubDate>"
            f"<content:encoded><![CDATA[<p>Story {n} has one short sentence.</p>]]>"
            "</content:encoded></item>"
        )

    def linked(title: str, path: str, guid: str, day: int) -> str:
        return (
            f"<item><title>{title}</title><link>{base}{path}</link><guid>{guid}</guid>"
            f"<pubDate>Mon, {day:02d} Nov 2026 10:00:00 +0000</pubDate></item>"
        )

    return (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>MS News Today</title><link>http://example.org/</link>"
        f"{story(3, 20)}{story(2, 19)}{story(1, 18)}"
        f"{linked('Gone story', '/gone', 'gone', 17)}{linked('Annual report', '/r.pdf', 'pdf', 16)}"
        "</channel></rss>"
    )


@pytest.fixture
def feed(httpserver: HTTPServer) -> str:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(
        trial_feed(base), content_type="application/rss+xml"
    )
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    httpserver.expect_request("/r.pdf").respond_with_data(
        b"%PDF-1.4 not an article", content_type="application/pdf"
    )
    return httpserver.url_for("/feed.xml")


@pytest.fixture
def garbage(httpserver: HTTPServer) -> str:
    """A broken feed: one item with neither text nor link, the XML cut off."""
    broken = "<rss><channel><title>Broken</title><item><title>x</title></item><item><tit"
    httpserver.expect_request("/garbage.xml").respond_with_data(
        broken, content_type="application/rss+xml"
    )
    return httpserver.url_for("/garbage.xml")


def highlighted(run: Run) -> int | None:
    return run.app.screen.query_one(OptionList).highlighted


async def test_a_dead_link_item_is_said_and_the_listener_stays_on_that_item(
    tmp_path: Path, feed: str
) -> None:
    async with running(tmp_path, feed, rate=700, wait=False) as run:
        await run.said("Feed: MS News Today, 5 items, 5 unread.")
        mark = await run.press("down", "down", "down")
        await run.said("Gone story, 17 November 2026, 4 of 5, unread", mark)
        mark = await run.press("enter")
        said = await run.heard("was not found", mark)  # (the status is shown, not said)
        await run.pilot.pause(0.5)
        assert isinstance(run.app.screen, FeedScreen)
        assert highlighted(run) == 3
        assert not any(t.startswith("Reader. Choose") for t in run.texts(mark)), run.texts(mark)
        assert "was not found" in run.app.screen.query_one("#message").render().plain
        # Still on the list: down goes on from the item that failed.
        mark = await run.press("down")
        await run.said("Annual report, 16 November 2026, 5 of 5, unread", mark)
        assert said["event"] == "start"


async def test_a_damaged_feed_is_said_so_and_its_bad_item_keeps_the_list(
    tmp_path: Path, garbage: str
) -> None:
    async with running(tmp_path, garbage, rate=700, wait=False) as run:
        damaged = await run.heard("damaged")
        assert "the items that could be read are listed" in damaged["text"]
        await run.said("Feed: Broken, ")
        mark = await run.press("enter")
        await run.said("The item 'x' has neither text nor a link.", mark)
        await run.pilot.pause(0.5)
        assert isinstance(run.app.screen, FeedScreen)
        assert not any(t.startswith("Reader. Choose") for t in run.texts(mark))


async def test_the_list_says_its_instructions_after_the_item(tmp_path: Path, feed: str) -> None:
    async with running(tmp_path, feed, rate=700, wait=False) as run:
        await run.said("Feed: MS News Today, 5 items, 5 unread.")
        await run.said("Story 3, 20 November 2026, 1 of 5, unread")
        hint = await run.said(HINT)
        texts = run.texts()
        assert texts.index(hint["text"]) > texts.index("Story 3, 20 November 2026, 1 of 5, unread")
        assert "enter reads one" in hint["text"] and "b the start screen" in hint["text"]


@pytest.mark.parametrize("downs", [0, 1])
async def test_back_to_the_list_the_feed_is_named_whole_before_the_item(
    tmp_path: Path, feed: str, downs: int
) -> None:
    async with running(tmp_path, feed, autoplay=True, rate=300, wait=False) as run:
        await run.said("Feed: MS News Today")
        mark = await run.press("c")  # one article, no hand-off: it stays open
        await run.said("Continuous listening off.", mark)
        title = ["Story 3", "Story 2"][downs]
        mark = await run.press(*["down"] * downs, "enter")
        await run.said(f"{title} has one short sentence.", mark)
        await run.until(lambda: isinstance(run.app.screen, ReaderScreen))
        mark = await run.press("b")
        heading = "Feed: MS News Today, 5 items, 5 unread."
        label = ["Story 3, 20 November 2026, 1 of 5", "Story 2, 19 November 2026, 2 of 5"][downs]
        await run.said(label, mark)
        await run.said(HINT, mark)
        records = [r for r in run.records()[mark:] if r["event"] in ("start", "end", "stop")]
        events = [r["event"] for r in records if r["text"] == heading]
        assert events[:2] == ["start", "end"], records  # heard whole, not cut by the item
        assert isinstance(run.app.screen, FeedScreen)
        assert highlighted(run) == downs


async def test_b_on_the_list_opens_the_start_screen_and_escape_goes_back_to_the_article(
    tmp_path: Path, feed: str
) -> None:
    async with running(tmp_path, feed, autoplay=True, rate=300, wait=False) as run:
        await run.said("Feed: MS News Today")
        mark = await run.press("c")  # one article, no hand-off: it stays open
        await run.said("Continuous listening off.", mark)
        mark = await run.press("enter")
        await run.said("Story 3 has one short sentence.", mark)
        await run.until(lambda: isinstance(run.app.screen, ReaderScreen))
        mark = await run.press("b")  # from a feed's article: its list
        await run.said("Feed: MS News Today", mark)
        await run.said("Up and down go through the articles", mark)
        hint = run.texts(mark)[-1]
        assert hint.endswith("b the start screen. Escape goes back to the article."), hint
        # b on the list: the start screen (recent articles, other feeds), over the article.
        mark = await run.press("b")
        await run.said("Start screen.", mark)
        assert isinstance(run.app.screen, StartScreen)
        mark = await run.press("escape")
        await run.said("Back to Story 3", mark)
        assert isinstance(run.app.screen, ReaderScreen)
        # And escape on the list goes back to the article.
        mark = await run.press("b")
        await run.said("Feed: MS News Today", mark)
        mark = await run.press("escape")
        await run.said("Back to Story 3", mark)
        assert isinstance(run.app.screen, ReaderScreen)


async def test_a_skipped_item_is_unread_in_the_list_as_in_the_store(
    tmp_path: Path, feed: str, user_dirs: UserDirs
) -> None:
    async with running(tmp_path, feed, autoplay=True, rate=700, wait=False) as run:
        await run.said("Feed: MS News Today, 5 items, 5 unread.")
        mark = await run.press("s")
        await run.said("Following MS News Today", mark)
        mark = await run.press("down", "down")
        await run.said("Story 1", mark)
        mark = await run.press("enter")
        await run.said("Story 1 has one short sentence.", mark)
        await run.heard("Skipped Gone story", mark)
        await run.heard("Skipped Annual report", mark)
        await run.heard("Next: Story 3.", mark)
        await run.said("Story 3 has one short sentence.", mark)
        await run.said("That was the last unread article of MS News Today.", mark)
        listening = run.app.feeds.listening
        assert listening is not None
        # Skipped, not heard: unread in the list (not come back to this session) as in the store.
        assert listening.read == [True, True, True, False, False]
        assert listening.label(3).endswith("unread") and listening.label(4).endswith("unread")
        assert listening.heading() == "Feed: MS News Today, 5 items, 2 unread."
        assert subscriptions(run.app.store)[0].unread == 2
    store = Store(user_dirs.data)
    assert [s.unread for s in subscriptions(store)] == [2]


async def test_s_on_a_followed_feed_says_it_is_already_followed(tmp_path: Path, feed: str) -> None:
    async with running(tmp_path, feed, wait=False) as run:
        await run.said("Feed: MS News Today")
        mark = await run.press("s")
        await run.said("Following MS News Today: 5 articles.", mark)
        mark = await run.press("s")
        await run.said("Already following MS News Today.", mark, exact=True)
        assert not any(t.startswith("Following") for t in run.texts(mark))


def test_reader_text_on_a_feed_says_how_to_list_it(feed: str) -> None:
    done = run_reader("text", feed)
    assert done.returncode == 3
    said = assert_one_line_error(done.stderr)
    assert "is an XML document, not a web page" in said
    assert said.endswith("To list a feed, use 'reader feed ADDRESS'.")


def test_feeds_add_twice_says_already_following(feed: str, user_dirs: UserDirs) -> None:
    first = run_reader("feeds", "add", feed)
    assert first.stdout.decode().strip() == "Following MS News Today: 5 items."
    again = run_reader("feeds", "add", feed)
    assert again.returncode == 0
    assert again.stdout.decode().strip() == "Already following MS News Today."
    assert len(subscriptions(Store(user_dirs.data))) == 1
