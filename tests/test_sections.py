"""build_sections on small snippets: each boundary rule, its negatives, Q&A, tables, images."""

from __future__ import annotations

import lxml.html
import pytest
from helpers.pages import SCOREBOARD, SCOREBOARD_FIRST_GAME, SCOREBOARD_OUTLINE
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from reader.extract.sections import build_sections
from reader.model import Block, Section
from reader.text import one_line as clean_text

TITLE = "The Article"


def build(html: str, title: str = TITLE, **kw: object) -> list[Section]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return build_sections(root, title, **kw)  # type: ignore[arg-type]


def outline(sections: list[Section]) -> list[tuple[str, str, int]]:
    return [(s.title, s.kind, s.level) for s in sections]


def blocks(section: Section) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in section.blocks]


# ------------------------------------------------------------- headings ---


def test_text_before_the_first_heading_is_an_intro_titled_with_the_article() -> None:
    sections = build("<p>Opening words.</p><h2>Next</h2><p>More.</p>")
    assert outline(sections) == [(TITLE, "intro", 1), ("Next", "section", 2)]
    assert blocks(sections[0]) == [("paragraph", "Opening words.")]


def test_no_intro_when_the_article_starts_with_a_heading() -> None:
    assert outline(build("<h2>First</h2><p>x.</p>")) == [("First", "section", 2)]


def test_h1_equal_to_the_title_is_not_a_section_but_another_h1_is() -> None:
    html = "<h1>The  article!</h1><p>Intro.</p><h1>Part two</h1><p>Body.</p>"
    assert outline(build(html)) == [(TITLE, "intro", 1), ("Part two", "section", 1)]


def test_real_heading_levels_are_kept_so_sections_nest() -> None:
    html = "<h2>A</h2><p>a.</p><h3>A.1</h3><p>b.</p><h4>A.1.x</h4><p>c.</p><h2>B</h2><p>d.</p>"
    assert [(t, lv) for t, _, lv in outline(build(html))] == [
        ("A", 2),
        ("A.1", 3),
        ("A.1.x", 4),
        ("B", 2),
    ]


def test_empty_sections_are_dropped_unless_a_subsection_follows() -> None:
    html = (
        "<h2>Empty</h2><h2>Parent</h2><h3>Child</h3><p>x.</p>"
        "<h2>Chain</h2><h3>Empty child</h3><h2>Last</h2><p>y.</p>"
    )
    assert [t for t, _, _ in outline(build(html))] == ["Parent", "Child", "Last"]


@pytest.mark.parametrize("heading", ["<h2> \u00a0 </h2>", "<h2>______</h2>", "<h3>* * *</h3>"])
def test_headings_without_words_are_ignored(heading: str) -> None:
    sections = build(f"<p>Body.</p>{heading}<p>More.</p>")
    assert outline(sections) == [(TITLE, "intro", 1)]
    assert len(sections[0].blocks) == 2


# ------------------------------------------------------- pseudo-headings ---


@pytest.mark.parametrize(
    "para",
    [
        "<p><strong>Alemtuzumab (Lemtrada)</strong></p>",
        "<p><b>Alemtuzumab (Lemtrada)</b></p>",
        "<p><strong>Alemtuzumab</strong> <strong>(Lemtrada)</strong></p>",
        "<p style='font-weight: bold'>Alemtuzumab (Lemtrada)</p>",
        "<p><span style='font-weight:700'>Alemtuzumab (Lemtrada)</span></p>",
        "<div><strong><em>Alemtuzumab (Lemtrada)</em></strong></div>",
        "<p><strong>Alemtuzumab (Lemtrada):</strong></p>",
    ],
)
def test_bold_short_paragraph_is_a_pseudo_heading_one_below_the_last_heading(para: str) -> None:
    sections = build(f"<h2>Drugs</h2><p>Three drugs.</p>{para}<p>Given yearly.</p>")
    assert outline(sections) == [
        ("Drugs", "section", 2),
        ("Alemtuzumab (Lemtrada)", "section", 3),
    ]
    assert blocks(sections[1]) == [("paragraph", "Given yearly.")]


