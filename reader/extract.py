"""From a fetched page to a sectioned Article: main content, then sections."""

from __future__ import annotations

import gc
import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from reader.content import (
    _TELLTALE_TEXT,
    BLOCK_TAGS,
    Content,
    drop_title_repeat,
    main_content,
    normalise_space,
    parse_html,
    text_of,
)
from reader.errors import NoArticleError
from reader.model import Article, Page, Section
from reader.sections import (
    _Item,
    build_sections,
    clean_text,
    is_pseudo_heading_text,
    sections_from_items,
)

NO_ARTICLE = "No article found on this page."
UNTITLED = "Untitled article"

_LD_JSON = re.compile(
    r"<script[^>]*application/ld\+json[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")


def load_article(source: str, cancel: threading.Event | None = None) -> Article:
    """Fetch `source` (URL, path, file:// or "-") and extract its article; setting `cancel`
    abandons the download (see `fetch`)."""
    from reader.fetch import fetch  # lazy: extract() alone must not need the network stack

    return extract(fetch(source, cancel=cancel))


def extract(page: Page) -> Article:
    """The article of `page`; raises NoArticleError when it holds no readable text."""
    if not page.is_html:
        return _plain_article(page)
    with _no_cycle_collection():
        return _html_article(page)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Extraction makes a million small objects on a huge page (node proxies, items,
    blocks) and no reference cycles worth collecting: the collector's full passes over
    them found nothing and cost 10 % of the time. It runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _html_article(page: Page) -> Article:
    content = main_content(page)
    proxies = content.nodes or list(content.root.iter())  # noqa: F841 - see content._main_content
    title = clean_text(content.title) or _fallback_title(content.root)
    questions = faq_questions(page.text)
    sections = build_sections(content.root, title, questions=questions)
    if not any(s.blocks for s in sections) or not has_prose(content.root):
        sections = []
    marked = bool(_ARTICLE_MARK.search(page.text))
    if _second_opinion(content, sections, marked):
        source = content.cleaned
        if source is None or not has_prose(source):
            source = page.text  # our rules left no prose (text in odd places): the page as served
        other, other_words = _trafilatura_sections(source, page.url, title, questions)
        share = MARKED_ARTICLE_MIN_SHARE if marked else TRAFILATURA_MIN_SHARE
        ours = text_words(content.root) if sections else 0
        if other and other_words > share * ours and other_words - ours >= MIN_EXTRA_WORDS:
            sections = other  # it found clearly more of the page: posts, sections, items
    if content.posts is not None and not marked:
        posts = build_sections(content.posts, title)
        if _words(posts) >= THREAD_MIN_SHARE * _words(sections):
            sections = posts  # a thread: every post, in order, titled by author and date
    if not sections:
        raise NoArticleError(NO_ARTICLE)
    if is_gibberish(block.text for section in sections for block in section.blocks):
        raise NoArticleError(NO_ARTICLE)
    return Article(
        title=title,
        language=content.language or page.language or "en",
        source=page.url,
        sections=sections,
    )


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
_WORD = re.compile(r"\w+")
_ARTICLE_MARK = re.compile(
    r"<meta[^>]+(?:property|name)=[\"']og:type[\"'][^>]*content=[\"']article[\"']"
    r"|<meta[^>]+content=[\"']article[\"'][^>]*(?:property|name)=[\"']og:type[\"']"
    r'|"@type"\s*:\s*"(?:News|Blog|Tech|Scholarly|Opinion|Analysis)?(?:Article|Posting)"',
    re.IGNORECASE,
)


def _second_opinion(content: Content, sections: list[Section], marked: bool) -> bool:
    """Whether trafilatura is worth asking: never when our candidate is the whole cleaned
    body (a huge page: there is nothing more to find, and a second extraction of megabytes
    would take longer than the first), nor when a marked article already holds enough words."""
    if content.whole:
        return False
    if marked and _words(sections) >= ARTICLE_ENOUGH_WORDS:
        return False
    return _could_hold_more(content, sections)


