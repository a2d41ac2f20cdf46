"""`python -m reader ARGS` for the tests that run a command and read its exit status, output
and errors: through helpers/zygote.py, a process of this test process's that has the reader
imported and forks a real child process for each run (see there for what is and is not the
same as starting Python afresh). Tests of the process start itself (a terminal, a hang-up,
what CPU a command takes) start `python -m reader` themselves; READER_TEST_SPAWN=1 makes every
run here start Python afresh too, to compare."""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ZYGOTE = Path(__file__).with_name("zygote.py")
# What Python reads at its start: a run that asks for other values than a zygote started with
# gets a zygote of its own, started with them.
STARTUP = ("PYTHON", "LANG", "LC_")


class Zygote:
    """One helpers/zygote.py process and the socket to it; one run at a time."""

    def __init__(self, env: dict[str, str]) -> None:
        self.channel, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, str(ZYGOTE), str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            # Pipes, as the children's will be: Python makes its stream objects to suit what
            # they are at its start (a pipe cannot seek, a file can), and the children inherit
            # those objects. The zygote never reads or writes them itself.
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        theirs.close()
        self.answers = self.channel.makefile("rb")
        self.lock = threading.Lock()
        self.child: int | None = None  # the run in progress

    def run(
        self, args: list[str], stdin: bytes, env: dict[str, str], cwd: str, timeout: float
    ) -> subprocess.CompletedProcess[bytes]:
        with self.lock:
            try:
                return self._run(args, stdin, env, cwd, timeout)
            except BaseException:
                # A run cut short (its time-out, pytest-timeout's alarm, ^C) leaves answers
                # owed on the socket that the next run would take for its own: this zygote
                # is not used again.
                self.abandon()
                raise

    def _run(
        self, args: list[str], stdin: bytes, env: dict[str, str], cwd: str, timeout: float
    ) -> subprocess.CompletedProcess[bytes]:
        child_in, to_child = os.pipe()
        from_out, child_out = os.pipe()
        from_err, child_err = os.pipe()
        request = json.dumps({"args": args, "env": env, "cwd": cwd}).encode()
        socket.send_fds(self.channel, [request], [child_in, child_out, child_err])
        for fd in (child_in, child_out, child_err):
            os.close(fd)
        self.child = int(self.answers.readline())
        try:
            out, err = communicate(to_child, from_out, from_err, stdin, timeout)
        except subprocess.TimeoutExpired:
            raise subprocess.TimeoutExpired(["reader", *args], timeout) from None
        code = int(self.answers.readline())
        self.child = None
        return subprocess.CompletedProcess(["-m", "reader", *args], code, out, err)

    def abandon(self) -> None:
        """Kill the run in progress and this zygote."""
        for pid in (self.child, self.process.pid):
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.answers.close()
        self.channel.close()
        self.process.communicate(timeout=10)

    def close(self) -> None:
        self.answers.close()
        self.channel.close()  # the zygote sees the end and exits
        self.process.communicate(timeout=10)


def communicate(
    to_child: int, from_out: int, from_err: int, data: bytes, timeout: float
) -> tuple[bytes, bytes]:
    """Write `data` to the child's input and read its output and errors to their ends, as
    Popen.communicate does (all at once, so neither side waits on a full pipe)."""
    deadline = time.monotonic() + timeout
    chunks: dict[int, list[bytes]] = {from_out: [], from_err: []}
    with selectors.DefaultSelector() as selector, closing_all(selector):
        if data:
            os.set_blocking(to_child, False)
            selector.register(to_child, selectors.EVENT_WRITE)
        else:
            os.close(to_child)
        for fd in chunks:
            selector.register(fd, selectors.EVENT_READ)
        view = memoryview(data)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired("reader", timeout)
            for key, _ in selector.select(left):
                if key.fd == to_child:
                    try:
                        view = view[os.write(to_child, view[:65536]) :]
                    except BrokenPipeError:
                        view = view[:0]
                    if not view:
                        selector.unregister(to_child)
                        os.close(to_child)
                    continue
                chunk = os.read(key.fd, 65536)
                if chunk:
                    chunks[key.fd].append(chunk)
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    return b"".join(chunks[from_out]), b"".join(chunks[from_err])


@contextlib.contextmanager
def closing_all(selector: selectors.BaseSelector) -> Iterator[None]:
    """The pipe ends still open when communicate() stops early are closed."""
    try:
        yield
    finally:
        for key in list(selector.get_map().values()):
            selector.unregister(key.fd)
            os.close(key.fd)


_zygotes: dict[tuple[tuple[str, str], ...], Zygote] = {}


def run_reader(
    args: list[str],
    *,
    stdin: bytes | None = None,
    env: dict[str, str],
    cwd: str | os.PathLike[str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m reader ARGS` with this environment and folder, its output captured: what
    subprocess.run(..., capture_output=True) returns, through a zygote."""
    folder = os.fspath(cwd) if cwd is not None else os.getcwd()
    if os.environ.get("READER_TEST_SPAWN") == "1":
        return subprocess.run(
            [sys.executable, "-m", "reader", *args],
            input=stdin or b"",
            capture_output=True,
            cwd=folder,
            env=env,
            timeout=timeout,
        )
    startup = tuple(sorted((k, v) for k, v in env.items() if k.startswith(STARTUP)))
    zygote = _zygotes.get(startup)
    if zygote is None or zygote.process.poll() is not None or zygote.channel.fileno() < 0:
        zygote = _zygotes[startup] = Zygote(env)
    return zygote.run(list(args), stdin or b"", env, folder, timeout)


def as_text(done: subprocess.CompletedProcess[bytes]) -> subprocess.CompletedProcess[str]:
    """The run as subprocess.run(..., text=True, encoding="utf-8") gives it: decoded, with
    universal newlines."""

    def text(data: bytes) -> str:
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")

    return subprocess.CompletedProcess(
        done.args, done.returncode, text(done.stdout), text(done.stderr)
    )


def close_zygotes() -> None:
    """End this test process's zygotes (at the end of the session)."""
    while _zygotes:
        _, zygote = _zygotes.popitem()
        zygote.close()
