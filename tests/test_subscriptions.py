"""Following feeds: `reader feeds` with a real HTTP server on 127.0.0.1 and the real SQLite
state store; refreshes that cost nothing (304) or fail (404) without losing items; OPML."""

from __future__ import annotations

from pathlib import Path

from helpers.cli import assert_one_line_error, run
from helpers.feeds import joomla_rss
from helpers.paths import UserDirs
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.feeds import item_article
from reader.store import Store
from reader.subscriptions import (
    export_opml,
    import_opml,
    mark_read,
    stored_feed,
    subscriptions,
)


def lines(*args: str) -> tuple[int, list[str]]:
    done = run("feeds", *args)
    return done.returncode, done.stdout.decode().splitlines()


def test_follow_hear_one_and_find_the_unread_count_right_after_a_restart(
    httpserver: HTTPServer, user_dirs: UserDirs
) -> None:
    data = user_dirs.data
    httpserver.expect_request("/feed.xml").respond_with_data(
        joomla_rss(3), content_type="application/rss+xml"
    )
    url = httpserver.url_for("/feed.xml")
    code, said = lines("add", url)
    assert code == 0 and said == ["Following MS News Today: 3 items."]
    code, said = lines()
    assert said == [f"MS News Today: 3 unread of 3 · {url}"]

    store = Store(data)  # what the app does when an item is heard to the end
    feed, read = stored_feed(store, url) or (None, [])
    assert feed is not None and read == [False, False, False]
    mark_read(store, url, feed.items[0].guid)
    store.close()
    code, said = lines()  # a new process: the count comes from the file
    assert said == [f"MS News Today: 2 unread of 3 · {url}"]


def test_a_stored_feed_reads_offline(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        joomla_rss(2), content_type="application/rss+xml"
    )
    url = httpserver.url_for("/feed.xml")
    assert run("feeds", "add", url, env={"READER_DATA_DIR": str(tmp_path)}).returncode == 0
    httpserver.stop()  # the network is gone
    try:
        feed, _ = stored_feed(Store(tmp_path), url) or (None, None)
        assert feed is not None and [i.title for i in feed.items][0] == "MS news item 1 & more"
        article = item_article(feed.items[0], feed)
        assert "Natalizumab (Tysabri)" in [section.title for section in article.sections]
    finally:
        httpserver.start()


def test_refresh_costs_nothing_when_unchanged_and_keeps_items_when_the_feed_breaks(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    state = {"status": 200, "items": 2}

    def handler(request: Request) -> Response:
        if state["status"] != 200:
            return Response("gone", status=state["status"])
        etag = f'"v{state["items"]}"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304)
        response = Response(joomla_rss(state["items"]), content_type="application/rss+xml")
        response.headers["ETag"] = etag
        return response

    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    url = httpserver.url_for("/feed.xml")
    env = {"READER_DATA_DIR": str(tmp_path)}
    assert run("feeds", "add", url, env=env).returncode == 0
    done = run("feeds", "refresh", env=env)
    assert done.returncode == 0 and done.stdout.decode().strip() == "MS News Today: nothing new."
    state["items"] = 3
    done = run("feeds", "refresh", env=env)
    assert done.stdout.decode().strip() == "MS News Today: 1 new."
    state["status"] = 404
    done = run("feeds", "refresh", env=env)
    assert done.returncode == 3
    out = done.stdout.decode().strip()
    assert "was not found (HTTP 404)" in out and out.endswith("Its 3 items are kept.")
    listed = run("feeds", env=env).stdout.decode()
    assert "3 unread of 3" in listed and "last refresh failed" in listed


def test_opml_round_trip_and_no_entities(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a.xml").respond_with_data(joomla_rss(1), content_type="text/xml")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        f"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file://{secret}">]>
<opml version="2.0"><head><title>Mine</title></head><body>
<outline text="News"><outline type="rss" text="A &x;" xmlUrl="{httpserver.url_for("/a.xml")}"/>
</outline><outline type="rss" text="Dead" xmlUrl="{httpserver.url_for("/dead.xml")}"/>
</body></opml>"""
    )
    assert [url for url, _ in import_opml(opml)] == [
        httpserver.url_for("/a.xml"),
        httpserver.url_for("/dead.xml"),
    ]
    env = {"READER_DATA_DIR": str(tmp_path / "data")}
    done = run("feeds", "import", str(opml), env=env)
    out = done.stdout.decode()
    assert done.returncode == 3  # one of the two could not be followed, and it says which
    assert "Following MS News Today." in out and "Could not follow Dead" in out
    assert "TOP-SECRET" not in out
    exported = run("feeds", "export", env=env).stdout.decode()
    assert f'xmlUrl="{httpserver.url_for("/a.xml")}"' in exported
    back = tmp_path / "back.opml"
    back.write_text(exported)
    assert [url for url, _ in import_opml(back)] == [httpserver.url_for("/a.xml")]
    store = Store(tmp_path / "data")
    assert [(s.title, s.unread) for s in subscriptions(store)] == [("MS News Today", 1)]
    assert export_opml(store) == exported


def test_feeds_usage_errors_are_one_sentence() -> None:
    done = run("feeds", "add")
    assert done.returncode == 2 and "needs a feed address" in assert_one_line_error(done.stderr)
    done = run("feeds", "remove", "http://not.followed/feed")
    assert done.returncode == 2 and "You do not follow" in assert_one_line_error(done.stderr)
