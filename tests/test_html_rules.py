"""One set of HTML rules (bold, hidden, useless alt text) for the cleaning passes and the
sections builder alike: each case here is read the same way by both, through the whole
pipeline where the two meet."""

from __future__ import annotations

import lxml.html
import pytest
from helpers.examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.extract import extract
from reader.extract.html_rules import image_alt, is_bold, is_hidden, useless_alt
from reader.extract.sections import build_sections
from reader.extract.telltales import (
    _ANY_LEAD,
    _NEWSLETTER,
    _TELLTALE,
    _short_verdicts,
    is_telltale_text,
)
from reader.model import Page

PROSE = (
    "<p>Natalizumab is given as an infusion every four weeks in a hospital day unit.</p>"
    "<p>Most people feel well afterwards and go home the same afternoon.</p>"
    "<p>Your nurse checks your blood pressure before and after each infusion.</p>"
)


def element(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


def spoken_blocks(html: str) -> list[tuple[str, str]]:
    """Every block the whole pipeline (cleaning, then sections) keeps from a page."""
    text = f"<html><head><title>Infusions</title></head><body>{html}</body></html>"
    article = extract(Page(text=text, url=""))
    return [(block.kind, block.text) for section in article.sections for block in section.blocks]


def spoken(html: str) -> list[str]:
    return [text for _, text in spoken_blocks(html)]


@pytest.mark.parametrize(
    ("html", "bold"),
    [
        ("<b>Dosing</b>", True),
        ("<strong>Dosing</strong>", True),
        ("<span style='font-weight: 700'>Dosing</span>", True),
        ("<span style='color:red; font: bold 1em serif'>Dosing</span>", True),
        ("<span class='fw-bold'>Dosing</span>", True),
        ("<b style='font-weight:normal'>A whole paste from Google Docs</b>", False),
        ("<span style='font-weight:400'>Dosing</span>", False),
        ("<span class='bolder-text'>Dosing</span>", False),
    ],
)
def test_bold_is_what_a_sighted_reader_sees(html: str, bold: bool) -> None:
    assert is_bold(element(html)) is bold


def test_the_sections_builder_takes_css_bold_shorthand_and_classes_for_pseudo_headings() -> None:
    for styled in (
        "<p style='font: bold 14px Arial'>Dosing</p>",
        "<p class='font-bold'>Dosing</p>",
    ):
        root = element(f"<div><h2>Treatment</h2>{styled}<p>Every four weeks.</p></div>")
        sections = build_sections(root, "Infusions")
        assert [s.title for s in sections] == ["Treatment", "Dosing"], styled


def test_a_b_made_normal_weight_is_no_pseudo_heading_anywhere() -> None:
    root = element("<div><h2>Treatment</h2><p><b style='font-weight:normal'>Dosing</b></p></div>")
    assert [s.title for s in build_sections(root, "Infusions")] == ["Treatment"]
    blocks = spoken(f"<article>{PROSE}<p><b style='font-weight:normal'>Dosing</b></p></article>")
    assert "Dosing" in blocks  # a paragraph of its own, not a section title


@pytest.mark.parametrize(
    ("html", "hidden"),
    [
        ("<p hidden>x</p>", True),
        ("<p aria-hidden='TRUE'>x</p>", True),
        ("<p style='color:red;display: none'>x</p>", True),
        ("<p style='visibility:hidden'>x</p>", True),
        ("<p class='Note d-none'>x</p>", True),
        ("<p style='content-visibility: hidden'>x</p>", False),  # drawn late, still there
        ("<p class='visually-hidden'>x</p>", False),  # there for screen-reader users
        ("<p class='hidden-xs'>x</p>", False),  # hidden on phones only
    ],
)
def test_hidden_is_hidden_from_every_reader(html: str, hidden: bool) -> None:
    assert is_hidden(element(html)) is hidden


def test_the_sections_builder_skips_what_a_hiding_class_hides() -> None:
    root = element("<div><p>Seen.</p><p class='is-hidden'>Not seen.</p></div>")
    assert [b.text for s in build_sections(root, "T") for b in s.blocks] == ["Seen."]


def test_an_article_hidden_by_a_class_until_a_script_runs_is_still_read() -> None:
    """Anti-flicker snippets hide the page behind a class: the cleaning pass keeps the wrapper
    because it holds the article, and must unhide it for the sections builder too."""
    blocks = spoken(f"<div class='hidden'><article>{PROSE}</article></div>")
    assert blocks[0].startswith("Natalizumab is given")


@pytest.mark.parametrize(
    "alt",
    [
        "", "  ", "🙂", "logo", "Spacer", "IMG_2041.JPG", "DSC 0042", "holiday photo.jpeg",
        "Photo: Getty Images", "nurse, drip, infusion, hospital, stock",
    ],
)  # fmt: skip
def test_alt_text_that_tells_a_listener_nothing(alt: str) -> None:
    assert useless_alt(alt)
    img = element(f"<img src='/a.jpg' alt='{alt}'>")
    assert image_alt(img) is None
    figure = f"<figure>{lxml.html.tostring(img, encoding='unicode')}</figure>"
    blocks = spoken_blocks(f"<article>{PROSE}{figure}<p>After the picture.</p></article>")
    assert blocks[-1] == ("paragraph", "After the picture.")  # the page was read past it
    assert [kind for kind, _ in blocks if kind == "image"] == []


@pytest.mark.parametrize("alt", ["A nurse preparing an infusion drip", "MRI scan of the brain"])
def test_alt_text_that_describes_the_picture_is_heard_in_both_passes(alt: str) -> None:
    assert image_alt(element(f"<img src='/a.jpg' alt='{alt}'>")) == alt
    blocks = spoken_blocks(f"<article>{PROSE}<img src='/a.jpg' alt='{alt}'></article>")
    assert ("image", alt) in blocks


def test_decorative_and_hidden_images_are_never_heard() -> None:
    for img in (
        "<img src='/a.jpg' alt='A swirl between sections' role='presentation'>",
        "<img src='/a.jpg' alt='A swirl between sections' aria-hidden='true'>",
    ):
        assert image_alt(element(img)) is None
        root = element(f"<div><p>Before.</p>{img}<p>After.</p></div>")
        assert [b.text for s in build_sections(root, "T") for b in s.blocks] == [
            "Before.",
            "After.",
        ]
        assert "A swirl between sections" not in spoken(f"<article>{PROSE}{img}</article>")


# ---------------------------------------------------------------- furniture text

TELLTALE_PIECES = [
    "Share", "this", " ", "Comments", "3", "(12)", "Photo", ":", "by", "Getty", "Images",
    "Sign up", "for", "our", "newsletter", "Newsletters", "inbox", "subscribe", "Related",
    "articles", "Read more", "»", "Don't miss", "Updated", "on", "March", "3,", "2024",
    "12/03/2024", "Mon,", "©", "2024", "Was this", "helpful?", "İmage", "ſhare", "K",
    "go", "123.", "é", "Natalizumab", "is given", "every", "four weeks.",
]  # fmt: skip


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(TELLTALE_PIECES), max_size=8).map(" ".join))
def test_telltale_shortcuts_agree_with_the_case_insensitive_patterns(text: str) -> None:
    """ASCII text is lowered and matched case-sensitively, and the newsletter patterns only
    run where the word is: the answers must be those of the plain re.I patterns."""
    for variant in (text, text.upper(), text.title()):
        slow = bool(_TELLTALE.caseless.match(variant) or _NEWSLETTER.caseless.match(variant))
        assert is_telltale_text(variant) == slow, variant
        assert _ANY_LEAD.match(variant) == bool(_ANY_LEAD.caseless.match(variant)), variant


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.lists(st.sampled_from(TELLTALE_PIECES), max_size=8).map(" ".join), max_size=30))
def test_a_pages_short_blocks_are_judged_together_as_one_by_one(texts: list[str]) -> None:
    """drop_telltales joins a page's short blocks a line each and scans them once."""
    texts = [" ".join(text.split()) for text in texts]  # as the blocks' texts are
    expected = {}
    for index, text in enumerate(texts):
        if _TELLTALE.caseless.match(text) or _NEWSLETTER.caseless.match(text):
            expected[index] = "furniture"
        elif _ANY_LEAD.caseless.match(text):
            expected[index] = "lead"
    assert _short_verdicts(texts) == expected
