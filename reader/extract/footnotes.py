"""Footnotes: markers out of sentences, the notes gathered in a last section."""

from __future__ import annotations

import copy
import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.cues import cue_words
from reader.extract.tree import HEADINGS
from reader.text import normalise_space

# Footnote markers: "1", "[12]", "a", "*", "†" as the whole text of a link to a note.
_NOTE_MARK = re.compile(r"^\[?(?:\d{1,4}|[a-z]|[*†‡§]{1,3})\]?$", re.I)
_NOTE_NAME = re.compile(r"foot|note|fn|cite|ref", re.I)
_NOTES_HEADING = re.compile(r"\b(?:notes?|references?|citations?|sources?|footnotes?)\b", re.I)
NOTE_MAX_CHARS = 2000


def gather_footnotes(doc: HtmlElement, language: str = "en") -> HtmlElement | None:
    """Take footnote markers out of sentences and the notes out of the page, returned
    as a last "Footnotes" section (named after the page's own notes heading if it has
    one, else in the page's `language`: "Notes" in French), so a listener hears "B cells."
    and then, at the end, what note 1 says."""
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
    return _notes_section(notes, order, language) if notes else None


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


def _notes_section(notes: list[HtmlElement], order: dict, language: str) -> HtmlElement:
    title = _notes_title(notes[0], order) or cue_words(language).words["footnotes"]
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
    """The text of the last heading before the first note, when it names notes ("" if none)."""
    heading = None
    for node in order:
        if node is first:
            break
        if isinstance(node.tag, str) and node.tag in HEADINGS:
            heading = node
    text = normalise_space(heading.text_content()) if heading is not None else ""
    if text and len(text) < 40 and _NOTES_HEADING.search(text):
        heading.drop_tree()
        return text
    return ""
