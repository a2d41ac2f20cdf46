"""Say in tags what the page says in ARIA roles, classes and MathML."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.extract.tree import HEADINGS, with_attributes
from reader.text import normalise_space

# Page parts no listener wants, named alike on every MediaWiki site and in many docs
# themes: maintenance and navigation boxes, edit links, jump links, category bars.
_FURNITURE_CLASSES = set(
    (
        "ambox mbox-small navbox vertical-navbox sistersitebox catlinks mw-editsection noprint "
        "mw-jump-link printfooter hatnote navigation-not-searchable metadata mw-cite-backlink "
        "headerlink anchorjs-link heading-anchor anchor-link hash-link header-anchor"
    ).split()
)
# The whole text of a link that only points at its own heading or edits it.
_ANCHOR_TEXT = re.compile(
    r"^(?:[#¶§🔗\W]*|\[?edit(?: section)?\]?|link to this (?:heading|section))$", re.I
)
MAX_ARIA_LEVEL = 6


def make_semantic(doc: HtmlElement) -> None:
    """Say in tags what the page says in ARIA and classes, before anything is judged:
    `role="heading"` becomes h1-h6, formulas become their text alternative, and heading
    anchors, edit links and maintenance boxes go."""
    for node in _marked_up(doc):
        if node.getparent() is None:
            continue
        if _FURNITURE_CLASSES.intersection((node.get("class") or "").split()):
            node.drop_tree()
        elif (node.get("role") or "").lower() == "heading" and _heading_shaped(node):
            node.tag = f"h{_aria_level(node)}"
        elif _local_name(node) == "math":
            _math_as_text(node)
    for heading in list(doc.iter(*HEADINGS)):
        for link in list(heading.iter("a")):
            if _ANCHOR_TEXT.match(normalise_space(link.text_content())) or "action=edit" in (
                link.get("href") or ""
            ):
                link.drop_tree()


def _marked_up(doc: HtmlElement) -> list[HtmlElement]:
    """The elements `make_semantic` may change: those with attributes (a class, a role), in
    document order, then the formulas without any.

    Found in C: asking each of a huge page's 500 000 elements for its tag and attributes
    from Python cost 0.3 s. A MathML prefix is declared in an attribute ("xmlns:m")."""
    attributed = doc.xpath(with_attributes())
    prefixes = {"m", "mml"}
    for node in attributed:
        prefixes.update(name[6:] for name in node.attrib if name.startswith("xmlns:"))
    names = ("math", "{*}math", *(f"{prefix}:math" for prefix in sorted(prefixes)))
    return attributed + [node for node in doc.iter(*names) if not node.attrib]


ROLE_HEADING_MAX_CHARS = 200


def _heading_shaped(node: HtmlElement) -> bool:
    """A `role="heading"` that is a heading: short, no paragraphs or lists inside (sites
    put the role on whole comments too)."""
    if node.tag in HEADINGS or node.find(".//p") is not None or node.find(".//li") is not None:
        return False
    return len(normalise_space(node.text_content())) <= ROLE_HEADING_MAX_CHARS


def _aria_level(node: HtmlElement) -> int:
    try:
        level = int(node.get("aria-level") or 2)
    except ValueError:
        level = 2
    return min(max(level, 1), MAX_ARIA_LEVEL)


def _local_name(node: HtmlElement) -> str:
    return node.tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


FORMULA = "formula"


def _math_as_text(node: HtmlElement) -> None:
    """A MathML formula read as its alternative text (alttext, else a TeX or text
    annotation), else announced as "formula": never silently dropped."""
    text = normalise_space(node.get("alttext") or node.get("aria-label") or "")
    if not text:
        for child in node.iter():
            if isinstance(child.tag, str) and _local_name(child) == "annotation":
                text = normalise_space(child.text_content())
                break
    if not text:
        text = FORMULA
    tail = node.tail
    node.clear()
    node.tag, node.text, node.tail = "span", f" {text} ", tail
