"""How the sections builder reads markup: which tags start a line or say nothing, FAQ
roles from microdata and class names, layout tables. (Bold, hidden and image rules are
`html_rules`, shared with the cleaning passes.)"""

from __future__ import annotations

import re

from lxml import etree

from reader.extract.tree import HEADINGS

HEADING_TAGS = set(HEADINGS)
# Elements that start a new line of text when seen inside a paragraph-like run.
BLOCK_TAGS = HEADING_TAGS | {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "header", "hgroup", "hr", "html", "img", "li", "main", "nav",
    "ol", "p", "picture", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
SKIP_TAGS = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link",
    "select", "option", "textarea", "input", "svg", "math", "iframe", "object",
    "embed", "canvas", "video", "audio", "source", "track", "map", "area", "form",
}  # fmt: skip
# Controls are furniture in running text ("Yes"/"No", "Share"), but a question
# written as an accordion <button> inside a heading or FAQ part is still read.
CONTROL_TAGS = {"button"}
# Text runs directly inside these may be pseudo-headings or "Q:"/"A:" paragraphs
# (not list items, table cells of data tables, quotes or definitions).
HEADABLE_PARENTS = {
    "p", "div", "section", "article", "main", "body", "center", "span", "font", "td", "th",
}  # fmt: skip
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _words(el: etree._Element) -> set[str]:
    raw = " ".join(filter(None, (el.get("class"), el.get("id"))))
    # "faq__question", "accordionAnswer", "qa-callout" -> {"faq", "question"}, ...
    return {w for w in _NON_WORD.split(_CAMEL.sub(" ", raw).lower()) if w}


def faq_role(el: etree._Element) -> str | None:
    """'container', 'question', 'answer' or None, from schema.org microdata or class/id words."""
    itemtype = (el.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower()
    itemprop = (el.get("itemprop") or "").lower().split()
    if itemtype == "question":
        return "item"
    if itemtype == "answer" or "acceptedanswer" in itemprop or "suggestedanswer" in itemprop:
        return "answer"
    words = _words(el)
    if words & {"question", "faqquestion", "faqq"}:
        return "question"
    if words & {"answer", "faqanswer", "faqa"}:
        return "answer"
    if words & {"faq", "faqs", "qa", "qna", "questions", "answers"} or any(
        w.startswith("faq") for w in words
    ):
        return "container"
    return None


def is_layout_table(table: etree._Element) -> bool:
    if table.get("role") in ("presentation", "none"):
        return True
    if any(True for _ in table.iterdescendants("table")):
        return True
    rows = table_rows(table)
    if not rows or all(sum(map(_filled, row_cells(row))) <= 1 for row in rows):
        return True
    if len(rows) == 1 and table.find("caption") is None and rows[0].find("th") is None:
        return True  # one row of cells side by side (an image and its text): page layout
    # Cells holding headings or several paragraphs are page layout, not data.
    return any(_holds_layout(cell) for row in rows for cell in row_cells(row))


def _filled(cell: etree._Element) -> bool:
    """A cell with something in it (empty cells stay in the tree to keep their column)."""
    return bool((cell.text or "").strip()) or len(cell) > 0


def _holds_layout(cell: etree._Element) -> bool:
    if any(True for _ in cell.iterdescendants(*HEADING_TAGS)):
        return True
    blocks = [c for c in cell if isinstance(c.tag, str) and c.tag in BLOCK_TAGS]
    return len(blocks) >= 2


def table_rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for row in table.iterdescendants("tr"):
        owner = next(row.iterancestors("table"), None)
        if owner is table:
            rows.append(row)
    return rows


def row_cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
