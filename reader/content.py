"""Find the article in an HTML page and strip everything a listener should not hear.

readability-lxml picks the main content. Its own output rewrites the tree (divs become
paragraphs, attributes and some headings go), so we tag every element of the original tree
with an id first, let readability choose on a copy, and then rebuild the article from the
ORIGINAL nodes it kept. Our own boilerplate rules run before (so readability never picks a
comment thread or a consent banner) and after (for what readability let through).
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field
from html import escape as html_escape
from html import unescape as html_unescape
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from readability import Document

from reader.model import Page
from reader.text import (
    PAGE_CHAR_REFERENCE,
    PAGE_LANGUAGE,
    canonical_language,
    normalise_space,
    reference_for_parsing,
    strip_page_controls,
)

# readability logs its own failures with tracebacks; we fall back quietly instead, and the
# CLI must print one plain sentence, not a traceback from a library logger.
logging.getLogger("readability").addHandler(logging.NullHandler())

RID = "data-reader-id"
# Marks an accordion panel we opened: kept whole even when readability finds it too short.
PANEL = "data-reader-panel"

# Attributes the sections builder needs (FAQ markup, images); everything else goes.
# `style` survives only as "font-weight:bold" (see `_weight_as_style`).
KEPT_ATTRIBUTES = {"class", "id", "itemprop", "itemtype", "itemscope", "alt", "open", "lang"}

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
# Class names that hide an element on every screen (not "visually-hidden"/"sr-only",
# which are there for screen-reader users, nor "hidden-xs", which hides on phones only).
HIDDEN_CLASSES = {"hidden", "is-hidden", "d-none", "hide", "display-none", "invisible"}
# Names that mark the article itself (or a social post embedded in it, e.g.
# "social-media-embed"); never remove those for a boilerplate word.
_CONTENT_NAME = re.compile(r"article|content|main|body|story|entry|post-?text|embed")
# FAQ markup the sections builder turns into question/answer pairs: always kept.
_FAQ_NAME = re.compile(r"faq|question|answer|(?:^|[^a-z])q-?(?:and-?)?a(?:$|[^a-z])")
_FAQ_TYPE = re.compile(r"schema\.org/(?:FAQPage|Question|Answer)", re.I)

_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d\d-\d\d"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*,? \d{4})"
)
# Short texts that give a block away as furniture, matched against the whole block text.
_TELLTALE_TEXT = re.compile(
    r"^(?:"
    r"was this (?:article|page|answer|information|post)? ?(?:helpful|useful)\??.*"
    r"|did you find this (?:article|page) (?:helpful|useful)\??.*"
    r"|no comments(?: made)?(?: yet)?.*"
    r"|be the first to (?:comment|submit a comment|review).*"
    r"|(?:leave|post|add|write) a (?:comment|reply|review).*"
    r"|\d+ comments?"
    r"|comments?(?: \(\d+\))?"
    r"|already registered\??.*"
    r"|(?:log ?in|sign ?in|register|sign up)(?: here| now| to comment)?\.?"
    r"|captcha(?: image)?.*"
    r"|advertisement|sponsored(?: content)?|ad|ads|promoted"
    r"|share(?: this| on| via)?(?: article| post| page| story)?:?"
    r"|(?:sign up|subscribe)(?: to| for)? (?:our|the) (?:free )?(?:newsletter|mailing list).*"
    r"|(?:tweet|print|email|facebook|twitter|pinterest|linkedin|whatsapp)"
    r"|hits: ?\d+|views: ?\d+|\d+ (?:hits|views)"
    r"|(?:this (?:web)?site|we) uses? cookies.*"
    r"|(?:accept|reject)(?: all)? cookies"
    r"|related (?:articles|posts|stories|content|reading|links)"
    r"|(?:you may|you might) also like.*|read (?:more|next)|more from .{0,40}"
    r"|(?:written|posted) by .{0,60}|by [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}"
    r"|(?:photo(?:graph)?|image|picture|credit|source|foto)s?(?: credit)?(?::| by) .{0,80}"
    r"|\((?:image|photo)(?: credit)?: .{0,80}\)|image \d+ of \d+|© ?.{0,60}"
    r"|(?:updated|published|posted|last updated|original)(?: on| at)?:? " + _DATE + r".{0,60}"
    r"|.{0,80}\b(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b.{0,80}"
    r"|.{0,40}\bnewsletters?\b.{0,80}\b(?:sign up|subscribe|inbox)\b.{0,80}"
    r"|follow (?:us|[\w ]{1,30}) on (?:twitter|facebook|instagram|youtube|linkedin|tiktok).{0,80}"
    r"|like this (?:story|article|post)\?.{0,60}"
    r"|(?:media|video) playback is (?:unsupported|not supported) on your device.{0,20}"
    r"|this (?:slideshow|video|content|feature|page) requires javascript.{0,40}"
    r"|(?:please )?enable javascript.{0,80}"
    r"|(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,? )?"
    + _DATE
    + r"(?:,? (?:at )?\d{1,2}[:.]\d\d.{0,12})?"
    r")$",
    re.IGNORECASE,
)
# Only short blocks are judged by their text; real paragraphs can mention cookies.
TELLTALE_MAX_CHARS = 160
TELLTALE_MAX_CHILDREN = 8
TELLTALE_TAGS = tuple(
    "p div span li section h2 h3 h4 h5 h6 figcaption small time address cite header".split()
)

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
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ")

BLOCK_TAGS = set(
    (
        "p div section article main header h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote pre "
        "table thead tbody tfoot tr td th caption figure figcaption details summary br hr "
        "address center"
    ).split()
)
# Structures the listener needs even when readability judged them too small or too listy.
PROTECTED_TAGS = set(("h1 h2 h3 h4 h5 h6 dl dt dd details summary blockquote").split())


@dataclass
class Content:
    """The cleaned article body (`root`, a <div>), its title and its language."""

    root: HtmlElement
    title: str
    language: str
    # A forum thread's posts in order, each a <section> titled by author and date, when
    # the page is made of such posts; the caller weighs it against `root`.
    posts: HtmlElement | None = None
    # The page after our boilerplate rules, before readability rewrote it.
    cleaned: HtmlElement | None = None
    # True when `root` is the whole cleaned body (a huge page, see HUGE_PAGE_ELEMENTS):
    # no other candidate can find more of the page than that.
    whole: bool = False
    # The proxies of `root`'s nodes, kept alive for the caller's passes when the page is
    # huge (see `_main_content`): making them again costs as much as the first time.
    nodes: list[HtmlElement] = field(default_factory=list, repr=False)


def main_content(page: Page) -> Content:
    """Find and clean the article of an HTML page. Never raises on bad markup."""
    try:
        return _main_content(page.text, page)
    except ValueError:
        # lxml refuses some odd characters mid-way; read the page as plain text instead.
        plain = strip_page_controls(html_unescape(re.sub(r"<[^>]*>", " ", page.text)))
        return _main_content(html_escape(plain), page)


def _main_content(text: str, page: Page) -> Content:
    doc = parse_html(text)
    # lxml.html finds each element's Python class in Python, every time an element is handed
    # to Python without a live proxy: holding them all makes the many passes below ~30 %
    # cheaper on big pages (a few MB of proxies).
    proxies = list(doc.iter())  # kept alive on purpose, and handed on for a huge page
    language = page_language(doc, page.language)
    make_semantic(doc)
    title = page_title(doc, page.url)
    posts = thread_posts(doc)
    notes = gather_footnotes(doc)
    remove_boilerplate(doc)
    huge = int(doc.xpath("count(//*)")) > HUGE_PAGE_ELEMENTS
    # readability rewrites the tree it is given; a huge page skips it (see
    # `readable_root`), and a copy of its tree would cost as much memory as the page.
    cleaned = None if huge else copy.deepcopy(doc)
    root = _whole_body(doc) if huge else readable_root(doc)
    clean_article(root, title)
    if notes is not None:
        root.append(notes)
    if not title:
        title = first_heading(root)
    return Content(
        root=root,
        title=title,
        language=language,
        posts=posts,
        cleaned=cleaned,
        whole=huge,
        nodes=proxies if huge else [],
    )


# ---------------------------------------------------------------- parsing


def parse_html(text: str) -> HtmlElement:
    """Parse untrusted HTML into a document, even when it is empty or absurdly deep."""
    text = _XML_DECLARATION.sub("", strip_page_controls(text), count=1)
    text = PAGE_CHAR_REFERENCE.sub(reference_for_parsing, text)
    doc = _parse(text)
    if doc is None:  # libxml2 stops at its depth limit and silently drops the rest
        doc = _parse(_flatten(text))
    if doc is None:
        doc = _parse(re.sub(r"<[^>]*>", " ", text))
    return doc if doc is not None else lxml.html.document_fromstring("<html><body></body></html>")


def _parse(text: str) -> HtmlElement | None:
    """Parse, or None when the parser hit its depth limit (the tree would be truncated)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
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


