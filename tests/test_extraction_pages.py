"""Extraction on whole pages written for these tests (tests/fixtures/extraction): pages
that once came out empty or wrong, read as a listener needs them."""

from __future__ import annotations

from pathlib import Path

from reader.extract import extract
from reader.model import Article, Page

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"


def read(name: str, url: str = "https://example.org/page") -> Article:
    return extract(Page(text=(FIXTURES / name).read_text(encoding="utf-8"), url=url))


def words_of(article: Article) -> str:
    return "\n".join(
        [s.title for s in article.sections] + [b.text for s in article.sections for b in s.blocks]
    )


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
