"""Main-content extraction: what a listener must hear, and what they must never hear."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from reader.extract.content import Content, main_content
from reader.extract.tree import text_of
from reader.model import Page

FIXTURES = Path(__file__).parent / "fixtures"

PARAGRAPHS = (
    "<p>Multiple sclerosis is a disease of the central nervous system, and it affects "
    "people in very different ways, from mild numbness to serious problems with walking.</p>"
    "<p>Treatment has improved a great deal over the last twenty years, and today there are "
    "many medicines that slow the disease down and reduce the number of relapses.</p>"
    "<p>Doctors now try to start treatment early, because damage to the nerves that happens "
    "early on can add up over time, even when a person feels well at the moment.</p>"
)


def page(inside: str = "", outside: str = "", head: str = "", html_attrs: str = "") -> str:
    """A small article page; `inside` goes into the article body, `outside` next to it."""
    return (
        f"<!doctype html><html{html_attrs}><head><title>Living with MS</title>{head}</head>"
        f"<body><div id='page'><article><div class='article-body'>{PARAGRAPHS}{inside}"
        f"</div></article>{outside}</div></body></html>"
    )


def extract(html: str, url: str = "https://example.org/ms", language: str | None = None) -> Content:
    return main_content(Page(text=html, url=url, language=language))


def text(html: str, **kwargs) -> str:
    return text_of(extract(html, **kwargs).root)


def article(inside: str) -> lxml.html.HtmlElement:
    """The content root extracted from the article page with `inside` in its body."""
    return extract(page(inside=inside)).root


def html_of(content: Content) -> str:
    return lxml.html.tostring(content.root, encoding="unicode")


# ---------------------------------------------------------------- the article survives


def test_article_paragraphs_survive():
    result = text(page())
    assert "central nervous system" in result
    assert "reduce the number of relapses" in result
    assert "even when a person feels well" in result


def test_blocks_are_on_their_own_lines():
    lines = text(page()).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Multiple sclerosis is a disease")


# ---------------------------------------------------------------- removal rules


@pytest.mark.parametrize(
    ("snippet", "unwanted"),
    [
        ("<script>var tracking = 'SCRIPT-TEXT';</script>", "SCRIPT-TEXT"),
        ("<style>.x { content: 'STYLE-TEXT'; }</style>", "STYLE-TEXT"),
        ("<noscript>Please enable JavaScript to continue</noscript>", "enable JavaScript"),
        ("<iframe src='https://ads.example'>Frame fallback text here</iframe>", "Frame fallback"),
        (
            "<form action='/search'><label>Search the whole site for articles</label>"
            "<input name='q'><button>Go</button></form>",
            "Search the whole site",
        ),
        (
            "<nav><a href='/'>Home page link</a> <a href='/news'>All the news</a></nav>",
            "All the news",
        ),
        (
            "<aside><p>Our partners offer great holiday deals this week.</p></aside>",
            "holiday deals",
        ),
        ("<footer><p>Copyright and legal notices of the publisher.</p></footer>", "legal notices"),
        (
            "<div class='cookie-consent'>We use cookies to improve your experience on our site. "
            "<button>Accept</button></div>",
            "improve your experience",
        ),
        (
            "<div id='gdpr-banner'><p>Your privacy choices matter to us.</p></div>",
            "privacy choices",
        ),
        (
            "<div class='newsletter-box'><p>Get the weekly digest of stories.</p></div>",
            "weekly digest",
        ),
        (
            "<div class='share-buttons'><a href='#'>Facebook</a> <a href='#'>Twitter</a>"
            " <span>Spread the word to your friends</span></div>",
            "Spread the word",
        ),
        (
            "<ul class='social-links'><li>Follow us everywhere you go online</li></ul>",
            "Follow us everywhere",
        ),
        ("<div class='ad-slot'><p>Buy the new phone today at a low price.</p></div>", "new phone"),
        (
            "<div class='advertisement'><p>Cheap flights to the sun all winter long.</p></div>",
            "Cheap flights",
        ),
        (
            "<div class='promo-box'><p>Half price membership for new readers.</p></div>",
            "Half price",
        ),
        ("<p>Was this article helpful?</p>", "helpful"),
        (
            "<div id='comments'><h3>Readers respond</h3><p>Great article, thanks a lot for "
            "writing it, it helped my mother a lot.</p></div>",
            "helped my mother",
        ),
        ("<div>No comments made yet. Be the first to submit a comment</div>", "No comments"),
        (
            "<div class='related-posts'><h3>More reading</h3><ul><li><a href='/a'>Diet and MS "
            "explained</a></li></ul></div>",
            "Diet and MS explained",
        ),
        ("<p class='byline'>By Jane Whitfield, health editor</p>", "Jane Whitfield"),
        ("<p>By Jane Whitfield</p>", "Jane Whitfield"),
        (
            "<div class='author-box'><p>Jane has written about health for ten years.</p></div>",
            "written about health",
        ),
        ("<div class='hits'>Hits: 2817</div>", "2817"),
        ("<p>Hits: 2817</p>", "2817"),
        (
            "<div class='captcha'><img src='/c.png' alt='Captcha Image'> Type the letters</div>",
            "Captcha",
        ),
        (
            "<div class='login-alert'>Already Registered? <a href='/login'>Login Here</a></div>",
            "Already Registered",
        ),
        ("<p>Already Registered? <a href='/login'>Login Here</a></p>", "Login Here"),
        ("<p hidden>Hidden paragraph that nobody sees.</p>", "Hidden paragraph"),
        ("<p aria-hidden='true'>Decorative duplicate text here.</p>", "Decorative duplicate"),
        ("<p style='display: none'>Invisible offer for subscribers.</p>", "Invisible offer"),
        ("<p style='visibility:hidden'>Another invisible sentence here.</p>", "invisible sentence"),
        ("<div role='dialog'><p>Sign in to keep reading this story.</p></div>", "keep reading"),
        ("<p>Advertisement</p>", "Advertisement"),
        ("<p>Updated March 3, 2023</p>", "March 3, 2023"),
        ("<figure><img alt='x'><figcaption>Photo: Getty Images</figcaption></figure>", "Getty"),
    ],
)
def test_boilerplate_is_removed(snippet: str, unwanted: str):
    result = text(page(inside=snippet))
    assert unwanted not in result
    assert "central nervous system" in result  # and the article is still there


LINK_LIST = "".join(f"<li><a href='/{i}'>Another story number {i}</a></li>" for i in range(6))


@pytest.mark.parametrize(
    ("html", "unwanted"),
    [
        pytest.param(
            page(
                outside="<div class='sidebar'><h3>RSS Statement</h3><p>Most of the information "
                "found on this website comes from RSS feeds.</p></div>"
                "<header role='banner'><p>Welcome to the MS Views site header.</p></header>"
            ),
            ["RSS", "site header"],
            id="sidebar-and-site-header-outside-the-article",
        ),
        pytest.param(
            page(inside=f"<div><ul>{LINK_LIST}</ul></div>"),
            ["Another story"],
            id="link-heavy-list",
        ),
        pytest.param(
            page(
                inside="<p>Related: <a href='/b'>Why heat makes MS symptoms worse</a></p>"
                "<p><a href='/c'><strong>NEW STUDY LINKS VITAMIN D TO FEWER RELAPSES</strong>"
                "</a></p>"
            ),
            ["heat makes", "VITAMIN D"],
            id="teaser-links-to-other-stories",
        ),
    ],
)
def test_site_chrome_and_links_to_other_pages_are_removed(html: str, unwanted: list[str]):
    result = text(html)
    for phrase in unwanted:
        assert phrase not in result


def test_page_wrapped_in_one_form_keeps_its_article():
    html = page().replace("<div id='page'>", "<form id='aspnetForm'><div id='page'>")
    html = html.replace("</body>", "</form></body>")
    assert "central nervous system" in text(html)


# ---------------------------------------------------------------- kept structures


SOFT_PROSE = "Start with a low dose, and raise it slowly over several weeks. " * 6


KEPT = {
    "linked-pseudo-heading-and-linked-sentences": (
        "<p><strong><a href='/drugs/tysabri'>Natalizumab (Tysabri)</a></strong></p>"
        "<p>More than half of patients <a href='/s'>responded well to the new treatment"
        " in the trial</a>.</p>",
        ["Natalizumab (Tysabri)", "More than half of patients responded well"],
    ),
    "boilerplate-word-inside-a-real-paragraph": (
        "<p>Some people find that a share of their symptoms comes back in hot weather.</p>",
        ["share of their symptoms"],
    ),
    # "reading" contains "ad" but is not the word "ad"
    "class-name-containing-ad-letters-is-not-an-ad": (
        "<div class='reading-note'><p>Talk to your doctor before changing any dose.</p></div>",
        ["changing any dose"],
    ),
    "question-and-answer-paragraphs": (
        "<p><strong>Q:</strong> How are infusion treatments given?</p>"
        "<p><strong>A:</strong> Through a vein, by a nurse, in a clinic.</p>",
        [
            "Q: How are infusion treatments given?",
            "A: Through a vein, by a nurse, in a clinic.",
        ],
    ),
    "qa-callout-in-an-aside": (
        "<aside class='callout qa-callout'><div class='qa'>"
        "<div class='question'><p>Should I take melatonin?</p></div>"
        "<div class='answer'><p>Ask your neurologist first.</p></div></div></aside>",
        ["Should I take melatonin?", "Ask your neurologist first."],
    ),
    # readability drops headings whose class looks negative ("meta", "tool", ...)
    "heading-readability-would-drop-comes-back": (
        "<h2 class='tools-heading'>Tools that help</h2><p>A cooling vest keeps you cool.</p>",
        ["Tools that help"],
    ),
    "tweet-blockquote-comes-back": (
        "<blockquote class='twitter-tweet'><p>We start the new trial next week.</p>"
        "&mdash; MS Society (@mssociety) <a href='#'>May 1, 2020</a></blockquote>",
        ["We start the new trial next week."],
    ),
    "tweet-inside-a-wrapper-readability-drops-comes-back": (
        "<div class='article-widget article-tweet'><div class='tweet-inner'>"
        "<blockquote class='twitter-tweet'><p>Club statement on the new manager.</p>"
        "&mdash; The Club (@club)</blockquote></div></div>",
        ["Club statement on the new manager."],
    ),
    "soft-boilerplate-names-keep-real-prose": (
        f"<section class='recommendations'><h2>Recommendations</h2><p>{SOFT_PROSE}</p></section>",
        ["Recommendations", "raise it slowly"],
    ),
}


@pytest.mark.parametrize(("snippet", "wanted"), KEPT.values(), ids=KEPT.keys())
def test_article_content_is_kept(snippet: str, wanted: list[str]):
    result = text(page(inside=snippet))
    for phrase in wanted:
        assert phrase in result


def test_headings_paragraphs_lists_quotes_and_tables_are_kept():
    inside = (
        "<h2>Kinds of treatment</h2><p>There are injections, tablets and infusions.</p>"
        "<h3>Infusions</h3><ul><li>Natalizumab every four weeks</li>"
        "<li>Ocrelizumab every six months</li></ul><ol><li>Book the appointment</li></ol>"
        "<blockquote><p>Starting early made all the difference to me.</p></blockquote>"
        "<h4>Doses</h4><table><tr><th>Drug</th><th>Dose</th></tr>"
        "<tr><td>Ocrelizumab</td><td>600 mg</td></tr></table>"
        "<h5>Small print</h5><p>Ask your nurse.</p><h6>Tiny print</h6><p>Really.</p>"
    )
    content = extract(page(inside=inside))
    root = content.root
    assert [h.text_content() for h in root.iter("h2", "h3", "h4", "h5", "h6")] == [
        "Kinds of treatment",
        "Infusions",
        "Doses",
        "Small print",
        "Tiny print",
    ]
    assert [li.text_content() for li in root.iter("li")] == [
        "Natalizumab every four weeks",
        "Ocrelizumab every six months",
        "Book the appointment",
    ]
    assert "Starting early" in root.find(".//blockquote").text_content()
    assert [td.text_content() for td in root.iter("td")] == ["Ocrelizumab", "600 mg"]


def test_image_alt_text_is_kept():
    inside = "<figure><img src='/a.jpg' alt='A nurse preparing an infusion drip'></figure>"
    images = article(inside).findall(".//img")
    assert [img.get("alt") for img in images] == ["A nurse preparing an infusion drip"]


def test_images_without_alt_or_with_file_names_are_dropped():
    inside = "<img src='/a.jpg'><img src='/b.jpg' alt='IMG_2041.jpg'><img src='/c.jpg' alt=''>"
    assert article(inside).find(".//img") is None


def test_bold_pseudo_headings_keep_their_bold():
    root = article(
        "<p><strong>Natalizumab (Tysabri)</strong></p>"
        "<p>Natalizumab works by stopping damaging immune cells from entering the brain.</p>"
        "<p><b>Alemtuzumab (Lemtrada)</b></p><p>Given once a day for five days.</p>"
    )
    bold = [node.text_content() for node in root.iter("strong", "b")]
    assert bold == ["Natalizumab (Tysabri)", "Alemtuzumab (Lemtrada)"]
    assert all(node.getparent().tag == "p" for node in root.iter("strong", "b"))


def test_definition_lists_and_details_are_kept():
    root = article(
        "<dl class='faq-list'><dt>Can I eat before?</dt><dd>Yes, eat normally.</dd></dl>"
        "<details class='faq-item'><summary>Can I drive home?</summary>"
        "<div><p>Most people can.</p></div></details>"
    )
    assert root.find(".//dt").text_content() == "Can I eat before?"
    assert root.find(".//dd").text_content() == "Yes, eat normally."
    assert root.find(".//details/summary").text_content() == "Can I drive home?"
    assert "Most people can." in root.find(".//details").text_content()


def test_faq_markup_attributes_are_kept():
    root = article(
        "<div class='faq' itemscope itemtype='https://schema.org/FAQPage'>"
        "<div class='question' itemprop='name'>Is it safe?</div>"
        "<div class='answer' id='answer-1'>Yes, for most people.</div></div>"
    )
    faq = root.find(".//*[@itemtype='https://schema.org/FAQPage']")
    assert faq is not None and faq.get("class") == "faq"
    assert root.find(".//*[@class='question']").get("itemprop") == "name"
    assert root.find(".//*[@id='answer-1']").text_content() == "Yes, for most people."


def test_unneeded_attributes_are_stripped():
    inside = "<p style='color:red' onclick='x()' data-track='1' class='lead'>Styled text.</p>"
    node = article(inside).find(".//p[@class='lead']")
    assert node is not None
    assert dict(node.attrib) == {"class": "lead"}


# ---------------------------------------------------------------- title


def test_title_from_og_title():
    head = "<meta property='og:title' content='Infusion treatments explained'>"
    assert extract(page(head=head)).title == "Infusion treatments explained"


def test_title_from_article_h1_when_no_og_title():
    html = page().replace("<article>", "<article><h1>What infusions do</h1>")
    content = extract(html)
    assert content.title == "What infusions do"
    assert "What infusions do" not in text_of(content.root)  # said once, as the title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Living with MS | MS Views and News", "Living with MS"),
        ("Living with MS - MS Views and News", "Living with MS"),
        ("Living with MS – Healthline", "Living with MS"),
        ("MS Views and News | Living with MS well", "Living with MS well"),
        ("Q&A: Living with MS - part two of our long series on it", None),
    ],
)
def test_title_from_title_tag_without_site_name(title: str, expected: str | None):
    head = "<meta property='og:site_name' content='MS Views and News'>"
    html = page(head=head).replace("<title>Living with MS</title>", f"<title>{title}</title>")
    assert extract(html, url="https://www.healthline.com/x").title == (expected or title)


def test_site_logo_h1_is_not_the_title():
    html = page(head="<meta property='og:site_name' content='MS Views'>").replace(
        "<body>", "<body><h1 class='logo'>MS Views</h1>"
    )
    html = html.replace("<title>Living with MS</title>", "<title>Living with MS | MS Views</title>")
    assert extract(html).title == "Living with MS"


def test_of_several_page_h1s_the_one_in_the_title_wins():
    html = page().replace("<body>", "<body><h1>Health news</h1><h1>Living with MS today</h1>")
    html = html.replace("<title>Living with MS</title>", "<title>Living with MS today</title>")
    assert extract(html).title == "Living with MS today"


def test_broken_url_does_not_break_the_title():
    assert extract(page(), url="http://[::1/x").title == "Living with MS"


def test_title_site_name_taken_from_the_domain():
    html = page().replace("<title>Living with MS</title>", "<title>Tips - MSViewsAndNews</title>")
    assert extract(html, url="https://www.msviewsandnews.org/a").title == "Tips"


def test_og_title_also_loses_the_site_name():
    head = "<meta property='og:title' content='Living with MS | MS Views and News'>"
    head += "<meta property='og:site_name' content='MS Views and News'>"
    assert extract(page(head=head)).title == "Living with MS"


# ---------------------------------------------------------------- language


def test_language_from_html_lang():
    assert extract(page(html_attrs=" lang='de-DE'"), language="fr").language == "de-DE"


def test_language_from_content_language_header():
    assert extract(page(), language="fr-CA, en").language == "fr-CA"


@pytest.mark.parametrize(
    ("lang", "expected"), [("en-gb", "en-GB"), ("EN_us", "en-US"), ("zh-hant-tw", "zh-Hant-TW")]
)
def test_language_tag_casing_is_canonical(lang: str, expected: str):
    assert extract(page(html_attrs=f" lang='{lang}'")).language == expected


def test_language_from_meta_http_equiv():
    head = "<meta http-equiv='Content-Language' content='nl'>"
    assert extract(page(head=head)).language == "nl"


def test_language_defaults_to_english():
    assert extract(page()).language == "en"


def test_invalid_language_is_ignored():
    assert extract(page(html_attrs=" lang='<script>'"), language="es").language == "es"


# ---------------------------------------------------------------- hostile input


def test_ten_thousand_nested_divs():
    html = (
        "<html><body>"
        + "<div>" * 10_000
        + PARAGRAPHS.replace("<p>", "<p>Deep. ")
        + "</div>" * 10_000
        + "</body></html>"
    )
    result = text(html)
    assert "Deep. Multiple sclerosis is a disease" in result
    assert "feels well at the moment" in result


def test_nul_bytes_and_control_characters_are_removed():
    inside = "<p>Nul\x00here, bell\x07, escape \x1b[31mred\x1b[0m and \x9bc1 done.</p>"
    result = text(page(inside=inside))
    assert "Nulhere, bell, escape red and c1 done." in result
    assert not any(ord(c) < 32 and c != "\n" for c in result)


@pytest.mark.parametrize(
    "snippet",
    ["&#1<META>0", "<p>a&#0;b&#x1b;c&#xD800;d&#99999999;e</p>", "<img alt='&#1;x'>", "\ufffe<p>"],
)
def test_character_references_to_control_characters_do_not_crash(snippet: str):
    content = extract(page(inside=snippet))
    result = text_of(content.root)
    assert "central nervous system" in result
    assert not any(ord(c) < 32 and c != "\n" for c in result)


def test_windows_1252_references_become_their_characters():
    assert "2019&#150;2020 season" not in text(page(inside="<p>The 2019&#150;2020 season.</p>"))
    assert "The 2019–2020 season." in text(page(inside="<p>The 2019&#150;2020 season.</p>"))


def test_readability_failures_are_not_logged_to_stderr():
    """readability logs a traceback when it gives up; we fall back, and the CLI must stay quiet.
    In a fresh process, because pytest's own log handlers would hide the print."""
    script = (
        "import logging, reader.extract\n"
        "try:\n    raise ValueError('odd tree')\n"
        "except ValueError:\n"
        "    logging.getLogger('readability.readability').exception('error getting summary: ')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stderr == ""


def test_markup_lookalikes_stay_literal_text():
    inside = "<p>Press [bold]Enter[/bold] or [link=x]here[/link] &lt;b&gt;now&lt;/b&gt;.</p>"
    assert "Press [bold]Enter[/bold] or [link=x]here[/link] <b>now</b>." in text(
        page(inside=inside)
    )


@pytest.mark.parametrize(
    "html", ["", "   \n ", "<html></html>", "<html><body></body></html>", "\x00\x00"]
)
def test_empty_pages_give_an_empty_root(html: str):
    content = extract(html)
    assert text_of(content.root) == ""
    assert content.language == "en"


def test_login_page_has_no_article_text():
    html = (
        "<html><head><title>Sign in</title></head><body><form action='/login'>"
        "<label>Email</label><input name='e'><label>Password</label>"
        "<input type='password' name='p'><button>Sign in</button></form></body></html>"
    )
    assert text(html) == ""


def test_xml_declaration_and_xhtml():
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page(
        html_attrs=" xmlns='http://www.w3.org/1999/xhtml'"
    )
    assert "central nervous system" in text(html)


def test_page_readability_finds_nothing_in_falls_back_to_the_body():
    html = "<html><body><span>Short note: clinic closed Monday.</span></body></html>"
    assert text(html) == "Short note: clinic closed Monday."


def test_truncated_html():
    html = page()[: page().index("even when a person") + 30]
    assert "reduce the number of relapses" in text(html)


# ---------------------------------------------------------------- real-shaped fixtures


def fixture(name: str) -> Content:
    path = FIXTURES / name
    return extract(path.read_text(encoding="utf-8"), url="https://www.msviewsandnews.org/x")


def test_seed_like_joomla_post():
    content = fixture("seed_like.html")
    result = text_of(content.root)
    assert content.title == "Infusion Treatments: Benefits and Side Effects"
    for wanted in (
        "Multiple Sclerosis (MS) is an autoimmune disease",
        "Q: How are infusion treatments given?",
        "A: These drugs are injected intravenously.",
        "Alemtuzumab (Lemtrada)",
        "Natalizumab (Tysabri)",
        "Ocrelizumab (Ocrevus)",
        "600-milligram infusions every six months",
    ):
        assert wanted in result
    bold = [node.text_content() for node in content.root.iter("strong")]
    assert "Natalizumab (Tysabri)" in bold
    for unwanted in (
        "By accepting",
        "Toggle Navigation",
        "Hits:",
        "Written by",
        "Related Articles",
        "No comments made yet",
        "Already Registered",
        "Captcha",
        "Submit Comment",
        "RSS Statement",
        "RSS Feeds",
        "Back to Top",
        "Print",
    ):
        assert unwanted not in result


def test_magazine_page():
    content = fixture("magazine.html")
    result = text_of(content.root)
    headings = [h.text_content() for h in content.root.iter("h2")]
    assert "Why MS disrupts sleep" in headings
    assert "When to see a doctor" in headings
    assert "Should I take melatonin to help me sleep?" in result
    assert content.root.find(".//*[@class='question']") is not None
    assert content.root.find(".//table") is not None
    for unwanted in (
        "Advertisement",
        "Share on Facebook",
        "Get our MS newsletter",
        "Sign up for expert tips",
        "You May Also Like",
        "How to Manage MS Fatigue at Work",
        "Was this helpful?",
        "Skip to content",
        "Jane Whitfield",
    ):
        assert unwanted not in result


def test_faq_page():
    content = fixture("faq.html")
    root = content.root
    assert [dt.text_content() for dt in root.iter("dt")][:2] == [
        "How long does an infusion appointment take?",
        "Can I eat before my infusion?",
    ]
    assert [s.text_content() for s in root.iter("summary")] == [
        "Can I drive home afterwards?",
        "What should I do if I get a rash at home?",
    ]
    assert root.find(".//*[@itemtype='https://schema.org/FAQPage']") is not None


LOVE = (
    "Loving yourself is where every other kind of love begins. We ask others to carry what "
    "we will not carry ourselves, and then we wonder why they grow tired of it."
)


def test_short_post_beside_a_listing_of_teasers():
    teaser = (
        "<article class='teaser'><h2>Another post</h2><p>This teaser has a long excerpt of "
        "another post, with commas, clauses, and more words, so that it scores well, "
        "very well indeed, in readability's counting.</p></article>"
    )
    html = (
        "<html><body><div id='main'><article class='post'><h1>Only love</h1>"
        f"<p>{LOVE}</p></article></div>"
        f"<div id='more'>{teaser * 6}</div></body></html>"
    )
    content = extract(html)
    assert content.title == "Only love"
    assert text_of(content.root) == LOVE


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div id='page' aria-hidden='true'>",  # behind a consent dialog
        "<div id='page' style='display:none'>",  # anti-flicker until scripts run
        "<div id='page' class='hidden'>",
    ],
)
def test_hidden_wrapper_around_the_whole_article_is_not_removed(wrapper: str):
    assert "central nervous system" in text(page().replace("<div id='page'>", wrapper))


