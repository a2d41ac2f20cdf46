"""What the page says about itself: its language, its title (without the site's name), and
who wrote it when (its byline)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from html import unescape
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from reader.extract.jsonld import ld_byline
from reader.model import Section
from reader.text import normalise_space, one_line, page_language_tag, squash

UNTITLED = "Untitled article"
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ")


def page_language(doc: HtmlElement, header: str | None) -> str:
    """`<html lang>`, else the Content-Language header, else a meta tag, else "en"."""
    candidates = [doc.get("lang"), doc.get("{http://www.w3.org/XML/1998/namespace}lang"), header]
    for meta in doc.iter("meta"):  # (lxml's own filter: far faster than iterfind's path)
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.append(meta.get("content"))
    tags = (page_language_tag(value) for value in candidates)
    return next((tag for tag in tags if tag), "en")


def page_title(doc: HtmlElement, url: str = "") -> str:
    """og:title, else the article's h1, else <title>; the site name is cut off."""
    # One walk of the page for its <meta>, asked four times (a walk: 0.1 s on a huge page).
    metas = list(doc.iter("meta"))
    sites = _site_names(metas, url)
    og = _meta_content(metas, "og:title") or _meta_content(metas, "twitter:title")
    if og:
        return strip_site_name(og, sites)
    node = doc.find(".//title")
    title = normalise_space(node.text_content()) if node is not None else ""
    h1 = _article_h1(doc, sites, title)
    if h1:
        return h1
    return strip_site_name(title, sites, guess=True)


def _meta_content(metas: list[HtmlElement], name: str) -> str:
    for meta in metas:
        if name in ((meta.get("property") or "").lower(), (meta.get("name") or "").lower()):
            return normalise_space(meta.get("content") or "")
    return ""


def _site_names(metas: list[HtmlElement], url: str) -> set[str]:
    names = {
        squash(_meta_content(metas, "og:site_name")),
        squash(_meta_content(metas, "application-name")),
    }
    try:
        host = (urlsplit(url).hostname or "") if "://" in url else ""
    except ValueError:  # e.g. a broken IPv6 literal
        host = ""
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    if len(labels) >= 2:
        names.add(squash(labels[-2]))
    names.discard("")
    return names


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
    squashed = squash(part)
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
    in_title = [text for text in texts if squash(text) in squash(title)]
    return (in_title or texts or [""])[0]


def first_heading(root: HtmlElement) -> str:
    for node in root.iter("h1", "h2", "h3"):
        text = normalise_space(node.text_content())
        if text:
            return text
    return ""


# ------------------------------------------------------------------ byline

MAX_AUTHORS = 4  # a byline of more names is cut: the page has a list of contributors
MAX_NAME = 80  # characters; a longer "name" is a sentence, not a name
_DATE_METAS = ("article:published_time", "og:article:published_time", "datepublished", "date")
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_TAGS = re.compile(r"<[^>]*>")
# Words a byline line of the page's own holds besides the names and the date.
_BYLINE_WORDS = frozenset(
    "by written posted published updated last modified on at and author authors from "
    "min mins minute minutes read am pm".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def page_byline(doc: HtmlElement, html: str) -> tuple[str, str]:
    """Who wrote the article and when: ("Jane Smith, John Doe", "2026-11-03"), either "" when
    the page does not say. From its JSON-LD first, then its <head>'s meta tags (author,
    article:published_time), then a <time datetime> in the article's header. Untrusted:
    names are one clean line of text, the date a real calendar date or nothing."""
    names, published = ld_byline(html)
    head = doc.find("head")
    metas = list(head.iter("meta")) if head is not None else []  # not a walk of the page
    if not names:
        names = [_meta_content(metas, "author")]
    if not _iso_date(published):
        dates = (_meta_content(metas, name) for name in _DATE_METAS)
        published = next((value for value in dates if _iso_date(value)), "")
    if not _iso_date(published):
        published = _header_time(doc)
    return ", ".join(_clean_names(names)), _iso_date(published)


def _clean_names(names: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for raw in names:
        name = one_line(_TAGS.sub(" ", unescape(raw))).strip(" ,;|")
        name = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE)
        if not name or len(name) > MAX_NAME or "://" in name or "@" in name:
            continue  # a profile's address or an e-mail is not a name to read
        if not any(ch.isalpha() for ch in name):
            continue
        if squash(name) not in (squash(k) for k in kept):
            kept.append(name)
    return kept[:MAX_AUTHORS]


def _iso_date(value: str) -> str:
    """ "2026-11-03" from "2026-11-03T08:00:00+01:00" (the date as the publisher wrote it, not
    moved to another time zone); "" when it is not a plausible calendar date."""
    match = _ISO_DATE.match(value or "")
    if match is None:
        return ""
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        return ""
    return day.isoformat() if 1900 <= day.year <= 2200 else ""


def _header_time(doc: HtmlElement) -> str:
    """The datetime of a <time> in an article's header, or one the page marks as its date
    (itemprop="datePublished", the old pubdate attribute)."""
    for node in doc.iter("time"):
        value = node.get("datetime") or ""
        if not _iso_date(value):
            continue
        if node.get("itemprop") == "datePublished" or node.get("pubdate") is not None:
            return value
        tags = {ancestor.tag for ancestor in node.iterancestors()}
        if "header" in tags and "article" in tags:
            return value
    return ""


def drop_repeated_byline(sections: list[Section], byline: str, published: str) -> None:
    """The page's own byline line ("By Jane Smith | 3 Nov 2026") out of the article's first
    blocks: the reader says the byline once, after the title, in words it reads well."""
    if not sections or not (byline or published):
        return
    names = [set(_words(name)) for name in byline.split(", ") if _words(name)]
    blocks = sections[0].blocks
    for index, block in enumerate(blocks[:2]):
        if block.kind == "paragraph" and _is_byline(block.text, names, bool(published)):
            del blocks[index]
            return


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.casefold())


def _is_byline(text: str, names: list[set[str]], dated: bool) -> bool:
    """A short line of the names, the date and the words around them, with at most one other
    word (a job title: "By Jane Smith, Reporter")."""
    if len(text) > 200:
        return False
    words = _words(text)
    named = any(name <= set(words) for name in names)
    has_date = dated and (bool(re.search(r"\d", text)) or any(w in _MONTHS for w in words))
    if not (named or has_date):
        return False
    said = set().union(*names, _BYLINE_WORDS, _MONTHS)
    others = [word for word in words if word not in said]
    return len(others) <= 1
