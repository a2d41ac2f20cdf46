"""Skipping code (issue 12): a code block is one block, so `ctrl+down` from its cue or from any of
its lines goes to what follows the code, and `ctrl+up` inside it goes back to its cue."""

from __future__ import annotations

from pathlib import Path

from reader.extract import load_article
from reader.reading.elements import ElementIndex
from reader.speech import article_utterances

PAGE = """<html><head><title>Setup</title></head><body><article><h1>Setup</h1>
<p>Install the tool with the command below. It takes a minute on most machines.</p>
<pre><code>import os
path = os.path.join("a", "b")
print(path.upper())
x = 1</code></pre>
<p>Then restart the terminal. That is all there is to it.</p></article></body></html>"""


def test_next_paragraph_from_inside_code_skips_the_rest_of_it(tmp_path: Path) -> None:
    page = tmp_path / "code.html"
    page.write_text(PAGE, encoding="utf-8")
    article = load_article(str(page))
    flat = [u for section in article_utterances(article, True) for u in section]
    elements = ElementIndex(article, flat)
    texts = [u.text for u in flat]
    cue = texts.index("Code, 4 lines.")
    after = texts.index("Then restart the terminal.")
    assert texts[cue + 1] == "import os" and after - cue == 5  # the cue and four lines
    for here in range(cue, after):  # the cue or any line of the code
        assert elements.next_paragraph(here, 1) == after
    assert elements.next_paragraph(cue + 2, -1) == cue  # back to the code's start: its cue
