"""End to end on real-shaped pages: extract() must give the exact outline a listener needs,
the question/answer pairs, and none of the page furniture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.pages import SCOREBOARD, SCOREBOARD_FIRST_GAME, SCOREBOARD_OUTLINE, titles

from reader.extract import extract, load_article
from reader.model import Article, Page

SEED_TITLE = "Infusion Treatments: Benefits and Side Effects"


def outline(article: Article) -> list[tuple[str, str, int]]:
    return [(s.title, s.kind, s.level) for s in article.sections]


def pairs(article: Article, title: str) -> list[tuple[str, str]]:
    """The (question, answer) pairs of the section called `title`, checking they alternate."""
    (section,) = [s for s in article.sections if s.title == title]
    kinds = [b.kind for b in section.blocks]
    assert kinds == ["question", "answer"] * (len(kinds) // 2), kinds
    texts = [b.text for b in section.blocks]
    return list(zip(texts[::2], texts[1::2], strict=True))


def all_text(article: Article) -> str:
    parts = [article.title]
    for section in article.sections:
        parts.append(section.title)
        parts.extend(b.text for b in section.blocks)
    return "\n".join(parts)


def assert_no_boilerplate(article: Article, strings: list[str]) -> None:
    text = all_text(article).casefold()
    survivors = [s for s in strings if s.casefold() in text]
    assert survivors == []


def extract_file(path: Path) -> Article:
    return extract(Page(text=path.read_text(encoding="utf-8"), url=path.as_uri()))


# ---------------------------------------------------------------- seed-like ---


@pytest.fixture(scope="module")
def seed(fixtures_dir: Path) -> Article:
    return extract_file(fixtures_dir / "seed_like.html")


def test_seed_outline_is_intro_qa_and_one_section_per_drug(seed: Article) -> None:
    assert seed.title == SEED_TITLE
    assert outline(seed) == [
        (SEED_TITLE, "intro", 1),
        ("Q&A: Administering infusion treatments", "qa", 2),
        ("Infusion treatment drugs", "section", 2),
        ("Alemtuzumab (Lemtrada)", "section", 3),
        ("Natalizumab (Tysabri)", "section", 3),
        ("Ocrelizumab (Ocrevus)", "section", 3),
        ("Side effects of the infusion process", "section", 2),
    ]


def test_seed_qa_has_exactly_one_pair_without_markers(seed: Article) -> None:
    [(question, answer)] = pairs(seed, "Q&A: Administering infusion treatments")
    assert question == "How are infusion treatments given?"
    assert answer.startswith("These drugs are injected intravenously. This means you receive")
    assert "in a healthcare facility." in answer
    assert not answer.startswith(("A:", "Q:"))


def test_seed_sections_hold_their_own_paragraphs(seed: Article) -> None:
    by_title = {s.title: s for s in seed.sections}
    intro = by_title[SEED_TITLE]
    assert [b.kind for b in intro.blocks] == ["paragraph"] * 5
    assert intro.blocks[0].text.startswith("Multiple Sclerosis (MS) is an autoimmune disease")
    assert len(by_title["Alemtuzumab (Lemtrada)"].blocks) == 3
    assert (
        by_title["Natalizumab (Tysabri)"].blocks[0].text.startswith("Natalizumab (Tysabri) works")
    )
    assert len(by_title["Ocrelizumab (Ocrevus)"].blocks) == 4
    assert by_title["Ocrelizumab (Ocrevus)"].blocks[-1].text.endswith("every six months.")
    side = by_title["Side effects of the infusion process"]
    assert [b.text[:30] for b in side.blocks] == [
        "The infusion itself can cause ",
        "Steroids or antihistamines giv",
    ]


def test_seed_leaves_no_boilerplate(seed: Article) -> None:
    assert_no_boilerplate(
        seed,
        [
            "By accepting you will be accessing",
            "third-party external",
            "Decline",
            "Toggle Navigation",
            "MS Education",
            "Webinars",
            "Donate",
            "Search ...",
            "Written by",
            "Hits:",
            "Print",
            "This Article is Provided by",
            "#MSViewsandNews",
            "Original author",
            "AAN issues guideline",
            "Tecfidera",
            "Prev",
            "No comments made yet",
            "Be the first to submit a comment",
            "Already Registered",
            "Login",
            "Captcha",
            "Submit Comment",
            "RSS Statement",
            "Most of the information found on this website comes from RSS Feeds",
            "Latest News",
            "Wednesday, 27 May 2020",
            "Back to Top",
            "©",
        ],
    )


def test_builtin_sample_is_the_seed_like_page(fixtures_dir: Path) -> None:
    from importlib import resources

    sample = resources.files("reader").joinpath("data", "sample.html").read_text("utf-8")
    assert sample == (fixtures_dir / "seed_like.html").read_text("utf-8")


def test_load_article_reads_a_local_file(fixtures_dir: Path) -> None:
    article = load_article(str(fixtures_dir / "seed_like.html"))
    assert article.title == SEED_TITLE
    assert [s.kind for s in article.sections].count("qa") == 1
    assert article.language.lower().startswith("en")


# ----------------------------------------------------------------- magazine ---


@pytest.fixture(scope="module")
def magazine(fixtures_dir: Path) -> Article:
    return extract_file(fixtures_dir / "magazine.html")


MAG_TITLE = "Sleeping Well With Multiple Sclerosis"


def test_magazine_outline_keeps_h2_h3_nesting_and_the_qa_callout(magazine: Article) -> None:
    assert magazine.title == MAG_TITLE
    assert outline(magazine) == [
        (MAG_TITLE, "intro", 1),
        ("Why MS disrupts sleep", "section", 2),
        ("Pain and spasticity", "section", 3),
        ("Bladder problems", "section", 3),
        ("Sleep habits that help", "section", 2),
        ("Ask the Expert", "qa", 3),
        ("Sleep habits that help (continued)", "section", 2),
        ("Sleep problems at a glance", "section", 2),
        ("When to see a doctor", "section", 2),
    ]


def test_magazine_qa_callout_pairs(magazine: Article) -> None:
    qa = pairs(magazine, "Ask the Expert")
    assert [q for q, _ in qa] == [
        "Should I take melatonin to help me sleep?",
        "Is it bad to nap during the day?",
    ]
    assert qa[0][1].startswith("Melatonin can help some people fall asleep faster")
    assert qa[1][1].startswith("A short nap of 20 to 30 minutes")


def test_magazine_lists_tables_and_images(magazine: Article) -> None:
    by_title = {s.title: s for s in magazine.sections}
    bladder = by_title["Bladder problems"].blocks
    assert [b.kind for b in bladder] == ["paragraph", "list_item", "list_item", "list_item"]
    assert bladder[2].text == "Cut back on caffeine and alcohol, which irritate the bladder."
    rows = [(b.kind, b.text) for b in by_title["Sleep problems at a glance"].blocks]
    assert rows == [
        ("table_row", "Problem; How common in MS; What helps"),
        ("table_row", "Insomnia; About 40%; Regular schedule, CBT for insomnia"),
        ("table_row", "Restless legs; About 20%; Iron check, medication"),
    ]
    # The alt text written for blind readers is the image; the caption, which says
    # something else, follows it; each is heard once.
    alt = "A woman reading a book in bed under a warm bedside lamp"
    caption = "A calm, dim bedroom helps your body get ready for sleep."
    blocks = [(b.kind, b.text) for s in magazine.sections for b in s.blocks]
    at = blocks.index(("image", alt))
    assert blocks[at + 1] == ("paragraph", caption)
    assert [b for b in blocks if b[0] == "image"] == [("image", alt)]
    assert all_text(magazine).count(caption) == 1
    assert all_text(magazine).count(alt) == 1
    continued = by_title["Sleep habits that help (continued)"].blocks
    assert [b.text[:25] for b in continued] == ["Limit screens in the hour"]


def test_magazine_leaves_no_boilerplate(magazine: Article) -> None:
    assert_no_boilerplate(
        magazine,
        [
            "Advertisement",
            "Skip to content",
            "Wellness",
            "Recipes",
            "Jane Whitfield",
            "Medically reviewed",
            "Updated March 3",
            "Share on Facebook",
            "Share this article",
            "Pin it",
            "Email this article",
            "newsletter",
            "Sign up for expert tips",
            "Subscribe",
            "Privacy Policy",
            "How to Manage MS Fatigue at Work",
            "Related:",
            "Was this helpful",
            "You May Also Like",
            "The Best Diet for Multiple Sclerosis",
            "Terms of Use",
            "does not provide medical advice",
        ],
    )


# ---------------------------------------------------------------------- faq ---


@pytest.fixture(scope="module")
def faq(fixtures_dir: Path) -> Article:
    return extract_file(fixtures_dir / "faq.html")


def test_faq_outline_dl_details_and_glossary(faq: Article) -> None:
    assert faq.title == "Infusion Therapy FAQ"
    assert outline(faq) == [
        ("Infusion Therapy FAQ", "intro", 1),
        ("Before your infusion", "qa", 2),
        ("During and after your infusion", "qa", 2),
        ("Words you may hear", "section", 2),
        ("Infusion reaction", "section", 3),
        ("Premedication", "section", 3),
    ]


def test_faq_pairs_from_dl_and_details(faq: Article) -> None:
    assert pairs(faq, "Before your infusion") == [
        (
            "How long does an infusion appointment take?",
            "Plan for two to four hours. The drip itself usually takes one to three hours, "
            "and we watch you for an hour afterwards.",
        ),
        (
            "Can I eat before my infusion?",
            "Yes. Eat a normal breakfast or lunch and drink plenty of water unless your "
            "doctor told you otherwise.",
        ),
    ]
    assert pairs(faq, "During and after your infusion") == [
        (
            "Can I drive home afterwards?",
            "Most people can, but you may feel drowsy if you were given antihistamines. "
            "Bring someone with you for your first infusion.",
        ),
        (
            "What should I do if I get a rash at home?",
            "Call the infusion suite on the number on your appointment card. "
            "If you have trouble breathing, call emergency services.",
        ),
    ]


def test_faq_glossary_terms_are_sections_not_questions(faq: Article) -> None:
    by_title = {s.title: s for s in faq.sections}
    assert by_title["Words you may hear"].blocks == []
    reaction = by_title["Infusion reaction"].blocks
    assert [b.kind for b in reaction] == ["paragraph"]
    assert reaction[0].text.startswith("A reaction such as a rash")


def test_faq_leaves_no_boilerplate(faq: Article) -> None:
    assert_no_boilerplate(
        faq,
        [
            "Flu shots",
            "Book now",
            "Our Services",
            "Find a Doctor",
            "Patients & Visitors",
            "Contact Us",
            "Still have questions",
            "555-0100",
            "Stay informed",
            "newsletter",
            "River Road",
            "Accessibility",
            "©",
        ],
    )


# ------------------------------------------------------------ odd inputs ---


def test_plain_text_page_becomes_paragraphs_with_first_line_title() -> None:
    text = (
        "Living with MS\n\nFirst paragraph, line one\nline two.\n\n"
        "Treatment\n\nSecond paragraph.\n\nQ: Is it curable?\n\nA: Not yet."
    )
    article = extract(Page(text=text, url="file:///tmp/x.txt", is_html=False))
    assert article.title == "Living with MS"
    assert outline(article) == [
        ("Living with MS", "intro", 1),
        ("Treatment", "section", 2),
        ("Questions and answers", "qa", 3),
    ]
    assert article.sections[0].blocks[0].text == "First paragraph, line one line two."
    assert pairs(article, "Questions and answers") == [("Is it curable?", "Not yet.")]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav><form><input name='user'>"
        "<button>Log in</button></form></body></html>",
    ],
)
def test_pages_without_an_article_raise_a_plain_sentence(html: str) -> None:
    from reader.errors import NoArticleError

    with pytest.raises(NoArticleError) as caught:
        extract(Page(text=html, url="http://127.0.0.1/x"))
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message and len(message) < 120


def test_blank_plain_text_has_no_article() -> None:
    from reader.errors import NoArticleError

    with pytest.raises(NoArticleError):
        extract(Page(text="\n \n\t\n", url="-", is_html=False))


def test_fixture_page_helper_loads_fixtures(fixture_page: Callable[[str], Page]) -> None:
    page = fixture_page("faq.html")
    assert page.is_html and "FAQPage" in page.text
    assert extract(page).title == "Infusion Therapy FAQ"


def test_plain_text_headings_glued_to_paragraphs_and_hard_wrapped_text() -> None:
    text = (
        "Infusions\n\n"
        "Multiple sclerosis is an autoimmune disease that affects the central\n"
        "nervous system and its myelin coating over many years.\n"
        "Read on to learn more.\n"
        "Q&A: Giving infusions\n\n"
        "Q: How are they given?\n\nA: Through a vein.\n\n"
        "## Drugs\n\nThree are in use.\n\nThe end"
    )
    article = extract(Page(text=text, url="-", is_html=False))
    assert outline(article) == [
        ("Infusions", "intro", 1),
        ("Q&A: Giving infusions", "qa", 2),
        ("Drugs", "section", 2),
    ]
    assert article.sections[0].blocks[0].text == (
        "Multiple sclerosis is an autoimmune disease that affects the central "
        "nervous system and its myelin coating over many years. Read on to learn more."
    )
    assert [b.text for b in article.sections[2].blocks] == ["Three are in use.", "The end"]


def test_faq_questions_are_read_from_json_ld() -> None:
    from reader.extract import faq_questions

    html = (
        '<script type="application/ld+json">{"@type": "FAQPage", "mainEntity": ['
        '{"@type": "Question", "name": " Can I\\n eat? "}, {"@type": "Thing", "name": "x"}]}'
        '</script><script type="application/ld+json">{broken</script>'
    )
    assert faq_questions(html) == ["Can I eat?"]
    assert faq_questions("<p>No structured data.</p>") == []


# ------------------------------------------------- small pages, end to end ---

STORY = (
    "<p>Multiple sclerosis is a disease of the central nervous system, and it affects people "
    "in very different ways, from mild numbness to serious problems with walking.</p>"
    "<p>Treatment has improved a great deal over the last twenty years, and today there are "
    "many medicines that slow the disease down and reduce the number of relapses.</p>"
)


def small_page(body: str, title: str = "Living with MS") -> Article:
    """A page with a menu, the article (`body` after two paragraphs) and a footer."""
    html = (
        f"<!doctype html><html lang='en'><head><title>{title} | MS Clinic</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{STORY}{body}</article>"
        "<footer>© MS Clinic 2024</footer></body></html>"
    )
    return extract(Page(text=html, url="https://clinic.example/ms"))


def test_bold_set_by_style_or_class_makes_pseudo_headings() -> None:
    article = small_page(
        "<p style='color:#333; font-weight:bold'>Natalizumab (Tysabri)</p>"
        "<p>Natalizumab stops damaging immune cells from entering the brain.</p>"
        "<p><span style='font-weight: 700'>Alemtuzumab (Lemtrada)</span></p>"
        "<p>Given once a day for five days, then for three days a year later.</p>"
        "<div style='font: bold 16px Arial'>Ocrelizumab (Ocrevus)</div>"
        "<p>Given every six months in a clinic.</p>"
        "<p class='fw-bold'>Ofatumumab (Kesimpta)</p>"
        "<p>An injection you give yourself at home once a month.</p>"
    )
    assert outline(article)[1:] == [
        ("Natalizumab (Tysabri)", "section", 2),
        ("Alemtuzumab (Lemtrada)", "section", 2),
        ("Ocrelizumab (Ocrevus)", "section", 2),
        ("Ofatumumab (Kesimpta)", "section", 2),
    ]
    texts = [[b.text for b in s.blocks] for s in article.sections[1:]]
    assert texts[1] == ["Given once a day for five days, then for three days a year later."]


def test_bold_tag_made_normal_weight_by_css_is_not_a_heading() -> None:
    # Google Docs pastes wrap text in <b style="font-weight:normal">.
    article = small_page(
        "<p><b style='font-weight:normal'>Ask your nurse</b></p>"
        "<p>Your nurse can tell you what to bring on the day.</p>"
    )
    assert outline(article) == [("Living with MS", "intro", 1)]
    assert article.sections[0].blocks[-2].text == "Ask your nurse"


def test_faq_questions_written_as_buttons_keep_their_questions() -> None:
    article = small_page(
        "<h2>Common questions</h2><div class='faq'>"
        "<div class='faq-item'><button class='faq-question' aria-expanded='true'>"
        "How long does an infusion take?</button>"
        "<div class='faq-answer'><p>Usually two to four hours.</p></div></div>"
        "<div class='faq-item'><button class='faq-question' aria-expanded='false'>"
        "Can I drive home afterwards?</button>"
        "<div class='faq-answer' hidden><p>Most people can drive home.</p></div></div></div>"
    )
    assert outline(article)[1:] == [("Common questions", "qa", 2)]
    assert pairs(article, "Common questions") == [
        ("How long does an infusion take?", "Usually two to four hours."),
        ("Can I drive home afterwards?", "Most people can drive home."),
    ]


def test_aria_accordion_in_headings_keeps_titles_and_opens_hidden_panels() -> None:
    article = small_page(
        "<h2>Before your visit</h2><div class='accordion'>"
        "<h3><button aria-expanded='false' aria-controls='p1'>What should I bring?</button></h3>"
        "<div id='p1' role='region' hidden><p>Your medication list and a snack.</p></div>"
        "<h3><button aria-expanded='false' aria-controls='p2'>Parking</button></h3>"
        "<div id='p2' role='region' style='display:none'><p>Parking is free.</p></div></div>"
    )
    assert outline(article)[1:] == [("Before your visit", "qa", 2), ("Parking", "section", 3)]
    assert pairs(article, "Before your visit") == [
        ("What should I bring?", "Your medication list and a snack.")
    ]
    assert [b.text for b in article.sections[-1].blocks] == ["Parking is free."]


def test_accordion_buttons_outside_headings_title_their_panels() -> None:
    article = small_page(
        "<button class='accordion'>Side effects</button>"
        "<div class='panel'><p>Headache and tiredness are common after an infusion.</p></div>"
        "<button aria-expanded='false' aria-controls='more'>Read more</button>"
        "<div id='more' hidden><p>Most side effects fade within a day.</p></div>"
        "<p>Questions? Call the clinic.</p>"
        "<button>Print</button><button aria-controls='menu'>Menu</button>"
        "<ul id='menu'><li><a href='/'>Home</a></li><li><a href='/about'>About</a></li></ul>"
    )
    assert outline(article)[1:] == [("Side effects", "section", 2)]
    assert [b.text for b in article.sections[-1].blocks] == [
        "Headache and tiredness are common after an infusion.",
        "Most side effects fade within a day.",
        "Questions? Call the clinic.",
    ]
    assert_no_boilerplate(article, ["Read more", "Print", "Menu", "About"])


def test_scoreboard_of_bold_lines_loses_no_line() -> None:
    article = small_page(
        SCOREBOARD
        + "<p><strong>Heritage (1-0): </strong>Armani Sheffield 19 points and 3 steals.</p>",
        title="High school roundup",
    )
    assert outline(article)[1:] == SCOREBOARD_OUTLINE
    assert [b.text for b in article.sections[2].blocks] == SCOREBOARD_FIRST_GAME


def test_plain_text_heading_lines_in_a_row_are_all_kept() -> None:
    text = "Diary\n\nChapter one\n\nThe beginning\n\nIt was a cold day in March."
    article = extract(Page(text=text, url="-", is_html=False))
    assert outline(article) == [("Chapter one", "section", 2)]
    assert [b.text for b in article.sections[0].blocks] == [
        "The beginning",
        "It was a cold day in March.",
    ]


def test_plain_text_whose_first_line_is_the_whole_text_is_read_not_refused() -> None:
    """A one-line .txt (e.g. 100 KB with no line breaks) is a paragraph, named by its file."""
    body = "Infusions are given in a clinic. " * 3000
    article = extract(Page(text=body, url="/home/ann/ms_infusion-notes.txt", is_html=False))
    assert article.title == "ms infusion notes"
    assert [s.kind for s in article.sections] == ["intro"]
    spoken = " ".join(b.text for b in article.sections[0].blocks)
    assert spoken.count("Infusions are given in a clinic.") == 3000


@pytest.mark.parametrize(
    ("text", "title", "first"),
    [
        # Prose on the first line is read, not swallowed as the title.
        ("Line one. It has two sentences.\nMore.\n\nNext part.\n", "notes", "Line one."),
        # A single short sentence is the whole text: read it, don't refuse it.
        ("Just some plain text. Second sentence here.\n", "notes", "Just some plain text."),
        # A real title line still titles the text.
        ("What is MS?\n\nA disease of the nerves.\n", "What is MS?", "A disease of the nerves."),
    ],
)
def test_plain_text_first_line_is_a_title_only_when_it_looks_like_one(
    text: str, title: str, first: str
) -> None:
    article = extract(Page(text=text, url="/home/ann/notes.txt", is_html=False))
    assert article.title == title
    assert article.sections[0].blocks[0].text.startswith(first)


# ------------------------------------------- issue 10: read the whole page, nothing else ---


def section(article: Article, title: str) -> list[tuple[str, str]]:
    (found,) = [s for s in article.sections if s.title == title]
    return [(b.kind, b.text) for b in found.blocks]


@pytest.fixture(scope="module")
def ms_support(fixtures_dir: Path) -> Article:
    return extract_file(fixtures_dir / "ms_support.html")


def test_sections_named_after_their_heading_are_never_dropped_for_the_name(
    ms_support: Article,
) -> None:
    """ids and classes that start with a boilerplate word ("social-", "consent",
    "comments-", "subscription-") but are the block's own heading made a slug."""
    assert titles(ms_support) == [
        "Support for Living with MS",
        "Social Security Disability",
        "Informed consent",
        "Social support",
        "Subscription costs",
        "Comments from neurologists",
        "Where to find help",
    ]
    assert section(ms_support, "Informed consent")[0][1].startswith("Before any new treatment")
    assert "sixty days" in section(ms_support, "Social Security Disability")[1][1]
    assert "ten dollars" in section(ms_support, "Subscription costs")[0][1]


