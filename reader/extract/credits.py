"""Picture credits and a publication's appeals, which nobody wants read aloud.

A caption is the picture's description for a listener and stays; its credit ("(AP
Photo/Alan Diaz, File)", "REUTERS/Brendan McDermid") names who took it, and a credit
standing alone ("Sakib Ali/Hindustan Times/Getty Images") says nothing at all. Galleries
give a caption twice, cut short with a "more" link and whole with a "less" one. And short
blocks where the publication speaks of itself ("Get the magazine delivered through your
letterbox", "Let our news meet your inbox"), the post's list of tags and a widget the page
never drew ("[button …]Send us your review[/button]") are no part of the story."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.extract.telltales import (
    APPEAL,
    APPEAL_MAX_CHARS,
    CREDIT_LEAD,
    CREDIT_LINE,
    CREDIT_TAIL,
    SHORTCODE,
    STAFF_LINE,
)
from reader.text import normalise_space, squash

# Blocks a caption or an appeal sits in (as a whole block: never a paragraph's part).
_BLOCKS = ("p", "div", "span", "figcaption", "small", "cite", "em", "li", "section")
CAPTION_MAX_CHARS = 600
# A cut-short caption ends so, the link that opens it whole after it.
_TOGGLE = re.compile(
    r"\s*(?:\.\.\.|…)?\s*(?:(?:more|less|read more|show more|show less)|(?:\.\.\.|…))$", re.I
)
TRUNCATED_MIN_CHARS = 40


# An article tree with more elements than this is a dump of data (540 000 paragraphs),
# not a story with captions and appeals: judging each block's text by these patterns would
# cost seconds there, for nothing.
CREDITS_MAX_ELEMENTS = 20_000


def drop_credits(root: HtmlElement) -> None:
    """Credits out of captions and alt text, lone credit lines, twice-given captions and
    short appeals out of the article."""
    if int(root.xpath("count(descendant::*)")) > CREDITS_MAX_ELEMENTS:
        return
    for img in root.iter("img"):
        alt = img.get("alt")
        if alt:
            img.set("alt", _without_credit(alt))
    captions: list[tuple[HtmlElement, str]] = []
    for node in list(root.iter(*_BLOCKS)):
        if node.getparent() is None or _holds_blocks(node):
            continue
        raw = node.text_content()
        if len(raw) > 2 * CAPTION_MAX_CHARS:
            continue
        text = normalise_space(raw)
        if not text or len(text) > CAPTION_MAX_CHARS:
            continue
        if _credit_alone(text) or _appeal_or_staff(text) or SHORTCODE.match(text):
            node.drop_tree()
            continue
        _cut_credit(node)
        if _is_caption(node):
            _drop_toggles(node)
            captions.append((node, _TOGGLE.sub("", normalise_space(node.text_content()))))
    _drop_cut_short(captions)
    _alt_said_by_caption(captions)
    _drop_tag_lists(root)


def _credit_alone(text: str) -> bool:
    """A credit standing alone: "Sakib Ali/Getty Images", "(AP Photo/Alan Diaz, File)"."""
    return bool(CREDIT_LINE.match(text)) or not CREDIT_TAIL.sub("", text).strip()


def _appeal_or_staff(text: str) -> bool:
    if len(text) > APPEAL_MAX_CHARS:
        return False
    return bool(APPEAL.search(text) or STAFF_LINE.match(text))


def _without_credit(text: str) -> str:
    cut = CREDIT_LEAD.sub("", CREDIT_TAIL.sub("", text))
    return cut if cut.strip() else text


def _holds_blocks(node: HtmlElement) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCKS + ("ul", "ol", "table") for c in node)


def _cut_credit(node: HtmlElement) -> None:
    """Cut a credit off the end of the block's last text (unless it is all the block
    says), and "FILE PHOTO:" off its start."""
    last = _last_text(node)
    if last is not None:
        owner, attr = last
        text = getattr(owner, attr)
        cut = CREDIT_TAIL.sub("", text)
        if cut != text and (cut.strip() or owner is not node or attr != "text"):
            setattr(owner, attr, cut)
    if node.text and CREDIT_LEAD.match(node.text):
        node.text = CREDIT_LEAD.sub("", node.text)


def _last_text(node: HtmlElement) -> tuple[HtmlElement, str] | None:
    """The element and attribute ("text" or "tail") holding the block's last words."""
    found = None
    for child in node.iter():
        if child is not node and child.tail and child.tail.strip():
            found = (child, "tail")
        if isinstance(child.tag, str) and child.text and child.text.strip():
            found = (child, "text")
    return found


_TOGGLE_LABELS = frozenset(("more", "less", "read more", "show more", "show less", "…more"))


def _drop_toggles(caption: HtmlElement) -> None:
    """The "more" or "less" link that opens or closes a caption is a control, not words."""
    for link in list(caption.iter("a")):
        if normalise_space(link.text_content()).lower() in _TOGGLE_LABELS:
            link.drop_tree()  # (keeps its tail)


def _is_caption(node: HtmlElement) -> bool:
    return node.tag == "figcaption" or "caption" in (node.get("class") or "").lower()


def _drop_cut_short(captions: list[tuple[HtmlElement, str]]) -> None:
    """Of a caption given whole and cut short ("… more"), keep the whole one."""
    by_start: dict[str, list[tuple[HtmlElement, str]]] = {}
    for node, text in captions:
        if len(text) >= TRUNCATED_MIN_CHARS:
            by_start.setdefault(text[:TRUNCATED_MIN_CHARS], []).append((node, text))
    for node, text in (pair for group in by_start.values() for pair in group):
        if node.getparent() is None:
            continue
        for other, whole in by_start[text[:TRUNCATED_MIN_CHARS]]:
            if other is not node and len(whole) > len(text) and whole.startswith(text):
                if other.getparent() is not None:
                    node.drop_tree()
                    break


def _alt_said_by_caption(captions: list[tuple[HtmlElement, str]]) -> None:
    """A picture whose alt text is its caption's (a "wp-caption" box, not a <figure>,
    which the cleaning pass judges itself): the caption says it once."""
    for node, text in captions:
        box = node.getparent()
        if box is None or node.tag == "figcaption":
            continue
        said = squash(text)
        for img in box.iter("img"):
            if squash(img.get("alt") or "") == said:
                img.set("alt", "")


TAG_LIST_MIN_SHARE = 0.7


def _drop_tag_lists(root: HtmlElement) -> None:
    """The post's tags (links marked rel="tag", "Tags: a, b, c"): an index, not its text."""
    for link in list(
        root.xpath(".//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]")
    ):
        box = link.getparent()
        if box is None or box is root or box.getparent() is None:
            continue
        text = normalise_space(box.text_content())
        tagged = box.xpath("./a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]")
        words = sum(len(normalise_space(a.text_content())) for a in tagged)
        if text and words >= TAG_LIST_MIN_SHARE * len(text):
            box.drop_tree()
