"""The real command line, run as the user runs it: `python -m reader …` in a process of its own
(helpers.forkserver: forked from a zygote that has the reader imported)."""

from __future__ import annotations

import os
import subprocess

from helpers.forkserver import run_reader
from helpers.paths import python_path


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`python -m reader ARGS`; bytes out so nothing is decoded for us."""
    full_env = {**os.environ, "PYTHONPATH": python_path(), **(env or {})}
    full_env.pop("READER_DEBUG", None)
    return run_reader(list(args), stdin=stdin, env=full_env)


def assert_one_line_error(stderr: bytes) -> str:
    """The one plain sentence a failing command prints, and nothing else."""
    text = stderr.decode("utf-8")
    assert "Traceback" not in text and "Exception ignored" not in text, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].endswith((".", "?")), "a plain sentence"
    return lines[0]
