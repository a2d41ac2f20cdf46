"""A document's own structure, kept against readability's pruning.

readability judges each block by its words, links and name. A manual or a tutorial is
made of parts it misjudges: a section whose id, made from its heading, holds a word it
distrusts ("respond-to-review-comments"), a list of links under its own heading (a course's
topics), the page's own table of contents, the later sections of a page of which it kept
the first few, the other headed parts of a page of which it kept one, the head (title and
lead) beside the body it kept. These are the document's text, whatever readability thought
of them: `kept_part` says which blocks inside its choice stay whole, `section_run` which
container to read instead of its choice.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.extract.tree import HEADINGS, link_heavy
from reader.text import normalise_space

_WORDS = re.compile(r"[^\W_]+")
# A lead paragraph's sentence: eight words or more, ending as sentences do.
_LEAD_SENTENCE = re.compile(r"(?:[^\W\d_][\w'’-]*\W+){7,}[^\W\d_][\w'’-]*[.!?]")
# Blocks a document's body is made of, beside its sections (anything else, a <div> above
# all, may be furniture readability rightly left out).
_DOCUMENT_TAGS = frozenset(
    (*HEADINGS, "p", "ul", "ol", "dl", "pre", "table", "blockquote", "figure", "hr", "br")
)
# The sentence between a list's heading and the list ("This model looks at ...").
LIST_LEAD_MAX_CHARS = 300
# A headed list of more links than this is a directory.
INDEX_MAX_LINKS = 20
# A table of contents: this many links at least, nearly all to places on the page.
CONTENTS_MIN_LINKS = 3
CONTENTS_MIN_SHARE = 0.9
SECTION_RUN_MIN = 2  # kept sibling parts that show readability chose within one document
# One choice of readability inside a headed part (up to this many levels above it), among
# this many headed parts side by side.
PART_CLIMB = 2
PART_RUN_MIN = 3
TITLE_MAX_CHARS = 200  # a box of the page's title and little else, beside its parts


def kept_part(node: HtmlElement) -> bool:
    """A block to keep whole inside readability's choice: a section of the document, a list
    under its own heading, or a list of more than links that a sentence introduces."""
    return own_section(node) or indexed_list(node) or introduced_list(node) or contents(node)


def indexed_list(node: HtmlElement) -> bool:
    """A list under its own heading, perhaps and a sentence (a course's module, a line on
    it, then its lessons), unless it is a directory: hundreds of links ("Movers in nearby
    cities") are a site's index, not the document's, however they are headed."""
    if not headed_list(node, lead=True):
        return False
    return not link_heavy(node) or len(node.findall(".//a")) <= INDEX_MAX_LINKS


def own_section(node: HtmlElement) -> bool:
    """A <section> or <div> that opens with a heading, named by that heading made a slug
    (`<section id="custom-levels"><h3>Custom Levels</h3>`, or a <section> whose heading
    carries the slug: `<section><h3 id="data-scientist">Data Scientist</h3>`): a part of a
    document, as documentation generators write them, not a block a site named. (Any
    headed <section> would keep too much: a shop's warranty box, an app's card of facts.)"""
    if node.tag not in ("section", "div"):
        return False
    heading = _first_heading(node)
    if heading is None:
        return False
    named = node.get("id") or (heading.get("id") if node.tag == "section" else None)
    name = _WORDS.findall((named or "").lower())
    return bool(name) and _WORDS.findall(heading.text_content().lower()) == name


def headed_list(node: HtmlElement, lead: bool = False) -> bool:
    """A list the document introduces with its own heading ("What you'll need", "Sources"),
    with `lead` perhaps and a sentence between them: its linked items are the content, not
    a menu. (Headings of link furniture, "Related articles", are taken for telltale text
    by the time the article is cleaned, so their lists are judged as lists of links.)"""
    if node.tag not in ("ul", "ol"):
        return False
    before = _previous_said(node)
    if lead and before is not None and before.tag == "p":
        if len(_text(before)) <= LIST_LEAD_MAX_CHARS:
            before = _previous_said(before)
    return before is not None and before.tag in HEADINGS


def introduced_list(node: HtmlElement) -> bool:
    """A list the sentence before it leads into ("Refer to the following topics:"), whose
    items say more than their links ("Creating modules provides instructions on ...")."""
    if node.tag not in ("ul", "ol") or link_heavy(node):
        return False
    before = _previous_said(node)
    return before is not None and before.tag == "p" and _text(before).endswith(":")


def contents(node: HtmlElement) -> bool:
    """The page's own table of contents: a list of links to places on this page. Inside the
    document (one in a sidebar went with the sidebar) it is the outline the writer gave."""
    if node.tag not in ("ul", "ol"):
        return False
    targets = [(a.get("href") or "").strip() for a in node.iter("a")]
    if len(targets) < CONTENTS_MIN_LINKS:
        return False
    here = sum(t.startswith("#") and len(t) > 1 for t in targets)
    return here >= CONTENTS_MIN_SHARE * len(targets)


def _previous_said(node: HtmlElement) -> HtmlElement | None:
    """The nearest earlier sibling with text."""
    before = node.getprevious()
    while before is not None and not _text(before):
        before = before.getprevious()
    return before


def _text(node: HtmlElement) -> str:
    return normalise_space(node.text_content())


def section_run(tops: list[HtmlElement]) -> HtmlElement | None:
    """The whole document, when readability kept some of its sibling sections and left out
    others (their parent, if all its other children are sections, headings or prose), kept
    one of a run of headed parts, or kept the body beside the document's head; and so on
    up, while that container is itself one section of a document."""
    parents = [top.getparent() for top in tops]
    parent = next((p for p in parents if parents.count(p) >= SECTION_RUN_MIN), None)
    if parent is None:
        parent = _part_run(tops)
        if parent is None:
            parent = _headed_body(tops)
        if parent is None:
            return None
    else:
        kept = [top for top in tops if top.getparent() is parent]
        if not any(_headed_section(top) for top in kept) or not _document(parent, kept):
            return None
    while _headed_section(parent) and _document(parent.getparent(), [parent]):
        parent = parent.getparent()
    return parent


def _part_run(tops: list[HtmlElement]) -> HtmlElement | None:
    """The page of headed parts that readability's one choice is the body of one of: a
    course page's "Course details", "Announcements", "Lectures", each a <div> under its
    heading, and readability kept the lectures' table."""
    if len(tops) != 1:
        return None
    part = tops[0]
    for _ in range(PART_CLIMB + 1):
        parent = part.getparent()
        if parent is None:
            return None
        if _headed_part(part):
            parts = sum(1 for child in parent if _headed_part(child))
            if parts >= PART_RUN_MIN and _document(parent, [part]):
                return parent
        part = parent
    return None


def _headed_body(tops: list[HtmlElement]) -> HtmlElement | None:
    """The document, when readability kept its body and left its head beside it: MDN puts
    the <h1> and the lead paragraphs in a box of their own before the body's sections. The
    two alone: a box holding more (comments, a byline's box, related links) is a page."""
    if len(tops) != 1:
        return None
    body = tops[0]
    parent = body.getparent()
    if parent is None or body.tag not in ("div", "section"):
        return None
    head = _previous_said(body)
    if head is None or head.find(".//h1") is None or head.tag not in ("div", "section", "header"):
        return None
    if not any(_LEAD_SENTENCE.search(_text(p)) for p in head.iter("p")):
        return None  # a title with its byline and date: the article's furniture, not its lead
    others = (c for c in parent if c is not body and c is not head and isinstance(c.tag, str))
    return None if any(normalise_space(c.text_content()) for c in others) else parent


def _document(parent: HtmlElement | None, kept: list[HtmlElement]) -> bool:
    """Whether the children of `parent` besides `kept` are all parts of a document."""
    if parent is None or parent.tag in ("body", "html"):
        return False
    for child in parent:
        if not isinstance(child.tag, str) or any(child is top for top in kept):
            continue
        if child.tag not in _DOCUMENT_TAGS and not _headed_part(child):
            text = normalise_space(child.text_content())
            if text and not (len(text) <= TITLE_MAX_CHARS and _holds_heading(child)):
                return False  # (a box holding the page's title and little else is its title)
    return True


def _headed_section(node: HtmlElement) -> bool:
    return node.tag == "section" and _first_heading(node) is not None


def _holds_heading(node: HtmlElement) -> bool:
    return any(True for _ in node.iter(*HEADINGS))


def _headed_part(node: HtmlElement) -> bool:
    """A <section> or a <div> that opens with a heading."""
    return node.tag in ("section", "div") and _first_heading(node) is not None


def _first_heading(node: HtmlElement) -> HtmlElement | None:
    first = next((c for c in node if isinstance(c.tag, str) and c.tag != "span"), None)
    return first if first is not None and first.tag in HEADINGS else None
