"""From a fetched page to a sectioned Article: main content, then sections."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from reader.content import main_content
from reader.errors import NoArticleError
from reader.model import Article, Page
from reader.sections import (
    _Item,
    build_sections,
    clean_text,
    is_pseudo_heading_text,
    sections_from_items,
)

NO_ARTICLE = "No article found on this page."
UNTITLED = "Untitled article"

_LD_JSON = re.compile(
    r"<script[^>]*application/ld\+json[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")


def load_article(source: str) -> Article:
    """Fetch `source` (URL, path, file:// or "-") and extract its article."""
    from reader.fetch import fetch  # lazy: extract() alone must not need the network stack

    return extract(fetch(source))


def extract(page: Page) -> Article:
    """The article of `page`; raises NoArticleError when it holds no readable text."""
    if not page.is_html:
        return _plain_article(page)
    content = main_content(page)
    title = clean_text(content.title) or _fallback_title(content.root)
    sections = build_sections(content.root, title, questions=faq_questions(page.text))
    if not any(s.blocks for s in sections):
        raise NoArticleError(NO_ARTICLE)
    return Article(
        title=title,
        language=content.language or page.language or "en",
        source=page.url,
        sections=sections,
    )


def _fallback_title(root: HtmlElement) -> str:
    """The first heading's text; a page with none still needs a name to announce."""
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = clean_text(heading.text_content())
        if text:
            return text
    return UNTITLED


def faq_questions(html: str) -> list[str]:
    """Question texts from schema.org FAQPage JSON-LD: they mark which visible lines ask.

    The script itself is gone after cleaning, so we read it from the raw page. Cheap: the
    regex only runs when the page mentions FAQPage at all.
    """
    if "FAQPage" not in html:
        return []
    found: list[str] = []
    for match in _LD_JSON.finditer(html):
        try:
            data = json.loads(match.group(1).strip())
        except ValueError:
            continue
        found.extend(_question_names(data))
    return found


def _question_names(data: object) -> Iterator[str]:
    if isinstance(data, list):
        for item in data:
            yield from _question_names(item)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "Question" in kinds and isinstance(data.get("name"), str):
            yield clean_text(data["name"])
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _question_names(value)


# ------------------------------------------------------------ plain text ---


MAX_TITLE_CHARS = 150


def _looks_like_title(line: str, rest: list[str]) -> bool:
    """A short line with more text after it, not prose: no final full stop, no second sentence."""
    if len(line) > MAX_TITLE_CHARS or not any(r.strip() for r in rest):
        return False
    return not line.endswith(".") and not re.search(r"[.!?]\s+\S", line)


def _title_from_source(url: str) -> str:
    """'~/notes/ms_infusions.txt' -> 'ms infusions'; stdin and odd names fall back to UNTITLED."""
    stem = PurePosixPath(urlsplit(url).path or url).stem
    name = clean_text(re.sub(r"[_\-.]+", " ", stem)).strip()
    return name or UNTITLED


def _plain_article(page: Page) -> Article:
    """Plain text: paragraphs are separated by blank lines; the first line is the title."""
    text = page.text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    title = ""
    while lines and not title:  # the first non-blank line
        title = clean_text(lines.pop(0)).lstrip("# ").strip()
    if not _looks_like_title(title, lines):  # prose: keep it, name the text by its file
        lines.insert(0, title)
        title = _title_from_source(page.url)
    paragraphs = []
    for chunk in re.split(r"\n[ \t\f\v]*\n", "\n".join(lines)):
        chunk_lines = [clean_text(line) for line in chunk.split("\n")]
        if any(chunk_lines):
            paragraphs.append([line for line in chunk_lines if line])
    sections = sections_from_items(_plain_items(paragraphs), title)
    if not title or not any(s.blocks for s in sections):
        raise NoArticleError(NO_ARTICLE)
    return Article(title=title, language=page.language or "en", source=page.url, sections=sections)


def _plain_items(paragraphs: list[list[str]]) -> Iterator[_Item]:
    """Paragraph items, with "# headings" and short unpunctuated lines as headings."""
    for index, lines in enumerate(paragraphs):
        last_paragraph = index + 1 == len(paragraphs)
        head, body, tail = _split_heading_lines(lines, last_paragraph)
        if head:
            yield _heading_item(head)
        if body:
            yield _Item("block", " ".join(body), headable=True)
        if tail:
            yield _heading_item(tail)


def _heading_item(text: str) -> _Item:
    md = _MD_HEADING.match(text)
    if md:
        return _Item("heading", md.group(2), level=len(md.group(1)))
    return _Item("heading", text, level=0, pseudo=True)


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
