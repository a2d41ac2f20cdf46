"""Boilerplate by name: roles, class and id words of page furniture, and the names and
structures that mark the article itself (FAQ markup, a list of materials) and are kept."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.extract.tree import HEADINGS, linked_chars
from reader.text import normalise_space

DROPPED_TAGS = tuple(
    (
        "script style noscript template iframe frame frameset object embed svg canvas video "
        "audio button input select textarea nav aside footer dialog link meta title head"
    ).split()
)

# Roles and aria labels of page furniture.
BOILERPLATE_ROLES = set(
    (
        "navigation banner contentinfo complementary search dialog alertdialog menu menubar toolbar"
    ).split()
)

# Class/id words that start a boilerplate name ("cookieBanner", "share-bar", "comments").
_PREFIX_WORDS = (
    "cookie", "consent", "gdpr", "newsletter", "subscribe", "subscription", "signup",
    "sign-up", "social", "share", "sharing", "advert", "sponsor", "promo", "comment", "disqus",
    "breadcrumb", "byline", "captcha", "recaptcha", "login", "signin", "outbrain", "taboola",
    "popup", "hitcount", "rss", "photo-credit", "image-credit",
)  # fmt: skip
# Class/id words that are boilerplate only as a whole word ("ad", not "header"/"adapt").
_EXACT_WORDS = (
    "ad", "ads", "adv", "adslot", "nav", "navbar", "navigation", "menu", "sidebar", "footer",
    "hits", "modal", "toolbar", "pagination", "pager", "masthead", "skip", "credit", "credits",
    "copyright",
)  # fmt: skip
# Softer words: "related", "recommendations", "author", "tags" also name real content
# (clinical recommendations, an author's note), so they only count for blocks with little
# prose or many links.
_SOFT_PREFIX_WORDS = ("related", "recommend")
_SOFT_EXACT_WORDS = (
    "author", "authors", "author-box", "author-bio", "bio", "counter", "overlay", "tags",
    "tag-list", "feedback", "helpful", "rating", "banner",
)  # fmt: skip


def _name_pattern(prefixes: tuple[str, ...], exact: tuple[str, ...]) -> re.Pattern:
    return re.compile(
        r"(?:^|[^a-z0-9])(?:"
        + "|".join(re.escape(w) for w in prefixes)
        + r")|(?:^|[^a-z0-9])(?:"
        + "|".join(re.escape(w) for w in exact)
        + r")(?:$|[^a-z0-9])"
    )


_BOILERPLATE_NAME = _name_pattern(_PREFIX_WORDS, _EXACT_WORDS)
_SOFT_BOILERPLATE_NAME = _name_pattern(_SOFT_PREFIX_WORDS, _SOFT_EXACT_WORDS)
SOFT_MAX_PROSE_CHARS = 300
SOFT_MIN_LINK_SHARE = 0.3
# Names that mark the article itself (or a social post embedded in it, e.g.
# "social-media-embed"); never remove those for a boilerplate word.
_CONTENT_NAME = re.compile(r"article|content|main|body|story|entry|post-?text|embed")
# FAQ markup the sections builder turns into question/answer pairs: always kept.
_FAQ_NAME = re.compile(r"faq|question|answer|(?:^|[^a-z])q-?(?:and-?)?a(?:$|[^a-z])")
FAQ_TYPE = re.compile(r"schema\.org/(?:FAQPage|Question|Answer)", re.I)


def holds_article(node: HtmlElement, body_chars: int) -> bool:
    """True when removing `node` would remove most of the page (it wraps the article)."""
    if node.tag in ("head", "title", "meta", "link", "script", "style", "noscript", "template"):
        return False
    if node.find(".//article") is not None or node.find(".//main") is not None:
        return True
    return len(normalise_space(node.text_content())) > 0.5 * body_chars


def is_modal(node: HtmlElement) -> bool:
    """A modal dialog (a consent form, a sign-up box): it covers the page, so however much
    of the page's text it holds, it is not the article, unless it wraps an <article>."""
    if node.get("aria-modal", "").lower() != "true":
        return False
    if (node.get("role") or "").lower() not in ("dialog", "alertdialog"):
        return False
    return node.find(".//article") is None and node.find(".//main") is None


def named_boilerplate(node: HtmlElement, body_chars: int) -> bool:
    if node.tag in ("html", "body", "main", "article"):
        return False
    role = (node.get("role") or "").lower()
    if role in BOILERPLATE_ROLES:
        return is_modal(node) or not holds_article(node, body_chars)
    names = " ".join(filter(None, (_class_names(node), node.get("id"), node.get("aria-label"))))
    if not names:
        return False
    names = names.lower()
    if _CONTENT_NAME.search(names) or is_faq(node):
        return False
    if _BOILERPLATE_NAME.search(names):
        if node.tag in HEADINGS:
            return False  # a heading's id is its own text made a slug ("social-support")
        if _only_slugs(names, node):  # "social-security-disability": named after its heading
            return not _holds_prose(node)
        return not holds_article(node, body_chars)
    if _SOFT_BOILERPLATE_NAME.search(names):
        return _little_prose(node)
    return False


