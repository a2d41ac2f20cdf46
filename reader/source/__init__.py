"""Where a page comes from: the first step of the pipeline (source -> extract -> speech).

This module names sources (the built-in sample) and stays light, since the command line
imports it at once; the fetching is in the modules beside it, and none of them imports
anything of the later steps (tests/test_layers.py):

* `fetch`: the one way in, `fetch()` for a page and `fetch_resource()` for raw bytes (feeds);
  only FetchError leaves it, as one plain sentence naming the problem and the source.
* `files`: local paths, file:// addresses and standard input.
* `http`: the download in its own thread, bounded by a wall-clock limit and cancellable.
* `compression`: gzip, deflate and brotli, undone under the size cap.
* `page`: the bytes judged (a page, plain text, or something reader does not read) into a Page.
* `charset`: the bytes decoded: byte-order mark, declared charset, then detection.
* `messages`: a source as it may appear in a message; reasons, sizes and seconds in words.
"""

from __future__ import annotations

from importlib import resources

from reader.errors import FetchError

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
