"""What the page says about itself: its language and its title (without the site's name)."""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml.html import HtmlElement

from reader.text import normalise_space, page_language_tag, squash

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