# ---------------------------------------------------------------- metadata


def page_language(doc: HtmlElement, header: str | None) -> str:
    """`<html lang>`, else the Content-Language header, else a meta tag, else "en"."""
    candidates = [doc.get("lang"), doc.get("{http://www.w3.org/XML/1998/namespace}lang"), header]
    for meta in doc.iterfind(".//meta[@http-equiv]"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.append(meta.get("content"))
    for value in candidates:
        for part in (value or "").split(","):
            tag = part.split(";")[0].strip().replace("_", "-")
            if PAGE_LANGUAGE.match(tag):
                return canonical_language(tag)
    return "en"


def page_title(doc: HtmlElement, url: str = "") -> str:
    """og:title, else the article's h1, else <title>; the site name is cut off."""
    sites = _site_names(doc, url)
    og = _meta_content(doc, "og:title") or _meta_content(doc, "twitter:title")
    if og:
        return strip_site_name(og, sites)
    node = doc.find(".//title")
    title = normalise_space(node.text_content()) if node is not None else ""
    h1 = _article_h1(doc, sites, title)
    if h1:
        return h1
    return strip_site_name(title, sites, guess=True)


def _meta_content(doc: HtmlElement, name: str) -> str:
    for meta in doc.iterfind(".//meta"):
        if name in ((meta.get("property") or "").lower(), (meta.get("name") or "").lower()):
            return normalise_space(meta.get("content") or "")
    return ""


def _site_names(doc: HtmlElement, url: str) -> set[str]:
    names = {
        _squash(_meta_content(doc, "og:site_name")),
        _squash(_meta_content(doc, "application-name")),
    }
    try:
        host = (urlsplit(url).hostname or "") if "://" in url else ""
    except ValueError:  # e.g. a broken IPv6 literal
        host = ""
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    if len(labels) >= 2:
        names.add(_squash(labels[-2]))
    names.discard("")
    return names


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def strip_site_name(title: str, sites: set[str], guess: bool = False) -> str:
    """Cut " | Site" / " - Site" (or "Site | ") off a title.

    With `guess`, a short last part is taken for the site name even when we do not know it.
    """
    title = normalise_space(title)
    for sep in _TITLE_SEPARATORS:
        if sep not in title:
            continue
        head, tail = title.rsplit(sep, 1)
        if _is_site(tail, sites):
            return head.strip()
        first, rest = title.split(sep, 1)
        if _is_site(first, sites):
            return rest.strip()
        if guess and len(tail.split()) <= 4 < len(head):
            return head.strip()
    return title


def _is_site(part: str, sites: set[str]) -> bool:
    squashed = _squash(part)
    if len(squashed) < 3:
        return False
    return any(site in squashed or (len(squashed) >= 4 and squashed in site) for site in sites)


def _article_h1(doc: HtmlElement, sites: set[str], title: str) -> str:
    """The h1 inside <article>/<main>; else a page h1 that is not the site's logo, the one
    the <title> mentions when there are several."""
    for path in (".//article//h1", ".//main//h1"):
        for node in doc.iterfind(path):
            text = normalise_space(node.text_content())
            if text:
                return text
    texts = [normalise_space(node.text_content()) for node in doc.iterfind(".//h1")]
    texts = [text for text in texts if text and not _is_site(text, sites)]
    in_title = [text for text in texts if _squash(text) in _squash(title)]
    return (in_title or texts or [""])[0]


def first_heading(root: HtmlElement) -> str:
    for node in root.iter("h1", "h2", "h3"):
        text = normalise_space(node.text_content())
        if text:
            return text
    return ""


# ---------------------------------------------------------------- page semantics

# Page parts no listener wants, named alike on every MediaWiki site and in many docs
# themes: maintenance and navigation boxes, edit links, jump links, category bars.
_FURNITURE_CLASSES = set(
    (
        "ambox mbox-small navbox vertical-navbox sistersitebox catlinks mw-editsection noprint "
        "mw-jump-link printfooter hatnote navigation-not-searchable metadata mw-cite-backlink "
        "headerlink anchorjs-link heading-anchor anchor-link hash-link header-anchor"
    ).split()
)
# The whole text of a link that only points at its own heading or edits it.
_ANCHOR_TEXT = re.compile(
    r"^(?:[#¶§🔗\W]*|\[?edit(?: section)?\]?|link to this (?:heading|section))$", re.I
)
MAX_ARIA_LEVEL = 6


def make_semantic(doc: HtmlElement) -> None:
    """Say in tags what the page says in ARIA and classes, before anything is judged:
    `role="heading"` becomes h1-h6, formulas become their text alternative, and heading
    anchors, edit links and maintenance boxes go."""
    for node in list(doc.iter()):
        tag = node.tag
        if not isinstance(tag, str) or not (node.attrib or tag[-4:].lower() == "math"):
            continue  # most of a page: no class or role, and not a formula
        if node.getparent() is None:
            continue
        if _FURNITURE_CLASSES.intersection((node.get("class") or "").split()):
            node.drop_tree()
        elif (node.get("role") or "").lower() == "heading" and _heading_shaped(node):
            node.tag = f"h{_aria_level(node)}"
        elif _local_name(node) == "math":
            _math_as_text(node)
    for heading in list(doc.iter(*_HEADINGS)):
        for link in list(heading.iter("a")):
            if _ANCHOR_TEXT.match(normalise_space(link.text_content())) or "action=edit" in (
                link.get("href") or ""
            ):
                link.drop_tree()


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


ROLE_HEADING_MAX_CHARS = 200


def _heading_shaped(node: HtmlElement) -> bool:
    """A `role="heading"` that is a heading: short, no paragraphs or lists inside (sites
    put the role on whole comments too)."""
    if node.tag in _HEADINGS or node.find(".//p") is not None or node.find(".//li") is not None:
        return False
    return len(normalise_space(node.text_content())) <= ROLE_HEADING_MAX_CHARS


def _aria_level(node: HtmlElement) -> int:
    try:
        level = int(node.get("aria-level") or 2)
    except ValueError:
        level = 2
    return min(max(level, 1), MAX_ARIA_LEVEL)


def _local_name(node: HtmlElement) -> str:
    return node.tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


FORMULA = "formula"


def _math_as_text(node: HtmlElement) -> None:
    """A MathML formula read as its alternative text (alttext, else a TeX or text
    annotation), else announced as "formula": never silently dropped."""
    text = normalise_space(node.get("alttext") or node.get("aria-label") or "")
    if not text:
        for child in node.iter():
            if isinstance(child.tag, str) and _local_name(child) == "annotation":
                text = normalise_space(child.text_content())
                break
    if not text:
        text = FORMULA
    tail = node.tail
    node.clear()
    node.tag, node.text, node.tail = "span", f" {text} ", tail


# Footnote markers: "1", "[12]", "a", "*", "†" as the whole text of a link to a note.
_NOTE_MARK = re.compile(r"^\[?(?:\d{1,4}|[a-z]|[*†‡§]{1,3})\]?$", re.I)
_NOTE_NAME = re.compile(r"foot|note|fn|cite|ref", re.I)
_NOTES_HEADING = re.compile(r"\b(?:notes?|references?|citations?|sources?|footnotes?)\b", re.I)
FOOTNOTES = "Footnotes"
NOTE_MAX_CHARS = 2000


def gather_footnotes(doc: HtmlElement) -> HtmlElement | None:
    """Take footnote markers out of sentences and the notes out of the page, returned
    as a last "Footnotes" section (named after the page's own notes heading if it has
    one), so a listener hears "B cells." and then, at the end, what note 1 says."""
    notes: list[HtmlElement] = []
    order: dict[HtmlElement, int] = {}
    # Only in-page links can mark notes: a page without any is spared an index of all
    # its nodes (a huge page has 500 000).
    if doc.xpath("boolean(descendant-or-self::a[starts-with(@href, '#')])"):
        order = {node: i for i, node in enumerate(doc.iter())}
        notes = _take_notes(doc, order)
    for sup in list(doc.iter("sup")):  # "[3]" markers whose notes the page does not hold
        if sup.getparent() is not None and re.fullmatch(
            r"\[\d{1,4}\]", normalise_space(sup.text_content())
        ):
            sup.drop_tree()
    return _notes_section(notes, order) if notes else None


def _take_notes(doc: HtmlElement, order: dict[HtmlElement, int]) -> list[HtmlElement]:
    """The notes the page's marker links point to, in order; the markers are dropped."""
    ids = {n.get("id"): n for n in order if isinstance(n.tag, str) and n.get("id")}
    notes: list[HtmlElement] = []
    for link in list(doc.iter("a")):
        if link.getparent() is None:
            continue
        note = _note_target(link, ids, order)
        if note is None:
            continue
        marker = link.getparent() if link.getparent().tag == "sup" else link
        if marker.tag == "sup" and not _NOTE_MARK.match(normalise_space(marker.text_content())):
            marker = link
        marker.drop_tree()
        if note not in notes:
            notes.append(note)
    return notes


def _note_target(link: HtmlElement, ids: dict, order: dict) -> HtmlElement | None:
    """The note a marker link points to: later in the page, short, and marked as a note
    (the link is superscript or named like a footnote)."""
    href = link.get("href") or ""
    if not href.startswith("#") or not _NOTE_MARK.match(normalise_space(link.text_content())):
        return None
    target = ids.get(href[1:])
    if target is None or order.get(target, -1) < order[link]:
        return None  # a back-link from a note to its marker
    names = " ".join((link.get("class") or "", link.get("role") or "", href))
    if link.getparent().tag != "sup" and link.find("sup") is None and not _NOTE_NAME.search(names):
        return None
    while (
        target.tag not in ("li", "p", "div", "dd", "aside", "section")
        and target.getparent() is not None
    ):
        target = target.getparent()
    text = normalise_space(target.text_content())
    return target if 0 < len(text) <= NOTE_MAX_CHARS else None


def _notes_section(notes: list[HtmlElement], order: dict) -> HtmlElement:
    title = _notes_title(notes[0], order)
    section = lxml.html.fragment_fromstring("<section></section>")
    heading = etree.SubElement(section, "h2")
    heading.text = title
    listing = etree.SubElement(section, "ol")
    for note in notes:
        item = copy.deepcopy(note)
        for link in list(item.iter("a")):  # back-links: "↩", "^", "a b"
            if (link.get("href") or "").startswith("#") and not re.search(
                r"\w{2}", normalise_space(link.text_content())
            ):
                link.drop_tree()
        item.tag = "li"
        item.tail = None
        for name in list(item.attrib):
            del item.attrib[name]
        if normalise_space(item.text_content()):
            listing.append(item)
        note.drop_tree()
    return section


def _notes_title(first: HtmlElement, order: dict) -> str:
    """The text of the last heading before the first note, when it names notes."""
    heading = None
    for node in order:
        if node is first:
            break
        if isinstance(node.tag, str) and node.tag in _HEADINGS:
            heading = node
    text = normalise_space(heading.text_content()) if heading is not None else ""
    if text and len(text) < 40 and _NOTES_HEADING.search(text):
        heading.drop_tree()
        return text
    return FOOTNOTES


# ---------------------------------------------------------------- forum threads

# Class/itemprop words of the element naming a post's author, and of its date.
_AUTHOR_NAME = re.compile(
    r"(?:^|[^a-z])(?:author|username|user-name|poster|postauthor|post-author|user-info"
    r"|userinfo|member-name|creator)(?:$|[^a-z])"
)
_DATE_NAME = re.compile(
    r"(?:^|[^a-z])(?:date(?:published|created)?|timestamp|post-?date)(?:$|[^a-z])"
)
_NAMED = "@class or @itemprop"  # xpath: what `_names_author` and `_is_date` read
THREAD_MIN_POSTS = 2
POST_AUTHOR_MAX_CHARS = 60


def thread_posts(doc: HtmlElement) -> HtmlElement | None:
    """A thread's posts, in order, as sections titled "author, date".

    A post is the smallest element holding an author's name and a date (a <time>, or an
    element named like one) together with prose of its own; a thread is two or more such
    elements of the same tag and class. Each is copied and cleaned like an article."""
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    # Only elements with a class or itemprop can be named so: xpath finds them in C.
    authors = [n for n in doc.xpath(f"descendant-or-self::*[{_NAMED}]") if _names_author(n)]
    if len(authors) < THREAD_MIN_POSTS:
        return None
    holders: set[HtmlElement] = set()  # elements holding a date somewhere inside
    for date in doc.xpath(f"descendant-or-self::*[self::time or {_NAMED}]"):
        if _is_date(date):
            holders.update(date.iterancestors())
    for author in authors:
        post = next((a for a in author.iterancestors() if a in holders and _dated(a, author)), None)
        if post is None or post.tag in ("body", "html"):
            continue
        members = groups.setdefault((post.tag, post.get("class") or ""), [])
        if post not in members:
            members.append(post)
    best = max(groups.values(), key=len, default=[])
    best = [p for p in best if not any(_is_descendant(p, q) for q in best if q is not p)]
    if len(best) < THREAD_MIN_POSTS:
        return None
    root = lxml.html.fragment_fromstring("<div></div>")
    for post in best:
        section = _post_section(post)
        if section is not None:
            root.append(section)
    return root if len(root) >= THREAD_MIN_POSTS else None


def _names_author(node: HtmlElement) -> bool:
    names = f"{node.get('class') or ''} {node.get('itemprop') or ''}".lower()
    if not _AUTHOR_NAME.search(names):
        return False
    return 0 < len(normalise_space(node.text_content())) <= POST_AUTHOR_MAX_CHARS


def _is_date(element: HtmlElement) -> bool:
    if element.tag != "time" and not _DATE_NAME.search(
        f"{element.get('class') or ''} {element.get('itemprop') or ''}".lower()
    ):
        return False
    return bool(normalise_space(element.text_content()))


def _date_of(node: HtmlElement) -> HtmlElement | None:
    return next((e for e in node.iter() if isinstance(e.tag, str) and _is_date(e)), None)


POST_MIN_WORDS = 3


def _dated(node: HtmlElement, author: HtmlElement) -> bool:
    """`node` holds a date besides `author`, and words of its own besides both."""
    date = _date_of(node)
    if date is None or date is author or _is_descendant(author, date):
        return False
    own = len(node.text_content().split())
    return own - len(author.text_content().split()) - len(date.text_content().split()) >= (
        POST_MIN_WORDS
    )


def _post_section(post: HtmlElement) -> HtmlElement | None:
    clone = copy.deepcopy(post)
    author = next((n for n in clone.iter() if isinstance(n.tag, str) and _names_author(n)), None)
    date = _date_of(clone)
    parts = [normalise_space(n.text_content()) for n in (author, date) if n is not None]
    for node in (date, author):
        if node is None or node.getparent() is None:
            continue
        box = node.getparent()
        node.drop_tree()
        if box is clone or box.getparent() is None:
            continue
        if len(box.text_content().split()) <= POST_MIN_WORDS:
            box.drop_tree()  # the author's box: a rank ("Member") or a post count
    remove_boilerplate(clone)
    clean_article(clone)
    if not normalise_space(clone.text_content()):
        return None
    section = lxml.html.fragment_fromstring("<section></section>")
    heading = etree.SubElement(section, "h2")
    heading.text = ", ".join(p for p in parts if p)
    section.append(clone)
    return section


# ---------------------------------------------------------------- boilerplate rules


def remove_boilerplate(root: HtmlElement) -> None:
    """Drop scripts, furniture tags, hidden elements and blocks named like boilerplate."""
    body_chars = max(len(normalise_space(root.text_content())), 1)
    open_accordions(root, body_chars)
    for node in list(root.iter(*DROPPED_TAGS)):
        if node.getparent() is None or _holds_article(node, body_chars):
            continue
        if node.tag == "aside" and _holds_faq(node):  # a Q&A callout is article content
            continue
        node.drop_tree()
    for node in list(root.iter("form")):
        # Some sites wrap the whole page in one <form>; only small forms are furniture.
        if node.getparent() is not None and not _holds_article(node, body_chars):
            node.drop_tree()
    for node in list(root.iter()):
        if not node.attrib or node.getparent() is None or not isinstance(node.tag, str):
            continue  # without attributes a block is neither hidden nor named furniture
        if _is_hidden(node):
            # Consent dialogs set aria-hidden on the page behind them, and anti-flicker
            # scripts hide the body until they run: never hide the article itself.
            if not _holds_article(node, body_chars):
                node.drop_tree()
            else:  # and keep readability from dropping it for the same reason
                for name in ("hidden", "style", "aria-hidden"):
                    node.attrib.pop(name, None)
        elif _named_boilerplate(node, body_chars):
            node.drop_tree()


# ---------------------------------------------------------------- accordions

# Disclosure widgets whose toggle is article text: an FAQ question or an accordion title.
_ACCORDION_NAME = re.compile(
    r"accordion|faq|question|answer|(?:^|[^a-z])q-?(?:and-?)?a(?:$|[^a-z])"
)
# Toggles that only say what they do ("Show more") are not worth hearing.
_UI_LABEL = re.compile(
    r"^(?:show|hide|read|see|view|load|expand|collapse|open|close|toggle|more|less|continue"
    r"|menu|search)\b.{0,30}$",
    re.I,
)
TOGGLE_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "summary")
TOGGLE_NAME_DEPTH = 3  # how far up a toggle's FAQ/accordion container may be
TOGGLE_MIN_SHARE = 0.5  # of its heading's text, for a button inside a heading
# Form controls and widgets a panel of article text does not hold.
_PANEL_WIDGETS = ".//input|.//select|.//textarea|.//form|.//nav"


