"""A modal dialog is never taken for the article, however much of the page's text it holds.

A shop's product page says little in words (a name, a price, "2-4 weeks"), and its cookie
settings dialog (role="dialog", aria-modal="true", a paragraph per kind of cookie) held
more than half the page's text: the rule that keeps a named block holding most of the page
kept it as the article. WCXB dev's B&H page read its cookie panel (F1 0.52 -> 0.08)."""

from __future__ import annotations

from helpers.pages import page_text

COOKIES = "".join(
    f"<h3>{kind}</h3><p>These cookies collect information about how you use a website, like "
    "which pages you visited and which links you clicked on, so that the website can work "
    "better for every visitor and remember the choices you made before.</p>"
    for kind in ("Necessary", "Performance", "Functional", "Targeting")
)
DIALOG = (
    '<section id="consentWrapper" role="dialog" aria-modal="true" aria-label="Consent">'
    f"<h2>Your privacy choices</h2>{COOKIES}</section>"
)
PRODUCT = (
    '<div class="product"><h1>Road case for four stage lights</h1>'
    "<p>Expected availability: 2-4 weeks. Free standard shipping.</p>"
    "<p>A padded road case holding four stage lights with their cables.</p></div>"
)


def test_a_consent_dialog_holding_most_of_the_text_is_not_the_article() -> None:
    html = f"<html><body>{PRODUCT}{DIALOG}</body></html>"
    text = page_text(html, "https://www.example.com/product/road-case")
    assert "A padded road case holding four stage lights" in text
    assert "cookies collect information" not in text


def test_a_modal_that_wraps_an_article_is_still_read() -> None:
    story = "".join(
        f"<p>Paragraph {n} of the story: the river rose through the night and by morning "
        "the bridge was closed, the school shut and the market moved up the hill.</p>"
        for n in range(6)
    )
    html = (
        '<html><body><div role="dialog" aria-modal="true"><article><h1>The flood</h1>'
        f"{story}</article></div></body></html>"
    )
    text = page_text(html, "https://news.example.com/flood")
    assert "Paragraph 5 of the story" in text
