"""Waiting on a condition with a generous deadline instead of sleeping a fixed time: on a busy
machine a test then takes as long as it must, and on a quiet one no longer than it needs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

from textual.pilot import Pilot

T = TypeVar("T")

DEADLINE = 30.0  # seconds: far beyond any wait on a quiet machine, so only a real fault fails


def wait_for(
    check: Callable[[], T], timeout: float = DEADLINE, what: str = "", step: float = 0.01
) -> T:
    """Poll `check` every `step` seconds until it returns something true, and return that; fail
    the test (AssertionError) if it never does within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        give_up_after(deadline, timeout, what)
        time.sleep(step)
    return value


async def until(
    pilot: Pilot[Any], check: Callable[[], T], timeout: float = DEADLINE, what: str = ""
) -> T:
    """`wait_for` for a test driving the app: the app runs in this event loop, so sleeping lets
    it run between the checks. Not `pilot.pause(delay)`: that first waits for every widget of
    the screen to answer a message and then lays the screen out, 50 times a second for as long
    as a test waits (a fifth of the CPU of the app tests); a test that needs the screen settled
    after the condition says so with its own pause, as it had to before."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        give_up_after(deadline, timeout, what)
        await asyncio.sleep(0.02)
    return value


def give_up_after(deadline: float, timeout: float, what: str) -> None:
    if time.monotonic() >= deadline:
        raise AssertionError(f"{what or 'condition'} not met within {timeout} s")
