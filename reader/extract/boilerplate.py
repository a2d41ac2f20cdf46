"""The first pass over the whole page: scripts, furniture tags, hidden elements and blocks
named like boilerplate go (accordion panels are opened first, so their text stays)."""

from __future__ import annotations

from lxml.html import HtmlElement

from reader.extract.accordions import (
    CANDIDATES,
    open_accordions,
    open_named_panel,
    open_tab_panels,
)
from reader.extract.html_rules import is_hidden, unhide
from reader.extract.names import (
    DROPPED_TAGS,
    holds_article,
    holds_faq,
    is_modal,
    named_boilerplate,
)
from reader.extract.prose import has_prose
from reader.extract.streamed import place_streamed_segments
from reader.extract.tree import with_attributes
from reader.text import normalise_space


def remove_boilerplate(root: HtmlElement) -> None:
    """Drop scripts, furniture tags, hidden elements and blocks named like boilerplate."""
    body_chars = max(len(normalise_space(root.text_content())), 1)
    # xpath picks the few elements these passes look at in C, in one pass: a huge page has
    # 500 000 others.
    found = root.xpath(CANDIDATES)
    place_streamed_segments(root, found)
    open_accordions(found, body_chars)
    open_tab_panels(found, body_chars)
    for node in list(root.iter(*DROPPED_TAGS)):
        if node.getparent() is None or holds_article(node, body_chars):
            continue
        if node.tag == "aside" and holds_faq(node):  # a Q&A callout is article content
            continue
        node.drop_tree()
    for node in list(root.iter("form")):
        # Some sites wrap the whole page in one <form>; only small forms are furniture.
        if node.getparent() is not None and not holds_article(node, body_chars):
            node.drop_tree()
    # "Most of the page", measured without the head and scripts just dropped: a theme may name
    # the post's own column "...sidebar-right", and on a page with 1 000 words of inline script
    # its 970 words were under half the first count, so the article went with the name.
    # Measured when first needed (a page's text is megabytes on a huge page).
    visible = 0
    # Without attributes a block is neither hidden nor named furniture: only the others,
    # found in C (no pass below adds an attribute to an element it has not visited yet).
    for node in root.xpath(with_attributes()):
        if node.getparent() is None:
            continue
        if is_hidden(node):
            if open_named_panel(node, body_chars):
                continue
            # Consent dialogs set aria-hidden on the page behind them, and anti-flicker
            # scripts hide the body until they run: never hide the article itself.
            if not holds_article(node, body_chars):
                node.drop_tree()
            else:  # and keep readability and the sections builder from dropping it
                unhide(node)
                node.attrib.pop("style", None)
        elif named_boilerplate(node, body_chars):
            visible = visible or max(len(normalise_space(root.text_content())), 1)
            if not _the_article(node, visible):
                node.drop_tree()


def _the_article(node: HtmlElement, visible: int) -> bool:
    """A block holding most of the page's visible text, in sentences: the article, whatever
    its class or id say (a filter panel or a shop's sidebar has no sentences)."""
    return not is_modal(node) and holds_article(node, visible) and has_prose(node)
