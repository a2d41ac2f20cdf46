"""What a source names, before it is fetched: the built-in sample, or a page as given.

Below both the command line and the app, so neither has to import the other."""

from __future__ import annotations

import threading
from importlib import resources
from typing import TYPE_CHECKING

from reader.errors import FetchError

if TYPE_CHECKING:
    from reader.model import Article

SAMPLE = "sample"


def resolve_source(source: str) -> str:
    """The literal source "sample" is the built-in sample article; anything else is unchanged.

    (A local file called "sample" is still reachable as ./sample.)"""
    if source.strip() != SAMPLE:
        return source
    sample = resources.files("reader").joinpath("data", "sample.html")
    if not sample.is_file():
        raise FetchError("The built-in sample article is missing from this installation of reader.")
    return str(sample)


def load_source(source: str, cancel: threading.Event | None = None) -> Article:
    """Fetch and extract the article `source` names (a web address, a path, "sample");
    setting `cancel` abandons the download."""
    from reader.extract import load_article  # lazy: `reader --help` must not load lxml

    return load_article(resolve_source(source), cancel)
