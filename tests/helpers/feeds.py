"""Feeds as real sites write them, for the feed tests to serve on 127.0.0.1."""

from __future__ import annotations

from helpers.paths import SEED

ARTICLE = SEED.read_text(encoding="utf-8")
# What Joomla puts in content:encoded: the article body, bold pseudo-headings and Q:/A: included.
_START = ARTICLE.index('<div itemprop="articleBody">')
BODY = ARTICLE[_START : ARTICLE.index('<div class="author-footer">')]


def joomla_rss(count: int = 3, base: str = "http://example.org") -> str:
    """RSS 2.0 as Joomla writes it, each item's full article in content:encoded."""
    items = []
    for n in range(count):
        day = 1 + n % 28
        weekday = ["Mon", "Tue", "Wed"][n % 3]
        items.append(
            f"""<item><title>MS news item {n} &amp; more</title>
<link>/index.php/news/{n}-item</link><guid isPermaLink="false">item-{n}</guid>
<description>Teaser {n}</description>
<content:encoded><![CDATA[{BODY}]]></content:encoded>
<author>editor@example.org (Editor)</author><category>News</category>
<pubDate>{weekday}, {day:02d} Nov 2026 0{n % 10}:00:00 +0000</pubDate></item>"""
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>MS News Today</title>
<description>News for people with multiple sclerosis</description><link>{base}/</link>
<generator>Joomla! - Open Source Content Management</generator><language>en-gb</language>
{"".join(reversed(items))}</channel></rss>"""
