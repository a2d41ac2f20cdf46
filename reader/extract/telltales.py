"""Furniture told by its text: short blocks such as "Share this", "3 comments", "Related:"."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from reader.text import normalise_space, settled

DATE = (  # a date written out: 3/11/2026, 2026-11-03, Nov 3, 2026, 3rd November 2026 (lowercase)
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d\d-\d\d"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*,? \d{4})"
)


class _Caseless:
    """A case-insensitive pattern matched at the start of a text, fast for ASCII text.

    re skips an alternative by its first letter only when the pattern is case-sensitive,
    so these patterns of dozens of alternatives cost microseconds a text with re.I, on
    every paragraph of a page. ASCII text is lowered and matched against a case-sensitive
    copy instead (for ASCII the two agree letter for letter); other text as it is.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        if re.search(r"[A-Z]", re.sub(r"\\.|\[A-Z\]|\(\?P<\w+>", "", pattern)):
            raise ValueError("a capital letter would never match lowered text")
        self.pattern, self.flags = pattern, flags
        self.lowered = re.compile(pattern.replace("[A-Z]", "[a-z]"), flags)

    @functools.cached_property
    def caseless(self) -> re.Pattern[str]:
        """Compiled when a text that is not ASCII first comes (many pages never bring one):
        these patterns take tens of milliseconds to compile, on every start of the reader."""
        return re.compile(self.pattern, self.flags | re.IGNORECASE)

    def match(self, text: str) -> bool:
        if text.isascii():
            return self.lowered.match(text.lower()) is not None
        return self.caseless.match(text) is not None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if text.isascii():
            return self.lowered.finditer(text.lower())  # same offsets: lower() keeps ASCII
        return self.caseless.finditer(text)


# Short texts that give a block away as furniture, matched against the whole block text.
_TELLTALE_TEXT = (
    r"(?:"
    r"was this (?:article|page|answer|information|post)? ?(?:helpful|useful)\??.*"
    r"|did you find this (?:article|page) (?:helpful|useful)\??.*"
    r"|no comments(?: made)?(?: yet)?.*"
    r"|be the first to (?:comment|submit a comment|review).*"
    r"|leave a (?:comment|reply|review).*|post a (?:comment|reply|review).*"
    r"|add a (?:comment|reply|review).*|write a (?:comment|reply|review).*"
    r"|\d+ comments?"
    r"|comments?(?: \(\d+\))?"
    r"|already registered\??.*"
    r"|log ?in(?: here| now| to comment)?\.?|sign ?in(?: here| now| to comment)?\.?"
    r"|register(?: here| now| to comment)?\.?|sign up(?: here| now| to comment)?\.?"
    r"|captcha(?: image)?.*"
    r"|advertisement|sponsored(?: content)?|ad|ads|promoted"
    r"|share(?: this| on| via)?(?: article| post| page| story)?:?"
    r"|sign up(?: to| for)? (?:our|the) (?:free )?(?:newsletter|mailing list).*"
    r"|subscribe(?: to| for)? (?:our|the) (?:free )?(?:newsletter|mailing list).*"
    r"|tweet|print|email|facebook|twitter|pinterest|linkedin|whatsapp"
    r"|hits: ?\d+|views: ?\d+|\d+ (?:hits|views)"
    r"|this (?:web)?site uses? cookies.*|we uses? cookies.*"
    r"|accept(?: all)? cookies|reject(?: all)? cookies"
    r"|related (?:articles|posts|stories|content|reading|links)"
    r"|you may also like.*|you might also like.*|read (?:more|next)|more from .{0,40}"
    r"|written by .{0,60}|posted by .{0,60}|by [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}"
    r"|(?:photo(?:graph)?|image|picture|credit|source|foto)s?(?: credit)?(?::| by) .{0,80}"
    r"|\((?:image|photo)(?: credit)?: .{0,80}\)|image \d+ of \d+|© ?.{0,60}"
    r"|(?:updated|published|posted|last updated|original)(?: on| at)?:? " + DATE + r".{0,60}"
    r"|follow (?:us|[\w ]{1,30}) on (?:twitter|facebook|instagram|youtube|linkedin|tiktok).{0,80}"
    r"|like this (?:story|article|post)\?.{0,60}"
    r"|media playback is (?:unsupported|not supported) on your device.{0,20}"
    r"|video playback is (?:unsupported|not supported) on your device.{0,20}"
    r"|this (?:slideshow|video|content|feature|page) requires javascript.{0,40}"
    r"|please enable javascript.{0,80}|enable javascript.{0,80}"
    r"|(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,? )?"
    + DATE
    + r"(?:,? (?:at )?\d{1,2}[:.]\d\d.{0,12})?"
    r")"
)
_TELLTALE = _Caseless(f"^{_TELLTALE_TEXT}$")
# Newsletter boxes, anywhere in a short text: only asked when the word is there (these
# alternatives try every position of the text).
_NEWSLETTER = _Caseless(
    r"^(?:.{0,80}\b(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b.{0,80}"
    r"|.{0,40}\bnewsletters?\b.{0,80}\b(?:sign up|subscribe|inbox)\b.{0,80})$"
)