def open_accordions(root: HtmlElement, body_chars: int) -> None:
    """Keep accordion and FAQ toggles as text and open the panels they control.

    <button> is dropped as furniture, but in an accordion or FAQ the button's text is the
    question (or the title) of the panel under it; collapsed panels are hidden until a
    sighted reader clicks, and a listener must hear them too.
    """
    # xpath picks the few candidates in C; a huge page has 500 000 other elements.
    ids = {
        node.get("id"): node for node in root.xpath("descendant-or-self::*[@id]") if node.get("id")
    }
    toggles = [
        node
        for node in root.xpath("descendant-or-self::*[self::button or @aria-expanded]")
        if node.tag == "button" or node.get("aria-expanded")
    ]
    for toggle in toggles:
        if toggle.getparent() is not None:
            _open_toggle(toggle, ids, body_chars)


def _open_toggle(toggle: HtmlElement, ids: dict[str, HtmlElement], body_chars: int) -> None:
    label = normalise_space(toggle.text_content())
    heading = next(toggle.iterancestors(*TOGGLE_HEADING_TAGS), None)
    if heading is not None:
        heading_text = normalise_space(heading.text_content())
        if len(label) < TOGGLE_MIN_SHARE * len(heading_text):
            heading = None  # a small control beside a heading's own text
    named = _accordion_named(toggle)
    panel = _toggle_panel(toggle, heading, ids)
    if panel is not None and not _panel_text(panel, body_chars):
        panel = None
    asks = label.endswith(("?", "？"))
    if heading is None and panel is None and not (named and (asks or _is_faq(toggle))):
        return  # a control of the page (menu, search, share), not part of a text
    if _named_boilerplate(toggle, body_chars):
        return
    if panel is not None:
        _unhide(panel)
        panel.set(PANEL, "")
    if toggle.tag != "button" or not re.search(r"[^\W\d_]", label):
        return  # a link or div toggle keeps its text anyway; an icon has none
    if heading is None and _UI_LABEL.match(label):
        return  # "Show more" is dropped with the other buttons; its panel stays open
    if heading is not None:
        toggle.drop_tag()  # the heading keeps the text
        marked = heading
    else:
        toggle.tag = "p"  # its own line; bold when it titles a panel, like a pseudo-heading
        for name in ("type", "aria-expanded", "aria-controls"):
            toggle.attrib.pop(name, None)
        if not asks and not _is_faq(toggle):
            toggle.set("style", BOLD_STYLE)
        marked = toggle
    if asks and panel is not None and not _is_faq(marked) and not _is_faq(panel):
        # An accordion of questions is an FAQ: say so for the sections builder.
        _add_class(marked, "question")
        _add_class(panel, "answer")


