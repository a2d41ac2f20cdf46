"""The second pass, on the small article tree: furniture readability kept, then tidy up."""

from __future__ import annotations

import json
import re

from lxml.html import HtmlElement

from reader.extract.credits import drop_credits
from reader.extract.docsections import contents, headed_list, indexed_list
from reader.extract.html_rules import BOLD_STYLE, image_alt, useless_alt, weight_as_style
from reader.extract.names import materials_block
from reader.extract.popups import drop_hover_cards
from reader.extract.telltales import LINK_LEAD, LIST_LEAD, drop_telltales
from reader.extract.tree import HEADINGS, is_descendant, link_heavy, linked_chars, with_attributes
from reader.text import normalise_space, squash

# Attributes the sections builder needs (FAQ markup, images; href for the links list; list
# numbers, table spans and header scopes for structure spoken); everything else goes.
# `style` survives only as "font-weight:bold" (see `weight_as_style`).
KEPT_ATTRIBUTES = {
    *("class", "id", "itemprop", "itemtype", "itemscope", "alt", "open", "lang", "href"),
    *("start", "value", "reversed", "colspan", "rowspan", "scope"),
}


def clean_article(root: HtmlElement, title: str = "") -> None:
    """Second pass on the small article tree: furniture readability kept, then tidy up.

    The tree is made of nodes of the already cleaned page, so the name/tag rules of
    `remove_boilerplate` need not run again.
    """
    drop_data(root)
    suspects = drop_telltales(root)
    drop_title_repeat(root, title)
    _drop_repeats(root)
    for node in list(root.iter("source", "track")):
        # Void elements, but libxml2 nests what follows inside them: a <picture>'s <img>
        # ends up in its <source>, which the sections builder skips.
        node.drop_tag()
    drop_hover_cards(root)
    drop_credits(root)  # before the figures: an alt text and its caption may differ by one
    _one_description_per_figure(root, title)
    _drop_useless_images(root, title)
    for node in list(root.iter("ul", "ol", "div", "section", "table")):
        if node.getparent() is None or headed_list(node) or materials_block(node):
            continue
        if indexed_list(node) or contents(node):  # a course's lessons, the page's outline
            continue
        if link_heavy(node):
            node.drop_tree()
    # Only these <p> can be teasers or link lists (see `drop_telltales`), if still in the article.
    judged = [node for node in suspects if is_descendant(node, root)]
    for node in judged:
        if node.getparent() is not None and _teaser_link(node):
            node.drop_tree()
    _drop_link_lists(judged)
    _drop_empty(root)
    # Most of a page has no attributes to drop, and CSS cannot make it bold.
    for node in root.xpath(_ATTRIBUTED_OR_BOLD):
        bold = weight_as_style(node)
        for name in list(node.attrib):
            if name not in KEPT_ATTRIBUTES and not (name == "role" and node.tag == "table"):
                del node.attrib[name]  # (a table's role says whether it is only layout)
        if bold:  # the sections builder reads this to find bold pseudo-headings
            node.set("style", BOLD_STYLE)


_ATTRIBUTED_OR_BOLD = f"{with_attributes()} | descendant-or-self::b | descendant-or-self::strong"


_XML_SPACE = " \t\n\r"  # what xpath's normalize-space() strips
_CODE_TAGS = frozenset(("pre", "code"))


def drop_data(root: HtmlElement) -> None:
    """A block whose whole text is a JSON object or array is a script's state left in the
    page (a shop's grid serves its filters and item ids so, in a hidden <div>): data, never
    words to read, and its one long "word" made a whole listing look like binary junk.
    A code sample (<pre>, <code>) of JSON is documentation's text, and stays."""
    whole = root.text_content()
    if "{" not in whole and "[" not in whole:
        return  # most pages, and the 500 000 paragraphs of a huge one, are spared the search
    for node in _opening_like_data(root):
        if node.getparent() is None or node.tag in _CODE_TAGS:
            continue
        if any(a.tag in _CODE_TAGS for a in node.iterancestors()):
            continue
        text = (node.text or "").strip()
        if text[-1:] not in ("}", "]") or len(text) < 2:
            continue
        try:
            json.loads(text)
        except ValueError:
            continue  # "[1] Smith, J." or "{braces} in prose": text
        node.drop_tree()


def _opening_like_data(root: HtmlElement) -> list[HtmlElement]:
    """The elements without children whose text opens like JSON (a Python pass over the
    tree costs half what an xpath of string tests did on a huge page)."""
    found = []
    for node in root.iter():
        text = node.text
        if text and text.lstrip(_XML_SPACE)[:1] in ("{", "[") and not len(node):
            found.append(node)
    return [node for node in found if isinstance(node.tag, str)]


# Blocks another extractor hands back, checked one by one against our cleaned page.
_TEXT_BLOCKS = (*HEADINGS, "p", "li", "td", "th", "pre", "blockquote", "dd", "dt")


def keep_within(root: HtmlElement, cleaned: HtmlElement) -> None:
    """Drop the blocks of `root` (another extractor's choice) whose text is not in `cleaned`,
    our page after its boilerplate rules: what those rules took out stays out."""
    kept = normalise_space(cleaned.text_content())
    for node in list(root.iter(*_TEXT_BLOCKS)):
        if node.getparent() is None:
            continue  # inside a block already dropped
        text = normalise_space(node.text_content())
        if text and text not in kept:
            node.drop_tree()