def test_pseudo_headings_are_siblings_and_a_real_heading_closes_them() -> None:
    html = (
        "<h3>Drugs</h3><p><b>One</b></p><p>a.</p><p><b>Two</b></p><p>b.</p>"
        "<h2>Next</h2><p><b>Three</b></p><p>c.</p>"
    )
    assert [(t, lv) for t, _, lv in outline(build(html))] == [
        ("Drugs", 3),
        ("One", 4),
        ("Two", 4),
        ("Next", 2),
        ("Three", 3),
    ]


def test_pseudo_heading_before_any_heading_is_level_two() -> None:
    sections = build("<p>Intro.</p><p><strong>Dosage</strong></p><p>Twice a day.</p>")
    assert outline(sections) == [(TITLE, "intro", 1), ("Dosage", "section", 2)]


@pytest.mark.parametrize(
    "para",
    [
        "<p><strong>Always tell your doctor.</strong></p>",
        "<p><strong>Stop taking it now!</strong></p>",
        "<p><strong>Is it safe?</strong></p>",
        "<p><strong>This bold line is much too long to be a heading of any kind</strong></p>",
        "<p><strong>Alemtuzumab</strong> (Lemtrada)</p>",
        "<p><strong><a href='/x'>Related story</a></strong></p>",
        "<ul><li><strong>Alemtuzumab (Lemtrada)</strong></li></ul>",
        "<blockquote><p><strong>Alemtuzumab (Lemtrada)</strong></p></blockquote>",
        "<p><em>Alemtuzumab (Lemtrada)</em></p>",
        "<p><strong>2017</strong></p>",
        f"<p><strong>{'x' * 101}</strong></p>",
    ],
)
def test_not_a_pseudo_heading(para: str) -> None:
    sections = build(f"<h2>Drugs</h2>{para}<p>After.</p>")
    assert [s.title for s in sections] == ["Drugs"]
    assert sections[0].blocks[-1] == Block("paragraph", "After.")


def test_bold_first_line_before_a_br_is_a_heading_and_the_rest_its_paragraph() -> None:
    sections = build("<p><strong>Natalizumab (Tysabri)</strong><br>Given every four weeks.</p>")
    assert outline(sections) == [("Natalizumab (Tysabri)", "section", 2)]
    assert blocks(sections[0]) == [("paragraph", "Given every four weeks.")]


def test_br_inside_a_normal_paragraph_is_a_space() -> None:
    sections = build("<p>Line one<br>line two.</p>")
    assert blocks(sections[0]) == [("paragraph", "Line one line two.")]


# ---------------------------------------------------------------- Q & A ---


def test_q_and_a_paragraphs_after_a_heading_make_a_qa_section_without_markers() -> None:
    html = (
        "<h2>Q&amp;A: Giving infusions</h2>"
        "<p><strong>Q:</strong> How are they given?</p>"
        "<p><strong>A:</strong> Through a vein.</p>"
        "<p><em>The Medical Team</em></p>"
        "<h2>Drugs</h2><p>Three.</p>"
    )
    sections = build(html)
    assert outline(sections) == [("Q&A: Giving infusions", "qa", 2), ("Drugs", "section", 2)]
    assert blocks(sections[0]) == [
        ("question", "How are they given?"),
        ("answer", "Through a vein. The Medical Team"),
    ]


@pytest.mark.parametrize(
    ("q", "a"),
    [
        ("Q: Why?", "A: Because."),
        ("q: Why?", "a: Because."),
        ("Question: Why?", "Answer: Because."),
        ("QUESTION : Why?", "ANSWER: Because."),
        ("Q. Why?", "A. Because."),
        ("<b>Question:</b> Why?", "<b>Answer:</b> Because."),
        ("<strong>Q: Why?</strong>", "<strong>A:</strong> Because."),
    ],
)
def test_marker_spellings(q: str, a: str) -> None:
    sections = build(f"<h2>Ask us</h2><p>{q}</p><p>{a}</p>")
    assert outline(sections) == [("Ask us", "qa", 2)]
    assert blocks(sections[0]) == [("question", "Why?"), ("answer", "Because.")]


