"""Plain text: paragraphs between blank lines, the first line as title, short unpunctuated
lines and "# headings" as headings; the same assembler as HTML pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from reader.errors import NoArticleError
from reader.extract.items import Item, is_pseudo_heading_text
from reader.extract.metadata import UNTITLED
from reader.extract.prose import NO_ARTICLE, is_gibberish
from reader.extract.sections import sections_from_items
from reader.model import Article, Page
from reader.text import one_line

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")


MAX_TITLE_CHARS = 150


def _looks_like_title(line: str, rest: list[str]) -> bool:
    """A short line with more text after it, not prose: no final full stop, no second sentence."""
    if len(line) > MAX_TITLE_CHARS or not any(r.strip() for r in rest):
        return False
    return not line.endswith(".") and not re.search(r"[.!?]\s+\S", line)


def _title_from_source(url: str) -> str:
    """'~/notes/ms_infusions.txt' -> 'ms infusions'; stdin and odd names fall back to UNTITLED."""
    stem = PurePosixPath(urlsplit(url).path or url).stem
    name = one_line(re.sub(r"[_\-.]+", " ", stem)).strip()
    return name or UNTITLED


def plain_article(page: Page) -> Article:
    """Plain text: paragraphs are separated by blank lines; the first line is the title."""
    text = page.text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    title = ""
    while lines and not title:  # the first non-blank line
        title = one_line(lines.pop(0)).lstrip("# ").strip()
    if not _looks_like_title(title, lines):  # prose: keep it, name the text by its file
        lines.insert(0, title)
        title = _title_from_source(page.url)
    paragraphs = []
    for chunk in re.split(r"\n[ \t\f\v]*\n", "\n".join(lines)):
        chunk_lines = [one_line(line) for line in chunk.split("\n")]
        if any(chunk_lines):
            paragraphs.append([line for line in chunk_lines if line])
    sections = sections_from_items(_plain_items(paragraphs), title)
    if not title or not any(s.blocks for s in sections):
        raise NoArticleError(NO_ARTICLE)
    if is_gibberish(block.text for section in sections for block in section.blocks):
        raise NoArticleError(NO_ARTICLE)
    return Article(title=title, language=page.language or "en", source=page.url, sections=sections)


def _plain_items(paragraphs: list[list[str]]) -> Iterator[Item]:
    """Paragraph items, with "# headings" and short unpunctuated lines as headings."""
    for index, lines in enumerate(paragraphs):
        last_paragraph = index + 1 == len(paragraphs)
        head, body, tail = _split_heading_lines(lines, last_paragraph)
        if head:
            yield _heading_item(head)
        if body:
            yield Item("block", " ".join(body), headable=True)
        if tail:
            yield _heading_item(tail)


def _heading_item(text: str) -> Item:
    md = _MD_HEADING.match(text)
    if md:
        return Item("heading", md.group(2), level=len(md.group(1)))
    return Item("heading", text, level=0, pseudo=True)


def _looks_like_heading(line: str) -> bool:
    return bool(_MD_HEADING.match(line)) or is_pseudo_heading_text(line)


def _split_heading_lines(lines: list[str], last: bool) -> tuple[str, list[str], str]:
    """(heading before, body lines, heading after) of one blank-line paragraph.

    A one-line paragraph that looks like a heading is one (unless it ends the text). In a
    longer paragraph a first line is a heading only when clearly shorter than the next (a
    hard-wrapped first line is as long as the rest), and a last line only when the line
    before it ends a sentence.
    """
    if len(lines) == 1:
        alone = lines[0]
        if _MD_HEADING.match(alone) or (not last and is_pseudo_heading_text(alone)):
            return alone, [], ""
        return "", lines, ""
    head = tail = ""
    if _looks_like_heading(lines[0]) and (
        _MD_HEADING.match(lines[0]) or len(lines[0]) * 2 <= len(lines[1])
    ):
        head, lines = lines[0], lines[1:]
    if (
        len(lines) >= 2
        and not last
        and _looks_like_heading(lines[-1])
        and re.search(r"[.!?:]['\"”’)]*$", lines[-2])
    ):
        lines, tail = lines[:-1], lines[-1]
    return head, lines, tail