def _accordion_named(node: HtmlElement) -> bool:
    for depth, element in enumerate([node, *node.iterancestors()]):
        if depth > TOGGLE_NAME_DEPTH:
            return False
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if _ACCORDION_NAME.search(names) or _FAQ_TYPE.search(element.get("itemtype") or ""):
            return True
    return False


def _toggle_panel(
    toggle: HtmlElement, heading: HtmlElement | None, ids: dict[str, HtmlElement]
) -> HtmlElement | None:
    """The element a toggle opens: its aria-controls target, else the next sibling."""
    for ref in (toggle.get("aria-controls") or "").split():
        if ref in ids:
            return ids[ref]
    return (heading if heading is not None else toggle).getnext()


def _panel_text(panel: HtmlElement, body_chars: int) -> bool:
    """A panel of article text: words, few links, no form or menu, not named boilerplate."""
    if panel.tag in DROPPED_TAGS or panel.xpath(_PANEL_WIDGETS):
        return False
    role = (panel.get("role") or "").lower()
    if role in BOILERPLATE_ROLES or _named_boilerplate(panel, body_chars):
        return False
    return bool(normalise_space(panel.text_content())) and not _link_heavy(panel)


def _unhide(node: HtmlElement) -> None:
    for name in ("hidden", "aria-hidden"):
        node.attrib.pop(name, None)
    style = node.get("style")
    if style and _HIDDEN_STYLE.search(style):
        del node.attrib["style"]
    classes = (node.get("class") or "").split()
    if HIDDEN_CLASSES.intersection(c.lower() for c in classes):
        node.set("class", " ".join(c for c in classes if c.lower() not in HIDDEN_CLASSES))


