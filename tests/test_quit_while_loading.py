"""`q` while a page is still loading ends the reader at once: the load (a download, a huge
page's extraction) runs in a thread the exit does not wait for. Before, the load ran in a
Textual thread worker, which app.run() joins on the way out: Goodbye was said, and then the
terminal stayed held until the load ended (45 s on a 9 MB page)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from helpers.terminal import Terminal, end, spawn_in_pty, terminal_env

DEADLINE = 60  # seconds: far more than leaving takes, even on a busy machine

# A load that never ends, as a 9 MB page's extraction seems to on a slow machine: the real app
# and page, with opening a source made to wait for ever (a planted fault, as in test_bad_input).
ENDLESS_LOAD = """
import sys, threading
from reader.ui import loading

def endless(*args, **kwargs):
    threading.Event().wait()

loading.open_source = endless
from reader.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_q_while_a_page_loads_ends_the_process_at_once(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<title>Page</title><h1>Page</h1><p>A sentence to read.</p>", "utf-8")
    log = tmp_path / "log.jsonl"
    options = ["--audio", "null", "--speech-log", str(log)]
    command = [sys.executable, "-c", ENDLESS_LOAD, str(page), *options]
    proc, master = spawn_in_pty(command, terminal_env())
    term = Terminal(proc, master, log)
    try:
        term.said("Loading")
        mark = term.send(b"q")
        term.said("Goodbye", mark)
        said = time.monotonic()
        code = proc.wait(timeout=DEADLINE)
        gone = time.monotonic() - said
    finally:
        end(proc, master)
    assert code == 0
    assert gone < DEADLINE
