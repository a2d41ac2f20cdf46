"""A long list of items, each in its own box, is read whole.

Listicles ("Seven plants for a dark corner", "The best laptops under $1,000") put each item
in a box of its own: a heading, a picture, a paragraph or two. readability picks one block
and cleans what it holds, so a box whose class says "widget" (a CMS editor's grid) or
that holds a picture and a paragraph went, and with it most of the list. WCXB dev's
article pages lost most of their words so (chicagobotanic.org, reviewed.com)."""

from __future__ import annotations

import re

from helpers.pages import page_text

INTRO = (
    "<p>As the year begins our rooms can seem dark, especially on overcast days, and the "
    "light through the windows is weaker than in summer. That is no problem for several "
    "plants that brighten a drab corner with striking leaves.</p>"
    "<p>Some of them are old favourites your grandmother grew, and they are in fashion once "
    "again. Here are the workhorses for rooms with little light, one by one.</p>"
)

PLANTS = ("Snake plant", "ZZ plant", "Spider plant", "Cast-iron plant")


def _widget_item(name: str) -> str:
    """One item in the boxes a CMS editor's grid makes: classes readability distrusts."""
    return (
        f'<div class="ck-widget bs_grid"><div class="ck-widget row"><div class="col-lg">'
        f"<h3>{name}</h3><p>The {name} grows well in a room with little light, and it asks "
        f"for water only when its soil is dry, about every three weeks in winter.</p>"
        f"</div></div></div>"
    )


def test_items_in_widget_boxes_are_all_read() -> None:
    items = "".join(_widget_item(name) for name in PLANTS)
    html = f"<html><body><article><h1>Dark corners</h1>{INTRO}{items}</article></body></html>"
    text = page_text(html, "https://garden.example.org/dark-corners")
    for name in PLANTS:
        assert f"The {name} grows well in a room with little light" in text


def test_a_comment_thread_readability_dropped_stays_dropped() -> None:
    """Readers' comments are not the article, even when they hold more of the page."""
    items = "".join(_widget_item(name) for name in PLANTS)
    said = (
        "I grew one of these in my bathroom for years and it never once complained about "
        "the dark, which surprised everyone who came to visit us"
    )
    comments = "".join(
        f'<li><article class="comment"><p>Reader {n} says: {said}.</p></article></li>'
        for n in range(3)
    )
    html = (
        f"<html><body><article><h1>Plants for dark corners</h1>{INTRO}{items}"
        f'<div class="comments-wrapper"><ol>{comments}</ol></div></article></body></html>'
    )
    text = page_text(html, "https://garden.example.org/dark-corners")
    assert "The Snake plant grows well" in text
    assert "never once complained" not in text


def test_a_dropped_list_of_links_stays_dropped() -> None:
    items = "".join(_widget_item(name) for name in PLANTS)
    links = "".join(
        f'<li><a href="/p/{n}">Our guide to growing plant number {n} indoors.</a></li>'
        for n in range(6)
    )
    more = f'<div class="ck-widget more"><ul>{links}</ul></div>'
    html = (
        f"<html><body><article><h1>Plants for dark corners</h1>{INTRO}{items}{more}"
        "</article></body></html>"
    )
    text = page_text(html, "https://garden.example.org/dark-corners")
    assert "The Snake plant grows well" in text
    assert "plant number 3" not in text


ROOMS = ("Kitchen", "Bathroom", "Laundry room")


def _prose_part(room: str) -> str:
    return (
        f'<section class="post-section"><div class="container"><h3>{room}</h3>'
        f"<p>The {room} is where most households make the most waste, so it is the best "
        "place to start. Look at what you throw away in a week, write it down, and pick the "
        "two things you could most easily buy without packaging, or not buy at all.</p>"
        "<p>Small changes add up over a year, and a family that changes its habits in one "
        "room soon finds the same habits easy to carry into the others. Start with what you "
        "buy most often, because every week it comes back, and every week its packaging "
        "goes into the bin, whether the bin is full or not.</p>"
        "<p>Do not throw away what you already own to buy its greener twin: use it up, "
        "mend it when it breaks, and replace it only when it is worn out. The greenest "
        "thing is nearly always the one you have, and the money stays in your pocket.</p>"
        "</div></section>"
    )


def _columns_part(room: str) -> str:
    """Tips in columns, one short paragraph each: readability scores them low."""
    tips = "".join(
        f'<div class="col-6"><div class="post-col"><h4>{room} tip {n}</h4>'
        f"<div><p>Swap item {n} in the {room.lower()} for one you can refill.</p></div>"
        "</div></div>"
        for n in range(1, 5)
    )
    columns = f'<div class="post-columns"><div class="row">{tips}</div></div>'
    return f'<section class="post-section">{columns}</section>'


def test_a_guide_read_in_pieces_is_read_whole() -> None:
    """readability keeps the prose sections and drops the columns of tips between them."""
    parts = "".join(_prose_part(room) + _columns_part(room) for room in ROOMS)
    html = (
        '<html><head><meta property="og:type" content="article"></head>'
        "<body><article><h1>Zero waste: a beginner's guide</h1>"
        f'<div class="article-body">{parts}</div></article></body></html>'
    )
    text = page_text(html, "https://home.example.org/zero-waste")
    for room in ROOMS:
        assert f"The {room} is where most households" in text
        assert f"Swap item 3 in the {room.lower()} for one you can refill." in text


def test_a_story_in_one_piece_keeps_its_teasers_out() -> None:
    """A story readability took whole: the rest of its <article> is not more of it."""
    story = "".join(_prose_part(room) for room in ROOMS)  # one block of paragraphs:
    story = re.sub(r"</?(?:section|div)[^>]*>", "", story)
    teasers = "".join(
        f'<div class="teaser"><h4>Guide {n}</h4><p>Another guide from our writers about '
        f"saving water in the garden this summer (part {n}).</p></div>"
        for n in range(1, 10)
    )
    html = (
        '<html><head><meta property="og:type" content="article"></head>'
        "<body><article><h1>Zero waste: a beginner's guide</h1>"
        f'<div class="article-body">{story}</div><div class="more">{teasers}</div>'
        "</article></body></html>"
    )
    text = page_text(html, "https://home.example.org/zero-waste")
    assert "The Kitchen is where most households" in text
    assert "saving water in the garden" not in text


def test_an_appeal_readability_dropped_stays_dropped() -> None:
    """A box asking for money ("custom-cta-letter") in a neutral wrapper is no item."""
    items = "".join(_widget_item(name) for name in PLANTS)
    appeal = (
        '<div class="zone zone-after"><div class="zone-widget custom-cta-letter">'
        "<h5>A word to our loyal readers</h5><p>We do this work every day at no cost to you, "
        "but it is far from free to produce, and we cannot afford to slow down now.</p>"
        "</div></div>"
    )
    html = (
        f"<html><body><article><h1>Plants for dark corners</h1>{INTRO}{items}{appeal}"
        "</article></body></html>"
    )
    text = page_text(html, "https://garden.example.org/dark-corners")
    assert "The Snake plant grows well" in text
    assert "far from free to produce" not in text
