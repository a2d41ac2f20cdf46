"""What the markup says about how a block looks: bold, hidden, and images whose alt text tells
a listener nothing. One set of rules, read by the cleaning passes (`boilerplate`, `cleanup`,
`accordions`) and by the sections builder (`walk`) alike."""

from __future__ import annotations

import re

from lxml import etree

from reader.extract.telltales import is_telltale_text
from reader.text import one_line

# ---------------------------------------------------------------- hidden

# Class names that hide an element on every screen (not "visually-hidden"/"sr-only",
# which are there for screen-reader users, nor "hidden-xs", which hides on phones only).
HIDDEN_CLASSES = {"hidden", "is-hidden", "d-none", "hide", "display-none", "invisible"}
# A declaration of its own: not "content-visibility: hidden", which only delays drawing.
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def is_hidden(node: etree._Element) -> bool:
    """Hidden from every reader: the `hidden` attribute, aria-hidden, CSS or a hiding class.
    The page's <html> and <body> never count (anti-flicker scripts hide them until they run)."""
    if node.tag in ("html", "body"):
        return False
    if node.get("hidden") is not None or node.get("aria-hidden", "").lower() == "true":
        return True
    if HIDDEN_CLASSES.intersection((node.get("class") or "").lower().split()):
        return True
    style = node.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def unhide(node: etree._Element) -> None:
    """Take away whatever makes `node` hidden (an accordion panel we open, say)."""
    for name in ("hidden", "aria-hidden"):
        node.attrib.pop(name, None)
    style = node.get("style")
    if style and _HIDDEN_STYLE.search(style):
        del node.attrib["style"]
    classes = (node.get("class") or "").split()
    if HIDDEN_CLASSES.intersection(c.lower() for c in classes):
        node.set("class", " ".join(c for c in classes if c.lower() not in HIDDEN_CLASSES))


# ---------------------------------------------------------------- bold

BOLD_TAGS = ("b", "strong")
# Bold set by CSS: bold pseudo-headings are often <p style="font-weight:bold"> or a
# <span style="font-weight:700">, or a utility class; sighted readers see a heading.
_BOLD_STYLE = re.compile(
    r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b|(?:^|;)\s*font\s*:[^;]*\bbold\b", re.I
)
# Google Docs wraps whole pastes in <b style="font-weight:normal">: not bold at all.
_NORMAL_WEIGHT = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-4]00)\b", re.I)
BOLD_CLASSES = {"bold", "fw-bold", "font-weight-bold", "font-bold", "text-bold"}
# How the cleaning pass marks CSS bold for the sections builder (all other styles go).
BOLD_STYLE = "font-weight:bold"


def is_bold(node: etree._Element) -> bool:
    """Bold as a sighted reader sees it: <b> or <strong> that CSS does not make normal
    weight, or any element CSS (a style or a utility class) makes bold."""
    style = node.get("style") or ""
    if node.tag in BOLD_TAGS:
        return not (style and _NORMAL_WEIGHT.search(style))
    if style and _BOLD_STYLE.search(style):
        return True
    classes = node.get("class")
    return bool(classes and BOLD_CLASSES.intersection(classes.lower().split()))


def weight_as_style(node: etree._Element) -> bool:
    """True when CSS makes `node` bold (and it is not already <b>/<strong>); a <b> that
    CSS makes normal weight becomes a <span>, so it is not taken for a heading."""
    bold = is_bold(node)
    if node.tag in BOLD_TAGS:
        if not bold:
            node.tag = "span"
        return False
    return bold


# ---------------------------------------------------------------- images

DECORATIVE_ROLES = ("presentation", "none")
# A camera's or a CMS's file name: "IMG_2041.jpg", "DSC 0042", "image-3".
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|avif)$|^(?:img|dsc|image)[-_ ]?\d+", re.I)
# One token, no space: a file name or a single word ("image", "logo", "spacer").
_ONE_TOKEN = re.compile(r"[\w.-]+")
_WORD = re.compile(r"\w")
KEYWORD_LIST_MIN_PARTS = 4


def useless_alt(alt: str) -> bool:
    """No word, a single word ("image", "logo"), a file name, a credit line or a list of
    search keywords ("weed, cannabis, drug, joint, stock") tells a listener nothing."""
    if not _WORD.search(alt) or _ONE_TOKEN.fullmatch(alt) or _FILE_NAME.search(alt):
        return True
    if is_telltale_text(alt):
        return True
    parts = alt.split(",")
    return len(parts) >= KEYWORD_LIST_MIN_PARTS and all(len(p.split()) <= 2 for p in parts)


def image_alt(img: etree._Element) -> str | None:
    """The alt text a listener should hear for `img`; None for decoration (a presentation
    role, hidden) and for alt text that says nothing."""
    if img.get("role") in DECORATIVE_ROLES or is_hidden(img):
        return None
    alt = one_line(img.get("alt") or "")
    return None if useless_alt(alt) else alt