def test_marker_alone_in_its_paragraph_applies_to_the_next_one() -> None:
    html = "<h2>Ask</h2><p><b>Q:</b></p><p>Why?</p><p><b>A:</b></p><p>Because.</p><p>Also this.</p>"
    assert blocks(build(html)[0]) == [
        ("question", "Why?"),
        ("answer", "Because. Also this."),
    ]


def test_q_and_a_on_br_separated_lines_of_one_paragraph() -> None:
    sections = build("<h2>Ask</h2><p>Q: Why?<br>A: Because.</p>")
    assert blocks(sections[0]) == [("question", "Why?"), ("answer", "Because.")]


def test_answer_marker_without_a_question_is_a_plain_paragraph() -> None:
    sections = build("<h2>Notes</h2><p>A: first point.</p>")
    assert outline(sections) == [("Notes", "section", 2)]
    assert blocks(sections[0]) == [("paragraph", "A: first point.")]


@pytest.mark.parametrize("text", ["Q&A: giving infusions.", "Quality: high.", "A. Smith wrote it."])
def test_words_that_merely_start_with_q_or_a_are_not_markers(text: str) -> None:
    sections = build(f"<p>{text}</p>")
    assert blocks(sections[0]) == [("paragraph", text)]


def test_qa_after_paragraphs_becomes_a_nested_qa_section() -> None:
    html = "<h2>Treatment</h2><p>Some text.</p><p>Q: Why?</p><p>A: Because.</p>"
    assert outline(build(html)) == [
        ("Treatment", "section", 2),
        ("Questions and answers", "qa", 3),
    ]


def test_qa_at_the_very_start_is_a_qa_section_titled_with_the_article() -> None:
    sections = build("<p>Q: Why?</p><p>A: Because.</p>")
    assert outline(sections) == [(TITLE, "qa", 1)]


def test_definition_list_of_questions_is_qa() -> None:
    html = (
        "<h2>FAQ</h2><dl><dt>Why?</dt><dd><p>Because.</p><p>Really.</p></dd>"
        "<dt>How?</dt><dd>So.</dd></dl>"
    )
    sections = build(html)
    assert outline(sections) == [("FAQ", "qa", 2)]
    assert blocks(sections[0]) == [
        ("question", "Why?"),
        ("answer", "Because. Really."),
        ("question", "How?"),
        ("answer", "So."),
    ]


def test_definition_list_of_terms_makes_sub_sections_and_text_after_it_continues() -> None:
    html = (
        "<h2>Glossary</h2><dl><dt>Myelin</dt><dd>A coating.</dd><dt>Relapse</dt><dd>A flare.</dd>"
        "</dl><p>See your doctor.</p><h2>Next</h2><p>x.</p>"
    )
    sections = build(html)
    assert outline(sections) == [
        ("Glossary", "section", 2),
        ("Myelin", "section", 3),
        ("Relapse", "section", 3),
        ("Glossary (continued)", "section", 2),
        ("Next", "section", 2),
    ]
    assert blocks(sections[1]) == [("paragraph", "A coating.")]


def test_details_with_question_summary_is_qa_and_other_summary_is_a_heading() -> None:
    html = (
        "<h2>Help</h2>"
        "<details><summary>Can I drive?</summary><p>Usually.</p>"
        "<ul><li>Not if drowsy</li></ul></details>"
        "<details><summary>Show transcript</summary><p>Hello and welcome.</p></details>"
    )
    sections = build(html)
    assert outline(sections) == [("Help", "qa", 2), ("Show transcript", "section", 3)]
    assert blocks(sections[0]) == [
        ("question", "Can I drive?"),
        ("answer", "Usually. Not if drowsy"),
    ]
    assert blocks(sections[1]) == [("paragraph", "Hello and welcome.")]