def is_telltale_text(text: str) -> bool:
    """`text` (a whole block's, spaces normalised) is a furniture line: "Share this",
    "3 comments", "Photo: Getty Images", a date alone."""
    if _TELLTALE.match(text):
        return True
    return "newsletter" in text.casefold() and _NEWSLETTER.match(text)


# Only short blocks are judged by their text; real paragraphs can mention cookies.
TELLTALE_MAX_CHARS = 160
TELLTALE_MAX_CHILDREN = 8
TELLTALE_TAGS = tuple(
    "p div span li section h2 h3 h4 h5 h6 figcaption small time address cite header".split()
)


# "Related: <a>Another story</a>", "Read more: <a>...</a>": links to other articles.
_LINK_LEAD_WORDS = (
    r"(?:related|read more|read also|also read|see more|see also|more|also|also on [\w.]+|watch"
    r"|listen|recommended|more on this|more from [\w .]+|continue reading|don't miss|must read"
    r"|trending|popular|latest|top stories|further reading|related (?:articles?|stories|links))"
)
_LINK_LEAD_END = r"\b[^.:!?\n]{0,30}[:»›|]"  # (no line break: see `_short_verdicts`)
_LINK_LEAD = _LINK_LEAD_WORDS + _LINK_LEAD_END
LINK_LEAD = re.compile(f"^{_LINK_LEAD}", re.I)


# "DON'T MISS <a>…</a> [NEWS] <a>…</a>": a paragraph of links under a call to read on.
_LIST_LEAD_WORDS = (
    r"(?:don['’]t miss|must read|read more|read also|also read|related(?: articles| stories"
    r"| posts| links| content)?|see also|more on this|recommended(?: for you)?|trending"
    r"|most popular|most read|top stories|further reading)"
)
_LIST_LEAD = _LIST_LEAD_WORDS + r"\b"
LIST_LEAD = re.compile(f"^{_LIST_LEAD}", re.I)
# Either lead, in one pass over a paragraph's text (see `drop_telltales`).
_ANY_LEAD = _Caseless(f"^(?:{_LINK_LEAD}|{_LIST_LEAD})")


def _alternatives(group: str) -> list[str]:
    """The top-level alternatives of a pattern "(?:a|b|...)" (whole, nothing after it)."""
    assert group.startswith("(?:") and group.endswith(")")
    parts, depth, start, index, in_class = [], 0, 3, 3, False
    while index < len(group) - 1:
        char = group[index]
        if char == "\\":
            index += 1  # an escaped character is never structure
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            parts.append(group[start:index])
            start = index + 1
        index += 1
    return [*parts, group[start:-1]]


def _by_first_letter(group: str) -> str:
    """`group` with its alternatives that start with a plain letter gathered under it
    ("a(?:dvertisement|ds?|ccept...)|b(?:e the first...|y ...)|..."), the others after.

    It matches what `group` matches (at a place, whether any alternative does; which one, and
    so how far a match reaches, may differ). re tries alternatives one by one: with dozens on
    each of a huge page's 500 000 lines, most of the joined pass went into ruling them out."""
    letters: dict[str, list[str]] = {}
    others: list[str] = []
    for part in _alternatives(group):
        if part[:1].isalpha() and part[1:2] not in ("?", "*", "+", "{"):
            letters.setdefault(part[0], []).append(part[1:])
        else:
            others.append(part)
    led = [f"{letter}(?:{'|'.join(rests)})" for letter, rests in letters.items()]
    return f"(?:{'|'.join([*led, *others])})"


# The short childless blocks of a page are asked both at once, a line each (after a line
# break, which re finds fast), furniture first.
_FURNITURE_OR_LEAD = _Caseless(
    f"\\n(?:(?P<furniture>{_by_first_letter(_TELLTALE_TEXT)}(?=\\n))"
    f"|(?P<lead>{_by_first_letter(_LINK_LEAD_WORDS)}{_LINK_LEAD_END}"
    f"|{_by_first_letter(_LIST_LEAD_WORDS)}\\b))"
)
_NEWSLETTER_WORD = _Caseless("newsletter")