@pytest.mark.parametrize("cls", ["hidden-xs", "visually-hidden", "sr-only", "no-print"])
def test_responsive_and_screen_reader_classes_are_not_hidden(cls: str):
    inside = f"<p class='{cls}'>Visible on some screens, and to screen readers.</p>"
    assert "Visible on some screens" in text(page(inside=inside))


def test_bold_from_css_survives_cleaning_as_a_bold_style():
    root = article(
        "<p style='color:red;font-weight:600'>Heading by style</p>"
        "<p><span style='FONT-WEIGHT: bold' class='x'>Heading in a span</span></p>"
        "<p class='bold'>Heading by class</p>"
        "<p style='font-weight:400'>Plain weight</p>"
        "<p><strong style='font-weight:normal'>Not bold after all</strong></p>"
    )
    styled = [(n.tag, n.text_content()) for n in root.iter() if n.get("style")]
    assert styled == [
        ("p", "Heading by style"),
        ("span", "Heading in a span"),
        ("p", "Heading by class"),
    ]
    assert {n.get("style") for n in root.iter() if n.get("style")} == {"font-weight:bold"}
    assert [n.text_content() for n in root.iter("strong", "b")] == []


def test_buttons_are_dropped_except_accordion_and_faq_toggles():
    root = article(
        "<div class='faq'><button class='faq-question'>Is it safe?</button>"
        "<div class='faq-answer'>Yes, for most people.</div></div>"
        "<h3><button aria-expanded='false'>Dosing</button></h3><div><p>Once a month.</p></div>"
        "<p>Tell a friend <button>Share</button></p>"
        "<button aria-expanded='false' aria-controls='nav'>Menu</button>"
        "<ul id='nav'><li><a href='/a'>Home</a></li><li><a href='/b'>News</a></li></ul>"
    )
    assert root.find(".//button") is None
    question = root.find(".//*[@class='faq-question']")
    assert (question.tag, question.text_content()) == ("p", "Is it safe?")
    assert root.find(".//h3").text_content() == "Dosing"
    result = text_of(root)
    assert "Share" not in result and "Menu" not in result