def drop_title_repeat(root: HtmlElement, title: str) -> None:
    """The title is announced separately; a heading that repeats it would be heard twice."""
    wanted = squash(title)
    if not wanted:
        return
    for node in root.iter("h1", "h2", "h3", "p", "div", "span"):
        text = node.text_content()
        if len(text) < 2 * len(title) + 20 and squash(text) == wanted:
            node.drop_tree()
            return


def _one_description_per_figure(root: HtmlElement, title: str) -> None:
    """The alt text was written for people who cannot see the picture: it stays the image's
    description. The caption (what sighted readers see) is kept as well when it says
    something else; when one holds the other, the fuller text is heard once, as the image."""
    for figure in list(root.iter("figure")):
        captions = list(figure.iter("figcaption"))
        images = list(figure.iter("img"))
        caption = normalise_space(" ".join(c.text_content() for c in captions))
        if not images or not caption:
            continue
        image = images[0]
        alt = normalise_space(image.get("alt") or "")
        alt_words, caption_words = _word_set(alt), _word_set(caption)
        if useless_alt(alt) or squash(alt) == squash(title) or alt_words <= caption_words:
            image.set("alt", caption)  # the caption says all the alt says (or the alt is empty)
        elif not caption_words <= alt_words:
            continue  # both tell something: the image, then its caption
        for node in captions:
            node.drop_tree()


def _word_set(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _drop_useless_images(root: HtmlElement, title: str) -> None:
    """Keep images whose alt text tells the listener something new, once."""
    seen = {squash(title)}
    for caption in root.iter("figcaption"):
        seen.add(squash(caption.text_content()))
    for img in list(root.iter("img")):
        alt = image_alt(img)
        key = squash(alt or "")
        if not key or key in seen:
            img.drop_tree()
        else:
            seen.add(key)


REPEAT_MIN_CHARS = 20


def _drop_repeats(root: HtmlElement) -> None:
    """Say a repeated caption once (galleries repeat each caption per slide and size).

    Only captions: recipes and product lists legitimately repeat lines.
    """
    first: dict[str, HtmlElement] = {}
    # The candidates, in C: the descendants that are a <figcaption> or have a class.
    for node in root.xpath("descendant::figcaption | descendant::*/@class/.."):
        if node.getparent() is None:
            continue
        if node.tag != "figcaption" and "caption" not in (node.get("class") or "").lower():
            continue
        key = squash(node.text_content())
        if len(key) < REPEAT_MIN_CHARS:
            continue
        earlier = first.get(key)
        if earlier is None:
            first[key] = node
        elif not is_descendant(node, earlier):
            node.drop_tree()


TEASER_MAX_CHARS = 200
# A whole-link line shorter than this may be a linked bold pseudo-heading ("Natalizumab
# (Tysabri)"); teaser headlines are longer.
TEASER_MIN_WORDS = 5


def _teaser_link(node: HtmlElement) -> bool:
    """A short block that is nothing but a link to another page, or "Related: <link>"."""
    text = normalise_space(node.text_content())
    if not text or len(text) > TEASER_MAX_CHARS or " " not in text:  # a bare URL is a reference
        return False
    linked = sum(len(normalise_space(a.text_content())) for a in node.iter("a"))
    if linked >= 0.9 * len(text):
        return len(text.split()) >= TEASER_MIN_WORDS
    lead = LINK_LEAD.match(text)
    return bool(lead) and linked >= 0.5 * (len(text) - lead.end())


LINK_LIST_MAX_CHARS = 600
LINK_LIST_MIN_SHARE = 0.7


def _drop_link_lists(judged: list[HtmlElement]) -> None:
    """Drop "Don't miss" paragraphs of links, and the links paragraph after a lone lead
    (of the `judged` <p>: the suspects of `drop_telltales` and those with children)."""
    for node in judged:
        if node.getparent() is None:
            continue
        text = normalise_space(" ".join(node.itertext()))  # <br> between lead and links
        lead = LIST_LEAD.match(text)
        if not lead or len(text) > LINK_LIST_MAX_CHARS:
            continue
        rest = len(text) - lead.end()
        if rest > 0 and linked_chars(node) < LINK_LIST_MIN_SHARE * rest:
            continue  # "Related research shows…": a sentence, not a lead
        after = node.getnext()
        if not rest and after is not None and after.tag == "p":
            after_text = normalise_space(after.text_content())
            if after_text and linked_chars(after) >= LINK_LIST_MIN_SHARE * len(after_text):
                after.drop_tree()
        node.drop_tree()


_KEPT_EMPTY = frozenset(("br", "img", "hr", "td", "th"))


def _drop_empty(root: HtmlElement) -> None:
    """Remove elements with neither text nor an image with alt text (deepest first). An empty
    table cell stays: it holds its column's place, so the cells after it keep their headers."""
    for node in reversed(list(root.iter())):
        if node is root or not isinstance(node.tag, str) or node.tag in _KEPT_EMPTY:
            if node.tag == "img" and not (node.get("alt") or "").strip():
                node.drop_tree()
            continue
        if (node.text or "").strip() or len(node):
            continue
        if node.text:
            # Spaces alone in their element still part two words (syntax colouring puts
            # the spaces of code in spans of their own: `def</span><span> </span>f`).
            node.tail = node.text + (node.tail or "")
        node.drop_tree()
