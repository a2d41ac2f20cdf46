"""What a source names, before it is fetched: the built-in sample, or a page as given.

Below both the command line and the app, so neither has to import the other."""

from __future__ import annotations

import threading
from importlib import resources
from typing import TYPE_CHECKING

from reader.errors import FetchError

if TYPE_CHECKING:
    from reader.feeds import Feed
    from reader.model import Article

SAMPLE = "sample"


def resolve_source(source: str) -> str:
    """The literal source "sample" is the built-in sample article; anything else is unchanged.

    (A local file called "sample" is still reachable as ./sample.)"""
    if source.strip() != SAMPLE:
        return source
    sample = resources.files("reader").joinpath("data", "sample.html")
    if not sample.is_file():
        raise FetchError("The built-in sample article is missing from this installation of reader.")
    return str(sample)


def load_source(source: str, cancel: threading.Event | None = None) -> Article:
    """Fetch and extract the article `source` names (a web address, a path, "sample");
    setting `cancel` abandons the download."""
    from reader.extract import load_article  # lazy: `reader --help` must not load lxml

    return load_article(resolve_source(source), cancel)


def load_article_or_feed(source: str, cancel: threading.Event | None = None) -> Article | Feed:
    """What `source` holds: a feed (RSS, Atom, JSON Feed) or a page's article. Fetched once."""
    from reader.extract import extract, load_article
    from reader.feeds import looks_like_feed, parse_feed
    from reader.fetch import fetch_resource, page_from_resource

    resolved = resolve_source(source)
    if resolved.strip() == "-":
        return load_article(resolved, cancel)
    got = fetch_resource(resolved, cancel=cancel)
    if looks_like_feed(got.data):
        return parse_feed(got, source)
    return extract(page_from_resource(got))
