"""A second opinion: trafilatura's choice, or a thread's posts, replace ours when they hold
clearly more of the page."""

from __future__ import annotations

from typing import Literal

from lxml.html import HtmlElement

from reader.extract.cleanup import drop_data, drop_title_repeat, keep_within
from reader.extract.content import Content
from reader.extract.credits import drop_credits
from reader.extract.parse import parse_html
from reader.extract.prose import has_prose, text_words, word_count
from reader.extract.sections import build_sections
from reader.model import Page, Section

# trafilatura's choice replaces ours only when it holds clearly more words: readability
# keeps a single block (one forum post, one product card), trafilatura the page's run of
# them; on articles the two agree and ours keeps the finer structure.
TRAFILATURA_MIN_SHARE = 1.2
# A page that says it is an article (og:type, JSON-LD) and where readability found this
# many words is read as readability found it: there trafilatura's extra words are mostly
# teasers, newsletter boxes and author blurbs.
ARTICLE_ENOUGH_WORDS = 400
# "More text" means at least a sentence more: a page title or a stray label is not.
MIN_EXTRA_WORDS = 10
# Below that, a marked article's extra words must be several times its own to be its text.
MARKED_ARTICLE_MIN_SHARE = 3.0
# A thread's posts are read as posts unless another candidate holds far more words.
THREAD_MIN_SHARE = 0.7
# trafilatura reads our cleaned page worse than the page as served on some layouts (it finds
# a 300-word teaser where the served page gives it the 1 000-word service page). Asked
# again on the served page, its blocks that our cleaning removed (consent text, hidden
# panels, menus) are left out, and the rest replaces ours when it holds this much more.
SERVED_MIN_SHARE = 1.5

# Which candidate the sections are: readability's (ours), trafilatura's, or a thread's posts.
Chosen = Literal["ours", "trafilatura", "thread"]


def best_candidate(
    page: Page, content: Content, sections: list[Section], title: str, questions: list[str]
) -> tuple[list[Section], Chosen]:
    """`sections` (readability's candidate, [] when it holds no prose), or trafilatura's or
    the thread's when they hold clearly more of the page; and which of them it is."""
    marked = content.marked
    chosen: Chosen = "ours"
    if _second_opinion(content, sections, marked):
        source = content.cleaned
        if source is None or not has_prose(source):
            source = page.text  # our rules left no prose (text in odd places): the page as served
        other, other_words = _trafilatura_sections(source, page.url, title, questions)
        share = MARKED_ARTICLE_MIN_SHARE if marked else TRAFILATURA_MIN_SHARE
        ours = text_words(content.root) if sections else 0
        if not _clearly_more(other, other_words, ours, share) and _served_could_hold_more(
            page, source, content, sections
        ):
            other, other_words = _trafilatura_sections(
                page.text, page.url, title, questions, within=content.cleaned
            )
            share = SERVED_MIN_SHARE  # our cleaning already judged each block it keeps
        if _clearly_more(other, other_words, ours, share):
            sections, chosen = other, "trafilatura"  # clearly more: posts, sections, items
    # A page marked as an article reads its comments only when nothing else holds prose
    # (a link aggregator marks each story page an article, and the story is its comments).
    if content.posts is not None and (not marked or not sections):
        posts = build_sections(content.posts, title)
        if _words(posts) >= THREAD_MIN_SHARE * _words(sections):
            sections, chosen = posts, "thread"  # every post, in order, titled by author and date
    return sections, chosen


def _clearly_more(other: list[Section], other_words: int, ours: int, share: float) -> bool:
    return bool(other) and other_words > share * ours and other_words - ours >= MIN_EXTRA_WORDS


def _served_could_hold_more(
    page: Page, source: str | HtmlElement, content: Content, sections: list[Section]
) -> bool:
    """Whether asking trafilatura again, on the page as served, can find clearly more: what
    it keeps is what our cleaning kept, so the cleaned page must hold enough words."""
    if source is page.text or content.cleaned is None:
        return False
    return _could_hold_more(content, sections, SERVED_MIN_SHARE)


def _second_opinion(content: Content, sections: list[Section], marked: bool) -> bool:
    """Whether trafilatura is worth asking: never when our candidate is the whole cleaned
    body (a huge page: there is nothing more to find, and a second extraction of megabytes
    would take longer than the first), nor when a marked article already holds enough words."""
    if content.whole:
        return False
    if marked and _words(sections) >= ARTICLE_ENOUGH_WORDS:
        # Unless the page holds several times our words: sites mark every page an
        # article (a CMS's JSON-LD), and a long service page or a page of testimonials
        # read as its first block is missing most of itself.
        return _could_hold_more(content, sections, MARKED_ARTICLE_MIN_SHARE)
    return _could_hold_more(content, sections)


def _could_hold_more(
    content: Content, sections: list[Section], share: float = TRAFILATURA_MIN_SHARE
) -> bool:
    """Whether the page has words enough for another candidate to find clearly more than
    ours (what it finds is part of the page): a page we read nearly whole is not asked
    twice, which spares huge pages a second extraction."""
    if content.cleaned is None or not sections:
        return True
    page = word_count(content.cleaned.text_content())
    return page > share * _words(sections) + MIN_EXTRA_WORDS


def _words(sections: list[Section]) -> int:
    return sum(word_count(b.text) for s in sections for b in s.blocks)


def _trafilatura_sections(
    source: str | HtmlElement,
    url: str,
    title: str,
    questions: list[str],
    within: HtmlElement | None = None,
) -> tuple[list[Section], int]:
    """The main text as trafilatura finds it (headings, lists and tables kept), as
    sections, with its count of words (see `text_words`); nothing when it finds no
    prose. It reads `source`, our cleaned page, so both candidates start without the
    furniture our rules found; or the page as served, and then keeps only the blocks
    whose text is still `within` our cleaned page."""
    import trafilatura  # lazy: only HTML pages need it

    try:
        html = trafilatura.extract(
            source,
            url=url or None,
            output_format="html",
            include_tables=True,
            include_links=True,
            include_formatting=True,
            include_comments=False,  # readers' comments are not the page's text
        )
    except Exception:  # a library failure on odd markup leaves our own candidate
        return [], 0
    if not html:
        return [], 0
    root = parse_html(html).find("body")
    if root is None:
        return [], 0
    drop_data(root)  # a script's JSON state that trafilatura took for text
    if within is not None:
        keep_within(root, within)
    drop_credits(root)  # as from ours: else its appeals would make it look the fuller
    if not has_prose(root):
        return [], 0
    drop_title_repeat(root, title)
    sections = build_sections(root, title, questions=questions)
    return sections, text_words(root)
