"""Small facts about an lxml tree that several stages of extraction ask."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from reader.text import normalise_space

# Marks an accordion panel we opened: kept whole even when readability finds it too short.
PANEL = "data-reader-panel"

BLOCK_TAGS = set(
    (
        "p div section article main header h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote pre "
        "table thead tbody tfoot tr td th caption figure figcaption details summary br hr "
        "address center"
    ).split()
)

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def with_attributes(names: str = "*") -> str:
    """xpath: the elements of a subtree (itself included) with an attribute, any (`names`
    "*") or one of `names` ("class|itemprop"), in document order.

    libxml2 evaluates a predicate such as `descendant-or-self::*[@class]` element by element,
    0.2-0.5 s on a page of 540 000 <p>; going through the attribute axis and back up finds
    the same elements in a third of that."""
    if names == "*":
        return ".//@*/.."
    tests = " or ".join(f"name()='{name}'" for name in names.split("|"))
    return f".//@*[{tests}]/.."


def is_descendant(node: HtmlElement, ancestor: HtmlElement) -> bool:
    parent = node.getparent()
    if parent is ancestor:
        return True
    return any(a is ancestor for a in node.iterancestors())


def linked_chars(node: HtmlElement) -> int:
    return sum(len(normalise_space(a.text_content())) for a in node.iter("a"))


# A link holding this many words is a card (a title and its teaser inside one <a>), not
# a menu entry or a headline in a list of related stories: its words are content.
CARD_LINK_WORDS = 16


def link_heavy(node: HtmlElement) -> bool:
    """A block that is mostly links (lists of related stories, tag clouds, share bars)."""
    text = normalise_space(node.text_content())
    if not text:
        return False
    linked = 0
    for a in node.iter("a"):
        label = normalise_space(a.text_content())
        if len(label.split()) < CARD_LINK_WORDS:
            linked += len(label)
    return linked > 0.6 * len(text)


def text_of(root: HtmlElement) -> str:
    """Plain text of a tree with block elements on their own lines (iterative: deep-safe)."""
    parts: list[str] = []
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(node.tag, str):
            if event == "end" and node.tail and node is not root:
                parts.append(node.tail)
            continue
        block = node.tag in BLOCK_TAGS
        if event == "start":
            if block:
                parts.append("\n")
            if node.tag == "img" and node.get("alt"):
                parts.append(" " + node.get("alt") + " ")
            if node.text:
                parts.append(node.text)
        else:
            if block:
                parts.append("\n")
            if node.tail and node is not root:
                parts.append(node.tail)
    lines = (normalise_space(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
