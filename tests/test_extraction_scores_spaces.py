"""Spaces that stand alone in an element still part two words.

Syntax colouring (Pygments, as on docs.python.org and most documentation sites) puts the
spaces of a code sample in spans of their own: `<span class="k">def</span><span class="w">
</span><span class="nf">factorial</span>`. The cleaning pass drops empty elements, and
dropping those spans glued the words ("deffactorial"): WCXB dev's documentation pages lost
a word on every line of code."""

from __future__ import annotations

from helpers.pages import block_texts

PROSE = (
    "<p>The cache decorator wraps a function and keeps every result it has computed, so a "
    "second call with the same arguments returns at once without running the body.</p>"
)
CODE = (
    '<pre><span class="k">def</span><span class="w"> </span><span class="nf">factorial'
    '</span><span class="p">(</span><span class="n">n</span><span class="p">):</span>\n'
    '<span class="w">    </span><span class="k">return</span><span class="w"> </span>'
    '<span class="n">n</span></pre>'
)


def test_a_code_sample_keeps_the_spaces_its_colouring_put_in_spans() -> None:
    html = f"<html><body><article><h1>Caching</h1>{PROSE}{CODE}{PROSE}</article></body></html>"
    texts = block_texts(html, "https://docs.example.org/cache")
    code = next(text for text in texts if "factorial" in text)
    assert "def factorial(n):" in code
    assert "return n" in code
