"""Feeds through a real HTTP server on 127.0.0.1 and the real `reader feed` command: RSS shaped
like a Joomla news site's, Atom with summaries only, JSON Feed, autodiscovery, 304s, and the
bad feeds a listener must be told about instead of hearing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.cli import assert_one_line_error, run
from helpers.feeds import ARTICLE, BODY, joomla_rss
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.errors import NoFeedError
from reader.feeds import item_article, load_feed, parse_feed
from reader.source.fetch import Resource

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">&lt;b&gt;Blog&lt;/b&gt; posts</title>
<link href="/"/><id>urn:blog</id><updated>2026-11-02T00:00:00Z</updated>
<entry><title>Older post</title><link href="posts/older.html"/><id>urn:1</id>
<updated>2026-10-01T08:00:00Z</updated><summary>Only a summary.</summary></entry>
<entry><title>Newer post</title><link href="posts/newer.html"/><id>urn:2</id>
<updated>2026-11-01T08:00:00Z</updated><summary>Another summary.</summary></entry>
<entry><title>Newer post again</title><link href="posts/newer.html"/><id>urn:2</id>
<updated>2026-11-01T08:00:00Z</updated><summary>The same item twice.</summary></entry>
</feed>"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "JSON news",
    "home_page_url": "http://example.org/",
    "items": [
        {"id": "j1", "url": "/j/1", "title": "Undated", "content_text": "Short."},
        {
            "id": "j2",
            "url": "/j/2",
            "title": "Dated",
            "content_html": BODY,
            "date_published": "2026-11-03T09:30:00+01:00",
        },
    ],
}


def serve_xml(http: HTTPServer, path: str, body: str, kind: str = "application/rss+xml") -> str:
    http.expect_request(path).respond_with_data(body, content_type=f"{kind}; charset=utf-8")
    return http.url_for(path)


def feed_json(*args: str) -> dict:
    done = run("feed", *args, "--json")
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_rss_feed_json_contract_newest_first_with_full_text(httpserver: HTTPServer) -> None:
    url = serve_xml(httpserver, "/feed.xml", joomla_rss(3))
    data = feed_json(url)
    assert set(data) == {"title", "source", "feed", "items"}
    assert data["title"] == "MS News Today" and data["source"] == url and data["feed"] == url
    assert [item["title"] for item in data["items"]] == [
        "MS news item 2 & more",
        "MS news item 1 & more",
        "MS news item 0 & more",
    ]
    first = data["items"][0]
    assert set(first) == {"title", "link", "published", "has_content"}
    assert first["link"] == httpserver.url_for("/index.php/news/2-item")  # made absolute
    assert first["published"] == "2026-11-03T02:00:00+00:00"
    assert all(item["has_content"] for item in data["items"])


def test_atom_with_summaries_only_merges_duplicates_and_resolves_links(
    httpserver: HTTPServer,
) -> None:
    url = serve_xml(httpserver, "/blog/atom.xml", ATOM, "application/atom+xml")
    data = feed_json(url)
    assert data["title"] == "Blog posts"  # its markup is not read out
    assert [i["title"] for i in data["items"]] == ["Newer post", "Older post"]
    assert data["items"][0]["link"] == httpserver.url_for("/blog/posts/newer.html")
    assert not any(i["has_content"] for i in data["items"])


def test_json_feed_with_an_undated_item(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.json").respond_with_json(JSON_FEED)
    data = feed_json(httpserver.url_for("/feed.json"))
    assert [(i["title"], i["published"]) for i in data["items"]] == [
        ("Dated", "2026-11-03T08:30:00+00:00"),
        ("Undated", None),  # tolerated, listed after the dated ones
    ]
    assert data["items"][0]["has_content"] and not data["items"][1]["has_content"]


def test_a_page_that_names_its_feed_is_followed(httpserver: HTTPServer) -> None:
    feed = serve_xml(httpserver, "/feeds/news.rss", joomla_rss(2))
    page = """<!DOCTYPE html><html><head><title>MS News Today</title>
    <link rel="alternate" type="application/rss+xml" title="News" href="feeds/news.rss">
    </head><body><p>Welcome.</p></body></html>"""
    httpserver.expect_request("/").respond_with_data(page, content_type="text/html")
    data = feed_json(httpserver.url_for("/"))
    assert data["source"] == httpserver.url_for("/") and data["feed"] == feed
    assert len(data["items"]) == 2


def test_a_page_without_a_feed_exits_4_with_one_sentence(httpserver: HTTPServer) -> None:
    page = "<!DOCTYPE html><html><head><title>Plain</title></head><body><p>Hi.</p></body></html>"
    httpserver.expect_request("/plain.html").respond_with_data(page, content_type="text/html")
    done = run("feed", httpserver.url_for("/plain.html"))
    assert done.returncode == 4
    assert assert_one_line_error(done.stderr).startswith("No feed found on this page")


def test_readable_list_says_date_and_full_text(httpserver: HTTPServer) -> None:
    done = run("feed", serve_xml(httpserver, "/feed.xml", joomla_rss(2)))
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert lines[0] == "MS News Today"
    assert "1. MS news item 1 & more (2026-11-02 · full text)" in lines


def test_damaged_xml_gives_what_parsed_and_says_so(httpserver: HTTPServer) -> None:
    broken = joomla_rss(2).replace("</channel></rss>", "<item><title>Cut off")
    done = run("feed", serve_xml(httpserver, "/broken.xml", broken), "--json")
    assert done.returncode == 0
    titles = [i["title"] for i in json.loads(done.stdout)["items"]]
    assert "MS news item 1 & more" in titles and "MS news item 0 & more" in titles
    assert "damaged" in assert_one_line_error(done.stderr)


def test_entities_are_never_expanded_nor_fetched(httpserver: HTTPServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    laughs = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    bomb = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{laughs}
    <!ENTITY xxe SYSTEM "file://{secret}">]>
    <rss version="2.0"><channel><title>Bomb &lol9;</title><link>http://x/</link>
    <item><title>Leak &xxe;</title><link>http://x/1</link></item></channel></rss>"""
    done = run("feed", serve_xml(httpserver, "/bomb.xml", bomb), "--json")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode() + done.stderr.decode()
    assert "TOP-SECRET-VALUE" not in out
    assert "lollol" not in out
    data = json.loads(done.stdout)
    assert data["title"] == "Bomb" and [i["title"] for i in data["items"]] == ["Leak"]


