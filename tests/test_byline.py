"""A user trial found that a news article's author and date were never read. They are now said
once, after the title ("By Jane Smith. Published 3 November 2026."), whether reading starts at
once or from space, shown under the title, and given in `reader outline --json` as "byline" and
"published" (only when the page says them). Sources, in order: JSON-LD, the <head>'s meta
tags, a <time datetime> in the article's header. Page text is untrusted: names are one clean
line, the date a real calendar date. The speech log is the oracle for what is heard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.app import Run, running
from helpers.cli import run

from reader.cli.articles import text_lines
from reader.extract import extract
from reader.model import Article, Page
from reader.ui.widgets import ReadingPane

pytestmark = pytest.mark.anyio

BODY = """<p>Researchers said on Monday that a new infusion slows the disease. The trial ran for
two years in twelve hospitals.</p>
<p>Patients who took part said the infusions were easy to bear. Most of them would take part
again.</p>
<p>The team will publish its full results next spring, after a second trial ends.</p>"""

JSON_LD = (
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Infusion slows MS - MS News</title>
<meta name="author" content="Someone Else">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "MS News"},
  {"@type": "NewsArticle", "headline": "Infusion slows MS",
   "author": [{"@type": "Person", "name": "Jane Smith"},
              {"@type": "Organization", "name": "MS News"}],
   "datePublished": "2026-11-03T08:30:00+01:00"}]}
</script></head><body><article><h1>Infusion slows MS</h1>
"""
    + BODY
    + """</article></body></html>"""
)

META = (
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Infusion slows MS</title>
<meta name="author" content="Jane Smith">
<meta property="article:published_time" content="2026-11-03T08:30:00Z">
</head><body><article><h1>Infusion slows MS</h1>
"""
    + BODY
    + """</article></body></html>"""
)

# The byline only in the article's header, and the page's own byline line as the first
# paragraph of its text: heard once, in the reader's words, never the page's line as well.
HEADER_TIME = (
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Infusion slows MS</title>
<meta name="author" content="Jane Smith"></head><body><article>
<header><h1>Infusion slows MS</h1>
<time datetime="2026-11-03">3 Nov 2026</time></header>
<p>By Jane Smith | November 3, 2026</p>
"""
    + BODY
    + """</article></body></html>"""
)

NONE = (
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Infusion slows MS</title></head>
<body><article><h1>Infusion slows MS</h1>
"""
    + BODY
    + """</article></body></html>"""
)

SAID = "By Jane Smith. Published 3 November 2026."


def article_of(html: str, url: str = "https://example.com/news/infusion") -> Article:
    return extract(Page(html, url))


def page_file(tmp_path: Path, html: str, name: str = "article.html") -> str:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------ what the page says


@pytest.mark.parametrize("html", [JSON_LD, META, HEADER_TIME], ids=["jsonld", "meta", "time"])
def test_the_byline_and_date_are_found_where_news_sites_put_them(html: str) -> None:
    article = article_of(html)
    assert (article.byline, article.published) == ("Jane Smith", "2026-11-03")


def test_a_page_that_says_neither_has_no_byline_and_no_keys() -> None:
    article = article_of(NONE)
    assert (article.byline, article.published) == ("", "")
    data = article.to_dict()
    assert "byline" not in data and "published" not in data
    assert text_lines(article)[1].startswith("Researchers said")


def test_untrusted_names_are_one_clean_line_and_bad_dates_are_dropped() -> None:
    html = META.replace(
        'content="Jane Smith"', 'content="Jane\x1b[31m &lt;b&gt;Smith&lt;/b&gt;\x07"'
    ).replace("2026-11-03T08:30:00Z", "2026-13-45")
    article = article_of(html)
    assert article.byline == "Jane Smith"
    assert article.published == ""
    assert text_lines(article)[1] == "By Jane Smith."


def test_a_profile_address_is_not_read_as_a_name() -> None:
    html = META.replace('content="Jane Smith"', 'content="https://example.com/staff/jane"')
    assert article_of(html).byline == ""


def test_a_page_in_french_hears_its_byline_in_french() -> None:
    html = META.replace('lang="en"', 'lang="fr"').replace("Jane Smith", "Jeanne Dupont")
    assert text_lines(article_of(html))[1] == "Par Jeanne Dupont. Publié le 3 novembre 2026."


# ------------------------------------------------------------------ said once, after the title


def test_reader_text_says_the_byline_once_after_the_title(tmp_path: Path) -> None:
    done = run("text", page_file(tmp_path, HEADER_TIME))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines[:2] == ["Infusion slows MS", SAID]
    assert lines[2].startswith("Researchers said")
    assert not any("Jane Smith" in line for line in lines[2:]), "the page's own line as well"


def test_the_outline_json_gives_byline_and_published(tmp_path: Path) -> None:
    done = run("outline", page_file(tmp_path, JSON_LD), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data)[:5] == ["title", "source", "language", "byline", "published"]
    assert (data["byline"], data["published"]) == ("Jane Smith", "2026-11-03")
    assert Article.from_dict(data).byline == "Jane Smith"  # and it loads back


def test_an_article_saved_before_bylines_still_loads() -> None:
    saved = article_of(NONE).to_dict()
    assert Article.from_dict(saved).byline == ""
    assert Article.from_dict({**saved, "published": 17}).published == "17"  # never raises
    assert text_lines(Article.from_dict({**saved, "published": "not a date"}))[1].startswith(
        "Researchers"
    )


# ------------------------------------------------------------------ the app


def heard_in_order(run: Run) -> list[str]:
    return [r["text"] for r in run.starts() if r["section"] == 0 and r["sentence"] in (0, 1, 2)]


async def test_space_on_the_opened_page_reads_title_byline_then_text(tmp_path: Path) -> None:
    async with running(tmp_path, page_file(tmp_path, META), autoplay=False) as run:
        await run.said("Infusion slows MS. Press space to read.")
        mark = await run.press("space")
        await run.heard("Researchers said", mark)
        texts = run.texts(mark)
        assert texts[:3] == ["Infusion slows MS", SAID, texts[2]]
        assert texts[2].startswith("Researchers said")
        assert sum(text == SAID for text in run.texts()) == 1
        # Shown under the title, as the page writes it.
        pane = run.app.screen.query_one(ReadingPane)
        assert pane.texts[:2] == ["Infusion slows MS", SAID]


async def test_reading_at_once_reads_the_byline_after_the_title(tmp_path: Path) -> None:
    async with running(tmp_path, page_file(tmp_path, HEADER_TIME), autoplay=True) as run:
        await run.heard("Researchers said")
        texts = run.texts()
        start = texts.index("Infusion slows MS")
        assert texts[start + 1] == SAID
        assert texts[start + 2].startswith("Researchers said")
        assert texts.count(SAID) == 1