def test_faq_class_divs_make_question_answer_pairs() -> None:
    html = (
        "<h2>Common questions</h2>"
        "<div class='faq-list'>"
        "<div class='faq-item'><div class='faq__question'>Is it safe?</div>"
        "<div class='faq__answer'><p>Yes.</p></div></div>"
        "<div class='faqItem'><button class='accordionQuestion'>Does it hurt</button>"
        "<div class='accordionAnswer'>A little.</div></div>"
        "</div>"
    )
    sections = build(html)
    assert outline(sections) == [("Common questions", "qa", 2)]
    assert blocks(sections[0]) == [
        ("question", "Is it safe?"),
        ("answer", "Yes."),
        ("question", "Does it hurt"),
        ("answer", "A little."),
    ]


def test_schema_org_microdata_question_and_answer() -> None:
    html = (
        "<div itemscope itemtype='https://schema.org/FAQPage'>"
        "<div itemscope itemprop='mainEntity' itemtype='https://schema.org/Question'>"
        "<h3 itemprop='name'>Who pays?</h3>"
        "<div itemscope itemprop='acceptedAnswer' itemtype='https://schema.org/Answer'>"
        "<div itemprop='text'>Insurance, mostly.</div></div></div></div>"
    )
    sections = build(html)
    assert outline(sections) == [(TITLE, "qa", 1)]
    assert blocks(sections[0]) == [("question", "Who pays?"), ("answer", "Insurance, mostly.")]


def test_question_headings_inside_faq_markup_or_under_an_faq_heading_are_questions() -> None:
    html = (
        "<h2>Frequently asked questions</h2>"
        "<h3>Is MS curable?</h3><p>Not yet.</p><p>Research continues.</p>"
        "<h3>Is it inherited?</h3><p>Not directly.</p>"
        "<h2>What causes MS?</h2><p>Nobody knows.</p>"
    )
    sections = build(html)
    assert outline(sections) == [
        ("Frequently asked questions", "qa", 2),
        ("What causes MS?", "section", 2),
    ]
    assert blocks(sections[0]) == [
        ("question", "Is MS curable?"),
        ("answer", "Not yet. Research continues."),
        ("question", "Is it inherited?"),
        ("answer", "Not directly."),
    ]


def test_bold_question_lines_under_a_qa_heading() -> None:
    html = (
        "<h2>Q &amp; A</h2><p><b>Is it safe?</b></p><p>Yes.</p>"
        "<p><b>Does it hurt?</b></p><p>No.</p>"
    )
    assert blocks(build(html)[0]) == [
        ("question", "Is it safe?"),
        ("answer", "Yes."),
        ("question", "Does it hurt?"),
        ("answer", "No."),
    ]


def test_known_questions_from_json_ld_mark_plain_lines() -> None:
    html = "<h2>Help</h2><p>Can I eat first?</p><p>Yes, eat normally.</p>"
    sections = build(html, questions=["Can I eat first?"])
    assert outline(sections) == [("Help", "qa", 2)]
    assert blocks(sections[0]) == [
        ("question", "Can I eat first?"),
        ("answer", "Yes, eat normally."),
    ]


def test_text_after_a_qa_callout_returns_to_the_enclosing_section() -> None:
    html = (
        "<h2>Habits</h2><p>Keep cool.</p>"
        "<aside class='qa-callout'><h3>Ask the Expert</h3>"
        "<div class='question'>Melatonin?</div><div class='answer'>Maybe.</div></aside>"
        "<p>Limit screens.</p>"
    )
    sections = build(html)
    assert outline(sections) == [
        ("Habits", "section", 2),
        ("Ask the Expert", "qa", 3),
        ("Habits (continued)", "section", 2),
    ]
    assert blocks(sections[2]) == [("paragraph", "Limit screens.")]


def test_text_after_details_returns_to_the_heading_not_to_a_made_up_qa_title() -> None:
    html = (
        "<h2>Help</h2><p>Intro.</p>"
        "<details><summary>Can I bring a friend?</summary><p>Yes.</p></details>"
        "<details><summary>Show transcript</summary><p>Hello.</p></details>"
        "<p>Closing words.</p>"
    )
    assert outline(build(html)) == [
        ("Help", "section", 2),
        ("Questions and answers", "qa", 3),
        ("Show transcript", "section", 3),
        ("Help (continued)", "section", 2),
    ]


# ------------------------------------------------------ lists, quotes, tables ---


