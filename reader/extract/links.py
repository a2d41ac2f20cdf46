"""Links kept with the blocks they are in, for the app's links list (`k`, issue 12 item 2).

The article's sections are built first; then each link of the tree they were built from (a
thread's posts are a tree of their own: both are passed over) is given to the first block,
from the last one given a link on, whose text holds the link's text (links and blocks are
both in reading order, so this is one pass, and a link whose text no block holds — it was in
something the rules took out — is simply not kept). Doing it after the walk keeps the walker
and its fast paths as they are.

Only what the reader can open is kept, as an absolute address: http and https links, and
links to files that exist from a page that is itself a file (a web page cannot lead the reader
into local files; a saved page's links to its site, "/about", lead nowhere). Links to a place
on the same page, and links with no words, are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from lxml import etree

from reader.model import Block, Link, Section
from reader.text import one_line

WINDOW = 50  # blocks looked through ahead for one link's text
MAX_LINKS = 5000  # more than anyone goes through in a list


def page_links(root: etree._Element, base: str) -> list[Link]:
    """The links under `root` the reader can open, with absolute addresses, in reading order."""
    if urlsplit(base).scheme == "":  # a path: its links are relative to its file
        base = Path(base).resolve().as_uri()
    page = urldefrag(base).url
    local = urlsplit(base).scheme == "file"
    links: list[Link] = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = urljoin(base, href)
        if not _can_open(url, local):
            continue
        text = one_line(anchor.text_content())
        if text and urldefrag(url).url != page:
            links.append(Link(text, url))
            if len(links) >= MAX_LINKS:
                break
    return links


def _can_open(url: str, local: bool) -> bool:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return bool(parts.hostname)
    return scheme == "file" and local and Path(unquote(parts.path)).is_file()


def attach_links(sections: list[Section], links: Iterable[Link]) -> list[Section]:
    """`sections` with each link kept by the block that says its text (after what the links
    before it in the same block said: "guide … guide" holds two links)."""
    links = list(links)
    if not links:  # (a huge page of bare paragraphs: no list of its 500 000 blocks to make)
        return sections
    places = [(section, number) for section in sections for number in range(len(section.blocks))]
    found: dict[tuple[int, int], list[Link]] = {}
    at, offset = 0, 0  # the block the last link was found in, and where its text ended there
    for link in links:
        for place in range(at, min(at + WINDOW, len(places))):
            section, number = places[place]
            where = section.blocks[number].text.find(link.text, offset if place == at else 0)
            if where >= 0:
                found.setdefault((id(section), number), []).append(link)
                at, offset = place, where + len(link.text)
                break
    for section in sections:
        for number, block in enumerate(section.blocks):
            kept = found.get((id(section), number))
            if kept:
                section.blocks[number] = _with_links(block, kept)
    return sections


def _with_links(block: Block, links: list[Link]) -> Block:
    unique = dict.fromkeys([*block.links, *links])  # the same link twice in a block: one stop
    return replace(block, links=tuple(unique))
