"""Links kept by extraction for the links list: text and absolute address, on the block that
says them; only what the reader can open."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from reader.extract import extract
from reader.extract.links import attach_links, page_links
from reader.model import Block, Link, Page, Section

PAGES = Path(__file__).parent / "fixtures" / "navigation"


def links_of(html: str, base: str) -> list[Link]:
    return page_links(lxml.html.fromstring(html), base)


def test_addresses_are_absolute_and_only_what_can_be_opened_is_kept() -> None:
    html = """<div>
      <a href="other.html">Other page</a> <a href="/about#team">About us</a>
      <a href="https://example.org/x">Elsewhere</a> <a href="#top">Back to top</a>
      <a href="page.html#part">This page again</a> <a href="mailto:a@b.org">Mail us</a>
      <a href="javascript:void(0)">Menu</a> <a href="file:///etc/passwd">Local file</a>
      <a href="other.html"> </a> <a href="//cdn.example.org/y">Scheme-relative</a>
    </div>"""
    assert links_of(html, "http://127.0.0.1:5000/dir/page.html") == [
        Link("Other page", "http://127.0.0.1:5000/dir/other.html"),
        Link("About us", "http://127.0.0.1:5000/about#team"),
        Link("Elsewhere", "https://example.org/x"),
        Link("Scheme-relative", "http://cdn.example.org/y"),
    ]


def test_a_file_page_keeps_links_to_files_that_exist(tmp_path: Path) -> None:
    (tmp_path / "there.html").write_text("<p>x</p>")
    html = '<p><a href="there.html">There</a> <a href="gone.html">Gone</a> <a href="/x">X</a></p>'
    page = tmp_path / "page.html"
    expected = [Link("There", (tmp_path / "there.html").as_uri())]
    assert links_of(html, page.as_uri()) == expected
    assert links_of(html, str(page)) == expected  # a plain path is read as its file


def test_each_link_goes_to_the_block_that_says_it_in_order() -> None:
    sections = [
        Section("A", 1, "intro", [Block("paragraph", "See the guide."), Block("paragraph", "No.")]),
        Section("B", 2, "section", [Block("list_item", "The guide again and more")]),
    ]
    links = [
        Link("guide", "http://x/1"),
        Link("guide", "http://x/2"),  # the same words later: the next block that says them
        Link("not in any block", "http://x/3"),
        Link("more", "http://x/4"),
    ]
    attach_links(sections, links)
    assert sections[0].blocks[0].links == (Link("guide", "http://x/1"),)
    assert sections[0].blocks[1].links == ()
    assert sections[1].blocks[0].links == (Link("guide", "http://x/2"), Link("more", "http://x/4"))


def test_extraction_keeps_the_article_links_and_not_the_menus() -> None:
    path = PAGES / "guide.html"
    page = Page(path.read_text(encoding="utf-8"), "http://127.0.0.1:8000/guide.html")
    article = extract(page)
    found = [
        (section.title, link)
        for section in article.sections
        for block in section.blocks
        for link in block.links
    ]
    assert found == [
        ("Treatment", Link("guide to infusion side effects", "http://127.0.0.1:8000/other.html")),
        ("Daily life", Link("MS Society", "https://www.mssociety.org.uk/")),
        ("Getting help", Link("phone numbers", "http://127.0.0.1:8000/third.html#phone")),
    ]
    # The outline's JSON contract is unchanged: blocks are kind and text (those of lists, tables
    # and quotes add where they sit), never the links.
    assert all(
        list(block)[:2] == ["kind", "text"] and "links" not in block
        for section in article.to_dict()["sections"]
        for block in section["blocks"]
    )


def test_two_links_with_the_same_words_in_one_block_are_both_kept() -> None:
    sections = [Section("A", 1, "intro", [Block("paragraph", "Read the guide, then the guide.")])]
    attach_links(sections, [Link("guide", "http://x/1"), Link("guide", "http://x/2")])
    assert [link.href for link in sections[0].blocks[0].links] == ["http://x/1", "http://x/2"]