def _add_class(node: HtmlElement, word: str) -> None:
    node.set("class", f"{node.get('class') or ''} {word}".strip())


def _holds_article(node: HtmlElement, body_chars: int) -> bool:
    """True when removing `node` would remove most of the page (it wraps the article)."""
    if node.tag in ("head", "title", "meta", "link", "script", "style", "noscript", "template"):
        return False
    if node.find(".//article") is not None or node.find(".//main") is not None:
        return True
    return len(normalise_space(node.text_content())) > 0.5 * body_chars


def _is_hidden(node: HtmlElement) -> bool:
    if node.tag in ("html", "body"):
        return False
    if node.get("hidden") is not None or node.get("aria-hidden", "").lower() == "true":
        return True
    if HIDDEN_CLASSES.intersection((node.get("class") or "").lower().split()):
        return True
    style = node.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _named_boilerplate(node: HtmlElement, body_chars: int) -> bool:
    if node.tag in ("html", "body", "main", "article"):
        return False
    role = (node.get("role") or "").lower()
    if role in BOILERPLATE_ROLES:
        return not _holds_article(node, body_chars)
    names = " ".join(filter(None, (node.get("class"), node.get("id"), node.get("aria-label"))))
    if not names:
        return False
    names = names.lower()
    if _CONTENT_NAME.search(names) or _is_faq(node):
        return False
    if _BOILERPLATE_NAME.search(names):
        if node.tag in _HEADINGS:
            return False  # a heading's id is its own text made a slug ("social-support")
        if _only_slugs(names, node):  # "social-security-disability": named after its heading
            return not _holds_prose(node)
        return not _holds_article(node, body_chars)
    if _SOFT_BOILERPLATE_NAME.search(names):
        return _little_prose(node)
    return False


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
_PROSE_SENTENCE = re.compile(r"(?:[^\W\d_][\w'’-]*[^\w.!?]+){5,}[^\W\d_][\w'’-]*[.!?…:]")


def _holds_prose(node: HtmlElement) -> bool:
    """A block of real prose: a sentence of six or more words, and not mostly links."""
    text = normalise_space(node.text_content())
    if not text or _linked_chars(node) >= 0.5 * len(text):
        return False
    return bool(_PROSE_SENTENCE.search(text))