def test_lists_quotes_and_nested_lists() -> None:
    html = (
        "<ul><li>One</li><li>Two<ul><li>Two a</li></ul></li></ul>"
        "<ol><li><p>Three</p></li></ol><blockquote><p>Said.</p></blockquote>"
    )
    assert blocks(build(html)[0]) == [
        ("list_item", "One"),
        ("list_item", "Two"),
        ("list_item", "Two a"),
        ("list_item", "Three"),
        ("quote", "Said."),
    ]


def test_table_is_read_row_by_row_with_header_and_without_empty_cells() -> None:
    html = (
        "<table><caption>Doses</caption><thead><tr><th>Drug</th><th>Dose</th><th></th></tr></thead>"
        "<tbody><tr><td>Ocrevus</td><td>600 mg</td><td> </td></tr>"
        "<tr><td>Tysabri</td><td>300 mg</td><td>monthly</td></tr></tbody></table>"
    )
    assert blocks(build(html)[0]) == [
        ("paragraph", "Doses"),
        ("table_row", "Drug; Dose"),
        ("table_row", "Ocrevus; 600 mg"),
        ("table_row", "Tysabri; 300 mg; monthly"),
    ]


@pytest.mark.parametrize(
    "table",
    [
        "<table><tr><td><p>Para one.</p><p><b>Heading</b></p><p>Para two.</p></td></tr></table>",
        "<table role='presentation'><tr><td><p>Para one.</p></td><td><p><b>Heading</b></p>"
        "<p>Para two.</p></td></tr></table>",
        # no role (cleaning may drop it): cells with several paragraphs are still layout
        "<table><tr><td><p>Para one.</p></td><td><p><b>Heading</b></p>"
        "<p>Para two.</p></td></tr></table>",
    ],
)
def test_layout_tables_are_read_as_ordinary_text(table: str) -> None:
    sections = build(table)
    assert outline(sections) == [(TITLE, "intro", 1), ("Heading", "section", 2)]
    assert blocks(sections[0]) == [("paragraph", "Para one.")]


# ---------------------------------------------------------------- images ---


def test_image_alt_text_is_kept_and_decorative_images_are_skipped() -> None:
    html = (
        "<p>Before.</p>"
        "<img src='a.jpg' alt='Nurse preparing an infusion'>"
        "<img src='b.jpg' alt=''><img src='c.jpg'><img src='d.jpg' alt='logo'>"
        "<img src='e.jpg' alt='IMG_2041.JPG'><img src='f.jpg' alt='Chart' role='presentation'>"
        "<img src='g.jpg' alt='Hidden' aria-hidden='true'><img src='h.png' alt='  '>"
        "<p>After <img src='smile.png' alt='🙂'> this.</p>"
    )
    assert blocks(build(html)[0]) == [
        ("paragraph", "Before."),
        ("image", "Nurse preparing an infusion"),
        ("paragraph", "After this."),
    ]


# ------------------------------------------------------------ text hygiene ---


def test_whitespace_is_normalised_and_control_characters_stripped() -> None:
    html = (
        "<p>  Tab\there,\u00a0nbsp and\n\nnew\u200blines\x07 \x1b[31mred\x1b[0m \u202eflip.  </p>"
    )
    assert blocks(build(html)[0]) == [("paragraph", "Tab here, nbsp and new lines red flip.")]


def test_clean_text_keeps_markup_like_text_as_plain_text() -> None:
    assert clean_text(" [bold]hi[/bold]\x00 <b> ") == "[bold]hi[/bold] <b>"


def test_hidden_scripts_and_forms_are_not_read() -> None:
    html = (
        "<p>Seen.</p><p hidden>Hidden.</p><div style='display:none'>Gone.</div>"
        "<script>var x = 1;</script><form><label>Email</label><button>Go</button></form>"
        "<p>Also <button>Share</button>seen.</p>"
    )
    assert blocks(build(html)[0]) == [("paragraph", "Seen."), ("paragraph", "Also seen.")]