def test_real_furniture_with_the_same_words_is_still_dropped(ms_support: Article) -> None:
    assert_no_boilerplate(
        ms_support, ["Share on Facebook", "Great article", "I disagree", "2 Comments", "Copyright"]
    )


def test_role_heading_with_aria_level_is_a_heading(ms_support: Article) -> None:
    (where,) = [s for s in ms_support.sections if s.title == "Where to find help"]
    assert (where.kind, where.level) == ("section", 2)


def test_role_heading_on_a_whole_block_of_text_is_not_a_heading() -> None:
    article = small_page(
        "<p>Our first paragraph has enough words to be read as an article today.</p>"
        "<div role='heading' aria-level='3' class='note-text'><p>A reader's whole "
        "note, several sentences long. It is not a heading at all.</p></div>"
    )
    assert titles(article) == ["Living with MS"]
    assert "It is not a heading at all." in all_text(article)


def test_hidden_text_is_never_read_but_screen_reader_text_is(ms_support: Article) -> None:
    text = all_text(ms_support)
    for hidden in ("Hidden promotional", "Also hidden", "Hidden attribute", "Decorative text"):
        assert hidden not in text
    assert ("paragraph", "This article was reviewed by a neurologist in March.") in section(
        ms_support, "Where to find help"
    )