def _little_prose(node: HtmlElement) -> bool:
    text = normalise_space(node.text_content())
    if len(text) <= SOFT_MAX_PROSE_CHARS:
        return True
    linked = sum(len(normalise_space(a.text_content())) for a in node.iter("a"))
    return linked >= SOFT_MIN_LINK_SHARE * len(text)


def _is_faq(node: HtmlElement) -> bool:
    names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    return bool(_FAQ_NAME.search(names) or _FAQ_TYPE.search(node.get("itemtype") or ""))


def _holds_faq(node: HtmlElement) -> bool:
    return any(_is_faq(n) for n in node.iter() if isinstance(n.tag, str))


def _drop_telltales(root: HtmlElement) -> set[HtmlElement]:
    """Drop short blocks whose text gives them away as furniture (`_telltale`); return
    the <p> the later passes must judge: those with children, and the bare ones (text
    alone) whose text opens like a teaser or a list of links.

    A bare <p> keeps its text until the end of `clean_article` (nothing is inside it to
    drop, and no pass adds children), so the later passes need not work out the text of
    the others again: most of a page, 500 000 of them on a huge one. No pass of
    `clean_article` adds a <p> or a child to one, so every <p> was judged here."""
    suspects: set[HtmlElement] = set()
    for node in list(root.iter(*TELLTALE_TAGS)):
        if node.getparent() is None:
            continue
        if len(node):
            if _telltale(node, node.text_content()):
                node.drop_tree()
            elif node.tag == "p":  # its children may go (<source>), leaving it bare
                suspects.add(node)
            continue
        raw = node.text or ""
        text = raw if _settled(raw) else normalise_space(raw)
        if _telltale(node, raw, text):
            node.drop_tree()
        elif node.tag == "p" and _ANY_LEAD.match(text):
            suspects.add(node)
    return suspects


def _settled(text: str) -> bool:
    """True when `normalise_space` would hand `text` back as it is: printable, so its only
    whitespace can be the space, never doubled nor at an end. Far cheaper than the regex
    on the 500 000 paragraphs of a huge page. (A candidate for reader/text.py.)"""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def _telltale(node: HtmlElement, raw: str, text: str | None = None) -> bool:
    """The node's text (`raw`, its text_content; `text`, the same normalised when known)
    is a furniture line such as "Share this"."""
    if len(node) > TELLTALE_MAX_CHILDREN:  # furniture lines are small; skip big containers
        return False
    if len(raw) > TELLTALE_MAX_CHARS * 2:
        return False
    text = normalise_space(raw) if text is None else text
    return len(text) <= TELLTALE_MAX_CHARS and bool(_TELLTALE_TEXT.match(text))


# ---------------------------------------------------------------- readability


class _Readability(Document):
    """readability-lxml that hands back its final tree instead of re-serialised HTML."""

    final: HtmlElement | None = None

    def get_clean_html(self) -> str:
        self.final = self.html
        # summary() only uses the length of this string to decide whether to retry.
        return etree.tostring(self.html, encoding="unicode", method="text")


# readability scores every paragraph and its ancestors in Python, about 30 µs an element:
# 15 s and 670 MB for a 9 MB page of 540 000 paragraphs. Past this many elements the
# boilerplate rules alone decide (they already dropped menus, sidebars, footers, hidden
# and furniture-named blocks), and the rest of the body is the article.
HUGE_PAGE_ELEMENTS = 50_000


def readable_root(doc: HtmlElement) -> HtmlElement:
    """The article as a <div> of copies of the original nodes readability kept."""
    originals = {}
    for index, node in enumerate(doc.iter()):
        if isinstance(node.tag, str):
            node.set(RID, str(index))
            originals[str(index)] = node
    chosen = _readability_tree(doc)
    root = lxml.html.fragment_fromstring("<div></div>")
    if chosen is None:
        body = doc.find("body")
        for child in body if body is not None else [doc]:
            root.append(copy.deepcopy(child))
        return root
    kept = {node.get(RID) for node in chosen.iter() if isinstance(node.tag, str)}
    moved = _moved_roots(chosen, originals)
    headline_article = _article_beside_listing(doc, [originals[m.get(RID)] for m in moved])
    if headline_article is not None:
        root.append(copy.deepcopy(headline_article))
        return root
    moved_ids = {node.get(RID) for node in moved}
    clones: dict[str, HtmlElement] = {}
    for node in moved:  # in document order: containers come before what was moved into them
        rid = node.get(RID)
        clone = _pruned_copy(originals[rid], kept, moved_ids - {rid})
        _place(root, node, clone, clones)
        clones.update((c.get(RID), c) for c in clone.iter() if isinstance(c.tag, str))
    return root


def _whole_body(doc: HtmlElement) -> HtmlElement:
    """The body's children moved (not copied: the page is huge) into a <div>."""
    root = lxml.html.fragment_fromstring("<div></div>")
    body = doc.find("body")
    root.text = body.text if body is not None else None
    root.extend(list(body if body is not None else doc))
    return root


LISTING_MIN_ARTICLES = 3
HEADED_MIN_CHARS = 200


def _article_beside_listing(doc: HtmlElement, tops: list[HtmlElement]) -> HtmlElement | None:
    """The <article> holding the page's h1, when readability chose a list of teasers.

    Blogs put "more posts" as a run of <article> teasers next to a short post; together
    the teasers outscore the post. A choice holding several <article>s is a listing.
    """
    articles = list(doc.iter("article"))
    if len(articles) <= LISTING_MIN_ARTICLES:
        return None
    headed = [a for a in articles if a.find(".//h1") is not None]
    if len(headed) != 1 or len(normalise_space(headed[0].text_content())) < HEADED_MIN_CHARS:
        return None
    article = headed[0]
    if any(t is article or _is_descendant(t, article) for t in tops):
        return None  # readability chose within the headed article: trust it
    inside = [
        a
        for a in articles
        if a is not article and any(a is t or _is_descendant(a, t) for t in tops)
    ]
    return article if len(inside) >= LISTING_MIN_ARTICLES else None


def _place(root: HtmlElement, node: HtmlElement, clone: HtmlElement, clones: dict) -> None:
    """Put `clone` where readability put `node`: after its kept previous sibling, or first
    in its kept container (readability moves standfirsts to the top of the article)."""
    for sibling in node.itersiblings(preceding=True):
        if sibling.get(RID) in clones:
            clones[sibling.get(RID)].addnext(clone)
            return
    for ancestor in node.iterancestors():
        if ancestor.get(RID) in clones:
            clones[ancestor.get(RID)].insert(0, clone)
            return
    root.append(clone)


def _readability_tree(doc: HtmlElement) -> HtmlElement | None:
    reader = _Readability(doc)
    try:
        reader.summary(html_partial=True)
    except (Exception, RecursionError):  # readability fails on odd trees; fall back to the body
        return None
    final = reader.final
    if final is None or not normalise_space(final.text_content()):
        return None
    return final


