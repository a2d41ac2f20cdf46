"""Feeds: parse time of a 1 000-item feed, and the audio edition's speed with 1 and 2 jobs.

    .venv/bin/python benchmarks/feeds.py [--items 20]

Baselines measured in the same run: lxml parsing the same bytes (the floor any parser on
lxml sits on), and `--jobs 1` for the process pool. Targets (issue 11): parse <= 300 ms;
`--jobs 2` >= 1.7x the articles per minute of `--jobs 1` on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.feeds import load_feed, parse_feed  # noqa: E402
from reader.podcast import export_feed  # noqa: E402
from reader.source.fetch import Resource  # noqa: E402
from reader.store import Store  # noqa: E402
from reader.subscriptions import stored_feed, subscribe  # noqa: E402

PARAGRAPH = (
    "Multiple sclerosis is an autoimmune disease that affects the central nervous system. "
    "Disease modifiers can change how the disease behaves and slow its progression. "
)


def feed_bytes(count: int, paragraphs: int, base: str = "http://example.org") -> bytes:
    body = "".join(f"<p>{PARAGRAPH * 2}</p>" for _ in range(paragraphs))
    items = "".join(
        f"<item><title>News {n}</title><link>{base}/n/{n}</link><guid>news-{n}</guid>"
        f"<pubDate>Mon, {1 + n % 28:02d} Nov 2026 10:{n % 60:02d}:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p><strong>Part {n}</strong></p>{body}]]></content:encoded>"
        "</item>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Bench</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def timed(function, repeat: int = 7) -> float:
    """Median seconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def parse_figures() -> None:
    data = feed_bytes(1000, 3)
    ours = timed(lambda: parse_feed(Resource(url="http://example.org/feed.xml", data=data)))
    floor = timed(lambda: lxml.etree.fromstring(data))
    print(
        f"parse 1 000 items ({len(data) // 1024} KB): {ours * 1000:.0f} ms "
        f"(lxml alone {floor * 1000:.0f} ms); target <= 300 ms: "
        f"{'met' if ours <= 0.3 else 'MISSED'}"
    )


def store_figures() -> None:
    with tempfile.TemporaryDirectory() as root:
        store = Store(Path(root))
        data = feed_bytes(1000, 3)
        feed = parse_feed(Resource(url="http://example.org/feed.xml", data=data))
        subscribe(store, feed)
        opened = timed(lambda: stored_feed(store, feed.url))
        parsed = timed(lambda: parse_feed(Resource(url=feed.url, data=data)))
        store.close()
    print(
        f"open a subscribed 1 000-item feed from the store: {opened * 1000:.0f} ms "
        f"(parsing it again {parsed * 1000:.0f} ms); target <= 50 ms: "
        f"{'met' if opened <= 0.05 else 'MISSED'}"
    )


def continuous_figures(items: int = 4) -> None:
    """End of one article -> first word of the next, in the real app (headless, null audio,
    offline items), beside the gap between two sentences of one article in the same run."""
    import asyncio

    from reader.speechlog import read_log
    from reader.ui.app import ReaderApp

    with tempfile.TemporaryDirectory() as root:
        folder = Path(root)
        os.environ.update(READER_CONFIG_DIR=str(folder / "c"), READER_DATA_DIR=str(folder / "d"))
        (folder / "c").mkdir()
        (folder / "c" / "settings.toml").touch()
        (folder / "feed.xml").write_bytes(feed_bytes(items, 1))
        log = folder / "speech.jsonl"

        async def listen() -> None:
            app = ReaderApp(str(folder / "feed.xml"), audio="null", speech_log=log, rate=1000)
            async with app.run_test() as pilot:
                while not _said(log, "Feed:"):
                    await pilot.pause(0.05)
                await pilot.press("enter")
                while not _said(log, "That was the last unread"):
                    await pilot.pause(0.05)

        asyncio.run(listen())
        records = read_log(log)
    gaps, sentence_gaps = [], []
    starts = [r for r in records if r["event"] == "start"]
    ends = [r for r in records if r["event"] == "end"]
    for end in ends:
        following = next((s for s in starts if s["t"] >= end["t"]), None)
        if following is None:
            continue
        gap = following["t"] - end["t"]
        if end["text"] == "End of article." and following["text"].startswith("Next:"):
            gaps.append(gap)
        elif end["section"] is not None and following["section"] is not None:
            sentence_gaps.append(gap)
    worst = max(gaps) if gaps else float("nan")
    print(
        f"end of an article -> first word of the next: worst {worst * 1000:.0f} ms over "
        f"{len(gaps)} items (between two sentences: median "
        f"{statistics.median(sentence_gaps) * 1000:.0f} ms); target <= 500 ms: "
        f"{'met' if gaps and worst <= 0.5 else 'MISSED'}"
    )


def _said(log: Path, start: str) -> bool:
    if not log.exists():
        return False
    return any(
        line.startswith('{"t"') and f'"text": "{start}' in line
        for line in log.read_text(encoding="utf-8").splitlines()
    )


def export_figures(items: int) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root)
        (folder / "feed.xml").write_bytes(feed_bytes(items, 4))
        handler = partial(_QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/feed.xml"
        feed = load_feed(url)
        assert feed is not None
        rates = {}
        for jobs in (1, 2):
            started = time.perf_counter()
            outcomes = export_feed(feed, folder / f"jobs{jobs}", jobs=jobs)
            seconds = time.perf_counter() - started
            assert all(o.file for o in outcomes), [o.error for o in outcomes if o.error]
            rates[jobs] = items / seconds * 60
            print(
                f"export {items} items, --jobs {jobs}: {seconds:.1f} s, "
                f"{rates[jobs]:.0f} articles/minute"
            )
        server.shutdown()
    ratio = rates[2] / rates[1]
    print(
        f"--jobs 2 / --jobs 1: {ratio:.2f}x; target >= 1.7x: {'met' if ratio >= 1.7 else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--no-export", action="store_true", help="parse and store figures only")
    args = parser.parse_args()
    parse_figures()
    store_figures()
    continuous_figures()
    if not args.no_export:
        export_figures(args.items)


if __name__ == "__main__":
    main()
