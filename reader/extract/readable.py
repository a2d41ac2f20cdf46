"""readability-lxml's choice of the article, rebuilt from the ORIGINAL nodes it kept.

readability's own output rewrites the tree (divs become paragraphs, attributes and some
headings go), so every element of the original tree is tagged with an id first, readability
chooses on that tree, and the article is rebuilt from copies of the originals it kept.
"""

from __future__ import annotations

import copy
import functools
import logging

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.extract.docsections import kept_part, section_run
from reader.extract.listicles import article_around
from reader.extract.markup import is_layout_table
from reader.extract.names import is_faq, materials_block
from reader.extract.rescue import worth_keeping
from reader.extract.tree import PANEL, is_descendant, link_heavy
from reader.text import normalise_space

# readability logs its own failures with tracebacks; we fall back quietly instead, and the
# CLI must print one plain sentence, not a traceback from a library logger.
logging.getLogger("readability").addHandler(logging.NullHandler())

RID = "data-reader-id"

# Structures the listener needs even when readability judged them too small or too listy.
PROTECTED_TAGS = set(("h1 h2 h3 h4 h5 h6 dl dt dd details summary blockquote pre").split())


@functools.cache
def _readability() -> type:
    """readability-lxml that hands back its final tree instead of re-serialised HTML.

    Made on first use: importing readability (and the chardet and urllib it imports) costs
    0.2 s, which a huge page, never given to it (see HUGE_PAGE_ELEMENTS), need not pay."""
    from readability import Document

    class Readability(Document):  # type: ignore[misc]
        final: HtmlElement | None = None

        def get_clean_html(self) -> str:
            self.final = self.html
            # summary() only uses the length of this string to decide whether to retry.
            return etree.tostring(self.html, encoding="unicode", method="text")

    return Readability


# readability scores every paragraph and its ancestors in Python, about 30 µs an element:
# 15 s and 670 MB for a 9 MB page of 540 000 paragraphs. Past this many elements the
# boilerplate rules alone decide (they already dropped menus, sidebars, footers, hidden
# and furniture-named blocks), and the rest of the body is the article.
HUGE_PAGE_ELEMENTS = 50_000


def readable_root(doc: HtmlElement, marked: bool = False, product: bool = False) -> HtmlElement:
    """The article as a <div> of copies of the original nodes readability kept.

    A page `marked` as an article (og:type, JSON-LD) is read whole when readability took it
    in pieces (see `article_around`); on a `product` page the blocks readability's cleaning
    dropped stay dropped (its marketing boxes and offers read as prose)."""
    originals = {}
    for index, node in enumerate(doc.iter()):
        if isinstance(node.tag, str):
            node.set(RID, str(index))
            originals[str(index)] = node
    chosen = _readability_tree(doc)
    root = lxml.html.fragment_fromstring("<div></div>")
    if chosen is None:
        body = doc.find("body")
        for child in body if body is not None else [doc]:
            root.append(copy.deepcopy(child))
        return root
    kept = {node.get(RID) for node in chosen.iter() if isinstance(node.tag, str)}
    moved = _moved_roots(chosen, originals)
    tops = [originals[m.get(RID)] for m in moved]
    # (`is None`, not `or`: an element with no children is false, an <article> of bare text)
    whole = _article_beside_listing(doc, tops)
    if whole is None:
        whole = _card_run(tops)
    if whole is None and marked:
        whole = article_around(doc, tops)
    if whole is None:
        whole = section_run(tops)
    if whole is not None:
        root.append(copy.deepcopy(whole))
        return root
    moved_ids = {node.get(RID) for node in moved}
    clones: dict[str, HtmlElement] = {}
    for node in moved:  # in document order: containers come before what was moved into them
        rid = node.get(RID)
        clone = _pruned_copy(originals[rid], kept, moved_ids - {rid}, rescue=not product)
        _place(root, node, clone, clones)
        clones.update((c.get(RID), c) for c in clone.iter() if isinstance(c.tag, str))
    return root


def whole_body(doc: HtmlElement) -> HtmlElement:
    """The body's children moved (not copied: the page is huge) into a <div>."""
    root = lxml.html.fragment_fromstring("<div></div>")
    body = doc.find("body")
    root.text = body.text if body is not None else None
    root.extend(list(body if body is not None else doc))
    return root


LISTING_MIN_ARTICLES = 3
HEADED_MIN_CHARS = 200


def _article_beside_listing(doc: HtmlElement, tops: list[HtmlElement]) -> HtmlElement | None:
    """The <article> holding the page's h1, when readability chose a list of teasers.

    Blogs put "more posts" as a run of <article> teasers next to a short post; together
    the teasers outscore the post. A choice holding several <article>s is a listing.
    """
    articles = list(doc.iter("article"))
    if len(articles) <= LISTING_MIN_ARTICLES:
        return None
    headed = [a for a in articles if a.find(".//h1") is not None]
    if len(headed) != 1 or len(normalise_space(headed[0].text_content())) < HEADED_MIN_CHARS:
        return None
    article = headed[0]
    if any(t is article or is_descendant(t, article) for t in tops):
        return None  # readability chose within the headed article: trust it
    inside = [
        a for a in articles if a is not article and any(a is t or is_descendant(a, t) for t in tops)
    ]
    return article if len(inside) >= LISTING_MIN_ARTICLES else None