def _could_hold_more(content: Content, sections: list[Section]) -> bool:
    """Whether the page has words enough for another candidate to find clearly more than
    ours (what it finds is part of the page): a page we read nearly whole is not asked
    twice, which spares huge pages a second extraction."""
    if content.cleaned is None or not sections:
        return True
    page = len(_WORD.findall(content.cleaned.text_content()))
    return page > TRAFILATURA_MIN_SHARE * _words(sections) + MIN_EXTRA_WORDS


def _words(sections: list[Section]) -> int:
    return sum(len(_WORD.findall(b.text)) for s in sections for b in s.blocks)


def _trafilatura_sections(
    source: str | HtmlElement, url: str, title: str, questions: list[str]
) -> tuple[list[Section], int]:
    """The main text as trafilatura finds it (headings, lists and tables kept), as
    sections, with its count of words (see `text_words`); nothing when it finds no
    prose. It reads `source`, our cleaned page, so both candidates start without the
    furniture our rules found."""
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
    if root is None or not has_prose(root):
        return [], 0
    drop_title_repeat(root, title)
    sections = build_sections(root, title, questions=questions)
    return sections, text_words(root)


def _fallback_title(root: HtmlElement) -> str:
    """The first heading's text; a page with none still needs a name to announce."""
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = clean_text(heading.text_content())
        if text:
            return text
    return UNTITLED


def faq_questions(html: str) -> list[str]:
    """Question texts from schema.org FAQPage JSON-LD: they mark which visible lines ask.

    The script itself is gone after cleaning, so we read it from the raw page. Cheap: the
    regex only runs when the page mentions FAQPage at all.
    """
    if "FAQPage" not in html:
        return []
    found: list[str] = []
    for match in _LD_JSON.finditer(html):
        try:
            data = json.loads(match.group(1).strip())
        except (ValueError, RecursionError):  # broken or absurdly nested: not worth reading
            continue
        found.extend(_question_names(data))
    return found


def _question_names(data: object) -> Iterator[str]:
    """Names of the Question objects anywhere in `data` (iterative: any depth is fine)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "Question" in kinds and isinstance(node.get("name"), str):
                yield clean_text(node["name"])
            stack.extend(v for v in reversed(node.values()) if isinstance(v, dict | list))


# ------------------------------------------------------- is it an article ---

# Text a listener could not mistake for an article: links (menus, footers, teasers) and
# headings; what is left must hold a sentence, or at least a good amount of words.
_NOT_PROSE_TAGS = frozenset(("a", "h1", "h2", "h3", "h4", "h5", "h6"))
PROSE_MIN_LETTERS = 8
PROSE_MIN_WORDS = 3  # in one sentence, for scripts that space their words
PROSE_LINE_WORDS = 12  # a line this long is prose even without a full stop
PROSE_MIN_TOTAL_WORDS = 40  # without any sentence: a poem, a table, a list of steps
_SENTENCE_END = re.compile(r"[^\W_][)\]'\"”’»]*[.!?…。！？](?:\s|['\"”’»)\]]|$)")
_UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
# Site furniture that reads like a sentence: legal lines, cookie notices.
_FOOTER_LINE = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|\b(?:we|this (?:web)?site) uses? cookies\b"
    r"|\bcookie (?:policy|settings|preferences|notice)\b|\bprivacy (?:policy|notice|settings)\b"
    r"|\bterms (?:of (?:use|service)|and conditions)\b|^forgot(?:ten)? (?:your )?password\b",
    re.IGNORECASE,
)
FOOTER_LINE_MAX_CHARS = 200


def has_prose(root: HtmlElement) -> bool:
    """True when the article tree holds prose: a sentence outside links and headings.

    A page of menus and footers survives cleaning when that furniture is most of the page
    (nothing is removed that would remove the page), so the sections hold link labels
    ("Home", "Cookie policy") or an image's alt text. A real article, however short, has a
    sentence or a long line of its own; pages without one still count when they hold many
    words (a poem, a timetable).
    """
    words = 0
    for line in _unlinked_lines(root):
        if len(line) <= FOOTER_LINE_MAX_CHARS and (
            _FOOTER_LINE.search(line) or _TELLTALE_TEXT.match(line)
        ):
            continue
        line_words = len(re.findall(r"[^\W\d_]+", line))
        if line_words >= PROSE_LINE_WORDS or _is_sentence(line):
            return True
        words += line_words
        if words >= PROSE_MIN_TOTAL_WORDS:
            return True  # the answer cannot change: stop reading a huge page here
    return False


def text_words(root: HtmlElement) -> int:
    """Words of every line, links included, but not of footer or telltale lines: what
    candidates are weighed by, so a page's footer never tips the balance."""
    return sum(
        len(_WORD.findall(line)) for line in text_of(root).split("\n") if not _furniture_line(line)
    )


