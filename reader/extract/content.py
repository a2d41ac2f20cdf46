"""Find the article in an HTML page and strip everything a listener should not hear.

readability-lxml picks the main content. Its own output rewrites the tree (divs become
paragraphs, attributes and some headings go), so we tag every element of the original tree
with an id first, let readability choose on a copy, and then rebuild the article from the
ORIGINAL nodes it kept. Our own boilerplate rules run before (so readability never picks a
comment thread or a consent banner) and after (for what readability let through).

The stages, in order: parse, metadata, semantics, footnotes, threads, boilerplate (with
accordions, names and telltales), readable (or the whole body of a huge page), cleanup.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from html import escape as html_escape
from html import unescape as html_unescape

from lxml.html import HtmlElement

from reader.extract.boilerplate import remove_boilerplate
from reader.extract.cleanup import clean_article
from reader.extract.codelines import drop_line_numbers
from reader.extract.footnotes import gather_footnotes
from reader.extract.metadata import first_heading, page_byline, page_language, page_title
from reader.extract.parse import parse_html
from reader.extract.products import drop_product_furniture, is_product_page, marked_article
from reader.extract.readable import HUGE_PAGE_ELEMENTS, readable_root, whole_body
from reader.extract.semantics import make_semantic
from reader.extract.threads import thread_posts
from reader.model import Page
from reader.text import strip_page_controls


@dataclass
class Content:
    """The cleaned article body (`root`, a <div>), its title and its language."""

    root: HtmlElement
    title: str
    language: str
    # A forum thread's posts in order, each a <section> titled by author and date, when
    # the page is made of such posts; the caller weighs it against `root`.
    posts: HtmlElement | None = None
    # The page says it is an article (og:type, JSON-LD): asked once, read by the candidates.
    marked: bool = False
    # The page says it shows a product (schema.org Product, og:type product), and is not marked.
    product: bool = False
    # The page after our boilerplate rules, before readability rewrote it.
    cleaned: HtmlElement | None = None
    # True when `root` is the whole cleaned body (a huge page, see HUGE_PAGE_ELEMENTS):
    # no other candidate can find more of the page than that.
    whole: bool = False
    # The proxies of `root`'s nodes, kept alive for the caller's passes when the page is
    # huge (see `_main_content`): making them again costs as much as the first time.
    nodes: list[HtmlElement] = field(default_factory=list, repr=False)
    # Who wrote it, when (see metadata.page_byline): read before the boilerplate rules drop
    # the article's header, where the <time> of its date is.
    byline: str = ""
    published: str = ""


def main_content(page: Page) -> Content:
    """Find and clean the article of an HTML page. Never raises on bad markup."""
    try:
        return _main_content(page.text, page)
    except ValueError:
        # lxml refuses some odd characters mid-way; read the page as plain text instead.
        plain = strip_page_controls(html_unescape(re.sub(r"<[^>]*>", " ", page.text)))
        return _main_content(html_escape(plain), page)


def _main_content(text: str, page: Page) -> Content:
    doc = parse_html(text)
    # lxml.html finds each element's Python class in Python, every time an element is handed
    # to Python without a live proxy: holding them all makes the many passes below ~30 %
    # cheaper on big pages (a few MB of proxies).
    proxies = list(doc.iter())  # kept alive on purpose, and handed on for a huge page
    language = page_language(doc, page.language)
    make_semantic(doc)
    title = page_title(doc, page.url)
    byline, published = page_byline(doc, page.text)
    marked = marked_article(page.text)
    product = not marked and is_product_page(text)
    # A product page's dated, signed posts are its shoppers' reviews, not a thread to read.
    posts = None if product else thread_posts(doc)
    notes = gather_footnotes(doc, language)
    remove_boilerplate(doc)
    drop_line_numbers(doc)  # before both candidates read the code blocks
    if product:
        drop_product_furniture(doc)  # reviews and other products are not its text
    huge = int(doc.xpath("count(//*)")) > HUGE_PAGE_ELEMENTS
    # readability rewrites the tree it is given; a huge page skips it (see
    # `readable_root`), and a copy of its tree would cost as much memory as the page.
    cleaned = None if huge else copy.deepcopy(doc)
    root = whole_body(doc) if huge else readable_root(doc, marked, product)
    clean_article(root, title)
    if notes is not None:
        root.append(notes)
    if not title:
        title = first_heading(root)
    return Content(
        root=root,
        title=title,
        language=language,
        posts=posts,
        marked=marked,
        product=product,
        cleaned=cleaned,
        whole=huge,
        nodes=proxies if huge else [],
        byline=byline,
        published=published,
    )
