"""Cards that pop up over running text, which the page holds inside the sentence.

News sites wrap a person's name in a card shown on hover: a portrait and links to
stories about them ("Ilhan Omar [picture] Hillicon Valley: … | Omar asks court … MORE").
The card sits inside the paragraph, so it would be read in the middle of the sentence."""

from __future__ import annotations

from lxml.html import HtmlElement

from reader.extract.tree import linked_chars
from reader.text import normalise_space

# A card holds at least this many links, with this much text (its picture may be gone by
# now); running text's links come one by one, a citation's "[1][2][3]" are short.
CARD_MIN_LINKS = 3
CARD_MIN_CHARS = 80
CARD_MIN_LINK_SHARE = 0.8
_RUNNING_TEXT = frozenset(("p", "li", "dd", "td", "blockquote"))


def drop_hover_cards(root: HtmlElement) -> None:
    """Drop inline boxes (a <span> inside a paragraph) of several links and little else."""
    for span in reversed(list(root.iter("span"))):  # innermost first: the name stays
        if span.getparent() is None or len(span.findall(".//a")) < CARD_MIN_LINKS:
            continue
        text = normalise_space(span.text_content())
        if len(text) < CARD_MIN_CHARS or linked_chars(span) < CARD_MIN_LINK_SHARE * len(text):
            continue
        if any(a.tag in _RUNNING_TEXT for a in span.iterancestors()):
            span.drop_tree()
