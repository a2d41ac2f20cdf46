"""A second user trial: the hint for an address typed without https:// must make sense aloud,
and an address given as a machine and port ("127.0.0.1:8000/page") gets the hint too."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import FetchError
from reader.source.files import read_file
from reader.text import said_addresses

HINT = "for a web page, start the address with https://."


def missing(given: str) -> str:
    with pytest.raises(FetchError) as caught:
        read_file(Path(given), given, 1000)
    return str(caught.value)


@pytest.mark.parametrize(
    "given", ["www.example.com", "example.com/story", "127.0.0.1:8765/guide.html", "localhost:8000"]
)
def test_an_address_without_https_gets_the_hint_and_it_is_said_as_written(given: str) -> None:
    shown = missing(given)
    assert shown.endswith(HINT)
    # Said: the hint names no site, so it stays as written (it was "start the address with
    # the site", which means nothing).
    assert said_addresses(shown).endswith(HINT)


def test_a_file_name_gets_no_hint() -> None:
    assert missing("notes-that-are-not-here.txt") == (
        "The file notes-that-are-not-here.txt does not exist."
    )
