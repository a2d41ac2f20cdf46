"""Driving the real reader app under Pilot and reading what it said from its speech log."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from helpers.speech import reader_driver
from helpers.speechlog import FollowedLog
from helpers.waiting import DEADLINE, until
from reader.speech import normalise
from reader.ui.app import ReaderApp

SIZE = (100, 32)
# Words a minute for tests that look at the place right after a key while reading goes on: a
# sentence then lasts seconds, so however slow a busy machine makes the test's own steps, the
# place the key moved to is still the place when the test looks (at 500 it moved on at times).
STEADY = 100


class Run:
    """One app under test with its speech log."""

    def __init__(self, app: ReaderApp, pilot: Pilot[Any], log: Path) -> None:
        self.app, self.pilot, self.log = app, pilot, log
        self._followed = FollowedLog(log)

    def records(self) -> list[dict[str, Any]]:
        return self._followed.records()

    def starts(self, after: int = 0) -> list[dict[str, Any]]:
        return [r for r in self.records()[after:] if r["event"] == "start"]

    def mark(self) -> int:
        return len(self.records())

    async def until(self, check: Callable[[], Any], timeout: float = DEADLINE) -> Any:
        try:
            return await until(self.pilot, check, timeout)
        except AssertionError as err:
            raise AssertionError(f"{err}; log: {self.records()[-8:]}") from None

    async def said(self, text: str, after: int = 0, exact: bool = False) -> dict[str, Any]:
        """Wait until an utterance starting with `text` (or equal to it) has started."""

        def find() -> dict[str, Any] | None:
            for r in self.starts(after):
                if r["text"] == text or (not exact and r["text"].startswith(text)):
                    return r
            return None

        return await self.until(find)

    def texts(self, after: int = 0) -> list[str]:
        """What was started after `after`, in order."""
        return [r["text"] for r in self.starts(after)]

    async def heard(self, words: str, after: int = 0) -> dict[str, Any]:
        """Wait until an utterance with `words` in it has started (drug names are respelt)."""
        return await self.until(
            lambda: next((r for r in self.starts(after) if words in r["text"]), None)
        )

    async def then_reads(self, section: int, sentence: int, after: int = 0) -> None:
        """Wait until reading (not an announcement) starts at (section, sentence)."""
        await self.until(
            lambda: any(
                (r["section"], r["sentence"]) == (section, sentence) for r in self.starts(after)
            )
        )

    async def press(self, *keys: str) -> int:
        """Press keys; return the log mark from just before."""
        mark = self.mark()
        await self.pilot.press(*keys)
        await self.pilot.pause()
        return mark

    async def pause_reading(self) -> tuple[int, int]:
        """Space while reading: where it stopped."""
        await self.press("space")
        assert self.app.session.state == "paused"
        return self.app.session.position


@asynccontextmanager
async def running(
    tmp_path: Path,
    source: str | None,
    autoplay: bool = False,
    rate: int = 500,
    size: tuple[int, int] = SIZE,
    wait: bool = True,
) -> AsyncIterator[Run]:
    """The app on `source` (None: the start screen) with the shared eSpeak driver, once its
    speech (and article) are ready unless `wait` is False."""
    log = tmp_path / f"speech-{time.monotonic_ns()}.jsonl"
    app = ReaderApp(
        source, audio="null", speech_log=log, rate=rate, autoplay=autoplay, driver=reader_driver()
    )
    async with app.run_test(size=size) as pilot:
        run = Run(app, pilot, log)
        if wait:  # else the caller waits for what it needs (a slow load, say)
            await run.until(
                lambda: app.queue is not None and (source is None or app.session is not None)
            )
        yield run


def message_line(app: ReaderApp) -> str:
    return str(app.screen.query_one("#message").render())


def spoken_title(title: str) -> str:
    return normalise(title)