def figure(alt: str, caption: str) -> str:
    return f"<figure><img src='/a.jpg' alt='{alt}'><figcaption>{caption}</figcaption></figure>"


@pytest.mark.parametrize(
    ("alt", "caption", "image", "kept_caption"),
    [
        # Different texts: the alt describes the picture, the caption adds to it.
        ("A nurse adjusts an infusion drip", "Infusions take two to four hours.",
         "A nurse adjusts an infusion drip", "Infusions take two to four hours."),
        # One holds the other: the fuller text, once, as the image.
        ("A nurse adjusts an infusion drip", "A nurse adjusts an infusion drip in a clinic.",
         "A nurse adjusts an infusion drip in a clinic.", None),
        ("A nurse adjusts an infusion drip in a clinic.", "Nurse adjusts infusion drip",
         "A nurse adjusts an infusion drip in a clinic.", None),
        # An alt that says nothing (a file name, search keywords, the headline) gives way.
        ("IMG_2041.jpg", "A nurse adjusts an infusion drip.",
         "A nurse adjusts an infusion drip.", None),
        ("nurse, drip, infusion, hospital, stock", "A nurse adjusts an infusion drip.",
         "A nurse adjusts an infusion drip.", None),
        ("Living with MS", "A nurse adjusts an infusion drip.",
         "A nurse adjusts an infusion drip.", None),
    ],
)  # fmt: skip
def test_figure_keeps_the_alt_text_and_a_caption_that_adds_to_it(
    alt: str, caption: str, image: str, kept_caption: str | None
):
    root = extract(page(inside=figure(alt, caption))).root
    assert [img.get("alt") for img in root.iter("img")] == [image]
    captions = [normalise(c.text_content()) for c in root.iter("figcaption")]
    assert captions == ([kept_caption] if kept_caption else [])