def test_ten_thousand_items_are_all_listed(httpserver: HTTPServer) -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>/i/{n}</link><guid>{n}</guid></item>"
        for n in range(10_000)
    )
    body = f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'
    data = feed_json(serve_xml(httpserver, "/big.xml", body))
    assert len(data["items"]) == 10_000
    assert data["items"][9_999]["title"] == "Item 9999"  # undated: feed order kept


def test_conditional_get_answers_not_modified(httpserver: HTTPServer) -> None:
    seen: list[tuple[str | None, str | None]] = []

    def handler(request: Request) -> Response:
        seen.append(
            (request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since"))
        )
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        response = Response(joomla_rss(1), content_type="application/rss+xml")
        response.headers["ETag"] = '"v1"'
        response.headers["Last-Modified"] = "Mon, 02 Nov 2026 10:00:00 GMT"
        return response

    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    url = httpserver.url_for("/feed.xml")
    feed = load_feed(url)
    assert feed is not None and feed.etag == '"v1"'
    again = load_feed(url, {"etag": feed.etag, "last_modified": feed.last_modified or ""})
    assert again is None
    assert seen == [(None, None), ('"v1"', "Mon, 02 Nov 2026 10:00:00 GMT")]


def test_parse_is_pure_over_bytes() -> None:
    feed = parse_feed(Resource(url="http://example.org/feed.xml", data=joomla_rss(1).encode()))
    (item,) = feed.items
    assert item.content_html is not None and "Natalizumab" in item.content_html
    assert item.link == "http://example.org/index.php/news/0-item"


def test_a_file_that_is_not_a_feed_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>No feed here at all.</p></body></html>")
    with pytest.raises(NoFeedError):
        load_feed(str(page))


def test_a_thousand_items_with_full_texts_all_come_through() -> None:
    """Not a timing test: the figure lives in benchmarks/feeds.py. This checks that the items
    of a 1 000-item feed with full texts all come through with their content."""
    body = joomla_rss(1000).encode()
    feed = parse_feed(Resource(url="http://example.org/feed.xml", data=body))
    assert len(feed.items) == 1000 and all(i.has_content for i in feed.items)


def test_titles_lose_control_characters_and_escapes() -> None:
    body = joomla_rss(1).replace("MS news item 0", "Bad\x1b[31m red\x07 [bold]x[/bold]")
    feed = parse_feed(Resource(url="http://example.org/feed.xml", data=body.encode()))
    # The escape character and the bell are gone, so "[31m" is plain text; Rich markup stays
    # literal here and is escaped where it is drawn.
    assert feed.items[0].title == "Bad[31m red [bold]x[/bold] & more"


def test_an_item_carrying_its_article_is_read_offline_with_its_structure() -> None:
    feed = parse_feed(Resource(url="http://example.org/feed.xml", data=joomla_rss(1).encode()))
    article = item_article(feed.items[0], feed)
    assert article.title == "MS news item 0 & more"
    titles = [section.title for section in article.sections]
    assert "Q&A: Administering infusion treatments" in titles
    assert {"Natalizumab (Tysabri)", "Ocrelizumab (Ocrevus)"} <= set(titles)
    kinds = {block.kind for section in article.sections for block in section.blocks}
    assert {"question", "answer"} <= kinds


def test_an_item_with_a_summary_only_is_fetched_from_its_link(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/blog/posts/newer.html").respond_with_data(
        ARTICLE, content_type="text/html; charset=utf-8"
    )
    url = serve_xml(httpserver, "/blog/atom.xml", ATOM, "application/atom+xml")
    feed = load_feed(url)
    assert feed is not None and not feed.items[0].has_content
    article = item_article(feed.items[0], feed)
    assert article.title == "Infusion Treatments: Benefits and Side Effects"
    assert article.source == httpserver.url_for("/blog/posts/newer.html")


RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://example.org/"><title>RDF news</title><link>http://example.org/</link>
<items><rdf:Seq><rdf:li rdf:resource="http://example.org/r/1"/></rdf:Seq></items></channel>
<item rdf:about="http://example.org/r/1"><title>An RSS 1.0 item</title>
<link>http://example.org/r/1</link><dc:date>2026-11-04T08:00:00Z</dc:date></item>
</rdf:RDF>"""


def test_rss_1_0_rdf_feed(httpserver: HTTPServer) -> None:
    data = feed_json(serve_xml(httpserver, "/index.rdf", RDF, "application/rdf+xml"))
    assert data["title"] == "RDF news"
    assert data["items"] == [
        {
            "title": "An RSS 1.0 item",
            "link": "http://example.org/r/1",
            "published": "2026-11-04T08:00:00+00:00",
            "has_content": False,
        }
    ]
