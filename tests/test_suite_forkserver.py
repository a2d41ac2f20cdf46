"""The suite's zygote (helpers.forkserver) answers as a fresh `python -m reader` does: the same
exit status, output and errors, the test's standard input, environment and folder. The CLI
tests rely on it, so a difference would hide a fault or invent one."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers.forkserver import run_reader
from helpers.paths import FIXTURES, python_path
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

PAGE = b"<html><body><article><h1>Piped</h1><p>From a pipe, read whole.</p></article></body></html>"


def both(
    args: list[str], env: dict[str, str], cwd: Path, stdin: bytes | None = None
) -> tuple[subprocess.CompletedProcess[bytes], subprocess.CompletedProcess[bytes]]:
    forked = run_reader(args, stdin=stdin, env=env, cwd=cwd)
    fresh = subprocess.run(
        [sys.executable, "-m", "reader", *args],
        input=stdin or b"",
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )
    return forked, fresh


@pytest.mark.parametrize(
    "args",
    [
        ["text", str(FIXTURES / "faq.html")],
        ["outline", "--json", str(FIXTURES / "magazine.html")],
        ["outline", "no-such-page.html"],  # exit 3, one sentence
        ["text", "-"],  # the page on standard input
        ["--no-such-option"],  # argparse's usage error, exit 2
        ["text", "sample"],  # with the user's speech rules (a bad file: a warning)
    ],
)
def test_a_forked_run_is_a_fresh_run(tmp_path: Path, args: list[str]) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "speech.toml").write_text("units = 5\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": python_path(), "READER_CONFIG_DIR": str(config)}
    env.pop("READER_DEBUG", None)
    forked, fresh = both(args, env, tmp_path, stdin=PAGE if "-" in args else None)
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        fresh.returncode,
        fresh.stdout,
        fresh.stderr,
    )
    assert forked.stdout or forked.stderr  # each says something: the comparison means something


def test_the_folder_and_environment_are_the_tests(tmp_path: Path) -> None:
    """A relative path is found from the test's folder; READER_CONFIG_DIR is the test's."""
    (tmp_path / "page.html").write_bytes(PAGE)
    env = {**os.environ, "PYTHONPATH": python_path(), "READER_CONFIG_DIR": str(tmp_path / "c")}
    done = run_reader(["text", "page.html"], env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"From a pipe, read whole." in done.stdout
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "speech.toml").write_text("units = 5\n", encoding="utf-8")
    warned = run_reader(["text", "page.html"], env=env, cwd=tmp_path)
    assert b"speech.toml" in warned.stderr and warned.returncode == 0


def test_a_run_past_its_time_is_killed_and_the_next_run_answers(
    tmp_path: Path, httpserver: HTTPServer, release: threading.Event
) -> None:
    def stall(request: Request) -> Response:
        release.wait(30)
        return Response("<p>late</p>", content_type="text/html")

    httpserver.expect_request("/stall").respond_with_handler(stall)
    env = {**os.environ, "PYTHONPATH": python_path(), "READER_FETCH_TIMEOUT": "30"}
    with pytest.raises(subprocess.TimeoutExpired):
        run_reader(["outline", httpserver.url_for("/stall")], env=env, cwd=tmp_path, timeout=2)
    done = run_reader(["outline", "no-such-page.html"], env=env, cwd=tmp_path)
    assert done.returncode == 3 and b"does not exist" in done.stderr
