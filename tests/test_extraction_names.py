"""A class or id alone never removes the article: a theme may name the post's own column
"layout-sidebar-right", and a page's inline scripts must not make the post look small."""

from __future__ import annotations

from reader.extract import extract
from reader.extract.boilerplate import remove_boilerplate
from reader.extract.parse import parse_html
from reader.model import Page

SCRIPT = "var config = {" + ", ".join(f'"key{i}": "value number {i}"' for i in range(400)) + "};"
POST = " ".join(
    f"<p>Paragraph {n} of the post explains how the images were tested by the outside "
    f"auditors, what they found in round {n}, and what was changed because of it.</p>"
    for n in range(12)
)
CARDS = "".join(
    f'<div class="card"><a href="/p{n}"><h3>Another post {n}</h3><p>A teaser of the other post '
    f"number {n}, long enough to be a whole card with its title and its summary.</p></a></div>"
    for n in range(3)
)
PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Images validated</title>
<script>{SCRIPT}</script><script>{SCRIPT}</script></head><body>
<nav class="menu"><a href="/">Home</a> <a href="/blog">Blog</a></nav>
<div class="wp-block-layout-sidebar-right"><h1>Images validated</h1>{POST}</div>
<div class="related-posts"><h2>Related posts</h2>{CARDS}</div>
</body></html>"""


def test_a_post_in_a_column_named_sidebar_is_read() -> None:
    article = extract(Page(PAGE, "https://example.org/post"))
    text = " ".join(b.text for s in article.sections for b in s.blocks)
    for n in (0, 6, 11):
        assert f"what they found in round {n}" in text
    assert "teaser of the other post" not in text  # not the related posts instead


def test_the_boilerplate_stage_keeps_a_column_named_sidebar_that_holds_the_post() -> None:
    """The stage itself (WCXB 0451 lost its 930-word post here, then read related posts)."""
    doc = parse_html(PAGE)
    remove_boilerplate(doc)
    text = doc.text_content()
    assert "what they found in round 11" in text
    assert "key399" not in text  # the scripts are gone
