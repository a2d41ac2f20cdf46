"""Opening what the user named, in the loading thread: an article made ready to read, or a
feed as a list of its articles. A followed feed the network cannot reach opens as it was last
refreshed; an article a followed feed carried opens from the store, offline."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reader.feeds import Feed
from reader.load import load_article_or_feed
from reader.reading.listening import (
    FeedListening,
    listening_for,
    stored_article,
    stored_listening,
)
from reader.reading.setup import Loaded, load_failure, prepare

if TYPE_CHECKING:
    from reader.store import Store


def open_source(
    store: Store, source: str, cancel: threading.Event, piped: bool = False
) -> tuple[Loaded | FeedListening | None, str, str]:
    """What `source` holds, ready to read or list, or None and the one sentence that says why
    it cannot be opened, as shown and as said (see `load_failure`; `piped`: it is standard
    input, not its temporary copy's name)."""
    try:
        got = stored_article(store, source) or load_article_or_feed(source, cancel)
        if isinstance(got, Feed):
            return listening_for(store, got), "", ""
        return prepare(got), "", ""
    except Exception as err:  # the app never dies on a bad page
        error, said = load_failure(source, err, piped)
        listening = stored_listening(store, source)  # a followed feed: offline
        if listening is None:
            return None, error, said
        listening.note = f"{error} These are the articles from before."
        listening.said_note = f"{said} These are the articles from before."
        return listening, "", ""
