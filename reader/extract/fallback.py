"""The last resort before "No article found": a page that holds prose is always read.

When neither readability's candidate nor trafilatura's nor a thread's posts hold prose
(a listing whose every title is a link, a page of product cards, a shop's front page),
the listener still gets the page's own text: the whole page after the boilerplate rules,
tidied when tidying leaves prose, as it is otherwise. A page whose body is empty until a
script runs (a forum served as a bare app shell) still says what it is about in its meta
description, and that is read rather than refused.
"""

from __future__ import annotations

import copy
import re
from html import unescape

from reader.extract.boilerplate import remove_boilerplate
from reader.extract.cleanup import clean_article
from reader.extract.parse import parse_html
from reader.extract.prose import has_prose
from reader.extract.sections import build_sections
from reader.model import Page, Section
from reader.text import normalise_space, strip_page_controls

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_DESCRIPTION_NAME = re.compile(
    r"""(?:name|property)\s*=\s*["']?(?:og:|twitter:)?description["'\s>]""", re.IGNORECASE
)
_CONTENT = re.compile(r"""content\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def last_resort(page: Page, title: str, questions: list[str]) -> list[Section]:
    """The page's own text as sections, or its description; [] when it holds no prose."""
    sections = whole_page_sections(page, title, questions)
    return sections or description_sections(page, title)


def whole_page_sections(page: Page, title: str, questions: list[str]) -> list[Section]:
    """Everything the boilerplate rules left, tidied by the article rules when that keeps
    prose (they drop link lists, and a listing's titles are links)."""
    doc = parse_html(page.text)
    remove_boilerplate(doc)
    body = doc.find("body")
    if body is None or not has_prose(body):
        return []
    tidied = copy.deepcopy(body)
    clean_article(tidied, title)
    for root in (tidied, body):
        if has_prose(root):
            sections = build_sections(root, title, questions=questions)
            if any(s.blocks for s in sections):
                return sections
    return []


def description_sections(page: Page, title: str) -> list[Section]:
    """The meta description as the page's one paragraph, when it is prose."""
    text = meta_description(page.text)
    if not text:
        return []
    holder = parse_html("<div><p></p></div>").find(".//div")
    holder[0].text = text
    if not has_prose(holder):
        return []
    return build_sections(holder, title)


def meta_description(html: str) -> str:
    """The longest description the page's meta tags give (description, og:, twitter:)."""
    found = []
    for tag in _META.findall(html[:_HEAD_CHARS]):
        if _DESCRIPTION_NAME.search(tag):
            content = _CONTENT.search(tag)
            if content:
                text = unescape(content[1] or content[2] or "")
                found.append(normalise_space(strip_page_controls(text)))
    return max(found, key=len, default="")


_HEAD_CHARS = 500_000  # meta tags sit in the head; a huge page is not searched whole
