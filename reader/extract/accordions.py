"""Accordion and FAQ toggles kept as text, the panels they control opened; tab panels too."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.extract.html_rules import BOLD_STYLE, is_hidden, unhide
from reader.extract.names import (
    BOILERPLATE_ROLES,
    DROPPED_TAGS,
    FAQ_TYPE,
    is_faq,
    named_boilerplate,
)
from reader.extract.prose import has_prose
from reader.extract.tree import PANEL, link_heavy, with_attributes
from reader.text import normalise_space

# Disclosure widgets whose toggle is article text: an FAQ question or an accordion title.
_ACCORDION_NAME = re.compile(
    r"accordion|faq|question|answer|(?:^|[^a-z])q-?(?:and-?)?a(?:$|[^a-z])"
)
# A collapsed panel's own name: an accordion's or FAQ's, or a collapsible block's.
_PANEL_NAME = re.compile(f"{_ACCORDION_NAME.pattern}|collaps|expand")
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
_PANEL_WIDGETS = ".//input|.//textarea|.//form|.//nav"
# A <select> alone may be a code sample's language or version picker in a panel of text.
_PANEL_PICKER = ".//select"


# What the passes here look at: buttons and elements with one of these attributes.
CANDIDATES = f"descendant-or-self::button | {with_attributes('id|aria-expanded|role|hidden')}"


def open_accordions(found: list[HtmlElement], body_chars: int) -> None:
    """Keep accordion and FAQ toggles as text and open the panels they control; `found` is
    what CANDIDATES finds in the page.

    <button> is dropped as furniture, but in an accordion or FAQ the button's text is the
    question (or the title) of the panel under it; collapsed panels are hidden until a
    sighted reader clicks, and a listener must hear them too.
    """
    ids: dict[str, HtmlElement | None] = {}
    for node in found:
        if name := node.get("id"):
            ids[name] = None if name in ids else node  # None: more than one element has it
    for toggle in [node for node in found if _toggle(node)]:
        if toggle.getparent() is not None:
            _open_toggle(toggle, ids, body_chars)


def open_named_panel(node: HtmlElement, body_chars: int) -> bool:
    """Open a hidden block named as a collapsed panel ("faq__answer", "accordion-content",
    "chakra-collapse", "a-expander-content") that holds article text; True when opened.

    Its toggle may be a plain <div> with a click handler, which `open_accordions` cannot
    tell from any other block, but the panel's own name says what it is."""
    names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    if not _PANEL_NAME.search(names) or not _panel_text(node, body_chars):
        return False
    unhide(node)
    node.set(PANEL, "")
    return True


def _toggle(node: HtmlElement) -> bool:
    """A disclosure control: a button, an element saying whether it is expanded, or one
    acting as a button (role="button") for the panel it names (aria-controls)."""
    if node.tag == "button" or node.get("aria-expanded"):
        return True
    return node.get("role") == "button" and bool(node.get("aria-controls"))


def open_tab_panels(found: list[HtmlElement], body_chars: int) -> None:
    """Open the hidden panels of tabs (role="tabpanel") among `found` (see CANDIDATES)
    that hold article text.

    A tabbed block shows one panel at a time (a code sample per language, a product's
    description and its specifications); the others are hidden until a sighted reader
    picks their tab, and they are as much the page's text as the one shown.
    """
    for panel in found:
        if panel.get("role") == "tabpanel" and is_hidden(panel) and _panel_text(panel, body_chars):
            unhide(panel)
            panel.set(PANEL, "")


def _open_toggle(toggle: HtmlElement, ids: dict[str, HtmlElement | None], body_chars: int) -> None:
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
    if heading is None and panel is None and not (named and (asks or is_faq(toggle))):
        return  # a control of the page (menu, search, share), not part of a text
    if named_boilerplate(toggle, body_chars):
        return
    if panel is not None:
        unhide(panel)
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
        if not asks and not is_faq(toggle):
            toggle.set("style", BOLD_STYLE)
        marked = toggle
    if asks and panel is not None and not is_faq(marked) and not is_faq(panel):
        # An accordion of questions is an FAQ: say so for the sections builder.
        _add_class(marked, "question")
        _add_class(panel, "answer")


def _accordion_named(node: HtmlElement) -> bool:
    for depth, element in enumerate([node, *node.iterancestors()]):
        if depth > TOGGLE_NAME_DEPTH:
            return False
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if _ACCORDION_NAME.search(names) or FAQ_TYPE.search(element.get("itemtype") or ""):
            return True
    return False


def _toggle_panel(
    toggle: HtmlElement, heading: HtmlElement | None, ids: dict[str, HtmlElement | None]
) -> HtmlElement | None:
    """The element a toggle opens: its aria-controls target, else the next sibling."""
    for ref in (toggle.get("aria-controls") or "").split():
        if ref in ids:
            panel = ids[ref]
            return panel if panel is not None else _next_with_id(toggle, ref)
    return (heading if heading is not None else toggle).getnext()


def _next_with_id(toggle: HtmlElement, ref: str) -> HtmlElement | None:
    """The panel named `ref` beside the toggle or one of its near wrappers, for an id that
    a template gave every accordion of the page (each toggle names "item_0_content")."""
    for depth, element in enumerate([toggle, *toggle.iterancestors()]):
        if depth > TOGGLE_NAME_DEPTH:
            return None
        following = element.getnext()
        if following is not None and following.get("id") == ref:
            return following
    return None


def _panel_text(panel: HtmlElement, body_chars: int) -> bool:
    """A panel of article text: words, few links, no form or menu, not named boilerplate."""
    if panel.tag in DROPPED_TAGS or panel.xpath(_PANEL_WIDGETS):
        return False
    if panel.xpath(_PANEL_PICKER) and not has_prose(panel):
        return False  # a filter or a menu of choices, not a text with a picker in it
    role = (panel.get("role") or "").lower()
    if role in BOILERPLATE_ROLES or named_boilerplate(panel, body_chars):
        return False
    return bool(normalise_space(panel.text_content())) and not link_heavy(panel)


def _add_class(node: HtmlElement, word: str) -> None:
    node.set("class", f"{node.get('class') or ''} {word}".strip())
