"""The whole article when readability chose one part of it.

Listicles and guides put each item, or each part, in a box of its own ("1. Streamline what
you bring home", a product and its review, a section per piece of equipment). readability
scores the boxes one by one and keeps the best, with its nearest siblings: the intro, or a
single item, and the rest of the list is lost. When the page says it is an article
(og:type, JSON-LD) and holds one <article>, and readability's choice lies inside it in
several pieces but holds clearly less of its text, the listener wants the whole article:
our rules already took its furniture out, and the cleaning pass takes what readability
would have dropped."""

from __future__ import annotations

from lxml.html import HtmlElement

from reader.extract.tree import is_descendant
from reader.text import normalise_space

# The article must hold this much more text than readability's choice to be read whole...
WHOLE_ARTICLE_MIN_SHARE = 1.3
# ...but not so much more that the choice is a small part of a page of other things (a
# post and its long comment thread, a shop page and its one description).
WHOLE_ARTICLE_MAX_SHARE = 5.0
# readability took the article in this many pieces at least: the parts of a listicle it
# scored one by one. A choice in one piece is a whole story, and the rest of the article
# element around it is its furniture (comments, teasers, an author's other posts).
WHOLE_ARTICLE_MIN_PIECES = 3


def article_around(doc: HtmlElement, tops: list[HtmlElement]) -> HtmlElement | None:
    """The page's one <article> around all of readability's choice, when it holds clearly
    more text than the choice (not a <main>: it holds a listing's or a shop's page whole)."""
    container = _the_one(doc, "article")
    if container is None or len(tops) < WHOLE_ARTICLE_MIN_PIECES:
        return None
    if not all(t is container or is_descendant(t, container) for t in tops):
        return None
    chosen = sum(_chars(t) for t in tops)
    whole = _chars(container)
    if WHOLE_ARTICLE_MIN_SHARE * chosen < whole <= WHOLE_ARTICLE_MAX_SHARE * chosen:
        return container
    return None


def _the_one(doc: HtmlElement, tag: str) -> HtmlElement | None:
    found = [n for n in doc.iter(tag) if not any(a.tag == tag for a in n.iterancestors())]
    return found[0] if len(found) == 1 else None


def _chars(node: HtmlElement) -> int:
    return len(normalise_space(node.text_content()))
