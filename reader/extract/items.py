"""The stream between the two passes of the sections builder, and the text rules both read.

The walker (`walk`) emits `Item`s in document order; the assembler (`assemble`) turns them
into sections. Plain-text pages make their own items (`plain`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.model import Place

PSEUDO_MAX_WORDS = 12
PSEUDO_MAX_CHARS = 100

# "Q:", "Answer:" (any case) or "Q." / "A." (capital, then a space).
MARKER = re.compile(r"^\s*(?:((?i:question|answer|q|a))\s*:|([QA])\.(?=\s))\s*")
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"”’)\]]*$")


def is_pseudo_heading_text(text: str) -> bool:
    """Short and without sentence-ending punctuation (a trailing colon is fine)."""
    if not text or not re.search(r"[^\W\d_]", text) or MARKER.match(text):
        return False
    if len(text) > PSEUDO_MAX_CHARS or len(text.split()) > PSEUDO_MAX_WORDS:
        return False
    return not _SENTENCE_END.search(text)


def is_question_text(text: str) -> bool:
    return text.rstrip().endswith(("?", "？"))


@dataclass(slots=True)
class Item:
    """One thing seen in document order. `type` is heading|block|question|group_start|group_end,
    or "paragraphs": consecutive bare <p> of one place, their texts in `texts`, each what a
    "block" item of the same facts would be (a huge page's 500 000 <p> are a few items)."""

    type: str
    text: str = ""
    kind: str = "paragraph"  # block kind for type "block"
    level: int = 0  # heading level; 0 = pseudo-heading (level decided later)
    bold: bool = False  # the whole text was bold and not a link
    headable: bool = False  # came from a p/div run, so it may be a pseudo-heading or Q/A marker
    faq: bool = False  # inside FAQ markup
    pseudo: bool = False  # a heading guessed from a bold (or short plain-text) line
    place: Place | None = None  # the list, table or quote a block sits in (see reader.model)
    texts: list[str] | None = None  # type "paragraphs": the texts of its paragraphs