@pytest.fixture(scope="module")
def wiki(fixtures_dir: Path) -> Article:
    return extract_file(fixtures_dir / "wiki_style.html")


def test_reference_page_titles_have_no_edit_links_and_references_come_last(
    wiki: Article,
) -> None:
    assert outline(wiki) == [
        ("B cell", "intro", 1),
        ("Development", "section", 2),
        ("Function", "section", 2),
        ("References", "section", 2),
    ]
    assert [kind for kind, _ in section(wiki, "References")] == ["list_item"] * 4
    assert section(wiki, "References")[0] == (
        "list_item",
        "Murphy K. Janeway's Immunobiology. Garland Science, 2012.",
    )


def test_citation_markers_and_maintenance_boxes_are_not_read(wiki: Article) -> None:
    assert section(wiki, "B cell")[0][1] == (
        "B cells, also known as B lymphocytes, are a type of white blood cell of the "
        "lymphocyte subtype. They function in the humoral immunity component of the adaptive "
        "immune system."
    )
    text = all_text(wiki)
    for furniture in ("[1]", "[3]", "citation needed", "You can help", "For other uses",
                      "edit", "Jump to content", "NK cell", "Category", "^"):  # fmt: skip
        assert furniture not in text, furniture


@pytest.fixture(scope="module")
def docs(fixtures_dir: Path) -> Article:
    return extract_file(fixtures_dir / "docs_code.html")


