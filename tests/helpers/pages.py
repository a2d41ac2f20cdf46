"""Page fragments that more than one layer of extraction is tested on, with what a listener
must get from them: the same input and the same outline whether built alone or end to end."""

from __future__ import annotations

from reader.model import Article

# A scoreboard: the game, then two score lines, all bold; then the box score. Each test adds
# the last game's box score line in its own spacing.
SCOREBOARD = (
    "<h2>Girls basketball</h2>"
    "<p><strong>Palm Bay d. Rockledge 70-44</strong></p>"
    "<p><strong>Rockledge 14 11 6 15 — 44</strong></p>"
    "<p><strong>Palm Bay 18 22 13 17 — 70</strong></p>"
    "<p><strong>Palm Bay (1-0):</strong> Tolivert 25 points. Davis 17 points.</p>"
    "<p><strong>Heritage d. Titusville 53-9</strong></p>"
)

# Each game is a section under the heading; no bold line is lost.
SCOREBOARD_OUTLINE = [
    ("Girls basketball", "section", 2),
    ("Palm Bay d. Rockledge 70-44", "section", 3),
    ("Heritage d. Titusville 53-9", "section", 3),
]

# The lines of the first game's section, in page order.
SCOREBOARD_FIRST_GAME = [
    "Rockledge 14 11 6 15 — 44",
    "Palm Bay 18 22 13 17 — 70",
    "Palm Bay (1-0): Tolivert 25 points. Davis 17 points.",
]


def titles(article: Article) -> list[str]:
    """The section titles of an article, in reading order: what the outline lets one jump to."""
    return [s.title for s in article.sections]


# Two short articles, one a language each, for the tests of voices and languages.
ENGLISH = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fatigue</title>
</head><body><article><h1>Fatigue in MS</h1><p>Fatigue is one of the most common symptoms of
multiple sclerosis. Rest helps some people.</p><h2>What helps</h2><p>Short walks help many
people.</p></article></body></html>"""

FRENCH = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>La sclérose en plaques</title></head><body><article><h1>La sclérose en plaques</h1>
<p>La sclérose en plaques est une maladie du système nerveux central. Elle touche surtout les
jeunes adultes.</p><h2>Les traitements</h2><p>Plusieurs traitements ralentissent la maladie.</p>
</article></body></html>"""


def block_texts(html: str, url: str) -> list[str]:
    """What extraction keeps of a page at `url`, block by block in reading order."""
    from reader.extract import extract
    from reader.model import Page

    article = extract(Page(text=html, url=url))
    return [block.text for section in article.sections for block in section.blocks]


def page_text(html: str, url: str) -> str:
    """The blocks of `block_texts`, as one text to look for words in."""
    return " ".join(block_texts(html, url))