def drop_telltales(root: HtmlElement) -> list[HtmlElement]:
    """Drop short blocks whose text gives them away as furniture (`_telltale`); return, in
    document order, the <p> the later passes must judge: those with children, and the bare
    ones (text alone) whose text opens like a teaser or a list of links.

    A bare <p> keeps its text until the end of `clean_article` (nothing is inside it to
    drop, and no pass adds children), so the later passes need not work out the text of
    the others again: most of a page, 500 000 of them on a huge one. No pass of
    `clean_article` adds a <p> or a child to one, so every <p> was judged here."""
    suspects: list[tuple[int, HtmlElement]] = []
    short: list[tuple[HtmlElement, str, int]] = []  # (node, text, place in document order)
    # `drop_tree` cannot drop a node without a parent. Of the nodes below, only `root` can be
    # one: a node dropped in this loop was seen before it, and what it held keeps its parent.
    # (`getparent` makes a proxy of the parent each time: 0.65 s over a huge page's nodes.)
    orphan = root if root.getparent() is None else None
    for place, node in enumerate(list(root.iter(*TELLTALE_TAGS))):
        if node is orphan:
            continue
        if len(node):
            if _telltale(node):
                node.drop_tree()
            elif node.tag == "p":  # its children may go (<source>), leaving it bare
                suspects.append((place, node))
            continue
        raw = node.text or ""
        text = raw if settled(raw) else normalise_space(raw)
        if len(raw) <= TELLTALE_MAX_CHARS * 2 and len(text) <= TELLTALE_MAX_CHARS:
            short.append((node, text, place))  # judged below, all together
        elif node.tag == "p" and _ANY_LEAD.match(text):
            suspects.append((place, node))
    for index, verdict in _short_verdicts([text for _, text, _ in short]).items():
        node, _, place = short[index]
        if verdict == "furniture":  # (a drop cannot change what another block is judged by)
            node.drop_tree()
        elif node.tag == "p":
            suspects.append((place, node))
    return [node for _, node in sorted(suspects, key=_first)]


def _first(pair: tuple[int, HtmlElement]) -> int:
    return pair[0]


def _short_verdicts(texts: list[str]) -> dict[int, str]:
    """By index, the `texts` (short, spaces normalised) that are furniture, as `_telltale`
    would say, or else open like a lead (`_ANY_LEAD`): "furniture" or "lead".

    Most of a page's blocks are short and childless: 500 000 regex calls from Python cost
    more than the rest of the cleaning. Joined a line each, they take one pass of the same
    patterns (each line's after a line break, none crossing one)."""
    if not texts:
        return {}
    page = "\n" + "\n".join(texts) + "\n"
    verdicts: dict[int, str] = {}
    for found, index in _lines_of(page, _FURNITURE_OR_LEAD.finditer(page)):
        verdicts[index] = found.lastgroup or ""
    for _, index in _lines_of(page, _NEWSLETTER_WORD.finditer(page)):
        if verdicts.get(index) != "furniture" and _NEWSLETTER.match(texts[index]):
            verdicts[index] = "furniture"
    return verdicts


def _lines_of(page: str, matches: Iterator[re.Match[str]]) -> Iterator[tuple[re.Match[str], int]]:
    """Each match (in order) with the index of the text it ends in: `page` is the texts
    joined by line breaks, with one before the first and one after the last."""
    breaks = position = 0
    for found in matches:
        breaks += page.count("\n", position, found.end())
        position = found.end()
        yield found, breaks - 1


def _telltale(node: HtmlElement) -> bool:
    """A small block (children and all) whose text is a furniture line such as "Share this"."""
    if len(node) > TELLTALE_MAX_CHILDREN:  # furniture lines are small; skip big containers
        return False  # (before their text: a wrapper's is the whole article's, megabytes)
    raw = node.text_content()
    if len(raw) > TELLTALE_MAX_CHARS * 2:
        return False
    text = normalise_space(raw)
    return len(text) <= TELLTALE_MAX_CHARS and is_telltale_text(text)


# ---------------------------------------------------------------- credits and appeals
# (read by `credits`: the lines a publication adds about its pictures and about itself)

