"""trafilatura asked again on the page as served, when it finds little on our cleaned page:
what it finds replaces our candidate only where our boilerplate rules kept the same text."""

from __future__ import annotations

import lxml.html

from reader.extract.candidates import best_candidate
from reader.extract.cleanup import keep_within
from reader.extract.content import Content
from reader.extract.parse import parse_html
from reader.extract.sections import build_sections
from reader.model import Page

SERVICE = [
    f"Our nurses visit people with multiple sclerosis at home on weekday {day}, and they "
    "bring the forms for the disability benefit with them."
    for day in ("mornings", "afternoons", "evenings", "nights", "lunchtimes", "weekends")
]
CONSENT = "We and our partners use cookies to personalise advertising and measure traffic."


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def test_blocks_our_cleaning_removed_stay_out() -> None:
    chosen = lxml.html.fragment_fromstring(
        f"<div>{paragraphs([CONSENT, *SERVICE[:2]])}<ul><li>{CONSENT}</li></ul></div>"
    )
    cleaned = parse_html(f"<html><body><main>{paragraphs(SERVICE)}</main></body></html>")
    keep_within(chosen, cleaned)
    assert [p.text_content() for p in chosen.iter("p", "li")] == SERVICE[:2]


def test_the_served_page_is_asked_when_the_cleaned_page_gives_little() -> None:
    # The served page: the service text in an <article>, with a consent box our rules took out.
    served = (
        "<html><head><title>Home visits</title></head><body><article><h1>Home visits</h1>"
        f"{paragraphs(SERVICE)}<p>{CONSENT}</p></article></body></html>"
    )
    # Our cleaned page still holds the text, but in a block trafilatura skips (an <aside>:
    # a theme that wraps its page column in one), so asked there it finds nothing.
    cleaned = parse_html(f"<html><body><aside>{paragraphs(SERVICE)}</aside></body></html>")
    ours_root = lxml.html.fragment_fromstring(f"<div>{paragraphs(SERVICE[:1])}</div>")
    content = Content(root=ours_root, title="Home visits", language="en", cleaned=cleaned)
    ours = build_sections(ours_root, "Home visits")

    sections, chosen = best_candidate(
        Page(served, "https://ms.example/visits"), content, ours, "Home visits", []
    )

    read = [b.text for s in sections for b in s.blocks]
    assert chosen == "trafilatura"
    assert read == SERVICE  # every paragraph, and not the consent text our rules removed


def test_little_more_on_the_served_page_keeps_ours() -> None:
    """Our candidate already holds most of what the cleaned page has: nothing is asked twice."""
    served = f"<html><body><article>{paragraphs(SERVICE)}</article></body></html>"
    cleaned = parse_html(f"<html><body><aside>{paragraphs(SERVICE)}</aside></body></html>")
    ours_root = lxml.html.fragment_fromstring(f"<div>{paragraphs(SERVICE[:5])}</div>")
    content = Content(root=ours_root, title="Visits", language="en", cleaned=cleaned)
    ours = build_sections(ours_root, "Visits")

    sections, chosen = best_candidate(Page(served, ""), content, ours, "Visits", [])

    assert chosen == "ours" and sections == ours
