"""Furniture told by its text: short blocks such as "Share this", "3 comments", "Related:"."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.text import normalise_space, settled

_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d\d-\d\d"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*,? \d{4})"
)
# Short texts that give a block away as furniture, matched against the whole block text.
TELLTALE_TEXT = re.compile(
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


# "Related: <a>Another story</a>", "Read more: <a>...</a>": links to other articles.
LINK_LEAD = re.compile(
    r"^(?:related|read more|read also|also read|see more|see also|more|also|also on [\w.]+|watch"
    r"|listen|recommended|more on this|more from [\w .]+|continue reading|don't miss|must read"
    r"|trending|popular|latest|top stories|further reading|related (?:articles?|stories|links))"
    r"\b[^.:!?]{0,30}[:»›|]",
    re.I,
)


# "DON'T MISS <a>…</a> [NEWS] <a>…</a>": a paragraph of links under a call to read on.
LIST_LEAD = re.compile(
    r"^(?:don['’]t miss|must read|read more|read also|also read|related(?: articles| stories"
    r"| posts| links| content)?|see also|more on this|recommended(?: for you)?|trending"
    r"|most popular|most read|top stories|further reading)\b",
    re.I,
)
# Either lead, in one pass over a paragraph's text (see `drop_telltales`).
ANY_LEAD = re.compile(f"(?:{LINK_LEAD.pattern})|(?:{LIST_LEAD.pattern})", re.I)


def drop_telltales(root: HtmlElement) -> set[HtmlElement]:
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
        text = raw if settled(raw) else normalise_space(raw)
        if _telltale(node, raw, text):
            node.drop_tree()
        elif node.tag == "p" and ANY_LEAD.match(text):
            suspects.add(node)
    return suspects


def _telltale(node: HtmlElement, raw: str, text: str | None = None) -> bool:
    """The node's text (`raw`, its text_content; `text`, the same normalised when known)
    is a furniture line such as "Share this"."""
    if len(node) > TELLTALE_MAX_CHILDREN:  # furniture lines are small; skip big containers
        return False
    if len(raw) > TELLTALE_MAX_CHARS * 2:
        return False
    text = normalise_space(raw) if text is None else text
    return len(text) <= TELLTALE_MAX_CHARS and bool(TELLTALE_TEXT.match(text))
