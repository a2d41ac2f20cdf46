"""`reader export FEED -o DIR`: a site's audio edition from a real feed on 127.0.0.1, rendered
with real eSpeak in a real process pool; the podcast feed is read back with a feed parser and
the MP3s measured with mutagen."""

from __future__ import annotations

import json
from pathlib import Path

import fastfeedparser
from helpers.cli import run
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from pytest_httpserver import HTTPServer

STORY = "<p><strong>{title}</strong></p><p>{title} is a short story. It has two sentences.</p>"


def rss(items: list[tuple[str, str, str | None]]) -> str:
    """(title, link, content or None) newest first."""
    rows = []
    for n, (title, link, content) in enumerate(items):
        body = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
        rows.append(
            f"<item><title>{title}</title><link>{link}</link><guid>g-{title}</guid>"
            f"<pubDate>Mon, {20 - n:02d} Nov 2026 10:00:00 +0000</pubDate>{body}</item>"
        )
    return (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>MS News Today</title><link>http://example.org/</link>{''.join(rows)}"
        "</channel></rss>"
    )


def story(title: str) -> str:
    return STORY.format(title=title)


def test_audio_edition_with_a_pdf_item_skipped_and_reruns_adding_only_new(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/report.pdf").respond_with_data(
        b"%PDF-1.4 not an article", content_type="application/pdf"
    )
    items = [
        ("Second news", "/n/2", story("Second news")),
        ("Annual report", httpserver.url_for("/report.pdf"), None),
        ("First news", "/n/1", story("First news")),
    ]
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type="text/xml")
    url, out = httpserver.url_for("/feed.xml"), tmp_path / "edition"
    done = run("export", url, "-o", str(out), "--jobs", "2", "--base-url", "https://x.org/a")
    assert done.returncode == 3, done.stderr.decode()  # an item is missing: a cron job hears it
    said = done.stdout.decode()
    assert "Skipped Annual report: " in said and "PDF" in said
    assert "2 new items, 1 skipped" in said
    mp3s = sorted(p.name for p in out.glob("*.mp3"))
    assert mp3s == ["2026-11-18-first-news.mp3", "2026-11-20-second-news.mp3"]

    podcast = fastfeedparser.parse((out / "feed.xml").read_bytes())
    assert podcast.feed["title"] == "MS News Today"
    assert [e["title"] for e in podcast.entries] == ["Second news", "First news"]
    xml = (out / "feed.xml").read_text()
    assert 'url="https://x.org/a/2026-11-20-second-news.mp3"' in xml
    assert 'type="audio/mpeg"' in xml and "<itunes:duration>" in xml
    episodes = json.loads((out / "episodes.json").read_text())
    assert sorted(e["file"] for e in episodes.values()) == mp3s
    for episode in episodes.values():
        audio = MP3(out / episode["file"])
        assert abs(audio.info.length - episode["seconds"]) < 0.1
        assert episode["bytes"] == (out / episode["file"]).stat().st_size
        assert f'length="{episode["bytes"]}"' in xml
        tags = ID3(out / episode["file"])
        assert str(tags["TIT2"]) == episode["title"] and str(tags["TALB"]) == "MS News Today"
        assert tags.getall("CHAP")  # chapters inside, for podcast players

    again = run("export", url, "-o", str(out))
    assert again.returncode == 3 and "0 new items, 1 skipped" in again.stdout.decode()
    assert sorted(p.name for p in out.glob("*.mp3")) == mp3s

    items.insert(0, ("Third news", "/n/3", story("Third news")))
    httpserver.clear()
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type="text/xml")
    third = run("export", url, "-o", str(out), "--since", "2026-11-19")  # the PDF is older
    assert third.returncode == 0 and "1 new item;" in third.stdout.decode()
    assert len(list(out.glob("*.mp3"))) == 3
    assert len(fastfeedparser.parse((out / "feed.xml").read_bytes()).entries) == 3
