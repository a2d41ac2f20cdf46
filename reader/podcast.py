"""An audio edition of a site: every item of its feed as an MP3 with chapters, and a podcast
RSS (`feed.xml`) listing them, in one folder. Meant for a site owner's cron job.

A rerun only adds items it has not made yet: `episodes.json` in the folder records each item's
file by its guid. Items are rendered in a process pool (eSpeak and the MP3 encoder are
CPU-bound, so two processes on two cores run nearly twice as fast); each process reports its
progress through a queue that the parent shows. An item that cannot be read (its link is a
PDF, the server is down) is reported and skipped; the others go on.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from reader.errors import ReaderError
from reader.export import Tags, audio_seconds, export_article, write_file
from reader.feeds import Feed, FeedItem, item_article
from voices.base import SynthDriver
from voices.drivers import NOTHING_KEPT, KeptVoices, make_driver

MANIFEST = "episodes.json"
PODCAST = "feed.xml"
NAME_LIMIT = 60  # characters of the title kept in a file name


@dataclass(frozen=True)
class Outcome:
    item: FeedItem
    file: str | None = None  # the MP3's name in the folder, when made
    error: str = ""


Report = Callable[[str], None]
Progress = Callable[[int, int, int], None]  # item number, done, total


def export_feed(
    feed: Feed,
    folder: Path,
    jobs: int = 1,
    since: datetime | None = None,
    rate: int | None = None,
    voice: str | None = None,
    kept: KeptVoices = NOTHING_KEPT,
    base_url: str | None = None,
    report: Report = lambda line: None,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Make the MP3s the folder lacks and rewrite its podcast feed; the outcomes of this run."""
    folder.mkdir(parents=True, exist_ok=True)
    episodes = _read_manifest(folder)
    todo = [
        item
        for item in feed.items
        if item.guid not in episodes and (since is None or _on_or_after(item, since))
    ]
    names = _file_names(todo, {e["file"] for e in episodes.values()})
    sound = (rate, voice, kept)
    outcomes = _render_all(feed, folder, todo, names, jobs, sound, report, progress)
    for outcome in outcomes:
        if outcome.file:
            episodes[outcome.item.guid] = _episode(outcome, folder)
    write_file(folder / MANIFEST, (json.dumps(episodes, indent=2) + "\n").encode("utf-8"))
    write_file(folder / PODCAST, podcast_rss(feed, episodes, base_url or folder.resolve().as_uri()))
    return outcomes


def _render_all(
    feed: Feed,
    folder: Path,
    items: list[FeedItem],
    names: list[str],
    jobs: int,
    sound: tuple[int | None, str | None, KeptVoices],
    report: Report,
    progress: Progress | None,
) -> list[Outcome]:
    if not items:
        return []
    context = multiprocessing.get_context("spawn")  # no forked copies of threads or locks
    with context.Manager() as manager, ProcessPoolExecutor(jobs, mp_context=context) as pool:
        updates = manager.Queue() if progress else None
        futures = {
            pool.submit(_render_one, feed, item, folder / name, sound, n, updates): item
            for n, (item, name) in enumerate(zip(items, names, strict=True))
        }
        outcomes = []
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            _drain(updates, progress)
            for future in done:
                outcomes.append(future.result())
                report(_outcome_line(outcomes[-1]))
    return outcomes


def _drain(updates: Any, progress: Progress | None) -> None:
    while updates is not None and progress is not None and not updates.empty():
        progress(*updates.get())


def _render_one(
    feed: Feed,
    item: FeedItem,
    path: Path,
    sound: tuple[int | None, str | None, KeptVoices],
    number: int,
    updates: Any,
) -> Outcome:
    """(In a worker process.) One item to one MP3; any failure is the item's outcome."""
    try:
        article = item_article(item, feed)
        tags = Tags(title=item.title, artist=feed.title, album=feed.title)

        def step(done: int, total: int) -> None:
            if updates is not None:
                updates.put((number, done, total))

        rate, voice, kept = sound
        export_article(
            article,
            path,
            rate=rate,
            voice=voice,
            progress=step,
            tags=tags,
            driver=_driver(),
            kept=kept,
        )
    except ReaderError as err:
        return Outcome(item, error=str(err))
    except Exception as err:  # noqa: BLE001 - one bad item never stops the edition
        return Outcome(item, error=f"{type(err).__name__}: {err}")
    return Outcome(item, file=path.name)


_DRIVERS: list[SynthDriver] = []  # one per pool process, kept between its items


def _driver() -> SynthDriver:
    """(In a worker process.) Its synthesiser, started once: starting eSpeak and listing its
    voices for every item cost a third of a second each."""
    if not _DRIVERS:
        _DRIVERS.append(make_driver())
    return _DRIVERS[0]


def _outcome_line(outcome: Outcome) -> str:
    if outcome.file:
        return f"Saved {outcome.file} ({outcome.item.title})."
    return f"Skipped {outcome.item.title}: {outcome.error.rstrip('.')}."


def _episode(outcome: Outcome, folder: Path) -> dict[str, Any]:
    item, name = outcome.item, outcome.file
    assert name is not None
    path = folder / name
    return {
        "file": name,
        "title": item.title,
        "link": item.link,
        "published": item.published.isoformat() if item.published else None,
        "bytes": path.stat().st_size,
        "seconds": round(audio_seconds(path) or 0.0, 3),
        "made": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def podcast_rss(feed: Feed, episodes: dict[str, dict[str, Any]], base_url: str) -> bytes:
    """A podcast RSS 2.0 (iTunes tags) for the episodes, newest first."""
    generator = FeedGenerator()
    generator.load_extension("podcast")
    generator.title(feed.title)
    generator.link(href=feed.link or feed.url, rel="alternate")
    generator.description(f"{feed.title}, read aloud by reader.")
    generator.language("en")
    generator.podcast.itunes_category("News")
    base = base_url.rstrip("/") + "/"
    ordered = sorted(episodes.items(), key=lambda kv: kv[1].get("published") or "", reverse=False)
    for guid, episode in ordered:  # feedgen lists the last added first
        entry = generator.add_entry()
        entry.id(guid)
        entry.title(episode["title"])
        if episode.get("link"):
            entry.link(href=episode["link"])
        entry.description(episode["title"])
        entry.enclosure(base + quote(episode["file"]), str(episode["bytes"]), "audio/mpeg")
        entry.podcast.itunes_duration(round(episode["seconds"]))
        entry.pubDate(episode.get("published") or episode["made"])
    return generator.rss_str(pretty=True)


def _read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise ReaderError(f"Could not read {path}: {err}.") from err
    if not isinstance(data, dict):
        raise ReaderError(f"{path} is not an episode list; move it away to start afresh.")
    return {
        str(k): v
        for k, v in data.items()
        if isinstance(v, dict) and (folder / str(v.get("file", ""))).is_file()
    }


def _on_or_after(item: FeedItem, since: datetime) -> bool:
    return item.published is None or item.published >= since


def _file_names(items: list[FeedItem], taken: set[str]) -> list[str]:
    """Safe, unique names: the date and the title's words in plain letters."""
    names = []
    for item in items:
        stem = _slug(item.title) or "item"
        if item.published:
            stem = f"{item.published:%Y-%m-%d}-{stem}"
        name, n = f"{stem}.mp3", 2
        while name in taken:
            name, n = f"{stem}-{n}.mp3", n + 1
        taken.add(name)
        names.append(name)
    return names


def _slug(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words)[:NAME_LIMIT].strip("-")
