"""Extraction on whole pages written for these tests (tests/fixtures/extraction): pages
that once came out empty or wrong, read as a listener needs them."""

from __future__ import annotations

from pathlib import Path

from helpers.pages import titles

from reader.extract import extract
from reader.model import Article, Page

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"


def read(name: str, url: str = "https://example.org/page") -> Article:
    return extract(Page(text=(FIXTURES / name).read_text(encoding="utf-8"), url=url))


def words_of(article: Article) -> str:
    return "\n".join(titles(article) + [b.text for s in article.sections for b in s.blocks])


def test_content_after_an_early_closing_html_tag_is_read() -> None:
    # The page closes </body></html> before its article; a parser that stops there would
    # leave only the menu, and the listener would hear "No article found".
    text = words_of(read("early_html_end.html"))
    assert "a simple aid such as a stick" in text
    assert "the physiotherapist will say when it is safe" in text


def test_a_page_whose_body_is_an_empty_app_shell_reads_its_description() -> None:
    # The body fills in only when a script runs; the page still says what it is about.
    article = read("app_shell.html")
    assert "foot-drop splint" in words_of(article)
    assert "Which walking aid after a relapse?" in article.title


def test_a_listing_of_linked_cards_is_read_as_every_card_titled() -> None:
    # Each card's title and teaser sit inside one link. readability keeps the best single
    # card, and rules that take link text for menus dropped the titles: the listener
    # heard one teaser, or teasers without what they are about.
    article = read("linked_cards.html")
    assert titles(article) == [
        "Bridge closed for three weeks",
        "New bus route to the hospital",
        "Library opens on Sundays",
        "Park cafe changes hands",
        "Roadworks on the ring road",
    ]
    text = words_of(article)
    for teaser in ("engineers replace its deck", "quiet reading room", "between ten at night"):
        assert teaser in text
    assert "Privacy" not in text and "Sport" not in text  # the furniture still goes


def test_a_page_marked_as_an_article_is_read_whole_when_its_first_block_is_a_small_part() -> None:
    # CMSs mark every page an Article in JSON-LD. A page of testimonials whose intro
    # alone is long was read as that intro, twelve testimonials left unheard.
    text = words_of(read("marked_testimonials.html"))
    for number in (1, 6, 12):
        assert f"testimonial number {number}" in text


def test_a_thread_whose_post_headers_hold_words_is_read_post_by_post() -> None:
    # Each post's header says "Posted by <name>, <town>, <count> posts" beside a <time>:
    # words besides the name and the date, but no sentence. Taken for the posts, those
    # headers were read and the posts' own text left out.
    article = read("forum_header_boxes.html")
    found = titles(article)
    assert len(found) == 3 and all(
        t.startswith(w) for t, w in zip(found, ("johnanddoc", "Barbara", "geova"), strict=True)
    )
    text = words_of(article)
    for said in ("Thanks for any advice", "took the worry out", "Himeji Castle is a must see"):
        assert said in text
