"""Leaving when the terminal goes: SIGHUP or SIGTERM, a terminal that was closed, or a parent
that died must end the reader within a second -- even while its event loop is busy.

Why not an asyncio signal handler: it runs on the event loop, so a loop busy with a huge page
never runs it, and after a hang-up Textual's input thread can spin on a dead terminal at full
CPU for minutes. Instead the signals are blocked in every thread (the mask is set in the main
thread before any other starts, and threads inherit it) and one watcher thread takes them with
`sigtimedwait`, which also lets it notice a dead terminal or a vanished parent between waits.
On a hang-up (SIGHUP, or the terminal answering nothing) there is no terminal to restore: it
saves the place itself and ends the process at once, exit handlers included. On SIGTERM, or
when the parent has gone, it asks the app to save and leave cleanly, and does the same itself
if the app has not gone after GRACE seconds.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable
from typing import Any

SIGNALS = {signal.SIGHUP, signal.SIGTERM}
POLL = 0.2  # seconds between looks at the terminal and the parent
GRACE = 0.4  # seconds the app has to exit on its own before the watcher ends the process
HANGUP_EXIT = 128 + signal.SIGHUP  # the shell's convention for "ended by a hang-up"

_callbacks: dict[str, Callable[[], Any]] = {}
_woken = threading.Event()  # a hang-up (or SIGTERM) was taken


def start() -> bool:
    """Block the exit signals and start the watcher. Call from the main thread before the app
    starts any thread; False (nothing done) anywhere else."""
    if threading.current_thread() is not threading.main_thread():
        return False
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    terminal = 0 if os.isatty(0) else None
    watcher = threading.Thread(
        target=_watch, args=(os.getppid(), terminal), name="reader-hangup", daemon=True
    )
    watcher.start()
    return True


def attach(request_exit: Callable[[], None], save: Callable[[], int]) -> None:
    """What to do when the reader must go: `request_exit` asks the app to save and leave (it
    must be safe to call from another thread); `save` saves the place from the watcher's
    thread and returns the exit status (0, or 3 when the save failed)."""
    _callbacks.update(request_exit=request_exit, save=save)


def _watch(parent: int, terminal: int | None) -> None:
    while True:
        info = signal.sigtimedwait(SIGNALS, POLL)
        if info is not None:
            hung_up = info.si_signo == signal.SIGHUP
            break
        if _terminal_gone(terminal):
            hung_up = True
            break
        if os.getppid() != parent:
            hung_up = False
            break
    _woken.set()
    if not hung_up:
        # SIGTERM, or the parent gone with the terminal still there: leave cleanly, so the
        # terminal gets its modes back, unless that takes too long.
        _run("request_exit")
        time.sleep(GRACE)  # a clean exit ends the process during this sleep
    # The terminal is gone (or the app could not leave): there is nothing to restore. Save the
    # place from here and go, rather than wait on an interpreter busy tearing itself down.
    code = _run("save")
    try:
        atexit._run_exitfuncs()  # a piped page's temporary copy, the speech worker
    except Exception:  # noqa: BLE001 - going away regardless
        pass
    _flush()
    os._exit(HANGUP_EXIT if code is None else code)


def leave_now_if_hung_up(code: int) -> None:
    """After the app has exited on a hang-up: end the process at once. Tearing down the
    interpreter (collecting every widget and page tree) took up to a second, and with the
    terminal gone there is nothing left to restore; exit handlers still run."""
    if not _woken.is_set():
        return
    atexit._run_exitfuncs()
    _flush()
    os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def _run(name: str) -> Any:
    callback = _callbacks.get(name)
    if callback is None:
        return None
    try:
        return callback()
    except Exception:  # noqa: BLE001 - going away regardless; nothing left to tell
        return None


def _terminal_gone(fd: int | None) -> bool:
    """After a hang-up the terminal's file answers every request with an error."""
    if fd is None:
        return False
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError):
        return True
    return False
