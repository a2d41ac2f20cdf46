"""Open what the user named: the article, or the feed, a source holds.

The pipeline's first two steps joined (fetch in `reader.source`, then extract or read the
feed), below both the command line and the app so neither has to import the other. The
imports wait inside the functions: `reader --help` must not load lxml or the network stack."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reader.source import resolve_source

if TYPE_CHECKING:
    from reader.feeds import Feed
    from reader.model import Article


def load_source(source: str, cancel: threading.Event | None = None) -> Article:
    """Fetch and extract the article `source` names (a web address, a path, "sample");
    setting `cancel` abandons the download."""
    from reader.extract import load_article

    return load_article(resolve_source(source), cancel)


def load_article_or_feed(source: str, cancel: threading.Event | None = None) -> Article | Feed:
    """What `source` holds: a feed (RSS, Atom, JSON Feed) or a page's article. Fetched once."""
    from reader.extract import extract, load_article
    from reader.feeds import looks_like_feed, parse_feed
    from reader.source.fetch import fetch_resource, page_from_resource

    resolved = resolve_source(source)
    if resolved.strip() == "-":
        return load_article(resolved, cancel)
    got = fetch_resource(resolved, cancel=cancel)
    if looks_like_feed(got.data):
        return parse_feed(got, source)
    return extract(page_from_resource(got))
