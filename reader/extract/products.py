"""A shop's product page: the description and the specifications are its text; the
shoppers' reviews, the ratings, "you may also like" and "recently viewed" are not.

On an article a block named "review" may be the article (a film review), so these names
count as furniture only on a page that says it shows a product (JSON-LD or og:type) and
does not say it is an article."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.extract.tree import with_attributes
from reader.text import normalise_space

# A page that says it is an article (og:type, JSON-LD): a review of products is one.
_ARTICLE_MARK = re.compile(
    r"<meta[^>]+(?:property|name)=[\"']og:type[\"'][^>]*content=[\"']article[\"']"
    r"|<meta[^>]+content=[\"']article[\"'][^>]*(?:property|name)=[\"']og:type[\"']"
    r'|"@type"\s*:\s*"(?:News|Blog|Tech|Scholarly|Opinion|Analysis)?(?:Article|Posting)"',
    re.IGNORECASE,
)
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


def marked_article(html: str) -> bool:
    """The page says it is an article (og:type, or a JSON-LD Article type)."""
    # The pattern's alternatives start differently, so re tries each at every position of
    # the page (0.15 s over 9 MB); both need one of these words, found at memory speed.
    lowered = html.lower()
    if "og:type" not in lowered and "@type" not in lowered:
        return False
    return _ARTICLE_MARK.search(html) is not None


def is_product_page(html: str) -> bool:
    """The page says it shows a product (schema.org Product markup or og:type product).
    Ask only of a page not `marked_article`: a review of the year's best dishwashers marks
    up each one as a Product, and there the blocks named "review" are the article."""
    lowered = html.lower()  # (see `marked_article`: the words first, at memory speed)
    if "product" not in lowered or ("og:type" not in lowered and "@type" not in lowered):
        return False
    return _PRODUCT_MARK.search(html) is not None


def product_marks(html: str, most: int) -> int:
    """How many times the page marks up a product, counted up to `most`."""
    count = 0
    for _ in _PRODUCT_MARK.finditer(html):
        count += 1
        if count >= most:
            break
    return count


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
