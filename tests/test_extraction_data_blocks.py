"""A script's JSON state left in the page as text (a shop's grid keeps its filters and
item ids so) is data, never words to read; and one such block must not make a whole
page look like binary junk ("No article found"), as it did on a WCXB category page."""

from __future__ import annotations

import json

from reader.extract import extract
from reader.extract.cleanup import drop_data
from reader.extract.parse import parse_html
from reader.model import Page

STATE = json.dumps(
    {
        "painterId": "AsinGridWidget",
        "asins": [f"B0{n:08X}XQZ" for n in range(400)],
        "refinements": [{"rType": "refinement", "rValueUID": f"{n}x{n * 7}"} for n in range(300)],
    }
)
ITEMS = "".join(
    f"<li><h3>Headphones model {n}</h3><p>Over-ear wireless headphones with forty hours of "
    f"battery, active noise cancelling and a folding frame for travel, model {n}.</p></li>"
    for n in range(8)
)
PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Headphones</title></head><body>
<div class="grid"><div class="grid-state">{STATE.replace('"', "&quot;")}</div>
<h1>Headphones</h1><ul class="items">{ITEMS}</ul></div></body></html>"""


def test_a_page_holding_a_json_state_block_is_read_without_it() -> None:
    article = extract(Page(PAGE, "https://shop.example.org/headphones"))
    text = "\n".join(b.text for s in article.sections for b in s.blocks)
    assert "forty hours of battery" in text
    assert "painterId" not in text and "rValueUID" not in text


def test_only_whole_json_blocks_go() -> None:
    doc = parse_html(
        "<div><p>[1] Smith, J. (2020). A study of braces.</p><p>{1, 2, 3} is a set.</p>"
        '<pre>{"a": 1}</pre><p><code>{"b": 2}</code></p><p>[{"id": 1}, {"id": 2}]</p></div>'
    )
    drop_data(doc)
    text = doc.text_content()
    assert "[1] Smith" in text and "{1, 2, 3} is a set." in text
    assert '{"a": 1}' in text and '{"b": 2}' in text  # code samples are documentation's text
    assert '"id"' not in text
