"""Forum threads: each post a section titled by its author and date."""

from __future__ import annotations

import copy
import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.extract.boilerplate import remove_boilerplate
from reader.extract.cleanup import clean_article
from reader.extract.prose import has_prose
from reader.extract.telltales import DATE
from reader.extract.tree import is_descendant, with_attributes
from reader.text import normalise_space

# Class/itemprop words of the element naming a post's author, and of its date.
_AUTHOR_NAME = re.compile(
    r"(?:^|[^a-z])(?:author|username|user-name|poster|postauthor|post-author|user-info"
    r"|userinfo|member-name|creator|byline)(?:$|[^a-z])"
)
_DATE_NAME = re.compile(
    r"(?:^|[^a-z])(?:date(?:published|created)?|timestamp|post-?date)(?:$|[^a-z])"
)
# A date in the author's own line: "Posted by Ann on 3 Nov 2026" (forums that print it as text).
_WRITTEN_DATE = re.compile(DATE, re.IGNORECASE)
_NAMED = with_attributes("class|itemprop")  # xpath: what `_names_author` and `_is_date` read
THREAD_MIN_POSTS = 2
POST_AUTHOR_MAX_CHARS = 60


def thread_posts(doc: HtmlElement) -> HtmlElement | None:
    """A thread's posts, in order, as sections titled "author, date".

    A post is the smallest element holding an author's name and a date (a <time>, or an
    element named like one) together with prose of its own; a thread is two or more such
    elements of the same tag and class. Each is copied and cleaned like an article."""
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    # Only elements with a class or itemprop can be named so: xpath finds them in C.
    authors = [n for n in doc.xpath(_NAMED) if _names_author(n)]
    if len(authors) < THREAD_MIN_POSTS:
        return None
    holders: set[HtmlElement] = set()  # elements holding a date somewhere inside
    for date in doc.xpath(f"descendant-or-self::time | {_NAMED}"):
        if _is_date(date):
            holders.update(date.iterancestors())
    for author in authors:
        if _says_date(author):  # a byline with its date: the author's line is the date too
            holders.update(author.iterancestors())
    for author in authors:
        post = next((a for a in author.iterancestors() if a in holders and _dated(a, author)), None)
        if post is None or post.tag in ("body", "html"):
            continue
        members = groups.setdefault((post.tag, post.get("class") or ""), [])
        if post not in members:
            members.append(post)
    best = max(groups.values(), key=len, default=[])
    best = [p for p in best if not any(is_descendant(p, q) for q in best if q is not p)]
    if len(best) < THREAD_MIN_POSTS:
        return None
    root = lxml.html.fragment_fromstring("<div></div>")
    for post in best:
        section = _post_section(post)
        if section is not None:
            root.append(section)
    return root if len(root) >= THREAD_MIN_POSTS else None


def _names_author(node: HtmlElement) -> bool:
    names = f"{node.get('class') or ''} {node.get('itemprop') or ''}".lower()
    if not _AUTHOR_NAME.search(names):
        return False
    return 0 < len(normalise_space(node.text_content())) <= POST_AUTHOR_MAX_CHARS


def _is_date(element: HtmlElement) -> bool:
    if element.tag != "time" and not _DATE_NAME.search(
        f"{element.get('class') or ''} {element.get('itemprop') or ''}".lower()
    ):
        return False
    return bool(normalise_space(element.text_content()))


def _says_date(author: HtmlElement) -> bool:
    return bool(_WRITTEN_DATE.search(author.text_content()))


def _date_of(node: HtmlElement) -> HtmlElement | None:
    return next((e for e in node.iter() if isinstance(e.tag, str) and _is_date(e)), None)


POST_MIN_WORDS = 3


def _dated(node: HtmlElement, author: HtmlElement) -> bool:
    """`node` holds a date besides `author`, and words of its own besides both."""
    date = _date_of(node)
    if date is None or date is author or is_descendant(author, date):
        if not _says_date(author):
            return False
        date = author  # "Posted by Ann on 3 Nov 2026": one line names both
    own = len(node.text_content().split()) - len(author.text_content().split())
    if date is not author:
        own -= len(date.text_content().split())
    if own < POST_MIN_WORDS:
        return False
    # The post, not its header: "Posted by Ann, Brooklyn, 4931 posts" has words of its
    # own besides the name and the date, but no sentence; the post around it has.
    return has_prose(node)


def _post_section(post: HtmlElement) -> HtmlElement | None:
    clone = copy.deepcopy(post)
    named = [n for n in clone.iter() if isinstance(n.tag, str) and _names_author(n)]
    # The innermost: itemprop="author" often wraps the name and the poster's town or rank.
    author = next((n for n in named if not any(is_descendant(m, n) for m in named)), None)
    date = _date_of(clone)
    if date is not None and author is not None and is_descendant(date, author):
        date = None  # a byline holding the name and the date: said once, as it reads
    parts = [normalise_space(n.text_content()) for n in (author, date) if n is not None]
    for node in (date, author):
        if node is None or node.getparent() is None:
            continue
        box = node.getparent()
        node.drop_tree()
        if box is clone or box.getparent() is None:
            continue
        if len(box.text_content().split()) <= POST_MIN_WORDS:
            box.drop_tree()  # the author's box: a rank ("Member") or a post count
    remove_boilerplate(clone)
    clean_article(clone)
    if not normalise_space(clone.text_content()):
        return None
    section = lxml.html.fragment_fromstring("<section></section>")
    heading = etree.SubElement(section, "h2")
    heading.text = ", ".join(dict.fromkeys(p for p in parts if p))  # each said once
    section.append(clone)
    return section