# Picture agencies and the words of a credit: a caption's "(AP Photo/Alan Diaz, File)".
_AGENCY = (
    r"(?:getty images|getty|reuters|ap|afp|epa|associated press|bloomberg|shutterstock"
    r"|istock(?:photo)?|alamy|nasa|file photo|file)"
)
# A credit at the end of a caption: "(AP Photo/Gene J. Puskar)", "(Credit: Getty Images)",
# "(Photo by Kevin Mazur/Getty Images for X)", ". REUTERS/Brendan McDermid/File Photo",
# "(NASA/JPL-Caltech/ASU)", ". Photograph by Richard Hayden.",
# ". Photo: Damian Dovarganes, AP / Copyright 2019 The Associated Press."
CREDIT_TAIL = re.compile(
    r"\s*(?:\((?-i:(?:[A-Z][\w.-]*/){2,}[A-Z][\w.-]*)\)"
    r"|[(\[](?:(?:ap|afp|epa|reuters)(?: photo| video|/)[^()\[\]]{0,80}"
    r"|(?:photo|image|picture|credit|source|foto)s?(?: credit)?(?::| by)[^()\[\]]{0,100})[)\]]"
    r"|(?<=[.!?”\"])\s*(?:reuters|afp|epa|ap)/[\w .,'’/-]{1,60}"
    r"|(?<=[.!?”\"])\s*(?:photo(?:graph)?|image|picture)s? (?:by|courtesy of) [^.]{1,100}\.?"
    r"|(?<=[.!?”\"])\s*(?:photo|image|picture|credit)s?(?: credit)?: [^.]{1,80}"
    r"(?:\. (?:copyright|all rights reserved)[^.]{0,80})*\.?)\s*$",
    re.I,
)
# A caption's credit alone: "Natalie Naccache | Bloomberg | Getty Images",
# "Sakib Ali/Hindustan Times/Getty Images": names parted by slashes or bars, an agency last.
CREDIT_LINE = re.compile(
    r"^(?:[\w.'’ -]{2,40}\s*[/|]\s*){1,4}" + _AGENCY + r"(?:\s*[/|]\s*file photo)?$", re.I
)
# "FILE PHOTO: Traders work on the floor…": the agency's label before its caption.
CREDIT_LEAD = re.compile(r"^FILE PHOTO:\s*")

# A publication speaking of itself in a short block: its magazine, its newsletter, its
# members' scheme, where to follow it; never the story. Matched anywhere in the block.
APPEAL = re.compile(
    r"\b(?:subscribe|subscriber|subscription|sign up|join)\b.{0,120}"
    r"\b(?:magazine|newsletters?|inbox|members|membership|sister (?:title|publication))\b"
    r"|\bdelivered (?:through|to|right to|straight to) your (?:letterbox|inbox|door|phone)\b"
    r"|^follow [\w ]{1,40} on (?:instagram|facebook|twitter|youtube|tiktok|linkedin)\b"
    r"|\bfollow (?:him|her|them|us|me) (?:on (?:twitter|facebook|instagram)|@\w)"
    r"|\bbecome a (?:paid )?(?:subscriber|member)\b|\bto unlock this (?:piece|article|story|post)\b"
    r"|\bmeet your inbox\b|\bclick (?:here )?to subscribe\b|\btexted (?:right )?to your phone\b"
    r"|^by (?:signing up|clicking|subscribing|submitting)\b.{0,200}\b(?:agree|consent|confirm)"
    r"|^(?:email|reach|contact) (?:[\w.'’ -]{1,40} )?(?:at|on) \S+@\S+.{0,40}\bfollow\b",
    re.I,
)
APPEAL_MAX_CHARS = 300
# Who wrote, reported and edited the story, and how to reach them: the byline's matter,
# said once in the page's header if anywhere, never as the article's last words.
STAFF_LINE = re.compile(
    r"^\(?(?:additional )?(?:reporting|writing|editing|research) by\b.{0,300}$"
    r"|^.{0,200}\bcontributed (?:reporting )?to this (?:report|story|article)\.?\)?$"
    r"|^(?:have a tip\? )?.{0,60}\bmay be reached at\b.{0,160}$"
    r"|^(?:write to|email|e-mail|reach|contact) (?:[\w.'’-]+ ){1,4}(?:at|on) \S+.{0,160}$"
    r"|^follow (?:\w+['’]s|our) (?:full )?coverage of\b.{0,120}$"
    r"|^[\w.'’-]+(?: [\w.'’-]+){1,3} is an? (?:[\w-]+ )?(?:reporter|correspondent|writer"
    r"|editor|journalist|contributor)(?: (?:for|at|with|of) [^.,]{1,40})?\.?$",
    re.I,
)
# A blogging tool's widget its page never drew: "[button link=”…”] Send us your review[/button]".
SHORTCODE = re.compile(r"^\[(\w+)\b[^\]]*\].*\[/\1\]$")
