"""A shop's product page is read as its description and specifications: the shoppers'
reviews (signed and dated, so they look like a forum thread) and the other products
("You may also like") are not its text. Only on a page that says it shows a product:
on an article, a block named "review" may be the article itself."""

from __future__ import annotations

from reader.extract import extract
from reader.model import Page

JSON_LD = '{"@context": "https://schema.org", "@type": "Product", "name": "Trail Runner"}'
DESCRIPTION = (
    "<p>The Trail Runner is built for long days on rough ground. Its wool upper breathes "
    "on warm climbs and keeps feet warm on cold descents, and the sole grips wet rock.</p>"
    "<p>Every pair is made from recycled materials and can be washed in a machine, so one "
    "pair lasts through a season of muddy weekends without losing its shape.</p>"
)
SPECS = (
    "<table><tr><th>Weight</th><td>310 g</td></tr><tr><th>Drop</th><td>6 mm</td></tr>"
    "<tr><th>Upper</th><td>Merino wool</td></tr></table>"
)
REVIEWS = "".join(
    f'<article class="review-card"><span class="review-author">Shopper {n}</span>'
    f'<time datetime="2026-01-0{n + 1}">January {n + 1}, 2026</time>'
    f"<p>Review {n}: I wore these on a muddy hike last weekend and my feet stayed dry and "
    f"comfortable the whole way, though the laces came undone twice.</p></article>"
    for n in range(5)
)
RELATED = "".join(
    f'<div class="product-card"><h3>Other shoe {n}</h3><p>A light shoe for city walks, '
    f"number {n} of our range, with a soft sole and a knitted upper.</p></div>"
    for n in range(4)
)


def page(head: str, reviews_class: str = "product-reviews") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><title>Trail Runner</title>{head}</head>
<body><nav><a href="/">Home</a> <a href="/shoes">Shoes</a></nav>
<main><div class="product-info"><h1>Trail Runner</h1>{DESCRIPTION}<h2>Details</h2>{SPECS}</div>
<section class="{reviews_class}" id="reviews"><h2>Reviews</h2>{REVIEWS}</section>
<section class="related-products"><h2>You may also like</h2>{RELATED}</section></main>
<footer><p>Free returns within 30 days.</p></footer></body></html>"""


def read(html: str) -> str:
    article = extract(Page(html, "https://shop.example.org/products/trail-runner"))
    return "\n".join(
        [s.title for s in article.sections] + [b.text for s in article.sections for b in s.blocks]
    )


def test_a_product_page_is_its_description_and_specifications() -> None:
    text = read(page(f'<script type="application/ld+json">{JSON_LD}</script>'))
    assert "built for long days on rough ground" in text
    assert "lasts through a season of muddy weekends" in text
    assert "310 g" in text and "Merino wool" in text
    assert "muddy hike last weekend" not in text  # the reviews
    assert "Shopper 3" not in text
    assert "A light shoe for city walks" not in text  # other products


def test_og_type_product_marks_a_product_page_too() -> None:
    text = read(page('<meta property="og:type" content="product">'))
    assert "built for long days on rough ground" in text
    assert "muddy hike last weekend" not in text


def test_testimonials_the_seller_shows_stay() -> None:
    html = page(f'<script type="application/ld+json">{JSON_LD}</script>', "testimonials")
    text = read(html.replace('"review-', '"quote-'))
    assert "muddy hike last weekend" in text


def test_without_a_product_mark_a_block_named_review_is_not_dropped_by_name() -> None:
    """A page that says nothing of a product: its reviews section is judged as any block."""
    html = (
        page("", "product-reviews")
        .replace("<main>", "<main><div>")
        .replace("</main>", "</div></main>")
    )
    assert "built for long days on rough ground" in read(html)


def test_an_article_reviewing_products_keeps_its_reviews() -> None:
    """A "best dishwashers of the year" article marks up each one as a Product; it says
    it is an article, and its blocks named "review" are the article."""
    html = page(
        f'<script type="application/ld+json">{JSON_LD}</script>'
        '<meta property="og:type" content="article">',
        "product-reviews",
    )
    assert "muddy hike last weekend" in read(html.replace('"review-', '"quote-'))