def _class_names(node: HtmlElement) -> str:
    """The class words that name a block, without utility CSS's variants: a Tailwind class
    such as `[html.sidebar-filled_&]:bg-tint-base` or `lg:hidden` says how the block looks
    when something else holds (here: the page's sidebar is filled), not what the block is."""
    classes = node.get("class")
    if not classes or (":" not in classes and "[" not in classes):
        return classes or ""
    return " ".join(c for c in classes.split() if ":" not in c and "[" not in c)


_NAME_WORDS = re.compile(r"[a-z0-9]+")


def _only_slugs(names: str, node: HtmlElement) -> bool:
    """True when every class/id token naming boilerplate is the block's own text made a
    slug ("social-security-disability" over a heading "Social Security Disability"): such
    a name says what the block is about, not that it is furniture."""
    tokens = [t for t in names.split() if _BOILERPLATE_NAME.search(t)]
    if not tokens:
        return False
    text = " ".join(_NAME_WORDS.findall(node.text_content()[:2000].lower()))
    return all(_is_slug_of(t, text) for t in tokens)


def _is_slug_of(token: str, text: str) -> bool:
    words = _NAME_WORDS.findall(token)
    return len(words) >= 2 and f" {' '.join(words)} " in f" {text} "


PROSE_SENTENCE_WORDS = 6
PROSE_SENTENCE = re.compile(r"(?:[^\W\d_][\w'’-]*[^\w.!?]+){5,}[^\W\d_][\w'’-]*[.!?…:]")


def _holds_prose(node: HtmlElement) -> bool:
    """A block of real prose: a sentence of six or more words, and not mostly links."""
    text = normalise_space(node.text_content())
    if not text or linked_chars(node) >= 0.5 * len(text):
        return False
    return bool(PROSE_SENTENCE.search(text))


def _little_prose(node: HtmlElement) -> bool:
    text = normalise_space(node.text_content())
    if len(text) <= SOFT_MAX_PROSE_CHARS:
        return True
    linked = sum(len(normalise_space(a.text_content())) for a in node.iter("a"))
    return linked >= SOFT_MIN_LINK_SHARE * len(text)


def is_faq(node: HtmlElement) -> bool:
    names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    return bool(_FAQ_NAME.search(names) or FAQ_TYPE.search(node.get("itemtype") or ""))


def holds_faq(node: HtmlElement) -> bool:
    return any(is_faq(n) for n in node.iter() if isinstance(n.tag, str))


# A how-to's or a recipe's list of what to have at hand: its items are often links to a
# shop, which readability takes for a link farm.
_MATERIALS_HEADING = re.compile(
    r"^(?:what |things )?you(?:['’]ll| will)? need\b|^(?:materials?|supplies|tools|ingredients"
    r"|equipment|requirements)\b(?: (?:and|&) \w+)?(?: needed| list)?:?$",
    re.I,
)


def materials_block(node: HtmlElement) -> bool:
    """A block that opens with a heading such as "What you'll need" over a list."""
    heading = next((c for c in node if isinstance(c.tag, str)), None)
    if heading is None or heading.tag not in HEADINGS or node.find(".//li") is None:
        return False
    return bool(_MATERIALS_HEADING.match(normalise_space(heading.text_content())))


# Calls to action: a box asking the reader to give, join or buy ("custom-cta-letter").
_CALL_TO_ACTION_NAME = _name_pattern(("donate", "donation"), ("cta", "call-to-action"))


def furniture_name(node: HtmlElement) -> bool:
    """The class or id holds a word of page furniture, firm or soft ("comments",
    "sidebar-related", "author-bio"), or of a call to action, whatever the block holds."""
    names = " ".join(filter(None, (node.get("class"), node.get("id")))).lower()
    return bool(names) and any(
        pattern.search(names)
        for pattern in (_BOILERPLATE_NAME, _SOFT_BOILERPLATE_NAME, _CALL_TO_ACTION_NAME)
    )


# Class words of a code block's line-number gutter (Pygments `linenos`, Hugo `lnt`,
# highlight.js `hljs-ln-numbers`, GitHub `blob-num`, GitLab `gl`, editors' `gutter`): the
# numbers a sighted reader skims past, which would otherwise stick to the code ("3from").
LINE_NUMBER_NAME = re.compile(
    r"(?:^|[^a-z])(?:line-?num(?:ber)?s?|line-?nos?|ln-?num(?:ber)?s?|hljs-ln-n(?:umbers)?"
    r"|gutter|blob-num|lnt|gl)(?:$|[^a-z])",
    re.I,
)