def test_code_blocks_stay_whole_with_their_lines(docs: Article) -> None:
    assert docs.title == "Reading files"
    (code,) = [b for s in docs.sections for b in s.blocks if b.kind == "code"]
    assert code.text.splitlines() == [
        "const fs = require('fs');",
        "const text = fs.readFileSync('notes.txt', 'utf8');",
        "if (text.length) {",
        "  console.log(text.split('\\n').length);",
        "}",
    ]


def test_code_is_spoken_line_by_line_never_split_at_dots(docs: Article) -> None:
    from reader.speech import block_sentences

    (code,) = [b for s in docs.sections for b in s.blocks if b.kind == "code"]
    spoken = block_sentences(code)
    # Symbols are named (eSpeak says none of them): issue 12, structure spoken.
    assert spoken[0] == "const fs equals require left paren tick fs tick right paren semicolon"
    assert spoken[1] == (
        "const text equals fs dot readFileSync left paren tick notes dot txt tick comma "
        "tick utf8 tick right paren semicolon"
    )
    assert len(spoken) == 5


def test_heading_anchors_are_not_read(docs: Article) -> None:
    assert titles(docs) == ["Reading files", "Streams", "Footnotes"]
    assert "¶" not in all_text(docs) and "#" not in all_text(docs)


def test_formulas_are_read_from_their_text_alternative_or_announced(docs: Article) -> None:
    texts = [text for _, text in section(docs, "Streams")]
    assert texts[1] == (
        "The variance is sigma squared equals the mean of x minus mu, squared for a random "
        "variable, and the identity a + b = b + a holds."
    )
    assert texts[2] == "Finally formula is shown without any text alternative at all."


