"""Code blocks read line by line, without their line numbers.

Sites number a code sample's lines in a gutter beside it: a cell or <pre> of its own, a
span opening each line (named `linenos`, `lineno`, `gutter`... or not named at all). Read
as text, the numbers stick to the code ("3from twilio.rest") or make a block of their
own ("1 2 3 4"); a listener wants the code. And when each line of code is an element of its
own (a <div>, a table row), the line breaks are those elements, not newline characters.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from reader.extract.html_rules import is_hidden
from reader.extract.markup import SKIP_TAGS
from reader.extract.names import LINE_NUMBER_NAME

_NUMBER = re.compile(r"\s*\d{1,5}[.:]?\s*")
# Elements that each hold one line of code when a highlighter wraps lines one by one.
_LINE_TAGS = frozenset(("div", "p", "tr", "li"))
# How far above a <pre> its gutter may sit (Pygments: td > div > pre beside td > div > pre).
GUTTER_CLIMB = 3
MIN_NUMBERED_LINES = 3


def drop_line_numbers(root: HtmlElement) -> None:
    """Take the line-number gutters out of every code block under `root`."""
    for pre in list(root.iter("pre")):
        if pre.getparent() is None:
            continue
        if _only_numbers(pre):
            pre.drop_tree()  # a gutter of its own beside the code
            continue
        for node in _named_gutters(pre):
            node.drop_tree()  # (its tail, what follows it, stays)
        for node in _line_openers(pre):
            node.drop_tree()  # (its tail, what follows it, stays)


def _only_numbers(pre: HtmlElement) -> bool:
    """A block whose lines are 1, 2, 3, ... and nothing else: a gutter, not code."""
    lines = [line.strip() for line in code_text(pre).splitlines() if line.strip()]
    if len(lines) < 2 or not all(line.isdigit() for line in lines):
        return False
    numbers = [int(line) for line in lines]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _named_gutters(pre: HtmlElement) -> list[HtmlElement]:
    """Elements named as line numbers that hold only a number (or nothing: CSS draws it),
    inside the code block or in the few boxes around it (a gutter cell beside the code)."""
    box = pre
    for _ in range(GUTTER_CLIMB):
        parent = box.getparent()
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            break
        box = parent
        if box.tag == "table":
            break
    found = []
    for node in box.iter():
        if node is pre or not isinstance(node.tag, str):
            continue
        if not LINE_NUMBER_NAME.search(node.get("class") or ""):
            continue
        text = node.text_content()
        if _NUMBER.fullmatch(text) or (not text.strip() and node.find(".//img") is None):
            found.append(node)
    return found


def _line_openers(pre: HtmlElement) -> list[HtmlElement]:
    """Unnamed numbers: an element holding only a number at the start of each line, the
    numbers counting up by one (a syntax colourer's `<span>1</span>` inside a line is a
    number of the code, never at a line's start on three lines in a row)."""
    openers: list[HtmlElement] = []
    at_start = True  # nothing but spaces since the last line break
    for event, node in etree.iterwalk(pre, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        if event == "start":
            if node is not pre and at_start and _number_leaf(node):
                openers.append(node)  # its tail is read at its end, as any element's
                at_start = False
            else:
                at_start = _after(node.text, at_start)
        else:
            if node.tag in _LINE_TAGS and node is not pre:
                at_start = True
            if node is not pre:
                at_start = _after(node.tail, at_start)
    numbers = [int(n.text.strip().rstrip(".:")) for n in openers]
    if len(numbers) < MIN_NUMBERED_LINES:
        return []
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return []
    return openers


def _number_leaf(node: HtmlElement) -> bool:
    return not len(node) and bool(_NUMBER.fullmatch(node.text or ""))


def _after(text: str | None, at_start: bool) -> bool:
    """Whether a line is still at its start after `text`."""
    if not text:
        return at_start
    if "\n" in text:
        return not text.rsplit("\n", 1)[1].strip()
    return at_start and not text.strip()


def code_text(el: etree._Element) -> str:
    """The text of a <pre> with its line breaks: newlines, <br>, and the end of each
    element that holds a line of its own (a <div> or table row per line), without
    recursion. Blank lines this adds are dropped by the reader of code blocks."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if not isinstance(node.tag, str):
            if event == "end" and node is not el:
                parts.append(node.tail or "")
            continue
        hidden = node.tag in SKIP_TAGS or is_hidden(node)
        if event == "start":
            if node.tag == "br":
                parts.append("\n")
            elif not hidden:
                parts.append(node.text or "")
            continue
        if node is el:
            continue
        if node.tag in _LINE_TAGS and not hidden:
            parts.append("\n")
        parts.append(node.tail or "")
    return "".join(parts)
