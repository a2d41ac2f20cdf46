"""A page streamed by React (Next.js and others) is read with its streamed parts in place.

The server sends the page's frame with a placeholder per part not ready yet
(`<template id="B:0"></template>` and a "Loading…" fallback), then each part as
`<div hidden id="S:0">` at the end of the body, with a script that moves it into place.
Scripts do not run here, so the article was a hidden block and went with the hidden:
WCXB dev's fool.com guide came out as its glossary box (F1 0.07)."""

from __future__ import annotations

from helpers.pages import block_texts

PARAGRAPHS = "".join(
    f"<p>Index funds, part {n}: an index fund tracks a market index such as the S&amp;P 500, "
    "so an investor owns every company in it and pays low fees for the privilege.</p>"
    for n in range(6)
)
END = (
    "The end of the guide: buy through a broker, keep buying each month, and leave the fund "
    "alone through the bad years as well as the good ones."
)
STREAMED = (
    "<html><body><main><h1>How to invest in index funds</h1>"
    "<p>Before you buy, know what an index fund is and what it costs you each year.</p>"
    '<template id="B:0"></template><div>Loading paragraph...</div>'
    f"<p>{END}</p>"
    "</main>"
    f'<div hidden id="S:0"><div class="rich-text">{PARAGRAPHS}</div></div>'
    "</body></html>"
)


def _texts(html: str) -> list[str]:
    return block_texts(html, "https://www.example.com/investing/index-funds")


def test_a_streamed_part_is_read_where_its_placeholder_stands() -> None:
    texts = _texts(STREAMED)
    part = [n for n, text in enumerate(texts) if text.startswith("Index funds, part")]
    assert len(part) == 6
    end = texts.index(END)
    assert part[-1] < end  # moved to its place, not left at the end of the body


def test_streamed_parts_without_their_placeholders_are_read_where_they_came() -> None:
    # Two parts, neither most of the page (a hidden block that is gets read anyway).
    half = len(PARAGRAPHS) // 2
    cut = PARAGRAPHS.index("<p>", half)
    html = STREAMED.replace('<template id="B:0"></template>', "").replace(
        f'<div hidden id="S:0"><div class="rich-text">{PARAGRAPHS}</div></div>',
        f'<div hidden id="S:0"><div>{PARAGRAPHS[:cut]}</div></div>'
        f'<div hidden id="S:1"><div>{PARAGRAPHS[cut:]}</div></div>',
    )
    assert 'id="S:1"' in html
    assert sum(text.startswith("Index funds, part") for text in _texts(html)) == 6