def test_footnotes_are_gathered_at_the_end_without_markers_in_sentences(docs: Article) -> None:
    texts = [text for _, text in section(docs, "Streams")]
    assert texts[3] == (
        "The mean of a stream of numbers can be computed one chunk at a time without keeping "
        "them all, which B cells do not need."
    )
    assert docs.sections[-1].title == "Footnotes"
    assert section(docs, "Footnotes") == [("list_item", "Welford gave a stable method in 1962.")]


def test_outline_json_names_the_code_block_kind(fixtures_dir: Path) -> None:
    data = extract_file(fixtures_dir / "docs_code.html").to_dict()
    kinds = [b["kind"] for s in data["sections"] for b in s["blocks"]]
    assert kinds.count("code") == 1


@pytest.fixture(scope="module")
def howto(fixtures_dir: Path) -> Article:
    return extract_file(fixtures_dir / "howto.html")


def test_howto_keeps_its_materials_list_and_steps_as_sections(howto: Article) -> None:
    assert titles(howto) == [
        "How to Build a Raised Garden Bed",
        "What you'll need",
        "Step 1: Cut the boards",
        "Step 2: Screw the frame together",
        "Step 3: Fill with soil",
    ]
    assert section(howto, "What you'll need") == [
        ("list_item", "Four cedar boards, 2 by 10 inches"),
        ("list_item", "Deck screws, 3 inches"),
        ("list_item", "A cordless drill"),
        ("list_item", "Twelve bags of garden soil"),
    ]
    assert section(howto, "Step 2: Screw the frame together") == [
        ("image", "Drive three screws into each corner."),
        (
            "paragraph",
            "Stand the boards on edge and join the corners, pre-drilling so the cedar "
            "does not split.",
        ),  # fmt: skip
    ]