CARD_RUN_MIN = 3  # like siblings that make a run of cards (posts, products, results)
CARD_CLIMB = 4  # how far above readability's choice a card's own box may sit
CARD_RUN_MIN_SHARE = 1.5  # the run must hold clearly more text than the one card


def _card_run(tops: list[HtmlElement]) -> HtmlElement | None:
    """The container of a run of like cards, when readability chose just one of them.

    Listings, shop categories and threads are runs of siblings of one tag and class;
    readability scores each on its own and keeps the best, one card of many. The
    listener wants the list: every card, in order, with the heading above them."""
    if len(tops) != 1:
        return None
    chosen = tops[0]
    current = chosen
    for _ in range(CARD_CLIMB):
        parent = current.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        like = [
            c for c in parent if c.tag == current.tag and c.get("class") == current.get("class")
        ]
        if len(like) >= CARD_RUN_MIN:
            own = len(normalise_space(chosen.text_content()))
            run = len(normalise_space(parent.text_content()))
            return parent if run > CARD_RUN_MIN_SHARE * own else None
        current = parent
    return None


def _place(root: HtmlElement, node: HtmlElement, clone: HtmlElement, clones: dict) -> None:
    """Put `clone` where readability put `node`: after its kept previous sibling, or first
    in its kept container (readability moves standfirsts to the top of the article)."""
    for sibling in node.itersiblings(preceding=True):
        if sibling.get(RID) in clones:
            clones[sibling.get(RID)].addnext(clone)
            return
    for ancestor in node.iterancestors():
        if ancestor.get(RID) in clones:
            clones[ancestor.get(RID)].insert(0, clone)
            return
    root.append(clone)


def _readability_tree(doc: HtmlElement) -> HtmlElement | None:
    reader = _readability()(doc)
    try:
        reader.summary(html_partial=True)
    except (Exception, RecursionError):  # readability fails on odd trees; fall back to the body
        return None
    final = reader.final
    if final is None or not normalise_space(final.text_content()):
        return None
    return final


def _moved_roots(chosen: HtmlElement, originals: dict[str, HtmlElement]) -> list[HtmlElement]:
    """Nodes of readability's output that are not in place under their output ancestor.

    Normally these are the top candidate and the siblings readability appended; article
    segments it merged in from elsewhere show up here as well.
    """
    roots = []
    stack = [(chosen, None)]
    while stack:
        node, anchor = stack.pop()
        rid = node.get(RID) if isinstance(node.tag, str) else None
        child_anchor = anchor
        if rid is not None and rid in originals:
            original = originals[rid]
            if anchor is None or not is_descendant(original, anchor):
                roots.append(node)
            child_anchor = original
        stack.extend((child, child_anchor) for child in reversed(node))
    return roots


def _structure(node: HtmlElement) -> bool:
    """A data table, or a list inside a kept list item: readability drops small ones (a
    two-row dosing table, "sub a, sub b") as too short to be content, but in an article
    they are its facts. Mostly links, they are menus and go."""
    if node.tag == "table":
        return not is_layout_table(node) and not link_heavy(node)
    if node.tag in ("ul", "ol"):
        parent = node.getparent()
        return parent is not None and parent.tag == "li" and not link_heavy(node)
    return False


def _pruned_copy(
    original: HtmlElement, kept: set[str | None], moved: set[str], rescue: bool = True
) -> HtmlElement:
    """Copy `original`, dropping descendants readability removed (unless structural, or
    prose worth keeping when `rescue`) or moved elsewhere (those are placed on their own)."""
    clone = copy.deepcopy(original)
    quoting = clone.find(".//blockquote") is not None
    doomed = []
    stack = list(clone)
    while stack:
        node = stack.pop()
        if not isinstance(node.tag, str):
            continue
        rid = node.get(RID)
        if rid in moved:
            doomed.append(node)
        elif (
            node.tag in PROTECTED_TAGS
            or is_faq(node)
            or node.get(PANEL) is not None
            or materials_block(node)
            or _structure(node)
            or (rescue and rid not in kept and worth_keeping(node))
            or kept_part(node)
        ):
            continue  # headings, quotes, FAQ markup, accordion panels, tables: kept whole
        elif rid in kept or (quoting and node.find(".//blockquote") is not None):
            # readability drops embed wrappers ("tweet", "widget"); the quote inside is
            # article text, so look inside instead of dropping the wrapper whole.
            stack.extend(node)
        else:
            doomed.append(node)
    for node in doomed:
        node.drop_tree()
    return clone
