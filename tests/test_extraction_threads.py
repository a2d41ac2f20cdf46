"""A link aggregator's story page (lobste.rs, Hacker News style) is its comments: each
signed by a byline holding the name and the date, each under a block named "comment"
(a name the boilerplate rules drop). The page marks itself an article, so the comments
are read as posts when nothing else holds prose, and the date is said once."""

from __future__ import annotations

from reader.extract import extract
from reader.model import Page

COMMENTS = "".join(
    f'<li class="comments_subtree"><div class="comment" id="c_{n}">'
    f'<div class="details"><div class="byline"><a href="/~user{n}">user{n}</a> '
    f'<time datetime="2024-08-1{n} 17:22:26">{n + 1} days ago</time></div>'
    f'<div class="comment_text"><p>Comment {n}: I work with a lot of async tasks, so I keep '
    f"cloning reference-counted pointers everywhere, and this proposal would help.</p></div>"
    f"</div></div></li>"
    for n in range(5)
)
PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Project goals for 2024</title>
<meta property="og:type" content="article"></head><body>
<nav><a href="/">Home</a> <a href="/recent">Recent</a></nav>
<div id="inside"><h1><a href="https://example.org/goals">Project goals for 2024</a></h1>
<ol class="comments comments1">{COMMENTS}</ol></div></body></html>"""


def test_a_story_page_is_read_as_its_comments_each_titled_once() -> None:
    article = extract(Page(PAGE, "https://lobsters.example.org/s/abc/goals"))
    texts = [b.text for s in article.sections for b in s.blocks]
    titles = [s.title for s in article.sections]
    for n in range(5):
        assert any(t.startswith(f"Comment {n}: I work with a lot of async tasks") for t in texts)
    assert "user2 3 days ago" in titles  # the byline as it reads, the date not twice
