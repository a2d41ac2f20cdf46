"""Questions a page marks in schema.org FAQPage JSON-LD."""

from __future__ import annotations

import json
import re
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
    found: list[str] = []
    for match in _LD_JSON.finditer(html):
        try:
            data = json.loads(match.group(1).strip())
        except (ValueError, RecursionError):  # broken or absurdly nested: not worth reading
            continue
        found.extend(_question_names(data))
    return found


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
