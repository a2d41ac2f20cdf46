"""`reader feed SOURCE [--json]` lists a feed's articles; `reader feeds [add|remove|refresh|
import|export]` manages the feeds you follow. A failed refresh or import says so per feed and
ends with exit status 3.

The feed and store modules are imported inside the commands: `reader --help` and the other
commands must not pay for them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reader.cli.output import emit, json_text, one_line, tell
from reader.errors import ReaderError, UsageError
from reader.source import resolve_source
from reader.text import counted, with_full_stop


def cmd_feed(args: argparse.Namespace) -> int:
    from reader.feeds import feed_lines, feed_to_dict, load_feed

    feed = load_feed(resolve_source(args.source))
    assert feed is not None  # no validators given: never "not modified"
    if args.json:
        sys.stdout.write(json_text(feed_to_dict(feed)) + "\n")
    else:
        for line in feed_lines(feed):
            emit(line)
    if feed.damaged:
        tell(
            f"The feed at {one_line(feed.url)} is damaged; the items that could be read are listed."
        )
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    from reader import subscriptions as subs
    from reader.store import load_store

    store, messages = load_store()
    for message in messages:
        tell(message)
    needs_target = args.action in ("add", "remove", "import")
    if needs_target and not args.target:
        raise UsageError(f"'reader feeds {args.action}' needs a feed address or file.")
    action = {
        "list": _feeds_list,
        "add": _feeds_add,
        "remove": _feeds_remove,
        "refresh": _feeds_refresh,
        "import": _feeds_import,
        "export": lambda store, _: emit(subs.export_opml(store).rstrip("\n")) or 0,
    }[args.action]
    return action(store, args.target)


def _feeds_list(store: Any, _: str | None) -> int:
    from reader.subscriptions import subscriptions

    followed = subscriptions(store)
    if not followed:
        emit("You follow no feeds yet; add one with 'reader feeds add ADDRESS'.")
    for sub in followed:
        problem = f" (last refresh failed: {one_line(sub.error)})" if sub.error else ""
        emit(f"{one_line(sub.title)}: {sub.unread} unread of {sub.total} · {sub.url}{problem}")
    return 0


def _feeds_add(store: Any, source: str) -> int:
    from reader.feeds import load_feed
    from reader.subscriptions import is_followed, subscribe

    feed = load_feed(resolve_source(source))
    assert feed is not None
    already = is_followed(store, feed.url)
    subscribe(store, feed)  # followed already: its new items are stored all the same
    if already:
        emit(f"Already following {one_line(feed.title)}.")
        return 0
    count = len(feed.items)
    emit(f"Following {one_line(feed.title)}: {counted(count, 'item')}.")
    return 0


def _feeds_remove(store: Any, url: str) -> int:
    from reader.subscriptions import subscriptions, unsubscribe

    if url not in {sub.url for sub in subscriptions(store)}:
        raise UsageError(f"You do not follow {one_line(url)}; 'reader feeds' lists what you do.")
    unsubscribe(store, url)
    emit(f"No longer following {one_line(url)}.")
    return 0


def _feeds_refresh(store: Any, _: str | None) -> int:
    from reader.subscriptions import refresh, subscriptions

    failed = 0
    for sub in subscriptions(store):
        got = refresh(store, sub.url)
        if got.error:
            failed += 1
            emit(f"{one_line(got.title)}: {one_line(got.error)} Its {sub.total} items are kept.")
        elif not got.changed:
            emit(f"{one_line(got.title)}: nothing new.")
        else:
            emit(f"{one_line(got.title)}: {got.new} new.")
    return 3 if failed else 0


def _feeds_import(store: Any, path: str) -> int:
    from reader.feeds import load_feed
    from reader.subscriptions import import_opml, subscribe

    failed = 0
    for url, title in import_opml(Path(path)):
        try:
            feed = load_feed(url)
            assert feed is not None
            subscribe(store, feed)
            emit(f"Following {with_full_stop(one_line(feed.title))}")
        except ReaderError as err:
            failed += 1
            emit(f"Could not follow {one_line(title)}: {one_line(str(err))}")
    return 3 if failed else 0
