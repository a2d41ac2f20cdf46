"""A `python -m reader` that does not start Python again: run by helpers.forkserver as its own
process, it imports the reader's command line once and then forks a child for each command a
test runs. The child is a real process of its own (own pid, the test's pipes as its standard
input, output and error, the test's environment and folder, its exit status the test's to read)
and runs reader/__main__.py as `python -m reader` does; it only skips Python's start-up and the
imports (about 0.5 s of CPU each time, a fifth of the suite's CPU when every run paid them).

Its standard streams are pipes, as they are for subprocess.run(capture_output=True): the
stream objects made at this process's start (block-buffered output, line-buffered errors, the
same encoding, since helpers.forkserver starts one of these for each interpreter setting) then
write to the test's pipes once they are moved onto file descriptors 0, 1 and 2. Nothing the
imports do reads the environment, the folder or the user's files (paths are looked up when a
command runs), which is why the imports can come before the test's environment is set."""

from __future__ import annotations

import json
import os
import runpy
import socket
import sys
import threading
from typing import Any

# The point: imported once, before any fork. What `text`, `outline`, `export`, `feeds` and the
# rest import when they run (extraction compiles hundreds of patterns as it is imported); not
# the app, whose Textual reads the environment as it is imported.
import reader.cli  # noqa: F401
import reader.export  # noqa: F401
import reader.extract  # noqa: F401
import reader.feeds  # noqa: F401
import reader.settings  # noqa: F401
import reader.source.fetch  # noqa: F401
import reader.store  # noqa: F401
import reader.subscriptions  # noqa: F401
import voices.drivers  # noqa: F401

MESSAGE = 65536


def serve(channel: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """Fork a child for each request on `channel`, tell the test its pid, wait for it and tell
    its exit status; returns only in a child, with its request and its three descriptors."""
    assert threading.active_count() == 1, "no threads before fork"
    assert "textual" not in sys.modules, "Textual reads the environment as it is imported"
    while True:
        message, fds, _, _ = socket.recv_fds(channel, MESSAGE, 3)
        if not message:  # the test process ended
            sys.exit(0)
        pid = os.fork()
        if pid == 0:
            channel.close()
            return json.loads(message), fds
        for fd in fds:
            os.close(fd)
        channel.sendall(b"%d\n" % pid)
        _, status = os.waitpid(pid, 0)
        channel.sendall(b"%d\n" % os.waitstatus_to_exitcode(status))


def become(request: dict[str, Any], fds: list[int]) -> None:
    """This child takes the test's streams, environment, folder and arguments."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["-m", *request["args"]]  # runpy puts reader/__main__.py first, as -m does
    sys.path[0] = os.getcwd()  # where -m has the current folder (here: this file's folder)


if __name__ == "__main__":
    request, fds = serve(socket.socket(fileno=int(sys.argv[1])))
    become(request, fds)
    del request, fds
    runpy.run_module("reader", run_name="__main__", alter_sys=True)
