"""A page that is not an article is read all the same, and said to be what it is (issue 10):
a forum thread, a product page, a listing, documentation. The kind is in `reader outline
--json` ("kind", after "language") and the app says it before the title when the page opens;
an article opens as it always did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.app import STEADY, message_line, running
from helpers.cli import run
from pytest_httpserver import HTTPServer

from reader.cli.articles import outline_lines
from reader.extract import extract
from reader.model import Article, Block, Page, Section

POSTS = "".join(
    f'<div class="post"><div class="post-header"><span class="username">{name}</span> '
    f'<time datetime="2026-03-0{n + 1}">March {n + 1}, 2026</time></div>'
    f'<div class="post-body"><p>{text}</p></div></div>'
    for n, (name, text) in enumerate(
        [
            ("Ann", "Since my diagnosis the afternoons are the hardest part of the day for me."),
            ("Bob", "A short rest after lunch helped me more than any of the tablets I tried."),
            ("Cat", "My nurse suggested cooling vests, and they made summer bearable again."),
            ("Dan", "Pacing the chores over the week kept me from crashing every Friday night."),
        ]
    )
)
FORUM = f"""<!DOCTYPE html><html lang="en"><head><title>Coping with fatigue</title></head>
<body><nav><a href="/">Forums</a> <a href="/new">New posts</a></nav>
<main><h1>Coping with fatigue</h1><div class="thread">{POSTS}</div></main>
<footer><p>Community rules apply to every post.</p></footer></body></html>"""

PRODUCT = """<!DOCTYPE html><html lang="en"><head><title>Cooling Vest</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
"name": "Cooling Vest", "offers": {"@type": "Offer", "price": "89.00"}}</script></head>
<body><nav><a href="/">Shop</a> <a href="/vests">Vests</a></nav>
<main><div class="product-info"><h1>Cooling Vest</h1><p class="price">$89.00</p>
<button class="add-to-cart">Add to cart</button>
<p>The Cooling Vest keeps your body temperature down for up to three hours on hot days.
Its gel packs freeze in twenty minutes and sit against the back and the chest.</p>
<p>It is light enough to wear under a shirt, and the straps adjust to fit most sizes.</p>
<h2>Specifications</h2><table><tr><th>Weight</th><td>900 g</td></tr>
<tr><th>Cooling time</th><td>3 hours</td></tr></table></div></main></body></html>"""

CARDS = "".join(
    f'<div class="card"><h2><a href="/stories/{n}">{title}</a></h2><p>{teaser}</p></div>'
    for n, (title, teaser) in enumerate(
        [
            ("New trial for remyelination", "Researchers begin testing a drug that may repair."),
            ("Exercise and fatigue", "A study of four hundred people finds walking helps most."),
            ("Vitamin D levels", "Doctors review what the latest evidence says about dosing."),
            ("Heat and symptoms", "Why a hot bath can make symptoms worse for a few hours."),
            ("Travel with MS", "Readers share how they plan long journeys and rest stops."),
        ]
    )
)
LISTING = f"""<!DOCTYPE html><html lang="en"><head><title>Latest news</title></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<main><h1>Latest news</h1><div class="stories">{CARDS}</div></main></body></html>"""

DOCS = """<!DOCTYPE html><html lang="en"><head><title>Reading a file</title></head>
<body><nav><a href="/docs/">Contents</a></nav><main><h1>Reading a file</h1>
<p>Open the file with a context manager, so that it is closed even when an error happens
part of the way through reading it.</p>
<pre><code>with open("notes.txt") as f:
    text = f.read()</code></pre>