def _furniture_line(line: str) -> bool:
    return len(line) <= FOOTER_LINE_MAX_CHARS and bool(
        _FOOTER_LINE.search(line) or _TELLTALE_TEXT.match(line)
    )


def _is_sentence(line: str) -> bool:
    letters = sum(1 for c in line if c.isalpha())
    if letters < PROSE_MIN_LETTERS or not _SENTENCE_END.search(line):
        return False
    return len(line.split()) >= PROSE_MIN_WORDS or bool(_UNSPACED_SCRIPT.search(line))


def _unlinked_lines(root: HtmlElement) -> Iterator[str]:
    """The tree's text line by line (a line per block element), without link or heading
    text. Iterative, so absurdly deep trees are fine."""
    parts: list[str] = []
    skipping = 0
    for event, node in etree.iterwalk(root, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in BLOCK_TAGS:  # a line ends: hand over what came before (lazily: the
            yield from _lines(parts)  # caller stops early, and pages can be huge)
            parts = []
        if event == "start":
            if tag in _NOT_PROSE_TAGS:
                skipping += 1
            if tag and not skipping and node.text:
                parts.append(node.text)
            continue
        if tag in _NOT_PROSE_TAGS:
            skipping -= 1
        if node is not root and not skipping and node.tail:
            parts.append(node.tail)
    yield from _lines(parts)


def _lines(parts: list[str]) -> Iterator[str]:
    for line in "".join(parts).split("\n"):
        line = normalise_space(line)
        if line:
            yield line


GIBBERISH_MAX_SHARE = 0.5  # of the text in word-shaped tokens; real pages score 0.9 or more
GIBBERISH_SAMPLE_CHARS = 200_000  # of tokens judged: enough to tell, bounded on huge pages
# Most tokens of any page: a plain ASCII word or number with punctuation around it.
_PLAIN_TOKEN = re.compile(
    r"[(\[\"'“‘]*(?:[A-Z]?[a-z]+|[A-Z]+|\d+(?:[.,:/-]\d+)*)(?:['’-][a-z]+)*[.,;:!?\"'”’)\]]*"
)


def is_gibberish(texts: Iterable[str]) -> bool:
    """True when most of the text is not made of words: binary junk decoded as text.

    Junk bytes that slip past the binary check decode to a soup of accented letters,
    symbols and replacement characters with hardly a space. A whitespace-separated token
    is word-shaped when it holds only letters, digits, marks, punctuation and currency or
    maths signs, and its runs of cased letters are cased as words are (word, Word, WORD,
    iPhone, McDonald). Scripts without case or spaces (Japanese, Chinese) pass as they are.
    """
    total = shaped = 0
    for text in texts:
        for token in text.split():
            total += len(token)
            if _word_shaped(token):
                shaped += len(token)
        if total >= GIBBERISH_SAMPLE_CHARS:
            break  # a fair sample: junk is junk throughout, and huge pages must stay fast
    return total > 0 and shaped < GIBBERISH_MAX_SHARE * total


def _word_shaped(token: str) -> bool:
    if _PLAIN_TOKEN.fullmatch(token):
        return True
    run: list[bool] = []  # is-upper for each letter of the current run of cased letters
    for char in token:
        if char.isupper() or char.islower():
            run.append(char.isupper())
            continue
        if not _cased_like_words(run):
            return False
        run = []
        category = unicodedata.category(char)
        if category[0] not in "LNPM" and category not in ("Sc", "Sm"):
            return False  # symbols, the replacement character, private use, unassigned
    return _cased_like_words(run)


def _cased_like_words(run: list[bool]) -> bool:
    """At most one step from lower to upper case within a word ("iPhone", "McDonald")."""
    return sum(1 for a, b in zip(run, run[1:], strict=False) if not a and b) <= 1


# ------------------------------------------------------------ plain text ---


MAX_TITLE_CHARS = 150


def _looks_like_title(line: str, rest: list[str]) -> bool:
    """A short line with more text after it, not prose: no final full stop, no second sentence."""
    if len(line) > MAX_TITLE_CHARS or not any(r.strip() for r in rest):
        return False
    return not line.endswith(".") and not re.search(r"[.!?]\s+\S", line)


def _title_from_source(url: str) -> str:
    """'~/notes/ms_infusions.txt' -> 'ms infusions'; stdin and odd names fall back to UNTITLED."""
    stem = PurePosixPath(urlsplit(url).path or url).stem
    name = clean_text(re.sub(r"[_\-.]+", " ", stem)).strip()
    return name or UNTITLED


def _plain_article(page: Page) -> Article:
    """Plain text: paragraphs are separated by blank lines; the first line is the title."""
    text = page.text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    title = ""
    while lines and not title:  # the first non-blank line
        title = clean_text(lines.pop(0)).lstrip("# ").strip()
    if not _looks_like_title(title, lines):  # prose: keep it, name the text by its file
        lines.insert(0, title)
        title = _title_from_source(page.url)
    paragraphs = []
    for chunk in re.split(r"\n[ \t\f\v]*\n", "\n".join(lines)):
        chunk_lines = [clean_text(line) for line in chunk.split("\n")]
        if any(chunk_lines):
            paragraphs.append([line for line in chunk_lines if line])
    sections = sections_from_items(_plain_items(paragraphs), title)
    if not title or not any(s.blocks for s in sections):
        raise NoArticleError(NO_ARTICLE)
    if is_gibberish(block.text for section in sections for block in section.blocks):
        raise NoArticleError(NO_ARTICLE)
    return Article(title=title, language=page.language or "en", source=page.url, sections=sections)


def _plain_items(paragraphs: list[list[str]]) -> Iterator[_Item]:
    """Paragraph items, with "# headings" and short unpunctuated lines as headings."""
    for index, lines in enumerate(paragraphs):
        last_paragraph = index + 1 == len(paragraphs)
        head, body, tail = _split_heading_lines(lines, last_paragraph)
        if head:
            yield _heading_item(head)
        if body:
            yield _Item("block", " ".join(body), headable=True)
        if tail:
            yield _heading_item(tail)


def _heading_item(text: str) -> _Item:
    md = _MD_HEADING.match(text)
    if md:
        return _Item("heading", md.group(2), level=len(md.group(1)))
    return _Item("heading", text, level=0, pseudo=True)


def _looks_like_heading(line: str) -> bool:
    return bool(_MD_HEADING.match(line)) or is_pseudo_heading_text(line)


def _split_heading_lines(lines: list[str], last: bool) -> tuple[str, list[str], str]:
    """(heading before, body lines, heading after) of one blank-line paragraph.

    A one-line paragraph that looks like a heading is one (unless it ends the text). In a
    longer paragraph a first line is a heading only when clearly shorter than the next (a
    hard-wrapped first line is as long as the rest), and a last line only when the line
    before it ends a sentence.
    """
    if len(lines) == 1:
        alone = lines[0]
        if _MD_HEADING.match(alone) or (not last and is_pseudo_heading_text(alone)):
            return alone, [], ""
        return "", lines, ""
    head = tail = ""
    if _looks_like_heading(lines[0]) and (
        _MD_HEADING.match(lines[0]) or len(lines[0]) * 2 <= len(lines[1])
    ):
        head, lines = lines[0], lines[1:]
    if (
        len(lines) >= 2
        and not last
        and _looks_like_heading(lines[-1])
        and re.search(r"[.!?:]['\"”’)]*$", lines[-2])
    ):
        lines, tail = lines[:-1], lines[-1]
    return head, lines, tail
