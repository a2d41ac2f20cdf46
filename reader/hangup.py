"""Leaving when the terminal goes: SIGHUP or SIGTERM, a terminal that was closed, or a parent
that died must end the reader within a second -- even while its event loop is busy.

Why not an asyncio signal handler: it runs on the event loop, so a loop busy with a huge page
never runs it, and after a hang-up Textual's input thread can spin on a dead terminal at full
CPU for minutes. Instead the signals are blocked in every thread (the mask is set in the main
thread before any other starts, and threads inherit it) and one watcher thread takes them with
`sigtimedwait`, which also lets it notice a dead terminal or a vanished parent between waits.
It asks the app to save and exit; if the app has not gone after GRACE seconds, it saves the
place itself and ends the process.
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

SIGNALS = {signal.SIGHUP, signal.SIGTERM}
POLL = 0.2  # seconds between looks at the terminal and the parent
GRACE = 0.4  # seconds the app has to exit on its own before the watcher ends the process
HANGUP_EXIT = 128 + signal.SIGHUP  # the shell's convention for "ended by a hang-up"

_callbacks: dict[str, Callable[[], None]] = {}
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


def attach(request_exit: Callable[[], None], save: Callable[[], None]) -> None:
    """What to do on a hang-up: `request_exit` asks the app to save and leave (it must be safe
    to call from another thread); `save` is the last resort if the app does not leave."""
    _callbacks.update(request_exit=request_exit, save=save)


def _watch(parent: int, terminal: int | None) -> None:
    while True:
        if signal.sigtimedwait(SIGNALS, POLL) is not None:
            break
        if os.getppid() != parent or _terminal_gone(terminal):
            break
    _woken.set()
    _run("request_exit")
    time.sleep(GRACE)  # a clean exit ends the process during this sleep
    _run("save")
    os._exit(HANGUP_EXIT)


def leave_now_if_hung_up(code: int) -> None:
    """After the app has exited on a hang-up: end the process at once. Tearing down the
    interpreter (collecting every widget and page tree) took up to a second, and with the
    terminal gone there is nothing left to restore; exit handlers still run."""
    if not _woken.is_set():
        return
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _run(name: str) -> None:
    callback = _callbacks.get(name)
    if callback is None:
        return
    try:
        callback()
    except Exception:  # noqa: BLE001 - going away regardless; nothing left to tell
        pass


def _terminal_gone(fd: int | None) -> bool:
    """After a hang-up the terminal's file answers every request with an error."""
    if fd is None:
        return False
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError):
        return True
    return False