def _moved_roots(chosen: HtmlElement, originals: dict[str, HtmlElement]) -> list[HtmlElement]:
    """Nodes of readability's output that are not in place under their output ancestor.

    Normally these are the top candidate and the siblings readability appended; article
    segments it merged in from elsewhere show up here as well.
    """
    roots = []
    stack = [(chosen, None)]
    while stack:
        node, anchor = stack.pop()
        rid = node.get(RID) if isinstance(node.tag, str) else None
        child_anchor = anchor
        if rid is not None and rid in originals:
            original = originals[rid]
            if anchor is None or not _is_descendant(original, anchor):
                roots.append(node)
            child_anchor = original
        stack.extend((child, child_anchor) for child in reversed(node))
    return roots


def _is_descendant(node: HtmlElement, ancestor: HtmlElement) -> bool:
    parent = node.getparent()
    if parent is ancestor:
        return True
    return any(a is ancestor for a in node.iterancestors())


def _pruned_copy(original: HtmlElement, kept: set[str | None], moved: set[str]) -> HtmlElement:
    """Copy `original`, dropping descendants readability removed (unless structural) or
    moved elsewhere (those are placed on their own)."""
    clone = copy.deepcopy(original)
    quoting = clone.find(".//blockquote") is not None
    doomed = []
    stack = list(clone)
    while stack:
        node = stack.pop()
        if not isinstance(node.tag, str):
            continue
        rid = node.get(RID)
        if rid in moved:
            doomed.append(node)
        elif (
            node.tag in PROTECTED_TAGS
            or _is_faq(node)
            or node.get(PANEL) is not None
            or _materials(node)
        ):
            continue  # headings, quotes, FAQ markup, accordion panels: kept whole
        elif rid in kept or (quoting and node.find(".//blockquote") is not None):
            # readability drops embed wrappers ("tweet", "widget"); the quote inside is
            # article text, so look inside instead of dropping the wrapper whole.
            stack.extend(node)
        else:
            doomed.append(node)
    for node in doomed:
        node.drop_tree()
    return clone


# A how-to's or a recipe's list of what to have at hand: its items are often links to a
# shop, which readability takes for a link farm.
_MATERIALS_HEADING = re.compile(
    r"^(?:what |things )?you(?:['’]ll| will)? need\b|^(?:materials?|supplies|tools|ingredients"
    r"|equipment|requirements)\b(?: (?:and|&) \w+)?(?: needed| list)?:?$",
    re.I,
)


def _materials(node: HtmlElement) -> bool:
    """A block that opens with a heading such as "What you'll need" over a list."""
    heading = next((c for c in node if isinstance(c.tag, str)), None)
    if heading is None or heading.tag not in _HEADINGS or node.find(".//li") is None:
        return False
    return bool(_MATERIALS_HEADING.match(normalise_space(heading.text_content())))


# ---------------------------------------------------------------- final cleaning


def clean_article(root: HtmlElement, title: str = "") -> None:
    """Second pass on the small article tree: furniture readability kept, then tidy up.

    The tree is made of nodes of the already cleaned page, so the name/tag rules of
    `remove_boilerplate` need not run again.
    """
    suspects = _drop_telltales(root)
    drop_title_repeat(root, title)
    _drop_repeats(root)
    for node in list(root.iter("source", "track")):
        # Void elements, but libxml2 nests what follows inside them: a <picture>'s <img>
        # ends up in its <source>, which the sections builder skips.
        node.drop_tag()
    _one_description_per_figure(root, title)
    _drop_useless_images(root, title)
    for node in list(root.iter("ul", "ol", "div", "section", "table")):
        if node.getparent() is None or _headed_list(node) or _materials(node):
            continue
        if _link_heavy(node):
            node.drop_tree()
    for node in list(root.iter("p")):
        if (len(node) or node in suspects) and node.getparent() is not None and _teaser_link(node):
            node.drop_tree()
    _drop_link_lists(root, suspects)
    _drop_empty(root)
    # Most of a page has no attributes to drop, and CSS cannot make it bold.
    for node in root.xpath("descendant-or-self::*[@* or self::b or self::strong]"):
        bold = _weight_as_style(node)
        for name in list(node.attrib):
            if name not in KEPT_ATTRIBUTES:
                del node.attrib[name]
        if bold:  # the sections builder reads this to find bold pseudo-headings
            node.set("style", BOLD_STYLE)


def _weight_as_style(node: HtmlElement) -> bool:
    """True when CSS makes `node` bold (and it is not already <b>/<strong>); a <b> that
    CSS makes normal weight becomes a <span>, so it is not taken for a heading."""
    style = node.get("style") or ""
    if node.tag in ("b", "strong"):
        if _NORMAL_WEIGHT.search(style):
            node.tag = "span"
        return False
    classes = set((node.get("class") or "").lower().split())
    return bool(_BOLD_STYLE.search(style) or BOLD_CLASSES & classes)


def drop_title_repeat(root: HtmlElement, title: str) -> None:
    """The title is announced separately; a heading that repeats it would be heard twice."""
    wanted = _squash(title)
    if not wanted:
        return
    for node in root.iter("h1", "h2", "h3", "p", "div", "span"):
        text = node.text_content()
        if len(text) < 2 * len(title) + 20 and _squash(text) == wanted:
            node.drop_tree()
            return


def _one_description_per_figure(root: HtmlElement, title: str) -> None:
    """The alt text was written for people who cannot see the picture: it stays the image's
    description. The caption (what sighted readers see) is kept as well when it says
    something else; when one holds the other, the fuller text is heard once, as the image."""
    for figure in list(root.iter("figure")):
        captions = list(figure.iter("figcaption"))
        images = list(figure.iter("img"))
        caption = normalise_space(" ".join(c.text_content() for c in captions))
        if not images or not caption:
            continue
        image = images[0]
        alt = normalise_space(image.get("alt") or "")
        alt_words, caption_words = _word_set(alt), _word_set(caption)
        if _useless_alt(alt) or _squash(alt) == _squash(title) or alt_words <= caption_words:
            image.set("alt", caption)  # the caption says all the alt says (or the alt is empty)
        elif not caption_words <= alt_words:
            continue  # both tell something: the image, then its caption
        for node in captions:
            node.drop_tree()


_FILE_NAME = re.compile(r"^[\w.-]+$|\.(?:jpe?g|png|gif|webp|svg|avif)$", re.I)


KEYWORD_LIST_MIN_PARTS = 4