def normalise(text: str) -> str:
    return " ".join(text.split())


def test_image_inside_a_picture_source_keeps_its_alt():
    # libxml2 nests the <img> of a <picture> inside its (void) <source> element.
    root = article(
        "<figure><picture><source srcset='/a.webp' type='image/webp'>"
        "<img src='/a.jpg' alt='Smog over India Gate in New Delhi'></picture>"
        "<figcaption>Air pollution in Delhi remains unhealthy this week.</figcaption></figure>"
    )
    assert root.find(".//source") is None
    lines = text_of(root).splitlines()
    at = lines.index("Smog over India Gate in New Delhi")
    assert lines[at + 1] == "Air pollution in Delhi remains unhealthy this week."


def test_dont_miss_paragraphs_of_links_are_removed():
    inside = (
        "<p><strong>DON'T MISS</strong><br><strong><a href='/a'>Plague warning: CDC names "
        "eight deadly diseases</a> [WARNING]</strong><br><strong><a href='/b'>Holidaymakers "
        "die after eating marmot</a> [INSIGHT]</strong></p>"
        "<p><strong>Must read</strong></p><p><a href='/c'>China furious at Macron</a> "
        "[INSIGHT] | <a href='/d'>Lakers vs Nets: NBA make final decision</a></p>"
        "<p>Related research shows that <a href='/e'>vitamin D</a> may matter.</p>"
    )
    result = text(page(inside=inside))
    for gone in ("DON'T MISS", "Plague warning", "marmot", "Must read", "Macron", "Lakers"):
        assert gone not in result
    assert "Related research shows that vitamin D may matter." in result
