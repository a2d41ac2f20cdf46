"""A long list of items, each in its own box, is read whole.

Listicles ("Seven plants for a dark corner", "The best laptops under $1,000") put each item
in a box of its own: a heading, a picture, a paragraph or two. readability picks one block
and cleans what it holds, so a box whose class says "widget" (a CMS editor's grid) or
that holds a picture and a paragraph went, and with it most of the list. WCXB dev's
article pages lost most of their words so (chicagobotanic.org, reviewed.com)."""

from __future__ import annotations

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