def test_ten_thousand_nested_divs_do_not_crash() -> None:
    # The HTML parser stops near depth 256, so build the tree directly.
    root = node = etree.Element("div")
    for _ in range(10_000):
        node = etree.SubElement(node, "div")
    etree.SubElement(node, "p").text = "Deep text."
    etree.SubElement(root, "p").text = "Shallow text."
    sections = build_sections(root, TITLE)
    assert [b.text for s in sections for b in s.blocks] == ["Deep text.", "Shallow text."]


def test_an_unclosed_heading_that_swallowed_the_page_is_read_as_text() -> None:
    body = "<div>" + "Long paragraph text. " * 20 + "</div>"  # a <p> would close the <h2>
    sections = build_sections(
        lxml.html.document_fromstring(f"<h2>Real title{body}<h3>Sub</h3><div>More.</div>"), TITLE
    )
    assert outline(sections) == [(TITLE, "intro", 1), ("Sub", "section", 3)]
    assert sections[0].blocks[0].text == "Real title"
    assert sections[0].blocks[1].text.startswith("Long paragraph text.")


def test_inline_elements_wrapping_blocks_are_walked_as_blocks() -> None:
    html = "<a href='/x'><div><h2>Linked heading</h2><p>Inside.</p></div></a>"
    assert outline(build(html)) == [("Linked heading", "section", 2)]


# ------------------------------------------------------------ any tag soup ---

_TAGS = [
    "p", "div", "b", "strong", "h1", "h2", "h3", "dl", "dt", "dd", "details", "summary",
    "ul", "li", "table", "tr", "td", "th", "br", "blockquote", "a href='#'",
    "img alt='A chart'", "span class='faq'", "div class='question'", "div class='answer'",
    "p style='font-weight:bold'", "form", "button",
]  # fmt: skip
_TEXTS = ["Q: Why?", "A: Because.", "Dosage", "Is it?", " ", "Hi.", "\x1b[31m\x00", "x" * 120]


@st.composite
def _soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 2))
        tag = draw(st.sampled_from(_TAGS))
        if choice == 0:
            parts.append(f"<{tag}>")
        elif choice == 1:
            parts.append(f"</{tag.split()[0]}>")
        else:
            parts.append(draw(st.sampled_from(_TEXTS)))
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(_soup())
def test_any_tag_soup_gives_well_formed_sections(html: str) -> None:
    root = lxml.html.document_fromstring(f"<html><body>{html}<p>End.</p></body></html>")
    sections = build_sections(root, TITLE)
    assert all(s.kind != "intro" for s in sections[1:])
    for section in sections:
        assert section.level >= 1 and section.title == clean_text(section.title) != ""
        assert section.blocks or any(s.level > section.level for s in sections)
        for block in section.blocks:
            assert block.text == clean_text(block.text) != ""
        if section.kind == "qa":
            assert {b.kind for b in section.blocks} <= {"question", "answer"}


def test_consecutive_pseudo_headings_keep_every_line_in_page_order() -> None:
    html = SCOREBOARD + "<p><strong>Heritage (1-0):</strong> Sheffield 19 points.</p>"
    sections = build(html)
    assert outline(sections) == SCOREBOARD_OUTLINE
    assert blocks(sections[1]) == [("paragraph", line) for line in SCOREBOARD_FIRST_GAME]


def test_bold_lines_before_a_real_heading_are_kept_and_real_headings_still_nest() -> None:
    html = (
        "<p>Intro.</p><p><b>7th Light Festival</b></p><p><b>29 November | 20 January</b></p>"
        "<h2>Parent</h2><h3>Child</h3><p>x.</p><h2>Empty</h2><h2>Last</h2><p>y.</p>"
    )
    sections = build(html)
    assert outline(sections) == [
        (TITLE, "intro", 1),
        ("7th Light Festival", "section", 2),
        ("Parent", "section", 2),
        ("Child", "section", 3),
        ("Last", "section", 2),
    ]
    assert blocks(sections[1]) == [("paragraph", "29 November | 20 January")]


def test_a_lone_empty_pseudo_heading_is_still_dropped() -> None:
    html = "<p>Intro.</p><p><b>Gallery</b></p><h2>Next</h2><p>y.</p>"
    assert [t for t, _, _ in outline(build(html))] == [TITLE, "Next"]
