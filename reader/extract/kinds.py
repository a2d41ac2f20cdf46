"""What kind of page an article was read from, when it is not an article (issue 10: "say what
kind of page it is"), decided from what extraction already found and what the page says of
itself, so it costs next to nothing on a huge page (15 ms on 9 MB: a few substring searches).

Each kind is said to the listener, so each rule must rarely be wrong; a page none of them
fits is an "article". On the 1 497 labelled pages of WCXB dev (benchmarks/pagekinds.py),
790 of 793 articles stay articles, and:

- "forum thread": the sections are a thread's posts (`best_candidate` chose them), or the
  page is marked up as a schema.org QAPage or DiscussionForumPosting (no page of another
  type is). 84 forums, 3 listings of signed, dated teasers.
- "product page": the page says it shows a product and not that it is an article (see
  `is_product_page`). 75 product pages, 15 shop categories, 6 other pages; a category
  marks up each of its products, so a page marking up many is a "listing".
- "documentation": the address is a documentation site's (a docs/reference/manual part of
  the path, a docs. or developer. host) and the text holds a code block: 54 documentation
  pages, nothing else. (Blogs about code hold code blocks too, but not at such addresses.)
- "listing": a catalogue (above), a page marked up as a CollectionPage, or a page not
  marked as an article whose sections are nearly all headed by a link to another page:
  31 listings and shop categories; 3 articles (a guide whose chapters are linked, a list
  of events), 1 documentation, 1 service and 1 product page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from reader.extract.content import Content
from reader.extract.links import page_links
from reader.extract.products import product_marks
from reader.model import Page, PageKind, Section

# A shop's category page marks up each product it lists; a product page marks up its
# product, its variants, a few "you may also like". (WCXB dev: one product page of 76
# marks 51, no other more than 13; 9 of 10 pages marking 20 or more list products.)
CATALOGUE_MIN_PRODUCTS = 20

# What a page says of itself in schema.org markup (JSON-LD or microdata): a question and its
# answers, a forum's posts; a page that collects others.
_FORUM_TYPES = ("QAPage", "DiscussionForumPosting")
_LISTING_TYPES = ("CollectionPage",)


def _schema_type(names: tuple[str, ...]) -> re.Pattern[str]:
    either = "|".join(names)
    return re.compile(
        rf'"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/)?(?:{either})"'
        rf"|schema\.org/(?:{either})\b"
    )


_FORUM_MARK = _schema_type(_FORUM_TYPES)
_LISTING_MARK = _schema_type(_LISTING_TYPES)

# A listing: this many sections at least, this share of them headed by a link elsewhere.
LISTING_MIN_ITEMS = 4
LISTING_LINKED_SHARE = 0.8

_DOCS_PATH = re.compile(
    r"(?:^|/)(?:docs?|documentation|manual|reference|man-pages|handbook|api|userguide"
    r"|usersguide|tutorial)(?:/|$)",
    re.IGNORECASE,
)
_DOCS_HOST = re.compile(r"^(?:docs?|developers?|learn|wiki)\.", re.IGNORECASE)


def page_kind(page: Page, content: Content, thread: bool, sections: list[Section]) -> PageKind:
    """The kind of page `sections` were read from (`thread`: they are a thread's posts)."""
    if thread or _declares(page.text, _FORUM_TYPES, _FORUM_MARK):
        return "forum thread"
    if content.product:
        many = product_marks(page.text, CATALOGUE_MIN_PRODUCTS) >= CATALOGUE_MIN_PRODUCTS
        return "listing" if many else "product page"
    if _docs_address(page.url) and any(b.kind == "code" for s in sections for b in s.blocks):
        return "documentation"
    if _declares(page.text, _LISTING_TYPES, _LISTING_MARK):
        return "listing"
    if not content.marked and not content.whole and _titles_are_links(page, content, sections):
        return "listing"
    return "article"


def _titles_are_links(page: Page, content: Content, sections: list[Section]) -> bool:
    """Most sections are headed by a link to another page: a list of items, each its title
    linked to the item and a few words of it (a blog's front page, a shop's category)."""
    titles = [s.title for s in sections[1:] if s.title]  # the first is the page's own title
    if len(titles) < LISTING_MIN_ITEMS:
        return False
    # The links of the page our rules left: trafilatura's sections came from it too.
    tree = content.cleaned if content.cleaned is not None else content.root
    linked = {link.text for link in page_links(tree, page.url)}
    return sum(t in linked for t in titles) >= LISTING_LINKED_SHARE * len(titles)


def _declares(html: str, types: tuple[str, ...], mark: re.Pattern[str]) -> bool:
    """The page names one of these schema.org types (the words first: at memory speed, where
    the pattern would be tried at every position of a huge page)."""
    return any(name in html for name in types) and mark.search(html) is not None


def _docs_address(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False  # a file's path says nothing of what site it came from
    return bool(_DOCS_PATH.search(parts.path) or _DOCS_HOST.match(parts.hostname or ""))
