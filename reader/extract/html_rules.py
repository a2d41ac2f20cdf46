"""What the markup says about how a block looks: bold, hidden, and images whose alt text
tells a listener nothing."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.extract.telltales import TELLTALE_TEXT

# Class names that hide an element on every screen (not "visually-hidden"/"sr-only",
# which are there for screen-reader users, nor "hidden-xs", which hides on phones only).
HIDDEN_CLASSES = {"hidden", "is-hidden", "d-none", "hide", "display-none", "invisible"}

# Bold set by CSS: bold pseudo-headings are often <p style="font-weight:bold"> or a
# <span style="font-weight:700">, or a utility class; sighted readers see a heading.
_BOLD_STYLE = re.compile(
    r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b|(?:^|;)\s*font\s*:[^;]*\bbold\b", re.I
)
# Google Docs wraps whole pastes in <b style="font-weight:normal">: not bold at all.
_NORMAL_WEIGHT = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-4]00)\b", re.I)
BOLD_CLASSES = {"bold", "fw-bold", "font-weight-bold", "font-bold", "text-bold"}
BOLD_STYLE = "font-weight:bold"
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def unhide(node: HtmlElement) -> None:
    for name in ("hidden", "aria-hidden"):
        node.attrib.pop(name, None)
    style = node.get("style")
    if style and _HIDDEN_STYLE.search(style):
        del node.attrib["style"]
    classes = (node.get("class") or "").split()
    if HIDDEN_CLASSES.intersection(c.lower() for c in classes):
        node.set("class", " ".join(c for c in classes if c.lower() not in HIDDEN_CLASSES))


def is_hidden(node: HtmlElement) -> bool:
    if node.tag in ("html", "body"):
        return False
    if node.get("hidden") is not None or node.get("aria-hidden", "").lower() == "true":
        return True
    if HIDDEN_CLASSES.intersection((node.get("class") or "").lower().split()):
        return True
    style = node.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def weight_as_style(node: HtmlElement) -> bool:
    """True when CSS makes `node` bold (and it is not already <b>/<strong>); a <b> that
    CSS makes normal weight becomes a <span>, so it is not taken for a heading."""
    style = node.get("style") or ""
    if node.tag in ("b", "strong"):
        if _NORMAL_WEIGHT.search(style):
            node.tag = "span"
        return False
    classes = set((node.get("class") or "").lower().split())
    return bool(_BOLD_STYLE.search(style) or BOLD_CLASSES & classes)


_FILE_NAME = re.compile(r"^[\w.-]+$|\.(?:jpe?g|png|gif|webp|svg|avif)$", re.I)


KEYWORD_LIST_MIN_PARTS = 4


def useless_alt(alt: str) -> bool:
    """A file name, a single word ("image", "photo"), a credit line or a list of search
    keywords ("weed, cannabis, drug, joint, stock") tells a listener nothing."""
    if TELLTALE_TEXT.match(alt) or (_FILE_NAME.search(alt) and " " not in alt):
        return True
    parts = alt.split(",")
    return len(parts) >= KEYWORD_LIST_MIN_PARTS and all(len(p.split()) <= 2 for p in parts)
