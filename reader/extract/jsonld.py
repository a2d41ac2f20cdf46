"""What a page marks in schema.org JSON-LD: the questions of a FAQPage, the article's authors and
its date."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator

from reader.text import one_line

_LD_JSON = re.compile(
    r"<script[^>]*application/ld\+json[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)


def faq_questions(html: str) -> list[str]:
    """Question texts from schema.org FAQPage JSON-LD: they mark which visible lines ask.

    The script itself is gone after cleaning, so we read it from the raw page. Cheap: the
    regex only runs when the page mentions FAQPage at all.
    """
    if "FAQPage" not in html:
        return []
    return [name for data in _ld_documents(html) for name in _question_names(data)]


def _ld_documents(html: str) -> Iterator[object]:
    """Each JSON-LD script of the page, parsed (the scripts are gone after cleaning, so they
    are read from the raw page)."""
    for match in _LD_JSON.finditer(html):
        try:
            yield json.loads(match.group(1).strip())
        except (ValueError, RecursionError):  # broken or absurdly nested: not worth reading
            continue


def _question_names(data: object) -> Iterator[str]:
    """Names of the Question objects anywhere in `data` (iterative: any depth is fine)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "Question" in kinds and isinstance(node.get("name"), str):
                yield one_line(node["name"])
            stack.extend(v for v in reversed(node.values()) if isinstance(v, dict | list))


# Types whose author and date are the article's (a WebPage's are the page's: a fallback).
_ARTICLE_TYPES = ("Article", "BlogPosting", "Report", "Posting")


def ld_byline(html: str) -> tuple[list[str], str]:
    """The authors' names and the raw `datePublished` of the page's article in its JSON-LD
    (an Article-like node first, else the first node that has either), as the page wrote them:
    the caller checks and cleans them, they are untrusted."""
    if "ld+json" not in html.lower():  # at memory speed: most pages have none to read
        return [], ""
    best: tuple[list[str], str] | None = None
    for data in _ld_documents(html):
        for node in _nodes(data):
            names, date = _author_names(node.get("author")), node.get("datePublished")
            found = (names, date if isinstance(date, str) else "")
            if not (found[0] or found[1]):
                continue
            if _is_article(node):
                return found
            best = best or found
    return best or ([], "")


def _nodes(data: object, most: int = 10_000) -> Iterator[dict]:
    """The objects in `data`, outermost first (iterative: any depth is fine), at most `most`
    values looked at: a page's graph of thousands of products is not worth reading through."""
    waiting = deque([data])
    while waiting and most > 0:
        most -= 1
        node = waiting.popleft()
        if isinstance(node, list):
            waiting.extend(node)
        elif isinstance(node, dict):
            yield node
            waiting.extend(v for v in node.values() if isinstance(v, dict | list))


def _is_article(node: dict) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.endswith(_ARTICLE_TYPES) for k in kinds)


def _author_names(author: object) -> list[str]:
    """ "Jane", {"name": "Jane"} or a list of them; an organisation is no byline."""
    people = author if isinstance(author, list) else [author]
    names = []
    for person in people[:8]:
        if isinstance(person, str):
            names.append(person)
        elif isinstance(person, dict) and person.get("@type") != "Organization":
            name = person.get("name")
            if isinstance(name, str):
                names.append(name)
    return names