def _word_set(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _useless_alt(alt: str) -> bool:
    """A file name, a single word ("image", "photo"), a credit line or a list of search
    keywords ("weed, cannabis, drug, joint, stock") tells a listener nothing."""
    if _TELLTALE_TEXT.match(alt) or (_FILE_NAME.search(alt) and " " not in alt):
        return True
    parts = alt.split(",")
    return len(parts) >= KEYWORD_LIST_MIN_PARTS and all(len(p.split()) <= 2 for p in parts)


def _drop_useless_images(root: HtmlElement, title: str) -> None:
    """Keep images whose alt text tells the listener something new, once."""
    seen = {_squash(title)}
    for caption in root.iter("figcaption"):
        seen.add(_squash(caption.text_content()))
    for img in list(root.iter("img")):
        alt = normalise_space(img.get("alt") or "")
        key = _squash(alt)
        if not key or key in seen or _useless_alt(alt):
            img.drop_tree()
        else:
            seen.add(key)


REPEAT_MIN_CHARS = 20


def _drop_repeats(root: HtmlElement) -> None:
    """Say a repeated caption once (galleries repeat each caption per slide and size).

    Only captions: recipes and product lists legitimately repeat lines.
    """
    first: dict[str, HtmlElement] = {}
    for node in root.xpath(".//*[self::figcaption or @class]"):  # the candidates, in C
        if node.getparent() is None:
            continue
        if node.tag != "figcaption" and "caption" not in (node.get("class") or "").lower():
            continue
        key = _squash(node.text_content())
        if len(key) < REPEAT_MIN_CHARS:
            continue
        earlier = first.get(key)
        if earlier is None:
            first[key] = node
        elif not _is_descendant(node, earlier):
            node.drop_tree()


# "Related: <a>Another story</a>", "Read more: <a>...</a>": links to other articles.
_LINK_LEAD = re.compile(
    r"^(?:related|read more|read also|also read|see more|see also|more|also|also on [\w.]+|watch"
    r"|listen|recommended|more on this|more from [\w .]+|continue reading|don't miss|must read"
    r"|trending|popular|latest|top stories|further reading|related (?:articles?|stories|links))"
    r"\b[^.:!?]{0,30}[:»›|]",
    re.I,
)
TEASER_MAX_CHARS = 200
# A whole-link line shorter than this may be a linked bold pseudo-heading ("Natalizumab
# (Tysabri)"); teaser headlines are longer.
TEASER_MIN_WORDS = 5


def _teaser_link(node: HtmlElement) -> bool:
    """A short block that is nothing but a link to another page, or "Related: <link>"."""
    text = normalise_space(node.text_content())
    if not text or len(text) > TEASER_MAX_CHARS or " " not in text:  # a bare URL is a reference
        return False
    linked = sum(len(normalise_space(a.text_content())) for a in node.iter("a"))
    if linked >= 0.9 * len(text):
        return len(text.split()) >= TEASER_MIN_WORDS
    lead = _LINK_LEAD.match(text)
    return bool(lead) and linked >= 0.5 * (len(text) - lead.end())


# "DON'T MISS <a>…</a> [NEWS] <a>…</a>": a paragraph of links under a call to read on.
_LIST_LEAD = re.compile(
    r"^(?:don['’]t miss|must read|read more|read also|also read|related(?: articles| stories"
    r"| posts| links| content)?|see also|more on this|recommended(?: for you)?|trending"
    r"|most popular|most read|top stories|further reading)\b",
    re.I,
)
# Either lead, in one pass over a paragraph's text (see `_drop_telltales`).
_ANY_LEAD = re.compile(f"(?:{_LINK_LEAD.pattern})|(?:{_LIST_LEAD.pattern})", re.I)
LINK_LIST_MAX_CHARS = 600
LINK_LIST_MIN_SHARE = 0.7


def _drop_link_lists(root: HtmlElement, suspects: set[HtmlElement]) -> None:
    """Drop "Don't miss" paragraphs of links, and the links paragraph after a lone lead
    (only the `suspects` of `_drop_telltales` and <p> with children)."""
    for node in list(root.iter("p")):
        if not (len(node) or node in suspects) or node.getparent() is None:
            continue
        text = normalise_space(" ".join(node.itertext()))  # <br> between lead and links
        lead = _LIST_LEAD.match(text)
        if not lead or len(text) > LINK_LIST_MAX_CHARS:
            continue
        rest = len(text) - lead.end()
        if rest > 0 and _linked_chars(node) < LINK_LIST_MIN_SHARE * rest:
            continue  # "Related research shows…": a sentence, not a lead
        after = node.getnext()
        if not rest and after is not None and after.tag == "p":
            after_text = normalise_space(after.text_content())
            if after_text and _linked_chars(after) >= LINK_LIST_MIN_SHARE * len(after_text):
                after.drop_tree()
        node.drop_tree()


def _linked_chars(node: HtmlElement) -> int:
    return sum(len(normalise_space(a.text_content())) for a in node.iter("a"))


def _link_heavy(node: HtmlElement) -> bool:
    """A block that is mostly links (lists of related stories, tag clouds, share bars)."""
    text = normalise_space(node.text_content())
    if not text:
        return False
    linked = sum(len(normalise_space(a.text_content())) for a in node.iter("a"))
    return linked > 0.6 * len(text)


def _headed_list(node: HtmlElement) -> bool:
    """A list the article introduces with its own heading ("What you'll need", "Sources"):
    its linked items are the content. Headings of link furniture ("Related articles")
    are gone by now, taken for telltale text."""
    if node.tag not in ("ul", "ol"):
        return False
    before = node.getprevious()
    while before is not None and not normalise_space(before.text_content()):
        before = before.getprevious()
    return before is not None and before.tag in _HEADINGS


def _drop_empty(root: HtmlElement) -> None:
    """Remove elements with neither text nor an image with alt text (deepest first)."""
    for node in reversed(list(root.iter())):
        if node is root or not isinstance(node.tag, str) or node.tag in ("br", "img", "hr"):
            if node.tag == "img" and not (node.get("alt") or "").strip():
                node.drop_tree()
            continue
        if (node.text or "").strip() or len(node):
            continue
        node.drop_tree()


def text_of(root: HtmlElement) -> str:
    """Plain text of a tree with block elements on their own lines (iterative: deep-safe)."""
    parts: list[str] = []
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(node.tag, str):
            if event == "end" and node.tail and node is not root:
                parts.append(node.tail)
            continue
        block = node.tag in BLOCK_TAGS
        if event == "start":
            if block:
                parts.append("\n")
            if node.tag == "img" and node.get("alt"):
                parts.append(" " + node.get("alt") + " ")
            if node.text:
                parts.append(node.text)
        else:
            if block:
                parts.append("\n")
            if node.tail and node is not root:
                parts.append(node.tail)
    lines = (normalise_space(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
