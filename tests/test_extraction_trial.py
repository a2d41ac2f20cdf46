"""Findings of a trial as the first user would read: a forum whose posts say their author and
date as text, and the links of a page whose text trafilatura found (the links list, `k`)."""

from __future__ import annotations

from pathlib import Path

from reader.extract.article import load_article

POST = (
    "<div class='post'><div class='author'>Posted by <b>{who}</b> on {when}</div>"
    "<div class='body'><p>{text}</p></div></div>"
)
FORUM = (
    "<!DOCTYPE html><html lang='en'><head><title>Fatigue after infusion? - Forum</title></head>"
    "<body><nav><a href='/'>Home</a> | <a href='/forum'>Forums</a></nav><main>"
    "<h1>Fatigue after infusion?</h1><div class='thread'>{posts}</div></main>"
    "<aside><h3>Related threads</h3><ul><li><a href='/t/1'>Heat and MS</a></li></ul></aside>"
    "</body></html>"
)


def test_posts_whose_author_line_holds_the_date_are_read_post_by_post(tmp_path: Path) -> None:
    posts = [
        (
            "janedoe",
            "3 Nov 2026",
            "I had my second infusion last week and I have been tired since.",
        ),
        ("mike_ms", "Nov 3, 2026", "Totally normal for me. The first few days were the worst."),
        (
            "sarah.k",
            "2026-11-04",
            "I get the same. See <a href='https://ms.example/f'>the fatigue page</a>.",
        ),
    ]
    page = tmp_path / "forum.html"
    page.write_text(
        FORUM.format(posts="".join(POST.format(who=w, when=d, text=t) for w, d, t in posts)),
        encoding="utf-8",
    )
    article = load_article(str(page))
    assert article.kind == "forum thread"
    assert [s.title for s in article.sections] == [
        "Posted by janedoe on 3 Nov 2026",
        "Posted by mike_ms on Nov 3, 2026",
        "Posted by sarah.k on 2026-11-04",
    ]
    links = [link for s in article.sections for b in s.blocks for link in b.links]
    assert [(link.text, link.href) for link in links] == [
        ("the fatigue page", "https://ms.example/f")
    ]
    said = " ".join(b.text for s in article.sections for b in s.blocks)
    assert "Related threads" not in said and "Heat and MS" not in said


def test_a_line_naming_an_author_without_a_date_makes_no_thread(tmp_path: Path) -> None:
    body = "".join(
        f"<div class='post'><div class='author'>{who}</div><p>{who} wrote a long reply about"
        " heat, rest and cooling vests, and how the summer went this year.</p></div>"
        for who in ("Ann", "Bob", "Cy")
    )
    page = tmp_path / "p.html"
    page.write_text(
        f"<html><body><main><h1>Summer</h1>{body}</main></body></html>", encoding="utf-8"
    )
    article = load_article(str(page))
    assert article.kind == "article"
    assert [s.title for s in article.sections] == ["Summer"]


def paragraph(n: int) -> str:
    return (
        "<p>"
        + f"Paragraph {n}, on fatigue, eases over days, with rest, water, a cool room, and care. "
        * 3
        + "</p>"
    )


def step(n: int) -> str:
    return (
        f"<div><div><p>Step {n} is to keep a diary of your energy every day and show it to your"
        f" nurse at the next visit so the team sees the pattern and can read"
        f" <a href='https://guide.example/p{n}'>the guide</a> with you</p></div></div>"
    )


def test_links_are_kept_when_the_text_comes_from_trafilatura(tmp_path: Path) -> None:
    """Readability's candidate is the first three paragraphs; trafilatura finds the 27 steps
    too and is chosen. The steps' links were looked for in readability's candidate only."""
    html = (
        "<html><head><title>Diary</title></head><body>"
        "<nav><ul><li><a href='https://site.example/'>Home</a></li></ul></nav>"
        f"<div><div id='one'><h1>Diary</h1>{paragraph(1)}{paragraph(2)}{paragraph(3)}</div></div>"
        f"<div><ul><li><ul><li>{''.join(step(n) for n in range(3, 30))}</li></ul></li></ul></div>"
        "</body></html>"
    )
    page = tmp_path / "diary.html"
    page.write_text(html, encoding="utf-8")
    article = load_article(str(page))
    blocks = [b for s in article.sections for b in s.blocks]
    assert any(b.text.startswith("Step 29") for b in blocks)  # trafilatura's text was chosen
    steps = [b for b in blocks if b.text.startswith("Step ")]
    assert len(steps) == 27
    for b in steps:
        number = b.text.split()[1]
        assert [link.href for link in b.links] == [f"https://guide.example/p{number}"]