<p>The whole file is read into one string; for large files read it line by line.</p>
</main></body></html>"""

ARTICLE = """<!DOCTYPE html><html lang="en"><head><title>Living well with MS</title></head>
<body><nav><a href="/">Home</a></nav><main><article><h1>Living well with MS</h1>
<p>Multiple sclerosis affects everyone differently, and the way you live with it changes
over the years as you learn what helps and what does not.</p>
<h2>Rest</h2><p>Plan your day around the hours when you have the most energy, and rest
before you are exhausted rather than after.</p>
<h2>Movement</h2><p>Gentle exercise such as walking or swimming keeps muscles strong and
helps with fatigue, as several studies have found.</p>
<h2>Support</h2><p>Talking to others who have MS, in a group or online, helps many people
feel less alone with the condition.</p></article></main></body></html>"""

PAGES = {
    "forum.html": FORUM,
    "product.html": PRODUCT,
    "listing.html": LISTING,
    "docs/reading.html": DOCS,
    "article.html": ARTICLE,
}


def kind_of(html: str, url: str) -> str:
    return extract(Page(html, url)).kind


@pytest.mark.parametrize(
    "html, url, kind",
    [
        (FORUM, "https://forum.example.org/t/coping-with-fatigue/12", "forum thread"),
        (PRODUCT, "https://shop.example.org/products/cooling-vest", "product page"),
        (LISTING, "https://news.example.org/latest", "listing"),
        (DOCS, "https://python.example.org/docs/reading.html", "documentation"),
        (ARTICLE, "https://news.example.org/living-well", "article"),
    ],
    ids=["forum", "product", "listing", "docs", "article"],
)
def test_each_page_is_read_and_said_to_be_what_it_is(html: str, url: str, kind: str) -> None:
    assert kind_of(html, url) == kind


def test_the_thread_and_the_product_are_still_read() -> None:
    thread = extract(Page(FORUM, "https://forum.example.org/t/coping-with-fatigue/12"))
    texts = " ".join(b.text for s in thread.sections for b in s.blocks)
    assert "cooling vests" in texts and "Pacing the chores" in texts
    product = extract(Page(PRODUCT, "https://shop.example.org/products/cooling-vest"))
    texts = " ".join(b.text for s in product.sections for b in s.blocks)
    assert "three hours on hot days" in texts


def test_code_at_an_address_that_is_not_a_documentation_site_is_an_article() -> None:
    """A blog post about code holds code blocks too: the address must say docs."""
    assert kind_of(DOCS, "https://blog.example.org/2026/reading-a-file") == "article"


def test_a_page_marking_up_many_products_is_a_listing() -> None:
    """A shop's category marks up each product it shows."""
    product = '{"@type": "Product", "name": "Vest"}'
    many = PRODUCT.replace("</head>", f"<script>[{','.join([product] * 24)}]</script></head>")
    assert kind_of(many, "https://shop.example.org/vests") == "listing"


def test_a_listing_marked_as_an_article_is_an_article() -> None:
    """A page that says it is an article is one, whatever links head its parts."""
    marked = LISTING.replace("</head>", '<meta property="og:type" content="article"></head>')
    assert kind_of(marked, "https://news.example.org/latest") == "article"


QUESTION = """<!DOCTYPE html><html lang="en"><head><title>Why does heat make MS worse?</title>
</head><body><div itemscope itemtype="https://schema.org/QAPage"><main><h1>Why does heat make
MS worse?</h1><p>Every summer my walking gets worse after a few minutes in the sun, then it
recovers in the evening. Is this normal, and is there anything that helps with it?</p>
</main></div></body></html>"""


def test_a_page_marked_as_a_question_and_its_answers_is_a_forum_thread() -> None:
    assert kind_of(QUESTION, "https://ask.example.org/q/17") == "forum thread"


def test_a_page_marked_as_a_collection_is_a_listing() -> None:
    mark = '<script type="application/ld+json">{"@type": "CollectionPage"}</script></head>'
    assert kind_of(ARTICLE.replace("</head>", mark), "https://news.example.org/x") == "listing"


def test_plain_text_is_an_article() -> None:
    page = Page("Notes on rest.\n\nRest before you are tired.", "notes.txt", is_html=False)
    assert extract(page).kind == "article"


