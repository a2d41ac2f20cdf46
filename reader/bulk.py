"""Work that makes a million small objects at once (a huge page's nodes, blocks, sentences)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Extraction and speech make a million small objects on a huge page (node proxies,
    items, blocks, utterances) and no reference cycles worth collecting: the collector's
    full passes over them found nothing and cost 10 % of the time. It runs again
    afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
