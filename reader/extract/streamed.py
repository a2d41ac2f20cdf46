"""Content that a server streamed after the page's frame, put where it will show.

React's streaming renderer (Next.js and others) first sends a placeholder for each part not
ready yet, `<template id="B:0"></template>` followed by a fallback ("Loading…"), and later
the part itself as `<div hidden id="S:0">…</div>` at the end of the body, with a script
that moves it into place and shows it. Scripts do not run here: without this pass the
article's paragraphs are hidden blocks at the end of the page, and go with the hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.html import HtmlElement

from reader.extract.html_rules import unhide

_SEGMENT = re.compile(r"S:[0-9a-z]+")


def place_streamed_segments(root: HtmlElement, candidates: Iterable[HtmlElement]) -> None:
    """Show each streamed segment among `candidates` (elements with a `hidden` attribute,
    say), moved to its placeholder when the page has one with the same number."""
    segments = [
        node
        for node in candidates
        if node.tag == "div"
        and node.get("hidden") is not None
        and _SEGMENT.fullmatch(node.get("id") or "")
    ]
    if not segments:
        return
    slots = {t.get("id"): t for t in root.iter("template") if (t.get("id") or "").startswith("B:")}
    for segment in segments:
        unhide(segment)
        # The renderer numbers a boundary and its segment alike as a rule; a segment
        # without its placeholder is still shown where it came.
        slot = slots.get("B:" + segment.get("id", "")[2:])
        if slot is not None and slot.getparent() is not None and segment.getparent() is not None:
            _move_before(segment, slot)


def _move_before(node: HtmlElement, place: HtmlElement) -> None:
    """Move `node` (not its tail, which stays as text where it was) just before `place`."""
    tail, node.tail = node.tail, None
    if tail:
        previous, parent = node.getprevious(), node.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    place.addprevious(node)
