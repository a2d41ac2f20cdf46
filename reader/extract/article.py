"""From a fetched page to a sectioned Article: main content, sections, then a check that
what was found is an article."""

from __future__ import annotations

import threading

from lxml.html import HtmlElement

from reader.bulk import no_cycle_collection
from reader.errors import NoArticleError
from reader.extract.candidates import Chosen, best_candidate
from reader.extract.content import Content, main_content
from reader.extract.fallback import last_resort
from reader.extract.jsonld import faq_questions
from reader.extract.kinds import page_kind
from reader.extract.links import attach_links, page_links
from reader.extract.metadata import UNTITLED, drop_repeated_byline
from reader.extract.plain import plain_article
from reader.extract.prose import NO_ARTICLE, has_prose, is_gibberish
from reader.extract.sections import build_sections
from reader.model import Article, Page
from reader.text import one_line


def load_article(source: str, cancel: threading.Event | None = None) -> Article:
    """Fetch `source` (URL, path, file:// or "-") and extract its article; setting `cancel`
    abandons the download (see `fetch`)."""
    from reader.source.fetch import fetch  # lazy: extract() alone must not need the network stack

    return extract(fetch(source, cancel=cancel))


def extract(page: Page) -> Article:
    """The article of `page`; raises NoArticleError when it holds no readable text."""
    if not page.is_html:
        return plain_article(page)
    with no_cycle_collection():
        return _html_article(page)


def _html_article(page: Page) -> Article:
    content = main_content(page)
    proxies = content.nodes or list(content.root.iter())  # noqa: F841 - see content.main_content
    title = one_line(content.title) or fallback_title(content.root)
    questions = faq_questions(page.text)
    sections = build_sections(content.root, title, questions=questions)
    if not any(s.blocks for s in sections) or not has_prose(content.root):
        sections = []
    sections, chosen = best_candidate(page, content, sections, title, questions)
    if not sections:  # no candidate holds prose: the page's own text, if it has any
        sections = last_resort(page, title, questions)
    if not sections:
        raise NoArticleError(NO_ARTICLE)
    if is_gibberish(block.text for section in sections for block in section.blocks):
        raise NoArticleError(NO_ARTICLE)
    tree = _source_tree(content, chosen)
    if tree is not None:
        attach_links(sections, page_links(tree, page.url))  # for the app's links list (k)
    kind = page_kind(page, content, chosen == "thread", sections)
    # Only an article's byline is said: a thread's posts and a shop's page say their own.
    byline, published = (content.byline, content.published) if kind == "article" else ("", "")
    drop_repeated_byline(sections, byline, published)
    return Article(
        title=title,
        language=content.language or page.language or "en",
        source=page.url,
        sections=sections,
        kind=kind,
        byline=byline,
        published=published,
    )


def _source_tree(content: Content, chosen: Chosen) -> HtmlElement | None:
    """The tree the chosen sections were read from, whose links they say: trafilatura reads
    the whole cleaned page, so a link it kept may lie outside our candidate."""
    if chosen == "thread":
        return content.posts
    if chosen == "trafilatura":
        return content.cleaned if content.cleaned is not None else content.root
    return content.root


def fallback_title(root: HtmlElement) -> str:
    """The first heading's text; a page with none still needs a name to announce."""
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = one_line(heading.text_content())
        if text:
            return text
    return UNTITLED
