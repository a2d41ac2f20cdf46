"""Untrusted HTML into an lxml document: control characters and character references made
safe first, and pathological nesting flattened so libxml2 keeps the whole page."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.text import (
    PAGE_CHAR_REFERENCE,
    reference_for_parsing,
    strip_page_controls,
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# libxml2 drops everything after a closing </html> (and a </body> followed by one): pages
# that close them early, before the real content (a stray template, a second document
# pasted after the first), would lose their article. Both tags are optional in HTML.
_DOCUMENT_END = re.compile(r"</(?:html|body)\s*>", re.I)


def parse_html(text: str) -> HtmlElement:
    """Parse untrusted HTML into a document, even when it is empty or absurdly deep."""
    text = _XML_DECLARATION.sub("", strip_page_controls(text), count=1)
    text = _DOCUMENT_END.sub("", text)
    text = PAGE_CHAR_REFERENCE.sub(reference_for_parsing, text)
    doc = _parse(text)
    if doc is None:  # libxml2 stops at its depth limit and silently drops the rest
        doc = _parse(_flatten(text))
    if doc is None:
        doc = _parse(re.sub(r"<[^>]*>", " ", text))
    return doc if doc is not None else lxml.html.document_fromstring("<html><body></body></html>")


# Every element an HtmlElement, chosen in C. lxml.html's own lookup picks form and input
# classes in Python, once for each element handed to Python (500 000 on a huge page);
# nothing here uses what those classes add.
_ONE_CLASS = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def _parse(text: str) -> HtmlElement | None:
    """Parse, or None when the parser hit its depth limit (the tree would be truncated)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(_ONE_CLASS)
    data = text.encode("utf-8", "replace")
    if not data.strip():
        data = b"<html><body></body></html>"
    try:
        doc = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")
    if any("depth" in entry.message for entry in parser.error_log):
        return None
    return doc


def _flatten(text: str) -> str:
    """Remove wrapper tags (div/span/section...) so pathological nesting parses fully."""
    wrappers = r"div|span|section|article|main|font|center|b|i|em|strong|a|table|tbody|tr|td"
    return re.sub(rf"</?(?:{wrappers})(?:\s[^>]*)?>", "\n", text, flags=re.I)
