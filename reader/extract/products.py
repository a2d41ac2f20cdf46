"""A shop's product page: the description and the specifications are its text; the
shoppers' reviews, the ratings, "you may also like" and "recently viewed" are not.

On an article a block named "review" may be the article (a film review), so these names
count as furniture only on a page that says it shows a product (JSON-LD or og:type)."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.extract.tree import with_attributes
from reader.text import normalise_space

_PRODUCT_MARK = re.compile(
    r'"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/)?Product"'
    r"|<meta[^>]+(?:property|name)=[\"']og:type[\"'][^>]*content=[\"'](?:og:)?product"
    r"|<meta[^>]+content=[\"'](?:og:)?product[\"'][^>]*(?:property|name)=[\"']og:type[\"']",
    re.IGNORECASE,
)
# Class/id words of a product page's furniture. "review" anywhere in a name ("okeReviews",
# "pdp-reviews"), but not "preview"; the others as the start of a word.
_FURNITURE_NAME = re.compile(
    r"(?<!p)review|(?:^|[^a-z])(?:ratings?|related|recommend|upsell|up-sell"
    r"|cross-?sell|recently-?viewed|also-?(?:like|bought|viewed)|you-?may-?also"
    r"|complete-?the-?look)"
)


MOST_OF_PAGE = 0.5


def is_product_page(html: str) -> bool:
    """The page says it shows one product: schema.org Product markup or og:type product."""
    return _PRODUCT_MARK.search(html) is not None


def drop_product_furniture(root: HtmlElement) -> None:
    """Drop the blocks of a product page named like reviews, ratings or other products,
    unless one holds most of the page (then it wraps the product itself)."""
    body_chars = max(len(normalise_space(root.text_content())), 1)
    for node in root.xpath(with_attributes("class|id")):
        if node.getparent() is None or node.tag in ("html", "body", "main"):
            continue
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if not _FURNITURE_NAME.search(names) or "testimonial" in names:
            continue  # testimonials are quotes the seller chose to show: its own text
        # Review cards are often <article>s, so "holds an <article>" says nothing here.
        if len(normalise_space(node.text_content())) <= MOST_OF_PAGE * body_chars:
            node.drop_tree()
