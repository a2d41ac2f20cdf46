"""A SOURCE that names nothing is a usage mistake: `reader text ""` exited 3 ("could not fetch")
where the README's table says 2 is for usage. Each such SOURCE is now one clear sentence on
stderr and exit status 2, for every command that takes one; a real source that cannot be
fetched stays 3."""

from __future__ import annotations

import pytest
from helpers.cli import assert_one_line_error, run


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["text", ""], "No source was given"),
        (["outline", "   "], "No source was given"),
        (["export", "", "-o", "out.wav"], "No source was given"),
        (["text", "https://"], "names no web site"),
        (["outline", "http:///page"], "names no web site"),
        (["text", "a\x01b.html"], "control characters"),
        (["", "--audio", "null"], "No source was given"),  # the reading app itself
    ],
)
def test_a_source_that_names_nothing_is_a_usage_error(args: list[str], said: str) -> None:
    done = run(*args)
    assert done.returncode == 2, done.stderr
    assert said in assert_one_line_error(done.stderr)
    assert done.stdout == b""


def test_a_source_that_cannot_be_fetched_is_still_status_3(tmp_path) -> None:
    done = run("text", str(tmp_path / "missing.html"))
    assert done.returncode == 3
    assert_one_line_error(done.stderr)
