"""Is it an article: prose outside links and headings, words rather than binary junk."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from lxml import etree
from lxml.html import HtmlElement

from reader.extract.telltales import is_telltale_text
from reader.extract.tree import BLOCK_TAGS, CARD_LINK_WORDS, text_of
from reader.text import normalise_space

NO_ARTICLE = "No article found on this page."
_WORD = re.compile(r"\w+")

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
            _FOOTER_LINE.search(line) or is_telltale_text(line)
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
    """Words of every distinct line, links included, but not of footer or telltale lines:
    what candidates are weighed by, so a page's footer never tips the balance, and a page
    that serves its article three times (desktop, tablet and phone layouts) does not make a
    candidate holding all three copies look three times fuller than the article."""
    lines = {line for line in text_of(root).split("\n") if not _furniture_line(line)}
    return sum(word_count(line) for line in lines)


def word_count(text: str) -> int:
    """How candidates are weighed: runs of letters, digits and underscores."""
    return len(_WORD.findall(text))


def _furniture_line(line: str) -> bool:
    return len(line) <= FOOTER_LINE_MAX_CHARS and bool(
        _FOOTER_LINE.search(line) or is_telltale_text(line)
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
            if tag in _NOT_PROSE_TAGS and not _card_link(node):
                skipping += 1
            if tag and not skipping and node.text:
                parts.append(node.text)
            continue
        if tag in _NOT_PROSE_TAGS and not _card_link(node):
            skipping -= 1
        if node is not root and not skipping and node.tail:
            parts.append(node.tail)
    yield from _lines(parts)


def _card_link(node: HtmlElement) -> bool:
    """A link wrapping a whole card (a title and its teaser): its text is the page's own,
    as on a listing whose every item is one link."""
    return node.tag == "a" and len(node) > 0 and len(node.text_content().split()) >= CARD_LINK_WORDS


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