def test_json_gives_a_kind_other_than_article_after_the_language(tmp_path: Path) -> None:
    path = tmp_path / "forum.html"
    path.write_text(FORUM, encoding="utf-8")
    result = run("outline", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data)[:5] == ["title", "source", "language", "kind", "sections"]
    assert data["kind"] == "forum thread"
    assert Article.from_dict(data).kind == "forum thread"
    path.write_text(ARTICLE, encoding="utf-8")
    data = json.loads(run("outline", str(path), "--json").stdout)
    assert "kind" not in data  # an article's JSON is as it always was


def test_the_readable_outline_names_a_kind_that_is_not_article() -> None:
    blocks = [Block("paragraph", "One.")]
    thread = Article("T", "en", "src", [Section("T", 1, "intro", blocks)], kind="forum thread")
    assert outline_lines(thread)[1] == "src · language en · forum thread · 1 section"
    article = Article("T", "en", "src", [Section("T", 1, "intro", blocks)])
    assert outline_lines(article)[1] == "src · language en · 1 section"  # as it always was


def test_json_without_a_kind_reads_as_an_article() -> None:
    article = Article("T", "en", "src", [Section("T", 1, "intro", [Block("paragraph", "One.")])])
    older = article.to_dict()
    assert "kind" not in older
    assert Article.from_dict(older).kind == "article"
    assert Article.from_dict({**older, "kind": "spaceship"}).kind == "article"  # unknown: safe


# --- the app says it ------------------------------------------------------------------------


@pytest.fixture
def pages(httpserver: HTTPServer) -> dict[str, str]:
    for name, html in PAGES.items():
        httpserver.expect_request(f"/{name}").respond_with_data(
            html, content_type="text/html; charset=utf-8"
        )
    return {name: httpserver.url_for(f"/{name}") for name in PAGES}


@pytest.mark.anyio
async def test_a_forum_thread_is_said_to_be_one_when_it_opens(
    tmp_path: Path, pages: dict[str, str]
) -> None:
    async with running(tmp_path, pages["forum.html"]) as run_:
        said = "Forum thread: Coping with fatigue. Press space to read."
        await run_.said(said, exact=True)
        await run_.until(lambda: message_line(run_.app) == said)  # shown as well as said


@pytest.mark.anyio
async def test_reading_at_once_says_the_kind_before_the_title(
    tmp_path: Path, pages: dict[str, str]
) -> None:
    async with running(tmp_path, pages["product.html"], autoplay=True) as run_:
        await run_.said("Product page.", exact=True)
        await run_.said("Cooling Vest", exact=True)  # the title, read next
        texts = run_.texts()
        assert texts.index("Product page.") < texts.index("Cooling Vest")
        await run_.until(lambda: "Product page: Cooling Vest" in message_line(run_.app))


@pytest.mark.anyio
async def test_reading_a_thread_at_once_says_its_title(
    tmp_path: Path, pages: dict[str, str]
) -> None:
    """A thread's first section is its first post, titled by author and date: the thread's
    own title is said with the kind, since reading will not say it (user trial)."""
    async with running(tmp_path, pages["forum.html"], autoplay=True) as run_:
        await run_.said("Forum thread: Coping with fatigue.", exact=True)


@pytest.mark.anyio
async def test_an_article_opens_as_it_always_did(tmp_path: Path, pages: dict[str, str]) -> None:
    async with running(tmp_path, pages["article.html"]) as run_:
        await run_.said("Living well with MS. Press space to read.", exact=True)
        kinds = ("Forum", "Product", "Listing", "Documentation")
        assert not any(t.startswith(kinds) for t in run_.texts())


@pytest.mark.anyio
async def test_resuming_a_thread_says_the_kind_first(tmp_path: Path, pages: dict[str, str]) -> None:
    async with running(tmp_path, pages["forum.html"], rate=STEADY) as run_:
        await run_.press("n", "n")
        mark = await run_.press("q")
        await run_.until(lambda: run_.app.return_code is not None)
        assert any(r["text"] == "Goodbye, position saved." for r in run_.starts(mark))
    async with running(tmp_path, pages["forum.html"], autoplay=True) as run_:
        # The title too: the thread's sections are its posts, so reading never says it.
        await run_.said("Forum thread: Coping with fatigue. Resuming at section 3 of ", 0)