def test_forum_thread_is_its_posts_in_order_titled_by_author_and_date(
    fixtures_dir: Path,
) -> None:
    thread = extract_file(fixtures_dir / "forum.html")
    assert outline(thread) == [
        ("Ann, 1 March 2025", "section", 2),
        ("Bob, 1 March 2025", "section", 2),
        ("Cara, 2 March 2025", "section", 2),
    ]
    assert section(thread, "Bob, 1 March 2025") == [
        (
            "paragraph",
            "Mine took about four months to mostly return. Physiotherapy helped with balance "
            "while it did.",
        )
    ]
    assert_no_boilerplate(
        thread,
        ["Popular threads", "Best shoes", "Reply", "Member", "Moderator", "Log in", "Copyright"],
    )


def test_product_page_reads_its_description_and_specification_table(fixtures_dir: Path) -> None:
    product = extract_file(fixtures_dir / "product.html")
    assert titles(product) == [
        "Folding Walking Cane with Seat",
        "Description",
        "Specifications",
    ]
    assert section(product, "Specifications") == [
        ("table_row", "Weight; 1.1 kg"),
        ("table_row", "Height; 84 to 94 cm"),
        ("table_row", "Maximum load; 120 kg"),
    ]
    assert_no_boilerplate(
        product, ["Add to cart", "Filter by", "Customers also bought", "Bath seat"]
    )


def test_listing_reads_every_item_not_one_card_nor_the_filters(fixtures_dir: Path) -> None:
    listing = extract_file(fixtures_dir / "listing.html")
    # Each item's title is heard in page order, as a list item or as a section to jump to.
    items = [t for s in listing.sections for t in [s.title, *(b.text for b in s.blocks)]]
    item_titles = [
        "Saving energy through the day",
        "Why MS disrupts sleep",
        "Heat makes fatigue worse",
        "Medicines for fatigue",
    ]
    assert [t for t in items if t in item_titles] == item_titles
    assert_no_boilerplate(listing, ["Filter", "Guides", "Next page", "About us"])
