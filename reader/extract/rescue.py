"""What readability's cleaning dropped inside the article it chose, that is still its text.

readability keeps its chosen block but "conditionally cleans" the <div>s, <ul>s, <section>s
and <table>s inside it: a block whose class holds "widget" (a CMS's editor widget wraps the
body of each list item so), a list item's box of a product picture and its paragraph, a
table of figures. Inside the article the listener chose to hear, a block of prose that is
not mostly links is part of it, whatever its name."""

from __future__ import annotations

from lxml.html import HtmlElement

from reader.extract.names import PROSE_SENTENCE, furniture_name
from reader.extract.tree import linked_chars
from reader.text import normalise_space

# A block with a link share above this is a list of links (related stories, a shop's
# buttons), which readability was right to drop.
RESCUE_MAX_LINK_SHARE = 0.3
RESCUED_TAGS = frozenset(("div", "section", "ul", "ol", "table", "span"))


def worth_keeping(node: HtmlElement) -> bool:
    """A block readability dropped from inside its choice that holds a sentence of prose
    and is not mostly links."""
    if node.tag not in RESCUED_TAGS or furniture_name(node):
        return False
    text = normalise_space(node.text_content())
    if not text or linked_chars(node) > RESCUE_MAX_LINK_SHARE * len(text):
        return False
    return bool(PROSE_SENTENCE.search(text)) and not _mostly_furniture(node, len(text))


def _mostly_furniture(node: HtmlElement, chars: int) -> bool:
    """Most of the block is a box named as furniture (a neutral "zone" wrapping a
    "custom-cta-letter" appeal for money)."""
    for inner in node.xpath(".//*[@class or @id]"):
        if furniture_name(inner) and len(normalise_space(inner.text_content())) > chars / 2:
            return True
    return False
